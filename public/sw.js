// Walkbook's service worker: serves the app shell from its cache so that every
// volunteer screen opens with the network off.
//
// scripts/generate-service-worker.sh replaces the two placeholders below at build
// time with this build's id and exact file list; a new build therefore has new
// bytes here, the browser installs it beside the old one, and the page offers
// "a new version is ready". API requests never go through the cache.
const BUILD = "__WALKBOOK_BUILD__";
const PRECACHE = __WALKBOOK_PRECACHE__;
const CACHE_PREFIX = "walkbook-shell-";
const CACHE = CACHE_PREFIX + BUILD;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // "no-cache" asks the server whether the browser's copy is still this
      // build's (ETag): the precache is exactly this build's bytes, and the
      // files the page has just loaded (the app's wasm) are not downloaded a
      // second time.
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

// The page asks to skip waiting when the volunteer taps "Reload" on the
// update banner, and to be claimed when it loaded while this worker was
// activating and missed the claim in "activate".
self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  if (type === "CLAIM") event.waitUntil(self.clients.claim());
});

// Background Sync, where the browser has it: when connectivity returns the
// browser wakes this worker, which asks the open app to sync its outbox (the
// outbox and the sync client live in the app; with no app open this does
// nothing, and the app syncs when next opened).
self.addEventListener("sync", (event) => {
  if (event.tag !== "walkbook-outbox") return;
  event.waitUntil(
    self.clients
      .matchAll({ type: "window" })
      .then((clients) => clients.forEach((client) => client.postMessage({ type: "SYNC_OUTBOX" })))
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  // The coordinator console is another app, online only: never from this cache.
  if (url.pathname === "/coordinator" || url.pathname.startsWith("/coordinator/")) return;
  if (request.mode === "navigate") {
    // Every client route is the same shell.
    event.respondWith(fromCacheElseNetwork(new Request("/index.html")));
    return;
  }
  event.respondWith(fromCacheElseNetwork(request));
});

async function fromCacheElseNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  return cached || fetch(request);
}
