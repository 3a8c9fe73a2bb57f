// People living alone: a household registered nine days ago lists an
// elderly woman who lives alone. Nobody has looked in since: the phone's
// checks screen shows her weekly look missed, and the console has an alert
// with her name and door. A volunteer goes, taps "Seen: all well" (offline),
// syncs, and the alert is gone; the next look is owed a week on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ZONE, answerPerson, at, dayAfter, inviteVolunteer, joinInApp, openDemoConsole, serverDeskAndPhone, today, waitUntilOfflineReady } from "./harness.mjs";

test("a person living alone with a missed weekly look raises an alert until someone goes", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t, {}, { timezoneId: ZONE });
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Xiao Wang"));

  // Nine days ago: the household, on the form that asks who lives alone.
  const registeredOn = dayAfter(today, -9);
  await context.clock.setFixedTime(at(registeredOn, "10:00"));
  await page.goto(`${server.url}/b/xfl-03/f/1/d/xfl-03-1-101`);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await answerPerson(page.locator(".roster-entry").first(), {
    name: "Granny Liu", relation: "head", age_band: "60+", tenure: "owner", returned_from: "none", health_code: "green", lives_alone: "yes",
  });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-03-1-101"][data-state="final"]').waitFor();
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // Today: her look was owed two days ago.
  await context.clock.setFixedTime(at(today, "10:00"));
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const alert = coordinator.locator('.alert-item[data-kind="weekly_check_missed"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), new RegExp(`Weekly look missed · Granny Liu · 3-1-101.*not seen since ${registeredOn}: a weekly check was owed by ${dayAfter(registeredOn, 7)}`));

  await context.setOffline(true);
  await page.goto(server.url + "/checks");
  const row = page.locator('.weekly-check[data-missed="true"]', { hasText: "Granny Liu" });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`Missed: a look was owed by ${dayAfter(registeredOn, 7)}`));
  await row.locator(".weekly-seen").click();
  const seen = page.locator('.weekly-check[data-missed="false"]', { hasText: "Granny Liu" });
  await seen.waitFor();
  assert.match(await seen.textContent(), new RegExp(`Look in by ${dayAfter(today, 7)}`));

  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  await coordinator.locator("#console-refresh").click();
  await coordinator.waitForFunction(() => document.querySelectorAll('.alert-item[data-kind="weekly_check_missed"]').length === 0);
});
