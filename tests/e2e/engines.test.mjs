// The volunteer's offline loop on the two other engines volunteers' phones
// run: WebKit (Safari's engine, as WebKitGTK) and Gecko (Firefox ESR),
// through WebDriver. Open online (leave the first page at once, then go
// back to it), the service worker takes control, record a door, the server
// goes away, reload: the app opens and the record is there.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "./harness.mjs";
import { startBrowser, until } from "./webdriver.mjs";

for (const engine of ["webkit", "firefox"]) {
  test(`${engine}: opened once online, the app records a door and reopens it with the server gone`, { timeout: 180_000 }, async (t) => {
    const server = await startServer();
    const browser = await startBrowser(engine);
    t.after(async () => {
      await browser.close();
      await server.stop();
    });
    await browser.goto(server.url + "/");
    await browser.waitFor(".building-link");
    // Left at once, while the first start still writes the campaign's doors
    // (WebKit kept that page and its transaction, and the next one waited
    // on it for ever): the floor opens all the same.
    await browser.goto(server.url + "/b/xfl-01/f/1");
    await browser.waitFor('.door-tile[data-door="xfl-01-1-101"]');
    // Back to the first page, which registered the service worker. WebKit
    // (2.50) installs a worker only once the page that registered it has
    // run the task settling its register() promise; a page left for its
    // back-forward cache just before that task runs holds the install
    // until it is shown again or dropped from that cache (every later
    // page's register() waits in the same queue). Half the runs left it
    // there. Shown again, it settles, and the worker is installed.
    await browser.run("history.back();");
    await until(() => workerActivatedOn(browser, "/"), 60_000, "the service worker to be activated").catch(withWorkerState(browser));
    // A page opened from now on is the worker's from its first request.
    await browser.goto(server.url + "/b/xfl-01/f/1");
    await until(() => browser.run("return navigator.serviceWorker.controller !== null;"), 30_000, "the service worker to take control").catch(
      withWorkerState(browser),
    );

    await browser.click('.door-tile[data-door="xfl-01-1-101"]');
    await browser.waitFor('#door-sheet[data-door="xfl-01-1-101"]');
    await browser.click('[data-outcome="not_home"]');
    await browser.click("#save-record");
    await browser.waitFor('.door-tile[data-door="xfl-01-1-101"][data-state="revisit"]');

    await server.stop();
    await browser.goto(server.url + "/b/xfl-01/f/1");
    await browser.waitFor('.door-tile[data-door="xfl-01-1-101"][data-state="revisit"]');
    const title = await browser.run("return document.querySelector('#floor-title').textContent;");
    assert.match(title, /Floor 1|1 ?[楼樓층]/);
  });
}

/** Whether the page is at `path` and its registration's worker activated. */
function workerActivatedOn(browser, path) {
  return browser.runAsync(
    `const done = arguments[arguments.length - 1];
     if (location.pathname !== arguments[0]) return done(false);
     navigator.serviceWorker.getRegistration().then((r) => done(r?.active?.state === "activated"), () => done(false));`,
    path,
  );
}

/** A catch handler that adds which worker there is, and in what state, to
 *  a wait's failure: that says where it stopped. */
function withWorkerState(browser) {
  return async (error) => {
    const workers = await browser
      .runAsync(
        `const done = arguments[arguments.length - 1];
         navigator.serviceWorker.getRegistration().then(
           (r) => done(r ? { installing: r.installing?.state, waiting: r.waiting?.state, active: r.active?.state } : "no registration"),
           (e) => done(String(e)));`,
      )
      .catch((e) => String(e));
    throw new Error(`${error.message}; the page's service worker: ${JSON.stringify(workers)}`);
  };
}
