// Paper when phones are dead: the console's "Paper sheet to print" opens a
// building's doors floor by floor, each with its status now and boxes to
// tick, in the campaign's first language, styled within the CSP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, openDemoConsole, recordDoor, serverDeskAndPhone, waitUntilOfflineReady, watchPage } from "./harness.mjs";

test("a building's paper sheet lists every floor and door with its status now", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await page.locator('.door-tile[data-door="xfl-01-1-101"] .door-sync[data-synced="true"]').waitFor();

  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const [sheet] = await Promise.all([desk.context.waitForEvent("page"), coordinator.locator('a[data-print="xfl-01"]').click()]);
  const problems = watchPage(sheet);
  await sheet.locator('tr[data-door="xfl-01-1-101"]').waitFor();
  // The demo campaign's first language is Simplified Chinese.
  assert.equal(await sheet.locator("html").getAttribute("lang"), "zh-Hans");
  assert.equal(await sheet.locator("section.floor").count(), 6);
  assert.match(await sheet.locator('tr[data-door="xfl-01-1-101"]').textContent(), /需回访.*无人在家/);
  assert.match(await sheet.locator('tr[data-door="xfl-01-1-102"]').textContent(), /未走访.*☐ 已登记.*☐ 无人在家/);
  // The A4 stylesheet applies (a file: the CSP allows no inline style).
  await sheet.waitForFunction(() => getComputedStyle(document.querySelector("table")).borderCollapse === "collapse");
  assert.deepEqual(problems, []);
});
