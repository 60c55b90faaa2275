// CMVIG Guide service worker: the site kept in the browser after one visit, so the guide and its
// calculators work when the intranet does not. Hand-written; build_scripts/offline.py puts BUILD
// (a hash of every file of the build), FILES (every file, relative to the site root) and
// RUNTIME_FOLDERS (the Python runtime's folders) in front of it and writes the result to the site
// root, so its scope is the whole site.
//
// - install: fetch every page, stylesheet, script and image into the cache
//   "cmvig:<site root>:<BUILD>" (a new build has a new BUILD, so the browser installs it as a new
//   worker with a new cache). One file at a time, not cache.addAll: a server that refuses one file
//   must not cost the reader the whole copy. The worker installs with every file it got; the
//   files it did not get are named on the self-test page (which compares the cache with
//   offline-manifest.json) and come from the network while online. Only if no file at all
//   could be fetched does the install fail (the browser tries again on the next visit). The Python runtime (assets/pyodide/, assets/wheels/: ~15 MB) is NOT
//   downloaded at install: reading a guidance page must not fetch it. It is kept once a
//   calculator page has loaded it anyway ("keep-runtime", sent by offline.js when the
//   calculators are ready: from the browser's HTTP cache where it is, else fetched once more),
//   or stored as it passes through this worker;
// - activate: delete this site's caches of older builds, and control open pages at once;
// - fetch: the runtime folders (whose files only change with the runtime's version) come from the
//   cache first; everything else from the network first, so a new build shows while online, and
//   from the cache when the network fails.
// Only files of the build are ever written to the cache: never another URL, so never a URL with
// a query string (a search result's "?h=" is answered from the copy of the page without it).

const SCOPE = new URL("./", self.location).href;
const CACHE_PREFIX = `cmvig:${SCOPE}:`;
const CACHE = CACHE_PREFIX + BUILD;
const isRuntime = (file) => RUNTIME_FOLDERS.some((folder) => file.startsWith(folder));
const CACHE_FIRST = RUNTIME_FOLDERS.map((path) => new URL(path, SCOPE).href);
const RUNTIME_URLS = new Set(FILES.filter(isRuntime).map((file) => new URL(file, SCOPE).href));
// Past this, a page comes from the cache: a network that does not answer at all is offline too.
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    keepPages()
      .then(() => keepRuntime(false))
      .then(() => self.skipWaiting()),
  );
});

/** Put every file of the build but the runtime into the cache; throws only if none came. */
async function keepPages() {
  const cache = await caches.open(CACHE);
  const files = FILES.filter((file) => !isRuntime(file));
  const kept = await Promise.all(files.map(async (file) => {
    const url = new URL(file, SCOPE);
    try {
      // "no-cache": revalidate with the server, never take a file of an older build from the
      // browser's HTTP cache.
      const response = await fetch(new Request(url, { cache: "no-cache" }));
      if (!response.ok) return false;
      await cache.put(url, response);
      return true;
    } catch {
      return false;
    }
  }));
  if (files.length && !kept.some(Boolean)) throw new Error("no file of this build could be fetched");
}

/**
 * Put the runtime files into the cache. At install, only those the browser already holds (a
 * guidance page must not download ~15 MB); once a calculator page has loaded the runtime
 * (`download`), also those the browser did not keep (its HTTP cache may hold no 10 MB file).
 */
async function keepRuntime(download = false) {
  const cache = await caches.open(CACHE);
  await Promise.all([...RUNTIME_URLS].map(async (url) => {
    if (await cache.match(url)) return;
    try {
      let response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" })
        .catch(() => null);
      if (!response?.ok && download) response = await fetch(url);
      if (response?.ok) await cache.put(url, response);
    } catch {
      // Offline or refused: the next calculator page stores it as it passes.
    }
  }));
}

self.addEventListener("message", (event) => {
  if (event.data === "keep-runtime") event.waitUntil(keepRuntime(true));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
        .map((name) => caches.delete(name)),
    )).then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Anything else goes to the network untouched: other methods, other sites, and requests that
  // ask for a fresh answer (the self-test page's header checks).
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  if (request.cache === "no-store" || request.cache === "reload") return;
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  // A directory URL (prophylaxis/) is its index.html in the cache.
  const key = url.pathname.endsWith("/") ? `${url.href}index.html` : url.href;
  const cacheFirst = CACHE_FIRST.some((prefix) => key.startsWith(prefix));
  event.respondWith(cacheFirst ? fromCacheFirst(request, key) : fromNetworkFirst(request, key));
});

async function cached(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key);
}

async function fromCacheFirst(request, key) {
  const copy = await cached(key);
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok && RUNTIME_URLS.has(key)) {
    const cache = await caches.open(CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

async function fromNetworkFirst(request, key) {
  const copy = await cached(key);
  if (!copy) return fetch(request);
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, copy)));
  const network = fetch(request).then(
    (response) => (response.ok || response.type === "opaqueredirect" ? response : copy),
    () => copy,
  );
  try {
    return await Promise.race([network, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
