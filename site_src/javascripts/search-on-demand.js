// CMVIG Guide: mkdocs-material's search starts on the first search, not on every page load.
// Hand-written, not generated. Loaded as a classic script BEFORE the theme's bundle
// (site_src/theme/main.html, block scripts), because the bundle starts its search worker as it
// starts; only for the builders that build_scripts/builders.py's SEARCH_ON_DEMAND names.
//
// Why: as each page loads, the theme starts a Web Worker and hands it the text of every page,
// and the worker indexes it at once: about a quarter of a second of processor time on a slow ward
// computer, and a thread's memory on a phone, at the moment the calculator engine is starting
// beside it, for a search most visits never make. Material itself waits like this where it must
// (pages opened from file://).
//
// How: the theme's worker (the URL in its configuration, #__config "search") is started only when
// the first query comes. Until then this stand-in takes the theme's messages: it keeps the pages
// (set-up), says search is ready at once, and answers the empty query the theme sends as search
// becomes ready with no results, as Material's worker answers it. The first other query starts
// the real worker, hands it the pages, and passes it that query and every later one; the theme
// hears the real worker's answers. Every other worker the site starts is started as it was.
// The messages are Material's: 0 set up, 1 ready, 2 query, 3 result.
(() => {
  "use strict";

  const SET_UP = 0;
  const READY = 1;
  const QUERY = 2;
  const RESULT = 3;

  const config = document.getElementById("__config");
  const searchUrl = config && JSON.parse(config.textContent).search;
  if (!searchUrl) return;
  const themeWorker = new URL(searchUrl, document.baseURI).href;
  const RealWorker = window.Worker;

  /** Stands in for the theme's search worker until a reader searches. */
  class SearchOnDemand extends EventTarget {
    #url;
    #options;
    #pages = null;  // the set-up message, until the real worker has it
    #waiting = [];  // queries that came while the real worker was indexing
    #worker = null;
    #ready = false;

    constructor(url, options) {
      super();
      this.#url = url;
      this.#options = options;
    }

    postMessage(message) {
      if (this.#ready) {
        this.#worker.postMessage(message);
      } else if (message?.type === SET_UP && this.#worker === null) {
        this.#pages = message;
        this.#answer({ type: READY });
      } else if (message?.type === QUERY && message.data === "" && this.#worker === null) {
        this.#answer({ type: RESULT, data: { items: [] } });
      } else {
        this.#waiting.push(message);
        this.#start();
      }
    }

    terminate() {
      this.#worker?.terminate();
    }

    /** Start the theme's worker with the kept pages; pass it what waited once it has indexed. */
    #start() {
      if (this.#worker !== null) return;
      this.#worker = new RealWorker(this.#url, this.#options);
      this.#worker.addEventListener("message", ({ data }) => {
        if (!this.#ready && data?.type === READY) {  // its "ready" was given long ago
          this.#release();
        } else {
          this.#answer(data);
        }
      });
      this.#worker.addEventListener("error", (event) => {
        this.dispatchEvent(new ErrorEvent("error", { message: event.message }));
      });
      if (this.#pages !== null) {
        this.#worker.postMessage(this.#pages);
        this.#pages = null;
      } else {  // no pages were handed over: nothing to wait for
        this.#release();
      }
    }

    /** The real worker can take queries: pass it those that waited, and all later ones. */
    #release() {
      this.#ready = true;
      for (const message of this.#waiting.splice(0)) this.#worker.postMessage(message);
    }

    #answer(data) {
      queueMicrotask(() => this.dispatchEvent(new MessageEvent("message", { data })));
    }
  }

  function Worker(url, options) {
    if (!new.target) throw new TypeError("Worker: use new");
    return new URL(url, document.baseURI).href === themeWorker
      ? new SearchOnDemand(url, options)
      : new RealWorker(url, options);
  }
  Worker.prototype = RealWorker.prototype;
  window.Worker = Worker;
})();
