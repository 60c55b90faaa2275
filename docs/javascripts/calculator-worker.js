// CMVIG Guide calculator worker: runs the `calculators` Python package in Pyodide, off the page's
// main thread. Hand-written, not generated.
//
// Messages in:  {type: "run", id, name, params}   (params: the form's raw text, by field name)
// Messages out: {type: "progress", text} while starting,
//               {type: "ready"} once Pyodide and the wheel are loaded,
//               {type: "failed", message} if they cannot be,
//               {type: "reply", id, reply} with reply = {ok: true, result} | {ok: false, error},
//               {type: "stopped", message} if something fails outside those.
// Everything is loaded from this site: the runtime from assets/pyodide/<version>/, and the wheel
// through a site-local lock (assets/wheels/<hash>/pyodide-lock.json) that lists nothing else, so
// Pyodide never falls back to its CDN. All three URLs are absolute, as loadPyodide requires.
// The versioned folders (cached for a year by the server) are named by the generated
// assets/runtime.mjs, which is revalidated on every visit.
import { PYODIDE_DIR, WHEELS_DIR } from "../assets/runtime.mjs";
import { wasmTypeProblem } from "./wasm-check.js";

const assets = new URL("../assets/", import.meta.url);
const pyodideDir = new URL(PYODIDE_DIR, assets);
const wheelsDir = new URL(WHEELS_DIR, assets);

const progress = (text) => postMessage({ type: "progress", text });

const handle = (async () => {
  progress("Starting the Python runtime in this browser (about 6 MB, once per visit)…");
  // A wrongly typed .wasm would make loadPyodide wait for ever: find out first, and say why.
  const problem = await wasmTypeProblem(new URL("pyodide.asm.wasm", pyodideDir).href);
  if (problem) throw new Error(problem);
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideDir).href);
  const pyodide = await loadPyodide({
    indexURL: pyodideDir.href,
    lockFileURL: new URL("pyodide-lock.json", wheelsDir).href,
    packageBaseUrl: wheelsDir.href,
    packages: ["calculators"],
    // Pyodide prints package loading to the console; the page shows its own progress instead.
    stdout: () => {},
  });
  progress("Loading the calculators…");
  const browser = pyodide.pyimport("calculators.browser");
  // The institution's defaults (rounding, dosing weight, custom product), checked by the core.
  const response = await fetch(new URL("calculator-settings.json", assets));
  if (!response.ok) throw new Error(`calculator settings: HTTP ${response.status}`);
  const configured = JSON.parse(browser.configure(await response.text()));
  if (!configured.ok) throw new Error(`calculator settings: ${configured.error.message}`);
  return browser.handle;
})();

handle.then(
  () => postMessage({ type: "ready" }),
  (error) => postMessage({ type: "failed", message: String(error?.message ?? error) }),
);

addEventListener("message", async ({ data }) => {
  if (data?.type !== "run") return;
  let reply;
  try {
    reply = JSON.parse((await handle)(data.name, JSON.stringify(data.params)));
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
