// CMVIG Guide self-test page (self-test/): checks, in the reader's own browser, what the
// calculators and the offline copy need from the browser and from the web server, and writes a
// plain-text report an administrator can copy. Hand-written, not generated. Loaded once per tab as
// a module (mkdocs.yml extra_javascript); binds to [data-self-test] on every instant-navigation
// page swap through mkdocs-material's document$, and does nothing on other pages.
//
// Each check resolves to {status: "pass" | "warning" | "fail", found, todo}.

import { offline } from "./offline.js";
// What the site's server should send (README, "Serving it elsewhere"): the one policy of
// build_scripts/hosting/security.py, which the build writes into assets/security.mjs.
import { CONTENT_SECURITY_POLICY as RECOMMENDED_CSP } from "../assets/security.mjs";
const SITE_ROOT = new URL("../", import.meta.url);
const MANIFEST_URL = new URL("offline-manifest.json", SITE_ROOT);
const DEFAULT_WASM = "assets/pyodide/pyodide.asm.wasm";
const WORKER_TIMEOUT_MS = 10_000;
const OFFLINE_COPY_WAIT_MS = 30_000;
const DAY_S = 86_400;

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const ADD_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type: (i32, i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export "add" = function 0
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // body: a + b
]);

const pass = (found, todo = "Nothing.") => ({ status: "pass", found, todo });
const warning = (found, todo) => ({ status: "warning", found, todo });
const fail = (found, todo) => ({ status: "fail", found, todo });
const withTimeout = (promise, ms, message) => Promise.race([
  promise,
  new Promise((resolve, reject) => setTimeout(() => reject(new Error(message)), ms)),
]);

// ---- what the checks read -----------------------------------------------------------------

