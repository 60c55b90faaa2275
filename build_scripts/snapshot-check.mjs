// For build_scripts/snapshot.py: restore a memory snapshot as the page's worker does
// (site_src/javascripts/calculator-worker.js) and run one calculation with it. Hand-written.
// Usage: node snapshot-check.mjs PYODIDE_DIR/ WHEELS_DIR/ SNAPSHOT
//
// The worker falls back to the slow ordinary start when a snapshot does not restore, silently for
// the user; Pyodide reports snapshots larger than the initial WebAssembly memory failing with
// "RangeError: offset is out of bounds". Restoring it once here turns that into a failed build.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, snapshot] = process.argv.slice(2);
if (!snapshot || !pyodideDir.endsWith("/") || !wheelsDir.endsWith("/")) {
  throw new Error("usage: node snapshot-check.mjs PYODIDE_DIR/ WHEELS_DIR/ SNAPSHOT");
}
// Errors are printed as one line: Node would print the failing line of Pyodide's glue, a single
// minified line of a megabyte, and a pipe may drop the error after it.
try {
  const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}pyodide.mjs`).href);
  const bytes = readFileSync(snapshot);
  const pyodide = await loadPyodide({
    indexURL: pyodideDir,
    lockFileURL: `${wheelsDir}pyodide-lock.json`,
    packageBaseUrl: wheelsDir,
    stdout: () => {},
    _loadSnapshot: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  });
  const browser = pyodide.pyimport("calculators.browser");
  const params = { weight_kg: "70", height_cm: "170", sex: "male" };
  const reply = JSON.parse(browser.handle("body-weight", JSON.stringify(params), "{}"));
  if (!reply.ok) throw new Error(`the restored calculators answered ${JSON.stringify(reply)}`);
} catch (error) {
  process.stderr.write(`${error?.name ?? "Error"}: ${error?.message ?? error}\n`);
  process.exitCode = 1;
}
