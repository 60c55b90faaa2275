// For the levers benchmark: start the site's Pyodide under Node.js as the page's worker does
// (the calculators wheel, configure, one run of every calculator), then print which files of the
// standard-library archive were imported, and write a memory snapshot taken after the imports.
// Usage: node startup_probe.mjs PYODIDE_DIR LOCK SETTINGS_JSON SNAPSHOT_OUT
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [indexURL, lockFileURL, settings, snapshotPath] = process.argv.slice(2);
const pyodide = await loadPyodide({ indexURL, lockFileURL, _makeSnapshot: true, stdout: () => {} });
// Unpacked directly: loadPackage through the lock reads file paths differently under Node.
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
const wheel = path.join(path.dirname(lockFileURL), JSON.parse(readFileSync(lockFileURL, "utf8")).packages.calculators.file_name);
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
const modules = pyodide.runPython(`
import json, sys
import calculators.browser as browser
from calculators.registry import CALCULATORS
site_settings = ${JSON.stringify(readFileSync(settings, "utf8"))}
browser.check_settings(site_settings)
for name in CALCULATORS:
    browser.handle(name, "{}", site_settings)  # the error path: each calculator names a missing field
json.dumps(sorted({m.__file__ for m in list(sys.modules.values())
                   if (getattr(m, "__file__", None) or "").startswith("/lib/python314.zip/")}))
`);
writeFileSync(snapshotPath, pyodide.makeMemorySnapshot());
process.stdout.write(modules);
