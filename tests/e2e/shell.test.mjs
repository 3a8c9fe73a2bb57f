// The installable, offline app shell, served by the real server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchPhone, startServer, waitUntilOfflineReady, watchPage } from "./harness.mjs";

describe("app shell", () => {
  let server;
  let phone;

  before(async () => (server = await startServer()));
  after(async () => server?.stop());

  test("renders under a strict CSP with no violation", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (event) =>
        window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const problems = watchPage(page);
    const response = await page.goto(server.url + "/");
    const csp = response.headers()["content-security-policy"];
    assert.ok(csp, "the page carries a Content-Security-Policy header");
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
    await page.locator(".hero h1").waitFor();
    assert.equal(await page.locator(".topbar-brand").textContent(), "Walkbook");
    assert.ok((await page.locator(".hero h1").textContent()).length > 0, "the campaign's name is shown");
    await page.locator("a.topbar-action").click();
    await page.locator("#app-version").waitFor();
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(problems, []);
  });

  test("the split screens are precached, the door sheet's made ready by the floor, and they and the handover say so when they cannot be fetched", async (t) => {
    // Offline after the first visit, with no reload: the door sheet's module
    // was fetched once the floor was drawn, so it opens.
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    const problems = watchPage(page);
    const fetched = [];
    context.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(server.url + "/b/xfl-01/f/1");
    await page.locator(".door-tile").first().waitFor();
    await waitUntilOfflineReady(page);
    const doorModule = /^\/split_door_screen-[0-9a-f]{16}\.wasm$/;
    await page.waitForFunction(
      () => performance.getEntriesByType("resource").some((entry) => /\/split_door_screen-[0-9a-f]{16}\.wasm$/.test(entry.name)),
      null,
      { timeout: 30_000 },
    );
    const precached = await page.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    assert.ok(precached.some((pathname) => doorModule.test(pathname)), `the door screen's module is precached: ${precached}`);
    await context.setOffline(true);
    await page.locator(".door-tile").first().click();
    await page.locator("#door-sheet").waitFor();
    await context.setOffline(false);
    assert.ok(fetched.some((pathname) => doorModule.test(pathname)));
    assert.deepEqual(problems, []);

    // A browser without the service worker whose split modules never arrive:
    // the screen says so, and the rest of the app goes on.
    const cut = await launchPhone({ serviceWorkers: "block" });
    t.after(() => cut.close());
    await cut.context.route(/\/(split_|chunk_)[\w-]+\.wasm$/, (route) => route.abort("internetdisconnected"));
    await cut.page.goto(server.url + "/");
    await cut.page.locator(".hero h1").waitFor();
    await cut.page.locator("a.topbar-action").click();
    const notLoaded = cut.page.locator("#screen-not-loaded");
    await notLoaded.waitFor();
    assert.match(await notLoaded.textContent(), /not on this phone yet/);
    await cut.page.locator("main a.button", { hasText: "Home" }).click();
    await cut.page.locator(".hero h1").waitFor();
    // The handover's work is a split point's module too: its buttons say so.
    await cut.page.locator("#import-handover").setInputFiles({ name: "package.json", mimeType: "application/json", buffer: Buffer.from("{}") });
    const partNotLoaded = cut.page.locator("#handover-not-loaded");
    await partNotLoaded.waitFor();
    assert.match(await partNotLoaded.textContent(), /not on this phone yet/);
    assert.equal(await cut.page.locator("#handover-result").count(), 0, "nothing was checked");
  });

  test("a first visit installs the service worker after its campaign is shown, and downloads the app's wasm once", async (t) => {
    // Over slow mobile data the worker's install (the whole build) would
    // share the line with the campaign the first screen waits for; and the
    // wasm the page has just downloaded is revalidated for the precache,
    // not downloaded again.
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    const events = [];
    const wasmFetches = [];
    let bothFetched;
    const bothWasmFetches = new Promise((resolve) => (bothFetched = resolve));
    const appWasm = /^\/walkbook-app-[0-9a-f]+_bg\.wasm$/;
    const requested = (request) => ({ path: new URL(request.url()).pathname, byWorker: request.serviceWorker() !== null });
    context.on("request", (request) => events.push({ kind: "request", ...requested(request) }));
    context.on("response", (response) => events.push({ kind: "response", ...requested(response.request()) }));
    context.on("requestfinished", (request) => {
      const { path, byWorker } = requested(request);
      if (!appWasm.test(path)) return;
      // The body's bytes on the wire: none when the server answered 304.
      wasmFetches.push(request.sizes().then(({ responseBodySize }) => `${byWorker ? "worker" : "page"} ${responseBodySize > 0 ? "downloaded" : "revalidated"}`));
      if (wasmFetches.length === 2) bothFetched();
    });
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    // The worker's install ended before it took control; its events may come
    // a little later. Once its wasm fetch is in, its earlier requests are too.
    let timer;
    const tooLong = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for the app's wasm to be fetched twice (${wasmFetches.length} seen)`)), 30_000);
    });
    await Promise.race([bothWasmFetches, tooLong]).finally(() => clearTimeout(timer));
    const campaignAnswered = events.findIndex((e) => e.kind === "response" && e.path === "/api/v1/demo/campaign");
    const workerFirstAsked = events.findIndex((e) => e.kind === "request" && e.byWorker);
    assert.ok(campaignAnswered >= 0, "the campaign was fetched");
    assert.ok(workerFirstAsked > campaignAnswered, `the worker asked for nothing before the campaign came: ${JSON.stringify(events.slice(0, workerFirstAsked + 1))}`);
    assert.deepEqual(await Promise.all(wasmFetches), ["page downloaded", "worker revalidated"]);
  });

  test("has no installability errors and asks for persistent storage", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await page.locator('#offline-status[data-state="ready"]').waitFor();
    await page.locator("a.topbar-action").click();
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    const manifest = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifest.errors, []);
    await page.waitForFunction(
      () => document.querySelector("#storage-persistence")?.dataset.state !== "unknown",
    );
    assert.match(await page.locator("#storage-persistence").getAttribute("data-state"), /^(granted|notgranted)$/);
  });

  test("a client route survives a reload", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const response = await phone.page.goto(server.url + "/about");
    assert.equal(response.status(), 200);
    await phone.page.locator("#app-version").waitFor();
  });

  test("the demo shipped with the app as data opens when the server's copy does not answer", async (t) => {
    phone = await launchPhone({ locale: "en-US" });
    t.after(() => phone.close());
    const { context, page } = phone;
    const problems = watchPage(page);
    const asked = [];
    context.on("request", (request) => asked.push(new URL(request.url()).pathname));
    await context.route("**/api/v1/demo/campaign", (route) => route.abort());
    await page.goto(server.url + "/");
    await page.locator(".hero h1").filter({ hasText: /\S/ }).waitFor();
    assert.ok(asked.includes("/api/v1/demo/campaign"), "the server's copy was asked for first");
    assert.ok(asked.includes("/demo-campaign.json"), "then the shipped copy");
    // The demo's 14 buildings, from the shipped file.
    await page.locator(".building-link").nth(13).waitFor();
    assert.equal(await page.locator(".building-link").count(), 14);
    // The aborted request is the browser's own console error; nothing else is.
    assert.deepEqual(problems.filter((problem) => !problem.includes("net::ERR_FAILED")), []);
  });

  test("a first start asks for the demo campaign while the app's wasm downloads, and a later start does not ask", async (t) => {
    phone = await launchPhone({ locale: "en-US" });
    t.after(() => phone.close());
    const { context, page } = phone;
    const problems = watchPage(page);
    const campaignRequests = [];
    let campaignAsked;
    const campaignAskedOnce = new Promise((resolve) => (campaignAsked = resolve));
    context.on("request", (request) => {
      if (new URL(request.url()).pathname !== "/api/v1/demo/campaign") return;
      campaignRequests.push(request.serviceWorker() ? "worker" : "page");
      campaignAsked();
    });
    // The app's wasm is held back until the campaign has been asked for: an
    // app that asked only once its wasm ran would never get it.
    let timer;
    let wasmReleased;
    await context.route(/\/walkbook-app-[0-9a-f]+_bg\.wasm$/, async (route) => {
      const heldTooLong = new Promise((resolve) => (timer = setTimeout(() => resolve("after 15 s, the campaign not asked for"), 15_000)));
      wasmReleased = await Promise.race([campaignAskedOnce.then(() => "once the campaign was asked for"), heldTooLong]);
      clearTimeout(timer);
      await route.continue();
    });
    await page.goto(server.url + "/");
    await page.locator(".building-link").nth(13).waitFor();
    assert.equal(wasmReleased, "once the campaign was asked for", "the campaign's request did not wait for the app's wasm");
    assert.deepEqual(campaignRequests, ["page"], "the campaign was asked for once, by the page");
    await context.unrouteAll({ behavior: "wait" });
    // Stored (a reload while its doors are written ends the write, and the
    // next start asks again): a read of the campaign waits for that write.
    const stored = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("walkbook");
          open.onerror = () => resolve(false);
          open.onsuccess = () => {
            const db = open.result;
            const read = db.transaction("campaigns").objectStore("campaigns").get("demo-xingfu");
            read.onerror = () => (db.close(), resolve(false));
            read.onsuccess = () => (db.close(), resolve(read.result !== undefined));
          };
        }),
    );
    assert.ok(stored, "the first start stored the campaign");
    await page.reload();
    await page.locator(".building-link").nth(13).waitFor();
    assert.equal(await page.locator(".building-link").count(), 14);
    assert.deepEqual(campaignRequests, ["page"], "a later start reads the campaign stored on the phone");
    assert.deepEqual(problems, []);
  });

  test("after one online visit, the shell reloads with the server down and the browser offline", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await server.stop();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator(".hero h1").waitFor({ timeout: 15_000 });
      await page.goto(server.url + "/about");
      await page.locator("#app-version").waitFor({ timeout: 15_000 });
    } finally {
      server = await startServer({ port: server.port, dbPath: server.dbPath });
    }
  });
});