/** The build's file list and id (offline-manifest.json, written by build_scripts/offline.py). */
let manifest = null;
function siteManifest() {
  manifest ??= fetch(MANIFEST_URL, { cache: "no-store" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return manifest;
}

/** The runtime's WebAssembly file, wherever this build keeps it. */
async function wasmUrl() {
  const files = (await siteManifest())?.files ?? [];
  const found = files.find((file) => file.startsWith("assets/pyodide/") && file.endsWith(".wasm"));
  return new URL(found ?? DEFAULT_WASM, SITE_ROOT);
}

/** Status, headers and first bytes of `url`, fresh from the server (past every cache). */
async function probe(url) {
  const response = await fetch(url, { cache: "no-store" });
  // Read to the end: a download cut short leaves a reset connection in the server's log.
  const head = new Uint8Array(await response.arrayBuffer()).subarray(0, 4);
  return { status: response.status, headers: response.headers, head };
}

/** Resolves once a service worker of `registration` is active; rejects ("failed") if it failed
 * to install (the browser drops a worker whose files could not all be fetched). */
function installed(registration) {
  return new Promise((resolve, reject) => {
    navigator.serviceWorker.ready.then(resolve);
    const worker = registration.installing ?? registration.waiting;
    const check = () => {
      if (!registration.active && (worker?.state ?? "redundant") === "redundant") reject(new Error("failed"));
    };
    worker?.addEventListener("statechange", check);
    check();
  });
}

let pageProbe = null;
let wasmProbe = null;

/** A Cache-Control header as {directive: value}, names in lower case. */
function cacheControl(header) {
  const directives = {};
  for (const part of (header ?? "").split(",")) {
    const [name, value = ""] = part.trim().split("=");
    if (name) directives[name.toLowerCase()] = value.replace(/"/g, "");
  }
  return directives;
}

/** A Content-Security-Policy as Map(directive -> sorted sources), all in lower case. */
function parsePolicy(policy) {
  const directives = new Map();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().toLowerCase().split(/\s+/);
    if (name && !directives.has(name)) directives.set(name, sources.sort());
  }
  return directives;
}

/** A directive of the recommended policy with its sources, as the policy writes it. */
const recommended = (name) => `${name} ${parsePolicy(RECOMMENDED_CSP).get(name).join(" ")}`;

/** The sources that govern `directive`, following CSP's fallbacks. */
function effective(directives, ...names) {
  for (const name of [...names, "default-src"]) if (directives.has(name)) return directives.get(name);
  return null;
}

// ---- the checks -----------------------------------------------------------------------------

const CHECKS = [
  {
    name: "Opened from a web server",
    run() {
      if (location.protocol === "file:") {
        return fail("The page was opened as a file (file://).",
          "Open the site through its web address (http:// or https://). Browsers do not run the calculators from files.");
      }
      return pass(`Served over ${location.protocol.replace(":", "")} from ${location.host}.`);
    },
  },
  {
    name: "WebAssembly runs on the page",
    async run() {
      if (typeof WebAssembly !== "object") {
        return fail("This browser has no WebAssembly.", "Use a current version of Edge, Chrome or Firefox.");
      }
      try {
        const { instance } = await WebAssembly.instantiate(ADD_WASM);
        const sum = instance.exports.add(2, 3);
        return sum === 5 ? pass("A small WebAssembly module compiled and computed 2 + 3 = 5.")
          : fail(`A small WebAssembly module computed 2 + 3 = ${sum}.`, "Use a current browser.");
      } catch (error) {
        return fail(`WebAssembly was refused: ${error.message}`,
          "Allow WebAssembly: the Content-Security-Policy's script-src needs 'wasm-unsafe-eval', and no browser policy may switch WebAssembly off.");
      }
    },
  },
  {
    name: "Module Web Worker with WebAssembly",
    async run() {
      if (typeof Worker !== "function") {
        return fail("This browser has no Web Workers.", "Use a current version of Edge, Chrome or Firefox.");
      }
      let worker;
      try {
        worker = new Worker(new URL("self-test-worker.js", import.meta.url), { type: "module" });
        const reply = await withTimeout(new Promise((resolve, reject) => {
          worker.addEventListener("message", ({ data }) => resolve(data));
          worker.addEventListener("error", (event) => {
            event.preventDefault();
            reject(new Error("the worker script could not be loaded or run as a module"));
          });
          worker.postMessage({ wasm: ADD_WASM.buffer.slice(0) });
        }), WORKER_TIMEOUT_MS, `no answer within ${WORKER_TIMEOUT_MS / 1000} seconds`);
        if (!reply.ok) {
          return fail(`A module worker started, but WebAssembly failed in it: ${reply.message}`,
            "Allow WebAssembly in workers: the policy sent with JavaScript files needs 'wasm-unsafe-eval' in script-src.");
        }
        return pass("A module worker started from this site and computed 2 + 3 = 5 with WebAssembly.");
      } catch (error) {
        return fail(`A module worker did not run: ${error.message}.`,
          `Serve .js files as text/javascript and allow workers from the site itself (${recommended("worker-src")}); use a current browser.`);
      } finally {
        worker?.terminate();
      }
    },
  },
  {
    name: "WebAssembly file served correctly",
    async run() {
      const url = await wasmUrl();
      const where = url.pathname;
      try {
        wasmProbe = probe(url);
        const { status, headers, head } = await wasmProbe;
        if (status !== 200) {
          return fail(`${where} answered HTTP ${status}.`, "Copy the whole built site to the server, including assets/.");
        }
        const type = (headers.get("content-type") ?? "(none)").split(";")[0].trim().toLowerCase();
        const magic = String.fromCharCode(...head) === "\0asm";
        if (type !== "application/wasm") {
          return fail(`${where} is served as ${type}.`,
            "Serve .wasm files with Content-Type: application/wasm (for example in nginx: types { application/wasm wasm; }). With another type the calculators never start.");
        }
        if (!magic) {
          return fail(`${where} is served as application/wasm but does not start with \\0asm.`,
            "The file is damaged or replaced (a proxy error page?). Copy the built site to the server again.");
        }
        return pass(`${where}: application/wasm, starts with \\0asm.`);
      } catch (error) {
        return fail(`${where} could not be fetched: ${error.message}.`, "Check that the server is reachable and serves assets/.");
      }
    },
  },
  {
    name: "Content-Security-Policy",
    async run() {
      try {
        pageProbe ??= probe(location.href);
        const { headers } = await pageProbe;
        const sent = headers.get("content-security-policy");
        if (!sent) {
          return warning("The server sends no Content-Security-Policy header.",
            `Send this header with every file: Content-Security-Policy: ${RECOMMENDED_CSP}`);
        }
        const policy = parsePolicy(sent);
        const scripts = effective(policy, "script-src") ?? [];
        const workers = effective(policy, "worker-src", "child-src", "script-src") ?? [];
        if (effective(policy, "script-src") && !scripts.some((s) => s === "'wasm-unsafe-eval'" || s === "'unsafe-eval'")) {
          return fail(`Sent: ${sent}. It forbids WebAssembly, so the calculators cannot start.`,
            `Add 'wasm-unsafe-eval' to script-src; recommended: ${RECOMMENDED_CSP}`);
        }
        if (effective(policy, "worker-src", "child-src", "script-src") && !workers.includes("'self'")) {
          return fail(`Sent: ${sent}. It forbids workers from this site, so the calculators cannot start.`,
            `Allow ${recommended("worker-src")}; recommended: ${RECOMMENDED_CSP}`);
        }
        const differences = [...parsePolicy(RECOMMENDED_CSP)]
          .filter(([name, sources]) => (policy.get(name) ?? []).join(" ") !== sources.join(" "))
          .map(([name]) => name);
        if (differences.length) {
          return warning(`Sent: ${sent}. It differs from the recommended policy in ${differences.join(", ")}.`,
            `The calculators can run with it; the recommended policy is stricter where it matters: ${RECOMMENDED_CSP}`);
        }
        return pass(`Sent: ${sent}`);
      } catch (error) {
        return fail(`This page could not be fetched again: ${error.message}.`, "Check that the server is reachable.");
      }
    },
  },
  {
    name: "Caching of pages",
    async run() {
      try {
        pageProbe ??= probe(location.href);
        const sent = (await pageProbe).headers.get("cache-control");
        const directives = cacheControl(sent);
        const maxAge = Number(directives["max-age"] ?? NaN);
        if ("no-cache" in directives || "no-store" in directives || maxAge === 0) {
          return pass(`Cache-Control: ${sent} (an updated page shows at once).`);
        }
        return warning(sent ? `Cache-Control: ${sent}.` : "The server sends no Cache-Control header for pages.",
          "Send Cache-Control: no-cache for pages (HTML), so browsers check for an updated guide on every visit instead of guessing how long to keep the old one.");
      } catch (error) {
        return fail(`This page could not be fetched again: ${error.message}.`, "Check that the server is reachable.");
      }
    },
  },
  {
    name: "Caching of the runtime",
    async run() {
      const url = await wasmUrl();
      try {
        wasmProbe ??= probe(url);
        const sent = (await wasmProbe).headers.get("cache-control");
        const directives = cacheControl(sent);
        const long = "immutable" in directives || Number(directives["max-age"] ?? 0) >= DAY_S;
        // assets/pyodide/<version>/..., assets/wheels/<hash>/...: a new runtime gets a new URL.
        const versioned = /\/assets\/(pyodide|wheels)\/[^/]+\//.test(url.pathname);
        const found = sent ? `Cache-Control: ${sent} for ${url.pathname}.` : `No Cache-Control header for ${url.pathname}.`;
        if (versioned && long) return pass(`${found} Its folder changes with each runtime version, so this is safe.`);
        if (versioned) {
          return warning(found, "Send Cache-Control: public, max-age=31536000, immutable for assets/pyodide/ and assets/wheels/: their folder names change with every version, and the 10 MB runtime then downloads once.");
        }
        if (long) {
          return warning(`${found} Its URL does not change between versions, so browsers may keep an old runtime after an update.`,
            "Cache unversioned files with Cache-Control: no-cache.");
        }
        return sent && ("no-cache" in directives || "no-store" in directives)
          ? pass(found)
          : warning(found, "Send Cache-Control: no-cache for the runtime's files, or build a version with versioned runtime folders.");
      } catch (error) {
        return fail(`${url.pathname} could not be fetched: ${error.message}.`, "Check that the server is reachable.");
      }
    },
  },
  {
    name: "Offline copy (service worker)",
    async run() {
      const { registration, reason } = await offline;
      if (!registration) {
        return warning(`No offline copy: ${reason}.`,
          "Serve the site over HTTPS so browsers can keep it for use without the network. Everything else works without it.");
      }
      try {
        await withTimeout(installed(registration), OFFLINE_COPY_WAIT_MS, "still being installed");
      } catch (error) {
        return error.message === "failed"
          ? warning("The browser could not install the offline copy: no file of this build could be fetched.",
            "Check that the server is reachable and serves the site's files, then reload this page.")
          : warning("The offline copy is still downloading.", "Wait a minute and run the checks again.");
      }
      const build = (await siteManifest())?.build;
      const expected = (await siteManifest())?.files.length;
      const names = (await caches.keys()).filter((name) => name.startsWith(`cmvig:${SITE_ROOT.href}:`));
      const current = names.find((name) => name.endsWith(`:${build}`));
      if (!current) {
        return warning(`The offline copy holds another build (${names.join(", ") || "none"}); this is build ${build}.`,
          "Reload the page once while online; the browser installs the new build by itself.");
      }
      // The Python runtime is kept only once a calculator page has loaded it (service-worker.js).
      const manifest = await siteManifest();
      const isRuntime = (file) => (manifest?.runtime_folders ?? []).some((folder) => file.startsWith(folder));
      const files = manifest?.files ?? [];
      const keys = new Set((await (await caches.open(current)).keys()).map((r) => r.url));
      const missing = files.filter((file) => !isRuntime(file) && !keys.has(new URL(file, SITE_ROOT).href));
      const runtime = files.filter(isRuntime);
      const runtimeKept = runtime.filter((file) => keys.has(new URL(file, SITE_ROOT).href)).length;
      const controlled = navigator.serviceWorker.controller ? "this page came through it" : "pages opened from now on come through it";
      if (missing.length) {
        const named = missing.slice(0, 10).join(", ") + (missing.length > 10 ? `, and ${missing.length - 10} more` : "");
        return warning(`The offline copy of build ${build} is installed without ${missing.length} of ${expected} files, which the server did not give: ${named}.`,
          "Check that the server serves these files (its log shows the refused requests); everything else works offline.");
      }
      const calculators = runtimeKept === runtime.length
        ? "the calculators' runtime too"
        : "the calculators' runtime is kept once a calculator page has been opened";
      return pass(`Installed: the pages of build ${build} are kept in this browser (${calculators}); ${controlled}.`);
    },
  },
  {
    name: "Browser",
    run() {
      const features = {
        "WebAssembly streaming": typeof WebAssembly?.instantiateStreaming === "function",
        "BigInt64Array": typeof BigInt64Array === "function",
        "module scripts": "noModule" in HTMLScriptElement.prototype,
      };
      const missing = Object.keys(features).filter((name) => !features[name]);
      return missing.length
        ? fail(`${navigator.userAgent}; missing: ${missing.join(", ")}.`, "Use a current version of Edge, Chrome or Firefox.")
        : pass(navigator.userAgent);
    },
  },
];

// ---- the page -------------------------------------------------------------------------------

const LABEL = { pass: "Pass", warning: "Warning", fail: "Fail" };

function cell(tag, ...children) {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}

function siteVersion() {
  const stamp = document.querySelector("[data-content-version]");
  if (!stamp) return null;
  return `content version ${stamp.dataset.contentVersion}, calculator core ${stamp.dataset.coreVersion}`;
}

const summary = (passed, warned, failed) =>
  `${passed} passed, ${warned} ${warned === 1 ? "warning" : "warnings"}, ${failed} failed.`;

function report(results, startedAt, build) {
  const lines = [
    "CMVIG Guide self-test",
    `Time: ${startedAt.toISOString()} (local: ${startedAt.toLocaleString()})`,
    `Page: ${location.href}`,
  ];
  const version = siteVersion();
  if (version) lines.push(`Site: ${version}${build ? `, build ${build}` : ""}`);
  lines.push(`Browser: ${navigator.userAgent}`, "");
  for (const { name, status, found, todo } of results) {
    lines.push(`[${LABEL[status].toUpperCase()}] ${name}: ${found}`);
    if (status !== "pass") lines.push(`    What to do: ${todo}`);
  }
  const count = (status) => results.filter((r) => r.status === status).length;
  lines.push("", summary(count("pass"), count("warning"), count("fail")));
  return lines.join("\n");
}

async function runChecks(root) {
  const button = root.querySelector("[data-self-test-run]");
  const body = root.querySelector("[data-self-test-results] tbody");
  const text = root.querySelector("[data-self-test-report]");
  const status = root.querySelector("[data-self-test-status]");
  const copy = root.querySelector("[data-self-test-copy]");
  button.disabled = true;
  copy.disabled = true;
  status.textContent = "Running the checks…";
  root.dataset.state = "running";
  pageProbe = null;
  wasmProbe = null;
  manifest = null;
  const startedAt = new Date();
  const results = [];
  body.replaceChildren();
  for (const check of CHECKS) {
    let outcome;
    try {
      outcome = await check.run();
    } catch (error) {
      outcome = fail(`The check itself failed: ${error?.message ?? error}.`, "Send this report to the site's maintainers.");
    }
    const result = { name: check.name, ...outcome };
    results.push(result);
    const row = cell("tr", cell("th", check.name),
      cell("td", cell("strong", LABEL[result.status]), " ", result.found), cell("td", result.todo));
    row.firstChild.scope = "row";
    row.dataset.check = check.name;
    row.dataset.status = result.status;
    row.children[1].className = `cmvig-check-${result.status}`;
    body.append(row);
  }
  text.value = report(results, startedAt, (await siteManifest())?.build);
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warning").length;
  status.textContent = failed || warned
    ? `Done: ${summary(results.length - failed - warned, warned, failed)} The report below lists what to do.`
    : "Done: every check passed.";
  root.dataset.state = "done";
  button.disabled = false;
  copy.disabled = false;
}

async function copyReport(root) {
  const text = root.querySelector("[data-self-test-report]");
  const status = root.querySelector("[data-self-test-copy-status]");
  try {
    await navigator.clipboard.writeText(text.value);
    status.textContent = "Report copied.";
  } catch {
    // No clipboard access (plain http, or refused): select it for Ctrl+C instead.
    text.focus();
    text.select();
    status.textContent = "Report selected: press Ctrl+C (or Cmd+C) to copy it.";
  }
}

const bound = new WeakSet();

function bindPage() {
  // The whole-guide print page holds a copy of this page's block too; that one stays idle.
  const root = [...document.querySelectorAll("[data-self-test]")].find((r) => !r.closest("#print-site-page"));
  if (!root || bound.has(root)) return;
  bound.add(root);
  root.querySelector("[data-self-test-run]").addEventListener("click", () => runChecks(root));
  root.querySelector("[data-self-test-copy]").addEventListener("click", () => copyReport(root));
  root.querySelector("[data-self-test-run]").disabled = false;
  root.querySelector("[data-self-test-status]").textContent = "Ready: press “Run the checks”.";
  root.dataset.state = "ready";
}

if (typeof document$ !== "undefined") document$.subscribe(bindPage);
else bindPage();
