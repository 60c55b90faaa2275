// CMVIG Guide calculator worker: runs the `calculators` Python package in Pyodide, off the page's
// main thread. Hand-written, not generated.
//
// Messages in:  {type: "run", id, name, params}   (params: the form's raw text, by field name)
// Messages out: {type: "progress", text} while starting,
//               {type: "ready", snapshot, precision} once Pyodide and the wheel are loaded
//               (snapshot: true if restored from the build's memory snapshot, false if started
//               the full way; precision: the core's display precision per quantity),
//               {type: "failed", message} if they cannot be,
//               {type: "reply", id, reply} with reply = {ok: true, result} | {ok: false, error},
//               {type: "stopped", message} if something fails outside those.
// Everything is loaded from this site: the runtime from assets/pyodide/<version>/, and the wheel
// through a site-local lock (assets/wheels/<hash>/pyodide-lock.json) that lists nothing else, so
// Pyodide never falls back to its CDN. All three URLs are absolute, as loadPyodide requires.
// The versioned folders (cached for a year by the server) and the memory snapshot are named by
// the generated assets/runtime.mjs, which is revalidated on every visit.
import * as runtime from "../assets/runtime.mjs";
import { wasmTypeProblem } from "./wasm-check.js";

const assets = new URL("../assets/", import.meta.url);
const pyodideDir = new URL(runtime.PYODIDE_DIR, assets);
const wheelsDir = new URL(runtime.WHEELS_DIR, assets);
const options = {
  indexURL: pyodideDir.href,
  lockFileURL: new URL("pyodide-lock.json", wheelsDir).href,
  packageBaseUrl: wheelsDir.href,
  // Pyodide prints package loading to the console; the page shows its own progress instead.
  stdout: () => {},
};

const progress = (text) => postMessage({ type: "progress", text });
let fromSnapshot = false;

/**
 * The calculators from the build's memory snapshot (build_scripts/snapshot.py): Python already
 * started and the package imported. Null if there is none, it cannot be fetched, or restoring it
 * fails; that runtime is then dropped whole. `_loadSnapshot` is Pyodide's PRIVATE API: re-check
 * it on every upgrade of Pyodide (README); the ordinary start below keeps the site working.
 */
async function restoreSnapshot(loadPyodide) {
  if (!runtime.SNAPSHOT) return null;
  try {
    const response = await fetch(new URL(runtime.SNAPSHOT, assets));
    if (!response.ok) return null;
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
  progress("Starting the Python runtime in this browser (about 6 MB, once per visit)…");
  // A wrongly typed .wasm would make loadPyodide wait for ever: find out first, and say why.
  const problem = await wasmTypeProblem(new URL("pyodide.asm.wasm", pyodideDir).href);
  if (problem) throw new Error(problem);
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideDir).href);
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
})().then(({ browser, settings }) => ({
  run: (name, params) => browser.handle(name, params, settings),
  precision: JSON.parse(browser.display_precision()),
}));

handle.then(
  ({ precision }) => postMessage({ type: "ready", snapshot: fromSnapshot, precision }),
  (error) => postMessage({ type: "failed", message: String(error?.message ?? error) }),
);

addEventListener("message", async ({ data }) => {
  if (data?.type !== "run") return;
  let reply;
  try {
    reply = JSON.parse((await handle).run(data.name, JSON.stringify(data.params)));
  } catch (error) {
    // Input errors come back as {ok: false}; reaching here is a bug in the core or the glue.
    reply = {
      ok: false,
      error: { field: null, message: `The calculator failed unexpectedly: ${error?.message ?? error}` },
    };
  }
  postMessage({ type: "reply", id: data.id, reply });
});

// Anything else that goes wrong in here (an error outside the handlers above) ends the engine
// with a message, instead of leaving the page waiting for a reply that will not come.
addEventListener("unhandledrejection", (event) => {
  postMessage({ type: "stopped", message: String(event.reason?.message ?? event.reason) });
});
