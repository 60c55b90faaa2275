// For build_scripts/snapshot.py: start the site's own Pyodide under Node.js with the site's own
// wheel, import the calculators, and write a memory snapshot the page's worker restores instead of
// starting Python afresh. Hand-written.
// Usage: node snapshot.mjs PYODIDE_DIR/ WHEELS_DIR/ OUT   (run with TZ=UTC, as snapshot.py does)
//
// The snapshot is the whole WebAssembly memory, so it must not depend on when or where it is made:
// the clock is frozen (file times in Emscripten's in-memory file system, the mtimes Python's
// import system caches), the entropy is a fixed stream (the Mersenne Twister states of `random`,
// the allocator's keys), the hash seed is 0, and the program name is the browser's. Python's
// `random` is reseeded by the worker after restoring; nothing in the calculators is secret.
// `_makeSnapshot` and `makeMemorySnapshot` are Pyodide's PRIVATE API (checked for 314.0.7).
import nodeCrypto, { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, out] = process.argv.slice(2);
if (!out || !pyodideDir.endsWith("/") || !wheelsDir.endsWith("/")) {
  throw new Error("usage: node snapshot.mjs PYODIDE_DIR/ WHEELS_DIR/ OUT");
}

const FIXED_TIME_MS = 1767225600000; // build_scripts/wheel.py's SOURCE_DATE_EPOCH
Date.now = () => FIXED_TIME_MS;
performance.now = () => 0;
let block = 0;
// Emscripten reads entropy with node:crypto's randomFillSync under Node.
nodeCrypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let at = 0; at < bytes.length; at += 32) {
    const digest = createHash("sha256").update(`cmvig-snapshot-${block++}`).digest();
    bytes.set(digest.subarray(0, Math.min(32, bytes.length - at)), at);
  }
  return view;
};

const lockPath = `${wheelsDir}pyodide-lock.json`;
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}pyodide.mjs`).href);
const pyodide = await loadPyodide({
  indexURL: pyodideDir,
  lockFileURL: lockPath,
  packageBaseUrl: wheelsDir,
  env: { PYTHONHASHSEED: "0", LANG: "C.UTF-8" },
  _sysExecutable: "./this.program",
  _makeSnapshot: true,
  stdout: () => {},
});

// The wheel the lock names, checked against the lock's sha256 as the browser checks it. Unpacked
// directly: a package loaded with loadPackage cannot be snapshotted (Pyodide refuses).
const entry = JSON.parse(readFileSync(lockPath, "utf8")).packages.calculators;
const wheel = readFileSync(`${wheelsDir}${entry.file_name}`);
const digest = createHash("sha256").update(wheel).digest("hex");
if (digest !== entry.sha256) {
  throw new Error(`${entry.file_name}: sha256 ${digest} is not the lock's ${entry.sha256}`);
}
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(wheel), "wheel", { extractDir: sitePackages });

// Every module of the package, so that nothing is imported lazily from files the restored
// runtime does not have (its file system holds the standard library only). Not configured: the
// worker applies the served settings after restoring.
pyodide.runPython(`
import gc, importlib, pkgutil
importlib.invalidate_caches()  # the frozen clock hides the new files from the import cache
import calculators, calculators.browser
for module in pkgutil.walk_packages(calculators.__path__, "calculators."):
    if module.name != "calculators.__main__":
        importlib.import_module(module.name)
gc.collect()
`);
writeFileSync(out, pyodide.makeMemorySnapshot());
