// Gate duty: a volunteer at the north gate registers visitors and a
// delivery offline (a name missing and a temperature of 60 are refused on
// the spot, nothing saved), turns back a visitor with a fever, registers a
// returning visitor with one tap and a new reading; after syncing, the
// console has the fever alert, visitors.csv and the day's report hold them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, openDemoConsole, serverDeskAndPhone, waitUntilOfflineReady, watchPage } from "./harness.mjs";

test("visitors registered offline at the gate, turned back on a fever, synced, alerted and exported", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { context, page } = phone;
  const problems = watchPage(page);
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Xiao Wang"));

  await context.setOffline(true);
  await page.goto(server.url + "/");
  await page.locator('#gates a[data-gate="north-gate"]').click();
  await page.locator("#gate h1", { hasText: "North gate" }).waitFor();
  await page.locator("#no-visitors").waitFor();

  // No name: said so, nothing saved.
  await page.locator("#let-in").click();
  await page.locator("#visitor-problem", { hasText: "Write a name or initials" }).waitFor();
  // A temperature of 60: a typo, refused.
  await page.locator("#visitor-name").fill("Qian");
  await page.locator("#visitor-temperature").fill("60");
  await page.locator("#let-in").click();
  await page.locator("#visitor-problem", { hasText: "Enter a temperature between 34 and 43" }).waitFor();
  // A door the chosen building does not have.
  await page.locator("#visitor-temperature").fill("36.4");
  await page.locator("#visitor-building").selectOption("xfl-02");
  await page.locator("#visitor-door").fill("1-1-101");
  await page.locator("#let-in").click();
  await page.locator("#visitor-problem", { hasText: "The chosen building has no such door" }).waitFor();
  assert.equal(await page.locator(".gate-entry").count(), 0, "nothing was saved");

  // A visitor to 1-1-101, let in.
  await page.locator("#visitor-name").fill("Zhou Min");
  await page.locator("#visitor-phone").fill("138 0000 0000");
  await page.locator("#visitor-building").selectOption("xfl-01");
  await page.locator("#visitor-door").fill("1-1-101");
  await page.locator("#visitor-purpose").fill("brings groceries");
  await page.locator('#visitor-code [data-code="green"]').click();
  await page.locator("#let-in").click();
  await page.locator('#gate-count', { hasText: "1" }).waitFor();
  assert.equal(await page.locator("#visitor-name").inputValue(), "", "the form is cleared for the next visitor");
  assert.equal(await page.locator("#visitor-problem").count(), 0);

  // A fever: the gate says not to let them in; turned back.
  await page.locator("#visitor-name").fill("Qian");
  await page.locator("#visitor-building").selectOption("xfl-02");
  await page.locator("#visitor-temperature").fill("38.2");
  await page.locator("#gate-warning").waitFor();
  await page.locator("#turn-back").click();
  await page.locator('.gate-entry[data-turned-back="true"][data-alert="true"]', { hasText: "Qian" }).waitFor();

  // A courier leaves a parcel at the gate.
  await page.locator("#visitor-name").fill("SF courier");
  await page.locator("#visitor-delivery").check();
  await page.locator("#let-in").click();
  await page.locator('#gate-count', { hasText: "3" }).waitFor();

  // Zhou Min comes back: one tap fills the form, the temperature is taken anew.
  await page.locator(".gate-entry", { hasText: "Zhou Min" }).locator(".enter-again").click();
  assert.equal(await page.locator("#visitor-name").inputValue(), "Zhou Min");
  assert.equal(await page.locator("#visitor-door").inputValue(), "1-1-101");
  assert.equal(await page.locator("#visitor-building").inputValue(), "xfl-01");
  assert.equal(await page.locator("#visitor-temperature").inputValue(), "");
  await page.locator("#visitor-temperature").fill("36,6");
  await page.locator("#let-in").click();
  await page.locator('#gate-count', { hasText: "4" }).waitFor();
  const newest = page.locator(".gate-entry").first();
  assert.match(await newest.textContent(), /Zhou Min.*1-1-101.*Green.*36\.6 °C/);

  // Still there after a reload with the network off.
  await page.reload();
  await page.locator('#gate-count', { hasText: "4" }).waitFor();

  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The console: the fever at the gate, with the visitor's name.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const alert = coordinator.locator('.alert-item[data-kind="fever"]', { hasText: "North gate" });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Qian.*North gate: 38\.2 °C \(threshold 37\.3 °C\), turned back/);

  const csv = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/demo-xingfu/exports/visitors.csv")).text());
  const rows = csv.replace(/^\uFEFF/, "").trim().split("\n");
  assert.equal(rows.length, 5, csv);
  assert.match(rows[1], /,北门,Zhou Min,138 0000 0000,幸福里 1 号楼,1-1-101,no,brings groceries,green,36\.4,no,no,Xiao Wang,/);
  assert.match(rows[2], /,Qian,,幸福里 2 号楼,,no,,,38\.2,yes,yes,Xiao Wang,/);
  assert.match(rows[3], /,SF courier,,,,yes,,,,no,no,/);
  assert.match(rows[4], /,Zhou Min,.*,36\.6,no,no,/);
  const report = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/demo-xingfu/reports/daily")).json());
  assert.equal(report.visitors, 4, JSON.stringify(report));
  // (Requests made while offline fail in the console, as they should.)
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|net::ERR_INTERNET_DISCONNECTED/.test(p)), []);
});
