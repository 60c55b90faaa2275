// Run the golden cases inside real Pyodide (the pinned npm package) under Node.js.
// Usage: node tests/pyodide/run_in_pyodide.mjs REPO_ROOT ANSWERS_JSON WHEEL...
// The wheels (the calculators wheel as shipped, plus pytest and its pure-Python dependencies)
// are unpacked into Pyodide's site-packages; the repository is mounted at /repo for the tests.
// Then: pytest runs tests/calculators/test_golden.py, and every golden case's answer is written
// to ANSWERS_JSON for the CPython side to compare exactly.
// Exit status: pytest's.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [root, answersPath, ...wheels] = process.argv.slice(2);
const pyodide = await loadPyodide({
  indexURL: path.join(root, "node_modules", "pyodide") + path.sep,
});
// Pass output through unchanged (pytest prints its progress dots without newlines).
// write() must report every byte as written (stream back-pressure is Node's business).
// Copy the bytes: Pyodide reuses its buffer before Node has flushed a piped stream.
const passThrough = (stream) => ({ write: (bytes) => { stream.write(Buffer.from(bytes)); return bytes.length; } });
pyodide.setStdout(passThrough(process.stdout));
pyodide.setStderr(passThrough(process.stderr));
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const wheel of wheels) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
}
pyodide.mountNodeFS("/repo", root);
// A Python error is printed as its own message: uncaught, Node would print Pyodide's glue, one
// minified line of a megabyte, and a pipe may drop the error after it.
let outcome;
try {
  outcome = pyodide.runPython(`
import json, os, sys
os.chdir("/repo")
sys.path[:] = [p for p in sys.path if p not in ("", ".")] + ["/repo"]  # wheel first, sources last
import calculators, pytest
assert calculators.__file__.startswith("${sitePackages}"), calculators.__file__
code = pytest.main(["-q", "-p", "no:cacheprovider", "tests/calculators/test_golden.py"])

from tests.pyodide.answers import golden_answers
answers = golden_answers()
json.dumps({"pytest_exit_code": int(code), "answers": answers})
`);
} catch (error) {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(1);
}
writeFileSync(answersPath, outcome);
// exitCode, not exit(): let Node flush piped output before it ends.
process.exitCode = JSON.parse(outcome).pytest_exit_code;
