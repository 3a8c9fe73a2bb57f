// Installing to the Home Screen: the calm offer on Chromium after the first
// save, the guide on iPhone Safari, the warning when the browser may delete
// records, and what the coordinator is told. Headless Chromium cannot be
// installed, has no iPhone and decides storage persistence itself, so the
// browser's side is emulated where the test says so: the install prompt
// event, the standalone display mode, Safari's user agent, the answer of
// navigator.storage.persisted().
import assert from "node:assert/strict";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, launchPhone, openDemoConsole, recordDoor, serverDeskAndPhone, startServer, waitUntilOfflineReady } from "./harness.mjs";

const IPHONE_SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";

/** The browser runs the app as an installed one (display-mode: standalone; iOS's navigator.standalone). */
const standalone = () => {
  const matchMedia = window.matchMedia.bind(window);
  window.matchMedia = (query) => (query.includes("display-mode: standalone") ? { matches: true, media: query, addEventListener() {}, removeEventListener() {} } : matchMedia(query));
  Object.defineProperty(navigator, "standalone", { value: true });
};
/** The browser has not granted persistent storage (as Safari in a tab, or Chromium before engagement). */
const notPersisted = () => {
  navigator.storage.persist = () => Promise.resolve(false);
  navigator.storage.persisted = () => Promise.resolve(false);
};
/** Only the test offers the install prompt: headless Chromium fires real ones when it likes, which are
 *  stopped before the app sees them (on Safari there are none at all). */
const noBrowserPrompt = () =>
  window.addEventListener("beforeinstallprompt", (event) => event.isTrusted && event.stopImmediatePropagation(), true);
/** Chromium offers its install prompt (it does once the site is installable and used). */
const offerInstallPrompt = (page) =>
  page.evaluate(() => {
    const event = new Event("beforeinstallprompt", { cancelable: true });
    event.prompt = () => {
      window.promptShown = true;
      return Promise.resolve();
    };
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

test("Chromium: the install offer waits for the first save, prompts, and is gone once installed", async (t) => {
  const server = await startServer();
  const phone = await launchPhone({ locale: "en-US" });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  const { page, context } = phone;
  await context.addInitScript(noBrowserPrompt);
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator(".door-tile").first().waitFor();
  assert.equal(await offerInstallPrompt(page), true, "the app keeps the browser's own mini-bar away");
  assert.equal(await page.locator("#install-offer").count(), 0, "nothing is offered before a record is saved");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await page.locator("#install-offer").waitFor();
  await page.locator("#install-later").click();
  await page.locator("#install-offer").waitFor({ state: "detached" });
  await page.goto(server.url + "/about");
  await page.locator("#app-version").waitFor();
  await offerInstallPrompt(page);
  await page.locator("#install-app-now").click();
  assert.equal(await page.evaluate(() => window.promptShown), true, "the browser's prompt was shown");

  // Running installed: nothing is offered, About says so, and no warning.
  await context.addInitScript(standalone);
  await page.goto(server.url + "/about");
  await page.locator("#installed").waitFor();
  assert.equal(await page.locator("#install-app-now").count(), 0);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator(".door-tile").first().waitFor();
  await offerInstallPrompt(page);
  await recordDoor(page, "xfl-01-1-102", "not_home");
  await page.locator("#saved-notice").waitFor();
  assert.equal(await page.locator("#install-offer").count(), 0);
});

test("iPhone Safari: in a tab the guide and the at-risk warning show, with the unsent count; installed, neither", async (t) => {
  const server = await startServer();
  const phone = await launchPhone({ locale: "en-US", userAgent: IPHONE_SAFARI });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  const { page, context } = phone;
  await context.addInitScript(notPersisted);
  await context.addInitScript(noBrowserPrompt);
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));
  await context.setOffline(true);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await page.goto(server.url + "/");
  const warning = page.locator('#storage-at-risk[data-unsent="1"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /Records could be deleted by the browser/);
  assert.equal(await warning.locator("#ios-install-guide li").count(), 3);
  assert.match(await warning.locator("#ios-install-guide").textContent(), /tap Share.*Add to Home Screen/s);
  await page.goto(server.url + "/about");
  await page.locator("#about-install #ios-install-guide").waitFor();

  // Added to the Home Screen: Safari keeps its storage; no guide, no warning.
  await context.addInitScript(standalone);
  await page.goto(server.url + "/about");
  await page.locator("#about-install #installed").waitFor();
  await page.goto(server.url + "/");
  await page.locator(".building-link").first().waitFor();
  assert.equal(await page.locator("#storage-at-risk").count(), 0);
  assert.equal(await page.locator("#ios-install-guide").count(), 0);
});

test("the coordinator's volunteers list shows how each phone keeps its data, as it reported", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { page, context } = phone;
  await context.addInitScript(notPersisted);
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Tab phone"));
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const item = coordinator.locator('.volunteer-item[data-installed="no"][data-persisted="no"]').filter({ hasText: "Tab phone" });
  await item.waitFor();
  assert.match(await item.locator(".phone-keeping").textContent(), /Browser tab · Storage may be cleared/);
});
