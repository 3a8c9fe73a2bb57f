// Data at risk: a phone whose pushes keep failing holds a record older than
// the campaign's `at_risk_hours` (set in the console); its pulls still report
// its outbox, so the coordinator gets one data-at-risk alert naming the
// volunteer, and it goes once the record arrives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PUSH, failPushes, inviteVolunteer, joinInApp, openDemoConsole, recordDoor, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

const HOUR = 3_600_000;

test("unsent records kept too long raise one data-at-risk alert, gone when they arrive", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Volunteer Wang"));

  // The coordinator says unsent records are at risk after 2 hours; a bad
  // value is refused with its reason and changes nothing.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  await coordinator.locator("#at-risk-hours").fill("500");
  await coordinator.locator("#save-at-risk-hours").click();
  await coordinator.locator("#setup-result.error").waitFor();
  assert.match(await coordinator.locator("#setup-result").textContent(), /at_risk_hours must be 1 to 168/);
  await coordinator.locator("#at-risk-hours").fill("2");
  await coordinator.locator("#save-at-risk-hours").click();
  await coordinator.locator("#setup-result.notice").waitFor();

  // Every push fails (the server is busy, as far as the phone can tell);
  // pulls get through. The phone's clock says three hours ago when it
  // records the door.
  await failPushes(context);
  await context.clock.setFixedTime(Date.now() - 3 * HOUR);
  // Awaited once the door is recorded: its bound is longer than the
  // recording's own, so that a recording that hangs fails at its own step.
  const reported = page.waitForResponse((response) => /\/api\/v1\/sync\/pull\?.*&pending=1&/.test(response.url()) && response.ok(), {
    timeout: 60_000,
  });
  reported.catch(() => {}); // a hang before `await reported` is reported by its own step, not as this rejection
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await reported;

  await coordinator.locator("#console-refresh").click();
  const alert = coordinator.locator('.alert-item[data-kind="data_at_risk"]');
  await alert.waitFor();
  assert.equal(await alert.count(), 1);
  assert.match(await alert.textContent(), /Data at risk · Volunteer Wang/);
  assert.match(await alert.textContent(), /1 unsent/);

  // The pushes get through again: the record arrives and the alert goes.
  await context.unroute(PUSH);
  await context.clock.setFixedTime(Date.now());
  await page.goto(server.url + "/");
  // The same sync's pull reports the outbox empty once the push got through.
  const emptied = page.waitForResponse((response) => /\/api\/v1\/sync\/pull\?.*&pending=0&/.test(response.url()) && response.ok());
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor();
  await emptied;
  // A fresh console page: the alerts it shows are read after the report.
  await coordinator.reload();
  await coordinator.locator("#alert-list, #console-alerts p.hint").first().waitFor();
  assert.equal(await coordinator.locator('.alert-item[data-kind="data_at_risk"]').count(), 0);
});
