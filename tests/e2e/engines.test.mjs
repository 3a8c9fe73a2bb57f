// The volunteer's offline loop on the two other engines volunteers' phones
// run: WebKit (Safari's engine, as WebKitGTK) and Gecko (Firefox ESR),
// through WebDriver. Open online (and leave the first page at once), the
// service worker takes control, record a door, the server goes away, reload:
// the app opens and the record is there.
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
    await until(() => browser.run("return navigator.serviceWorker.controller !== null;"), 60_000, "the service worker to take control");

    await browser.goto(server.url + "/b/xfl-01/f/1");
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
