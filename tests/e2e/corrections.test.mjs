// Corrections on the phone, each with a reason: a fever reading typed wrong
// is corrected (its alert closes by itself once synced), a floor notice and
// a floor closure made by mistake are withdrawn; the coordinator's audit.csv
// lists all three with who, when and why.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ZONE, answerPerson, at, dayAfter, inviteVolunteer, joinInApp, openDemoConsole, recordReading, serverCommand, serverDeskAndPhone, today,
  waitUntilOfflineReady,
} from "./harness.mjs";

const alerts = (server) => serverCommand(server, "alerts").trim().split("\n").map((line) => JSON.parse(line));

test("a wrong reading corrected and a notice and a closure withdrawn, each with its reason in the audit trail", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t, {}, { timezoneId: ZONE });
  const { context, page } = phone;
  await context.clock.setFixedTime(at(today, "09:00"));
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));

  // A person in home quarantine; the floor's other door vacant; 38.2 typed for 36.2.
  await page.goto(`${server.url}/b/xfl-02/f/1/d/xfl-02-1-101`);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await answerPerson(page.locator(".roster-entry").first(), {
    name: "Li Na", relation: "head", age_band: "18-59", tenure: "tenant", returned_from: "abroad", health_code: "green",
    returned_on: today, quarantine_until: dayAfter(today, 2),
  });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-02-1-101"][data-state="final"]').waitFor();
  for (const door of await page.locator('.door-tile[data-state="unvisited"]').evaluateAll((tiles) => tiles.map((t) => t.dataset.door))) {
    await page.locator(`.door-tile[data-door="${door}"]`).click();
    await page.locator('[data-outcome="vacant"]').click();
    await page.locator("#save-record").click();
    await page.locator(`.door-tile[data-door="${door}"][data-state="final"]`).waitFor();
  }
  await page.goto(server.url + "/checks");
  const person = await page.locator(".check-item").first().getAttribute("data-person");
  const row = await recordReading(page, person, 38.2);
  await page.locator(`.check-item[data-person="${person}"][data-state="fever"]`).waitFor();
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor();
  assert.equal(alerts(server).filter((a) => a.kind === "fever" && !a.handled_by).length, 1);

  // Corrected: the done reading opens again; Save asks why first.
  await page.goto(server.url + "/checks");
  await row.locator(".check-open").click();
  await row.locator("input.reading").fill("36.2");
  await row.locator(".save-reading").click();
  await row.locator(".problem", { hasText: "Say why first" }).waitFor();
  await row.locator("textarea").fill("typed 38.2 for 36.2");
  await row.locator(".save-reading").click();
  await page.locator(`.check-item[data-person="${person}"][data-state="done"]`).waitFor();
  assert.match(await row.textContent(), /36\.2 °C/);
  assert.doesNotMatch(await row.textContent(), /Fever/);

  // The notice posted on the wrong floor, withdrawn; the floor closed, reopened.
  await page.goto(`${server.url}/b/xfl-02/f/1`);
  const sheet = page.locator('.notice-round[data-notice="sheet"]');
  await sheet.locator(".post-notice").click();
  await sheet.locator(".notice-posted").waitFor();
  await page.locator("#withdraw-notice-sheet").click();
  await page.locator("#withdraw-notice-sheet-reason").fill("posted on floor 2, not 1");
  await page.locator("#withdraw-notice-sheet").click();
  await sheet.locator(".post-notice").waitFor();
  await page.locator("#close-floor").click();
  await page.locator("#floor-closed").waitFor();
  await page.locator("#reopen-floor").click();
  await page.locator("#reopen-floor").click();
  await page.locator(".floor-closing .problem", { hasText: "Say why first" }).waitFor();
  await page.locator("#reopen-floor-reason").fill("door 102 asked for a revisit");
  await page.locator("#reopen-floor").click();
  await page.locator("#close-floor").waitFor();

  // Synced: the fever alert closed by itself; the audit trail has all three.
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor();
  const fever = alerts(server).find((a) => a.kind === "fever");
  assert.equal(fever.handled_by, "a correction");
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const audit = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/demo-xingfu/exports/audit.csv")).text());
  const rows = audit.trim().split("\r\n").slice(1);
  assert.equal(rows.length, 3, audit);
  assert.ok(rows.some((r) => /,1,2-1-101,temperature_check,corrected,.*,typed 38\.2 for 36\.2$/.test(r)), audit);
  assert.ok(rows.some((r) => /,1,,floor_notice,withdrawn,.*,"posted on floor 2, not 1"$/.test(r)), audit);
  assert.ok(rows.some((r) => /,1,,floor_closed,withdrawn,.*,door 102 asked for a revisit$/.test(r)), audit);
});

test("a coordinator voids a household recorded at the wrong door; the phone learns it at its next sync", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));
  await page.goto(`${server.url}/b/xfl-01/f/1/d/xfl-01-1-102`);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await answerPerson(page.locator(".roster-entry").first(), {
    name: "Zhao Lei", relation: "head", age_band: "18-59", tenure: "owner", returned_from: "none", health_code: "green",
  });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-01-1-102"][data-state="final"] .door-sync[data-synced="true"]').waitFor();

  // The coordinator finds the record in doors.csv and voids it, saying why.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const exported = (file) => coordinator.evaluate(async (file) => (await fetch(`/api/v1/coordinator/campaigns/demo-xingfu/exports/${file}`)).text(), file);
  const row = (await exported("doors.csv")).split("\r\n").find((line) => line.includes(",xfl-01-1-102,"));
  const recordId = row.split(",")[9];
  await coordinator.locator("#void-record-id").fill(recordId);
  await coordinator.locator("#void-record").click();
  await coordinator.locator("#void-result.error").waitFor();
  assert.match(await coordinator.locator("#void-result").textContent(), /Say why the record is voided/);
  await coordinator.locator("#void-reason").fill("the Zhaos live at 101");
  await coordinator.locator("#void-record").click();
  await coordinator.locator("#void-result.notice").waitFor();
  assert.match(await exported("doors.csv"), /,xfl-01-1-102,unvisited,/);
  assert.match(await exported("audit.csv"), new RegExp(`,1,1-1-102,visit,withdrawn,${recordId},.*,Secretary Liu,the Zhaos live at 101`));

  // The phone's next sync: the door is unvisited again and Zhao Lei is not on its register.
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.goto(`${server.url}/b/xfl-01/f/1`);
  await page.locator('.door-tile[data-door="xfl-01-1-102"][data-state="unvisited"]').waitFor();
  await page.goto(server.url + "/find");
  await page.locator("#find-door").fill("Zhao");
  await page.locator("#find-nothing").waitFor();
});
