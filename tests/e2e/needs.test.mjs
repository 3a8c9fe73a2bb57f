// Needs of households in quarantine: one volunteer raises a need at a door
// offline, another sees it on the floor, takes it up and finishes it; the
// console lists it while open, and needs.csv and the daily report hold it.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  answerPerson, inviteVolunteer, joinInApp, launchPhone, openDemoConsole, serverDeskAndPhone, waitUntilOfflineReady,
} from "./harness.mjs";

test("a need raised on one phone is taken up and finished on another, and leaves the console's list", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const second = await launchPhone({ locale: "en-US" });
  t.after(() => second.close());
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Xiao Wang"));

  // Offline: the household, then its need.
  await context.setOffline(true);
  const door = `${server.url}/b/xfl-04/f/3/d/xfl-04-1-301`;
  await page.goto(door);
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await answerPerson(page.locator(".roster-entry").first(), {
    name: "Zhou Min", relation: "head", age_band: "60+", tenure: "owner", returned_from: "none", health_code: "green",
  });
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-04-1-301"][data-state="final"]').waitFor();
  await page.goto(door);
  // Nothing chosen: said so, nothing saved.
  await page.locator("#raise-need").click();
  await page.locator("#door-needs .problem", { hasText: "Choose what is needed" }).waitFor();
  assert.equal(await page.locator(".need-item").count(), 0);
  await page.locator('[data-need-kind="groceries"]').click();
  await page.locator("#need-person").selectOption({ label: "Zhou Min" });
  await page.locator("#need-details").fill("rice and eggs");
  await page.locator("#raise-need").click();
  const raised = page.locator('#need-list .need-item[data-kind="groceries"][data-status="open"]');
  await raised.waitFor();
  assert.match(await raised.textContent(), /Groceries · Open .*Zhou Min · rice and eggs/);
  // The floor lists it.
  await page.goto(`${server.url}/b/xfl-04/f/3`);
  await page.locator('#floor-needs .need-item[data-door="xfl-04-1-301"][data-status="open"]').waitFor();

  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The console lists it, the longest waiting first.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const listed = coordinator.locator('#console-needs li[data-door="xfl-04-1-301"][data-status="open"]');
  await listed.waitFor();
  assert.match(await listed.textContent(), /Groceries · 4-1-301 · Zhou Min/);

  // Another volunteer sees it on the floor, takes it up, then finishes it.
  const other = second.page;
  await other.goto(server.url + "/");
  await waitUntilOfflineReady(other);
  await joinInApp(other, server, inviteVolunteer(server, "Xiao Li"));
  await other.goto(`${server.url}/b/xfl-04/f/3`);
  await other.locator('#floor-needs .need-item[data-door="xfl-04-1-301"][data-status="open"] a').click({ timeout: 30_000 });
  const need = other.locator('#need-list .need-item[data-kind="groceries"]');
  await need.locator('[data-action="in_progress"]').click();
  await other.locator('#need-list .need-item[data-status="in_progress"] [data-action="done"]').click();
  await other.locator('#need-list .need-item[data-status="done"]').waitFor();
  assert.equal(await need.locator("button").count(), 0, "a finished need has nothing left to do");
  await other.goto(`${server.url}/b/xfl-04/f/3`);
  await other.locator("#door-grid").waitFor();
  assert.equal(await other.locator("#floor-needs").count(), 0, "no open need on the floor");
  await other.goto(server.url + "/");
  await other.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The console's list empties; the export and the day's report keep it.
  await coordinator.locator("#console-refresh").click();
  await coordinator.locator("#no-open-needs").waitFor();
  const csv = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/demo-xingfu/exports/needs.csv")).text());
  assert.match(csv, /,4-1-301,xfl-04-1-301,Zhou Min,groceries,rice and eggs,done,Xiao Wang,[^,]+,Xiao Li,/);
  const report = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/demo-xingfu/reports/daily")).json());
  assert.equal(report.needs_done, 1, JSON.stringify(report));
  assert.equal(report.needs_open, 0);
});
