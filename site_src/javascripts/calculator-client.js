// CMVIG Guide: the page's side of the calculator engine. Hand-written, not generated.
// Imported by calculators.js, which renders what comes back and never learns which kind of worker
// answered.
//
// One Python per browser: the engine (calculator-worker.js) runs as a module SharedWorker that
// every tab of the site shares, so Pyodide and its memory snapshot are loaded once, not once per
// tab; where the browser has no SharedWorker, as a dedicated module Worker for this tab alone.
// Each tab numbers its own requests and matches each reply to its request by that number; the
// worker answers every tab on that tab's own port.
//
//   connectEngine()  the engine of this tab, started (or joined) on first use; later calls, and
//                    pages reached by instant navigation, get the same one. Its
//                    ready: a promise of {precision} once the engine can calculate;
//                    onProgress(listener): each start-up step, latest first;
//                    run(name, params): a promise of the core's reply {ok, result, display | error};
//                    a failure rejects with an EngineError whose message is for the reader.
//   EngineError      the engine could not start, stopped, or did not answer.
//   engineSettled()  a promise that resolves once this tab's engine, if it has asked for one, is
//                    ready or has failed (at once if it has not): offline.js waits for it.
//
// <html data-engine-start="snapshot|full"> once ready: how the engine started;
// <html data-engine-worker="shared|dedicated">: which kind of worker this tab talks to.

const START_TIMEOUT_MS = 90_000;
const REPLY_TIMEOUT_MS = 30_000;
const WORKER_URL = new URL("calculator-worker.js", import.meta.url);

/** The engine could not start or stopped: its message is meant for the reader as it is. */
export class EngineError extends Error {}

const stoppedMessage = (detail) => `The calculator engine stopped unexpectedly (${detail}). ` +
  "Reload the page to start it again; if this keeps happening, tell the site's administrator.";
const unloadableMessage = "The calculator engine could not be loaded (a file of it is missing or " +
  "blocked). The guidance on this page is still correct.";

/** Why this browser cannot run the calculators at all, or null if it can. */
function unsupportedReason() {
  if (location.protocol === "file:") {
    return "The calculators cannot run from a page opened as a file. Open the site through its web address.";
  }
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    return "This browser does not allow WebAssembly or Web Workers, which the calculators need.";
  }
  return null;
}

/**
 * The worker for engine `name`: the shared one where the browser has SharedWorker (joined if
 * another tab started it), else a dedicated one. {kind, port, events, close}: `port` carries the
 * messages, `events` reports a script that cannot be loaded, `close` lets go of it (a shared
 * worker goes on serving the other tabs).
 */
function openWorker(name) {
  if (typeof SharedWorker === "function") {
    const shared = new SharedWorker(WORKER_URL, { type: "module", name });
    shared.port.start();
    return { kind: "shared", port: shared.port, events: shared, close: () => shared.port.close() };
  }
  const worker = new Worker(WORKER_URL, { type: "module", name });
  return { kind: "dedicated", port: worker, events: worker, close: () => worker.terminate() };
}

let engine = null;

/** Resolves (never rejects) once this tab's engine is ready or has failed; at once if none. */
export function engineSettled() {
  return engine ? engine.ready.then(() => {}, () => {}) : Promise.resolve();
}

/** Start or join the engine once per tab; later calls return the same one. */
export function connectEngine() {
  if (engine) return engine;
  const pending = new Map();
  const progressListeners = new Set();
  let lastProgress = null;
  let nextId = 1;
  let settle;
  const ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {}); // each form shows the failure itself

  const reason = unsupportedReason();
  let worker = null;
  let watchdog = null;
  let started = false;
  let failed = false;
  const fail = (message) => {
    if (failed) return;
    failed = true;
    clearTimeout(watchdog);
    worker?.close();
    for (const request of pending.values()) request.reject(new EngineError(message));
    pending.clear();
    settle.reject(new EngineError(message));
    if (engine === current) engine = null; // the next page that needs it starts afresh
  };

  const onMessage = ({ data }) => {
    if (data.type === "progress") {
      lastProgress = data.text;
      for (const listener of progressListeners) listener(data.text);
    } else if (data.type === "ready") {
      clearTimeout(watchdog);
      started = true;
      document.documentElement.dataset.engineStart = data.snapshot ? "snapshot" : "full";
      settle.resolve({ precision: data.precision });
      // offline.js then asks the service worker to keep the runtime just loaded.
      document.dispatchEvent(new Event("cmvig:engine-ready"));
    } else if (data.type === "failed") {
      fail(`The calculator engine could not start: ${data.message}`);
    } else if (data.type === "stopped") {
      fail(stoppedMessage(data.message));
    } else if (data.type === "reply") {
      pending.get(data.id)?.resolve(data.reply);
      pending.delete(data.id);
    }
  };

  async function open() {
    // The worker is named for this build's engine (assets/runtime.mjs), so tabs share it only
    // with tabs of the same build. Imported here, not at the top: guidance pages never load it.
    const { ENGINE } = await import("../assets/runtime.mjs");
    if (failed) return;
    worker = openWorker(`cmvig-calculators-${ENGINE}`);
    document.documentElement.dataset.engineWorker = worker.kind;
    worker.port.addEventListener("message", onMessage);
    worker.events.addEventListener("error", (event) => {
      event.preventDefault();
      fail(started ? stoppedMessage(event.message || "no message") : unloadableMessage);
    });
  }

  const current = {
    ready,
    /** Call `listener(text)` with each start-up step, starting with the latest one. */
    onProgress(listener) {
      progressListeners.add(listener);
      if (lastProgress) listener(lastProgress);
      ready.finally(() => progressListeners.delete(listener)).catch(() => {});
    },
    run(name, params) {
      return ready.then(() => new Promise((resolve, reject) => {
        const id = nextId++;
        // A calculation takes milliseconds; a worker that does not answer is stuck: say so.
        const timer = setTimeout(() => fail(`The calculator engine did not answer within ` +
          `${REPLY_TIMEOUT_MS / 1000} seconds. Reload the page; if this keeps happening, tell the ` +
          "site's administrator."), REPLY_TIMEOUT_MS);
        const settled = (action) => (value) => { clearTimeout(timer); action(value); };
        pending.set(id, { resolve: settled(resolve), reject: settled(reject) });
        worker.port.postMessage({ type: "run", id, name, params });
      }));
    },
  };

  if (reason) {
    fail(reason);
    return current;
  }
  engine = current;
  // A .wasm served with the wrong MIME type makes Pyodide hang with no error: never spin forever.
  watchdog = setTimeout(
    () => fail(`The calculator engine did not start within ${START_TIMEOUT_MS / 1000} seconds. ` +
      "Reload the page; if this keeps happening, tell the site's administrator."),
    START_TIMEOUT_MS,
  );
  open().catch(() => fail(unloadableMessage));
  return current;
}
