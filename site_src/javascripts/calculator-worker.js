// CMVIG Guide calculator worker: runs the `calculators` Python package in Pyodide, off the page's
// main thread. Hand-written, not generated.
//
// One script, two ways of running (calculator-client.js chooses):
// - a module SharedWorker, shared by every tab of the site in this browser: Python and the memory
//   snapshot are loaded once, and each tab talks to it through its own MessagePort;
// - a module dedicated Worker, one per tab, where the browser has no SharedWorker.
// Either way each tab is served on its own port: a reply goes back on the port its request came
// in on, with that request's id, so requests stay matched to their tab. Nothing a tab sends is
// kept after its reply, and no tab's request reaches another tab.
//
// Messages in:  {type: "run", id, name, params}   (params: the form's raw text, by field name)
// Messages out: {type: "progress", text} while starting,
//               {type: "ready", snapshot, precision} once Pyodide and the wheel are loaded
//               (snapshot: true if restored from the build's memory snapshot, false if started
//               the full way; precision: the core's display precision per quantity),
//               {type: "failed", message} if they cannot be,
//               {type: "reply", id, reply} with reply = {ok: true, result, display} | {ok: false, error},
//               {type: "stopped", message} if something fails outside those.
// Everything is loaded from this site: the runtime from assets/pyodide/<version>/, and the wheel
// through a site-local lock (assets/wheels/<hash>/pyodide-lock.json) that lists nothing else, so
// Pyodide never falls back to its CDN (its package URL is the site's wheels folder). The URLs are
// absolute, as loadPyodide requires.
// The versioned folders (cached for a year by the server) and the memory snapshot are named by
// the generated assets/runtime.mjs, which is revalidated on every visit.
import * as runtime from "../assets/runtime.mjs";
import { wasmTypeProblem } from "./wasm-check.js";

const assets = new URL("../assets/", import.meta.url);
const pyodideDir = new URL(runtime.PYODIDE_DIR, assets);
const wheelsDir = new URL(runtime.WHEELS_DIR, assets);
const lockURL = new URL("pyodide-lock.json", wheelsDir);
// The lock, like the snapshot below, is asked for in the worker's first moment and handed to
// Pyodide, which would otherwise ask for it only once its loader has been imported.
const lock = fetch(lockURL).then((response) => {
  if (!response.ok) throw new Error(`${lockURL.pathname}: HTTP ${response.status}`);
  return response.text();
});
lock.catch(() => {}); // a failure is reported where Pyodide waits for it
const options = {
  indexURL: pyodideDir.href,
  lockFileContents: lock,
  packageBaseUrl: wheelsDir.href,
  // Pyodide prints package loading to the console; the page shows its own progress instead.
  stdout: () => {},
};

// The ports of the tabs connected (one, `self`, for a dedicated worker). A closed tab's port
// stays here until the browser reports it closed; posting to it does nothing.
const ports = new Set();
let lastProgress = null;
const broadcast = (message) => {
  for (const port of ports) port.postMessage(message);
};
const progress = (text) => {
  lastProgress = text;
  broadcast({ type: "progress", text });
};
let fromSnapshot = false;
let started = false;

// The snapshot is the largest file: ask for it at once, while the runtime's type is checked and
// its loader imported (the browser fetches both at the same time).
const snapshotResponse = runtime.SNAPSHOT
  ? fetch(new URL(runtime.SNAPSHOT, assets)).catch(() => null)
  : Promise.resolve(null);

/**
 * The calculators from the build's memory snapshot (build_scripts/snapshot.py): Python already
 * started and the package imported. Null if there is none, it cannot be fetched, or restoring it
 * fails; that runtime is then dropped whole. `_loadSnapshot` is Pyodide's PRIVATE API: re-check
 * it on every upgrade of Pyodide (README); the ordinary start below keeps the site working.
 */
async function restoreSnapshot(loadPyodide) {
  try {
    const response = await snapshotResponse;
    if (!response?.ok) return null;
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: response.arrayBuffer() });
    // The build froze the entropy to make the snapshot reproducible: draw fresh seeds here.
    pyodide.runPython("import random; random.seed()");
    return pyodide.pyimport("calculators.browser");
  } catch (error) {
    console.warn("Starting without the memory snapshot:", error);
    return null;
  }
}

