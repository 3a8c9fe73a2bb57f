// Households, people and quarantine follow-ups, offline on the phone, then
// synced: the register, the checks due, a normal and a fever reading, the
// floor notice, and exactly one fever alert on the server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ZONE, answerPerson, at, dayAfter, inviteVolunteer, joinInApp, launchPhone, recordReading, serverCommand, startServer, today, waitUntilOfflineReady } from "./harness.mjs";

test("a household of two, one in quarantine: checks due, a fever flagged, one alert on the server", async (t) => {
  const server = await startServer();
  const phone = await launchPhone({ locale: "en-US", timezoneId: ZONE });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  const { context, page } = phone;
  // The phone's clock: this morning, 09:00 in Shanghai (timers keep running).
  await context.clock.setFixedTime(at(today, "09:00"));
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));

  await context.setOffline(true);
  await page.goto(`${server.url}/b/xfl-02/f/2/d/xfl-02-1-201`);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await page.locator('[data-action="add-entry"]').click();
  const cards = page.locator(".roster-entry");
  await answerPerson(cards.nth(0), {
    name: "Wang Wei", relation: "head", age_band: "18-59", tenure: "tenant", returned_from: "none", health_code: "green",
  });
  // A missing return date is refused before anything is saved.
  await answerPerson(cards.nth(1), {
    name: "Li Na", relation: "spouse", age_band: "18-59", tenure: "tenant", returned_from: "abroad", health_code: "orange",
  });
  await page.locator("#save-record").click();
  await page.locator('.roster-entry >> nth=1 >> [data-question="returned_on"] .problem').waitFor();
  await answerPerson(cards.nth(1), { returned_on: today, quarantine_until: dayAfter(today, 2) });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-02-1-201"][data-state="final"]').waitFor();

  // The notice on this floor; the building lists the floors still without it.
  const sheet = page.locator('.notice-round[data-notice="sheet"]');
  await sheet.locator(".post-notice").click();
  await sheet.locator(".notice-posted").waitFor();
  assert.equal(await sheet.locator(".notice-missing").getAttribute("data-floors"), "1,3,4,5,6");

  // The household's history is readable, and an edit keeps the people's ids.
  await page.goto(`${server.url}/b/xfl-02/f/2/d/xfl-02-1-201`);
  assert.match(await page.locator("#door-history").textContent(), /Wang Wei, Li Na/);
  assert.equal(await page.locator(".roster-entry").count(), 2, "the sheet opens with the household as it is");

  // Checks due now, offline: Li Na's morning check; Wang Wei owes none. The
  // home screen's link says how many are owed.
  await page.goto(server.url + "/");
  await page.locator('#checks-link[data-owed="1"]').waitFor();
  await page.locator("#checks-link").click();
  await page.locator("#check-list").waitFor();
  const liNa = await page.locator(".check-item").first().getAttribute("data-person");
  assert.equal(await page.locator(`.check-item[data-person="${liNa}"]`).count(), 1, "only this morning's is due now");
  assert.match(await page.locator(".check-item").first().textContent(), /Li Na.*2-1-201.*Morning.*Due now/);
  const morning = await recordReading(page, liNa, 36.8);
  await page.locator(`.check-item[data-person="${liNa}"][data-state="done"]`).waitFor();
  assert.match(await morning.textContent(), /36\.8 °C/);

  // 14:00: the afternoon check is due; a fever reading is flagged at once.
  await context.clock.setFixedTime(at(today, "14:00"));
  await page.reload();
  const afternoon = await recordReading(page, liNa, 38.2);
  await page.locator(`.check-item[data-person="${liNa}"][data-state="fever"]`).waitFor();
  assert.match(await afternoon.textContent(), /Fever/);

  // The next day at 13:00, the missed morning check is overdue.
  await context.clock.setFixedTime(at(dayAfter(today, 1), "13:00"));
  await page.reload();
  await page.locator(`.check-item[data-person="${liNa}"][data-state="overdue"]`).waitFor();
  assert.match(await page.locator('.check-item[data-state="overdue"]').textContent(), /Overdue/);

  // Online: everything reaches the server, which raises exactly one fever alert.
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  const records = await page.evaluate(async () => (await (await fetch("/api/v1/sync/pull?cursor=0")).json()).records);
  const kinds = records.map((r) => r.kind?.type ?? "visit").sort();
  assert.deepEqual(kinds, ["floor_notice", "temperature_check", "temperature_check", "visit"]);
  const alerts = serverCommand(server, "alerts").trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  assert.equal(alerts[0].kind, "fever");
  assert.equal(alerts[0].person_id, liNa);
  assert.match(alerts[0].detail, /38\.2 °C .*afternoon/);
  // No personal field in the server's log.
  assert.doesNotMatch(server.output(), /Li Na|Wang Wei/);
});
