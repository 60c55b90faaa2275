// CMVIG Guide service worker: the whole site, kept in the browser after one visit, so the guide and
// its calculators work when the intranet does not. Hand-written; build_scripts/offline.py puts
// BUILD (a hash of every file of the build) and FILES (every file, relative to the site root)
// in front of it and writes the result to the site root, so its scope is the whole site.
//
// - install: fetch every file into the cache "cmvig:<site root>:<BUILD>"; a new build has a new
//   BUILD, so the browser installs it as a new worker with a new cache;
// - activate: delete this site's caches of older builds;
// - fetch: the runtime folders (assets/pyodide/, assets/wheels/, whose files only change with
//   the runtime's version) come from the cache first; everything else from the network first, so
//   a new build shows while online, and from the cache when the network fails.
// Only the files of the build are ever written to the cache, at install: never a response to a
// request the pages make later, so never a URL with a query string (a search result's "?h=" is
// answered from the copy of the page without it).

const SCOPE = new URL("./", self.location).href;
const CACHE_PREFIX = `cmvig:${SCOPE}:`;
const CACHE = CACHE_PREFIX + BUILD;
const CACHE_FIRST = ["assets/pyodide/", "assets/wheels/"].map((path) => new URL(path, SCOPE).href);
// Past this, a page comes from the cache: a network that does not answer at all is offline too.
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // "no-cache": revalidate with the server, never take a file of an older build from the
      // browser's HTTP cache.
      .then((cache) => cache.addAll(FILES.map((file) => new Request(new URL(file, SCOPE), { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
        .map((name) => caches.delete(name)),
    )),
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
  return (await cached(key)) ?? fetch(request);
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