const handle = (async () => {
  // The page names the worker after the engine it expects (runtime.ENGINE: this build's runtime,
  // wheel, settings and worker code). A tab of a newer build must never be answered by an older
  // engine still running for tabs opened before the update, nor the other way round.
  if (self.name !== `cmvig-calculators-${runtime.ENGINE}`) {
    throw new Error("the site was updated while this page was open. Reload the page");
  }
  progress("Starting the Python runtime in this browser (about 6 MB, once per visit)…");
  // A wrongly typed .wasm would make loadPyodide wait for ever: find out first, and say why
  // (while Pyodide's loader is imported, which does not touch the .wasm yet).
  const loader = import(new URL("pyodide.mjs", pyodideDir).href);
  loader.catch(() => {}); // the .wasm's problem, if there is one, is the one to report
  const problem = await wasmTypeProblem(new URL("pyodide.asm.wasm", pyodideDir).href);
  if (problem) throw new Error(problem);
  const { loadPyodide } = await loader;
  let browser = await restoreSnapshot(loadPyodide);
  fromSnapshot = browser !== null;
  if (!browser) {
    const pyodide = await loadPyodide({ ...options, packages: ["calculators"] });
    progress("Loading the calculators…");
    browser = pyodide.pyimport("calculators.browser");
  }
  // The institution's defaults (rounding, dosing weight, custom product), checked by the core
  // once here and passed with every calculation: the core keeps no settings of its own.
  const response = await fetch(new URL("calculator-settings.json", assets));
  if (!response.ok) throw new Error(`calculator settings: HTTP ${response.status}`);
  const settings = await response.text();
  const checked = JSON.parse(browser.check_settings(settings));
  if (!checked.ok) throw new Error(`calculator settings: ${checked.error.message}`);
  return { browser, settings };
})().then(({ browser, settings }) => {
  started = true;
  return {
    run: (name, params) => browser.handle(name, params, settings),
    precision: JSON.parse(browser.display_precision()),
  };
});

/**
 * Ends this worker after telling every tab why: the next tab that needs it starts a new one
 * (a shared worker that has closed is never handed to a tab again).
 */
function stop(message) {
  broadcast(message);
  close();
}

handle.catch((error) => stop({ type: "failed", message: String(error?.message ?? error) }));

async function answer(port, { id, name, params }) {
  let reply;
  try {
    reply = JSON.parse((await handle).run(name, JSON.stringify(params)));
  } catch (error) {
    // Input errors come back as {ok: false}; reaching here is a bug in the core or the glue.
    reply = {
      ok: false,
      error: { field: null, message: `The calculator failed unexpectedly: ${error?.message ?? error}` },
    };
  }
  port.postMessage({ type: "reply", id, reply });
}

/** Serve one tab on `port`: its requests, and the start-up steps until the engine is ready. */
function serve(port) {
  ports.add(port);
  port.addEventListener("message", ({ data }) => {
    if (data?.type === "run") answer(port, data);
  });
  // Chromium 121+ and Firefox tell a port that its tab has gone; elsewhere it stays in `ports`.
  port.addEventListener("close", () => ports.delete(port));
  port.start?.(); // a MessagePort delivers nothing before start(); the dedicated worker has none
  if (lastProgress && !started) port.postMessage({ type: "progress", text: lastProgress });
  handle.then(
    ({ precision }) => port.postMessage({ type: "ready", snapshot: fromSnapshot, precision }),
    () => {}, // stop() has told every tab
  );
}

if (typeof SharedWorkerGlobalScope === "function" && self instanceof SharedWorkerGlobalScope) {
  addEventListener("connect", (event) => serve(event.ports[0]));
} else {
  serve(self);
}

// Anything else that goes wrong in here (an error outside the handlers above) ends the engine
// with a message, instead of leaving the tabs waiting for a reply that will not come.
addEventListener("unhandledrejection", (event) => {
  stop({ type: "stopped", message: String(event.reason?.message ?? event.reason) });
});
