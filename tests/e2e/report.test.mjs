// The daily report: a day's households, people, returns, quarantines,
// checks, fevers and red codes, made on a phone offline and synced, read in
// the console and on the printable A4 page by building.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ZONE, answerPerson, at, dayAfter, inviteVolunteer, joinInApp, openDemoConsole, recordDoor, recordReading, serverDeskAndPhone, today,
  waitUntilOfflineReady, watchPage,
} from "./harness.mjs";

test("yesterday's figures, recorded offline on a phone, in the console and on the printable report", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t, {}, { timezoneId: ZONE });
  const { context, page } = phone;
  // The phone works yesterday at 09:00 in Shanghai: the day is over now.
  const yesterday = dayAfter(today, -1);
  await context.clock.setFixedTime(at(yesterday, "09:00"));
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));

  await context.setOffline(true);
  await page.goto(`${server.url}/b/xfl-02/f/2`);
  await recordDoor(page, "xfl-02-1-202", "not_home");
  await page.goto(`${server.url}/b/xfl-02/f/2/d/xfl-02-1-201`);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await page.locator('[data-action="add-entry"]').click();
  const cards = page.locator(".roster-entry");
  await answerPerson(cards.nth(0), {
    name: "Chen Jie", relation: "head", age_band: "18-59", tenure: "owner", returned_from: "abroad", health_code: "red",
    returned_on: yesterday, quarantine_until: dayAfter(yesterday, 3),
  });
  await answerPerson(cards.nth(1), {
    name: "Wang Li", relation: "spouse", age_band: "18-59", tenure: "owner", returned_from: "none", health_code: "green",
  });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-02-1-201"][data-state="final"]').waitFor();
  // Chen's morning check, a fever; the afternoon one is never taken.
  await page.goto(server.url + "/checks");
  const chen = await page.locator(".check-item").first().getAttribute("data-person");
  await recordReading(page, chen, 38.6);
  await page.locator(`.check-item[data-person="${chen}"][data-state="fever"]`).waitFor();

  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The console: today's report first, then yesterday's.
  const coordinator = desk.page;
  const problems = watchPage(coordinator);
  await openDemoConsole(coordinator, server);
  await coordinator.locator(`#daily-report-figures[data-date="${today}"][data-day-over="false"]`).waitFor();
  await coordinator.locator("#daily-report-date").fill(yesterday);
  const figures = coordinator.locator(`#daily-report-figures[data-date="${yesterday}"][data-day-over="true"]`);
  await figures.waitFor();
  const expected = {
    households_visited: "2", people_registered: "2", returned_province: "0", returned_abroad: "1", in_quarantine: "1",
    checks_done: "1", checks_missed: "1", fevers: "1", red_codes: "1",
  };
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(await figures.locator(`[data-figure="${name}"] dd`).textContent(), value, name);
  }
  assert.match(await figures.locator('[data-figure="fevers"] dt').textContent(), /Fevers/);

  // The printable page, in the campaign's first language, by building.
  const [sheet] = await Promise.all([desk.context.waitForEvent("page"), coordinator.locator("#daily-report-page").click()]);
  const sheetProblems = watchPage(sheet);
  await sheet.locator('tr[data-building="xfl-02"]').waitFor();
  assert.equal(await sheet.locator("html").getAttribute("lang"), "zh-Hans");
  assert.match(await sheet.locator("h1").textContent(), new RegExp(`每日报告 ${yesterday}`));
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(await sheet.locator(`table.totals [data-figure="${name}"]`).textContent(), value, name);
    assert.equal(await sheet.locator(`tr[data-building="xfl-02"] [data-figure="${name}"]`).textContent(), value, `xfl-02 ${name}`);
    assert.equal(await sheet.locator(`tr[data-building="xfl-01"] [data-figure="${name}"]`).textContent(), "0", `xfl-01 ${name}`);
  }
  // One final door of the building's 24.
  assert.equal(await sheet.locator('tr[data-building="xfl-02"] [data-figure="coverage_percent"]').textContent(), "4 %");
  assert.doesNotMatch(await sheet.content(), /Chen Jie|Wang Li/, "no names on the report");
  await sheet.waitForFunction(() => getComputedStyle(document.querySelector("table")).borderCollapse === "collapse");

  // A day that has not started is refused, said so, and shows no figures.
  await coordinator.locator("#daily-report-date").fill(dayAfter(today, 1));
  await coordinator.locator("#console-daily-report .error", { hasText: "has not started yet" }).waitFor();
  assert.equal(await coordinator.locator("#daily-report-figures").count(), 0);
  assert.deepEqual(sheetProblems, []);
  assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
});
