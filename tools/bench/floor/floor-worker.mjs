// The benchmark's floor worker: load Pyodide as bare as it comes and evaluate 1+1.
// Options come from this module's query string (see floor.html); each is a lever the benchmark
// measures on its own: stdlib (a trimmed standard-library archive), snapshot (a memory snapshot).
const options = new URL(import.meta.url).searchParams;
// runtime and lock are required; stdlib and snapshot are levers.
const runtime = new URL(options.get("runtime"), location.href).href;

// The snapshot is asked for at once, while Pyodide's loader is imported, as the site's worker does:
// the floor must not be slower than the page it bounds.
const snapshot = options.get("snapshot")
  ? fetch(new URL(options.get("snapshot"), location.href)).then((response) => response.arrayBuffer())
  : null;

try {
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  // The site's own lock (it lists only the calculators wheel): the npm package's lock is not shipped.
  const lockFileURL = new URL(options.get("lock"), location.href).href;
  const config = { indexURL: runtime, lockFileURL, stdout: () => {} };
  if (options.get("stdlib")) config.stdLibURL = new URL(options.get("stdlib"), location.href).href;
  // A promise of its bytes, as the site's worker passes it: Pyodide fetches and compiles its
  // WebAssembly meanwhile.
  if (snapshot) config._loadSnapshot = snapshot;
  const pyodide = await loadPyodide(config);
  postMessage({ answer: pyodide.runPython("1+1") });
} catch (error) {
  postMessage({ error: String(error?.message ?? error) });
}
