// The volunteer's app as a phone gets it: every screen at 360 px with tap
// targets of at least 48 px and nothing wider than the screen, and not one
// byte of the coordinator console fetched or precached, while the console
// itself is served, as its own app, under /coordinator.
import assert from "node:assert/strict";
import { test } from "node:test";
import { joinedPhone, launchPhone, openDemoConsole, recordDoor, watchPage } from "./harness.mjs";

const MIN_TAP_PX = 48;

/** Every visible control on the page smaller than a thumb: links, buttons,
 *  fields, summaries. A checkbox or radio counts by its label. */
async function smallTapTargets(page) {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]");
    const small = [];
    for (const control of controls) {
      const target = control.matches("input[type=checkbox], input[type=radio]") ? control.closest("label") ?? control : control;
      const box = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue; // not shown
      // Screen-reader-only labels are not tapped.
      if (target.closest(".visually-hidden")) continue;
      // 0.5 px of slack: boxes are fractional at a 2x device scale.
      if (box.height < min - 0.5 || box.width < min - 0.5) {
        const name = (target.id ? `#${target.id}` : target.className ? `.${String(target.className).split(" ")[0]}` : "") || "";
        small.push(`${target.tagName.toLowerCase()}${name} "${target.textContent.trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
    return small;
  }, MIN_TAP_PX);
}

async function assertFitsAThumbAndTheScreen(page, screen) {
  assert.deepEqual(await smallTapTargets(page), [], `${screen}: tap targets under ${MIN_TAP_PX} px`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${screen}: ${width} px wide on a 360 px screen`);
}

test("every volunteer screen at 360 px: tap targets of 48 px, and no console file ever fetched", async (t) => {
  const { server, phone } = await joinedPhone(t);
  const { context, page } = phone;
  const problems = watchPage(page);
  const fetched = [];
  context.on("request", (request) => fetched.push(new URL(request.url()).pathname));

  const screens = [
    ["home", "/", ".building-link"],
    ["floor", "/b/xfl-01/f/1", "#door-grid .door-tile"],
    ["revisits", "/revisits", "main .card"],
    ["checks", "/checks", "#check-list, #no-checks"],
    ["find", "/find", "#find-door"],
    ["gate", "/gate/north-gate", "#visitor-form"],
    ["about", "/about", "#storage-persistence"],
    ["join", "/join", "#join-code"],
  ];
  for (const [screen, route, ready] of screens) {
    await page.goto(server.url + route);
    await page.locator(ready).first().waitFor();
    await assertFitsAThumbAndTheScreen(page, screen);
  }

  // The door sheet, with the questionnaire and a person of the household open.
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator('.door-tile[data-door="xfl-01-1-101"]').click();
  await page.locator("#door-sheet").waitFor();
  await assertFitsAThumbAndTheScreen(page, "door sheet");
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await page.locator(".roster-entry").first().waitFor();
  await assertFitsAThumbAndTheScreen(page, "door sheet, answered, one person");
  await page.locator('[data-outcome="come_back"]').click();
  await page.locator("#come-back-at").waitFor();
  await assertFitsAThumbAndTheScreen(page, "door sheet, come back");

  // Finding a door lists results.
  await page.goto(server.url + "/find");
  await page.locator("#find-door").fill("101");
  await page.locator("#find-results li").first().waitFor();
  await assertFitsAThumbAndTheScreen(page, "find, with results");

  // A record waiting, offline: its handover shown as QR codes.
  await context.setOffline(true);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-102", "not_home");
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="1"]').waitFor();
  await page.locator("#show-codes").click();
  await page.locator("#handover-codes svg").waitFor();
  await assertFitsAThumbAndTheScreen(page, "home, handover codes shown");
  await context.setOffline(false);

  const consoleFiles = fetched.filter((pathname) => pathname.startsWith("/coordinator") || pathname.includes("walkbook-console"));
  assert.deepEqual(consoleFiles, [], "the phone fetched console files");
  assert.ok(fetched.some((pathname) => /\/walkbook-app-[0-9a-f]+_bg\.wasm$/.test(pathname)), "the phone's own wasm was fetched (the watch works)");
  const precached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  assert.ok(precached.includes("/index.html"), `the shell is precached: ${precached}`);
  assert.deepEqual(precached.filter((pathname) => pathname.startsWith("/coordinator")), [], "console files precached");
  // The syncs tried while the phone was offline fail, as they should.
  assert.deepEqual(problems.filter((problem) => !problem.includes("net::ERR_INTERNET_DISCONNECTED")), []);
});

test("the console is its own app under /coordinator: sign-in by link, then a campaign, never under the phone's service worker", async (t) => {
  const { server, phone } = await joinedPhone(t);
  // The same browser the volunteer app installed itself in: its service
  // worker must let the console through to the network.
  const { context, page } = phone;
  const problems = watchPage(page);
  const fetched = [];
  context.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await openDemoConsole(page, server);
  await page.locator("#console-campaign-title").filter({ hasText: /\S/ }).waitFor();
  assert.ok(fetched.some((pathname) => /^\/coordinator\/walkbook-console-[0-9a-f]+_bg\.wasm$/.test(pathname)), `console wasm: ${fetched}`);
  assert.ok(!fetched.some((pathname) => /walkbook-app-[0-9a-f]+_bg\.wasm$/.test(pathname)), "the console loaded the phone's wasm");
  // A reload of a console route is answered by the console's own shell.
  await page.reload();
  await page.locator("#console-campaign-title").filter({ hasText: /\S/ }).waitFor();
  const served = await page.evaluate(() => [...document.scripts].map((script) => script.textContent).join(" "));
  assert.match(served, /walkbook-console/);
  assert.deepEqual(problems, []);

  // A browser that never opened the volunteer app gets the console too.
  const desk = await launchPhone({ locale: "en-US", viewport: { width: 1024, height: 900 }, isMobile: false, hasTouch: false });
  t.after(() => desk.close());
  await desk.page.goto(server.url + "/coordinator");
  await desk.page.locator("#console-sign-in").waitFor();
});
