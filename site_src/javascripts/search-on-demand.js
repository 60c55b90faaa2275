// CMVIG Guide: mkdocs-material's search worker, told to build its index on the first search
// instead of on every page load. Hand-written, not generated. The theme starts it in place of its
// own worker (site_src/theme/main.html, block config; Material documents the worker as
// replaceable), naming its own worker file in this script's address: `?theme=search.<hash>.min.js`.
//
// Why: the theme hands its worker the text of every page as each page loads, and the worker
// indexes it at once: about a quarter of a second of processor time on a slow ward computer, at
// the moment the calculator engine is starting beside it, for a search most visits never make.
// This worker answers the theme at once that search is ready, keeps the pages, and has the
// theme's own code build the index when the first query comes; that query waits for it.
//
// The messages are Material's: 0 set up (the pages), 1 ready, 2 query, 3 result. Material's worker
// code runs unchanged: it hears only the messages this script hands it, and its answers pass
// through here. (Zensical starts and answers its search worker its own way and keeps it:
// build_scripts/builders.py, SEARCH_ON_DEMAND.)
"use strict";

const SET_UP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const THEME_WORKER = /^search\.[0-9a-f]+\.min\.js$/;

// Where the index is, for the tests (tests/e2e/test_search.py): "none" before the pages come,
// "held" until the first query, then "building", then "built".
let indexState = "none";

const themeWorker = new URL(self.location.href).searchParams.get("theme") ?? "";
if (!THEME_WORKER.test(themeWorker)) {
  throw new Error(`search-on-demand.js: ?theme= must name the theme's search.<hash>.min.js, not "${themeWorker}"`);
}

// Material's code listens with addEventListener and answers with postMessage: catch both, so
// that this script decides what it hears.
const themeListeners = [];
const listen = self.addEventListener.bind(self);
const send = self.postMessage.bind(self);
let onThemeAnswer = send;
self.addEventListener = (type, listener, options) => {
  if (type === "message") themeListeners.push(listener);
  else listen(type, listener, options);
};
self.postMessage = (message) => onThemeAnswer(message);

importScripts(`../assets/javascripts/workers/${themeWorker}`);

function tellTheme(data) {
  for (const listener of themeListeners) listener(new MessageEvent("message", { data }));
}

let pages = null;  // the set-up message: the text of every page, not yet indexed
let indexed = null;  // settles when the theme's code has answered the set-up message

/** Have the theme's code index the pages (once); settles when it has answered. */
function indexPages() {
  if (indexed === null) {
    indexState = "building";
    indexed = new Promise((settle) => {
      onThemeAnswer = (message) => {
        onThemeAnswer = send;
        indexState = "built";
        if (message?.type !== READY) send(message);  // its "ready" was given long ago
        settle();
      };
      tellTheme(pages);
      pages = null;
    });
  }
  return indexed;
}

listen("message", ({ data }) => {
  if (data?.type === SET_UP) {
    pages = data;
    indexed = null;
    indexState = "held";
    send({ type: READY });
  } else if (data?.type === QUERY && data.data === "" && indexed === null) {
    // The theme asks with the empty search box as soon as search is ready; Material's own answer
    // to an empty query is no results, with or without an index.
    send({ type: RESULT, data: { items: [] } });
  } else if (pages === null && indexed === null) {
    tellTheme(data);  // nothing to index: the theme's code answers as it would have
  } else {
    indexPages().then(() => tellTheme(data));
  }
});
