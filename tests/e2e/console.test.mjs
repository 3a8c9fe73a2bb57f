// The coordinator console in one browser context, a volunteer's phone in
// another, against the real server: a campaign from CSV, an invitation, the
// volunteer's offline records arriving, coverage and an alert appearing,
// exports that match, and a revoked phone that keeps its records.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { createConsoleCampaign, csvFile, joinByLink, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

test("a coordinator sets up a campaign and watches a volunteer's records arrive", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t, { acceptDownloads: true });
  const coordinator = desk.page;

  // Signed in with the link the command line printed (the console names
  // the coordinator), a new campaign.
  await createConsoleCampaign(coordinator, server, "maple", "Maple Court check");

  // A CSV with bad lines is refused with their numbers, and imports nothing.
  await coordinator.locator("#territory-file").setInputFiles(csvFile("building,entrance,floor,door\nMaple Court,1,1,101\nMaple Court,1,one,102\nMaple Court,1,2\n"));
  await coordinator.locator("#import-territory").click();
  await coordinator.locator("#setup-result.error").waitFor();
  const refusal = await coordinator.locator("#setup-result").textContent();
  assert.match(refusal, /line 3, column floor: 'one' is not a whole number/);
  assert.match(refusal, /line 4: 3 values/);
  await coordinator.locator('#coverage-total[data-doors="0"]').waitFor();

  await coordinator.locator("#territory-file").setInputFiles(csvFile("building,entrance,floor,door\nMaple Court,1,1,101\nMaple Court,1,1,102\nMaple Court,1,2,201\nMaple Court,1,2,202\n"));
  await coordinator.locator("#import-territory").click();
  await coordinator.locator("#setup-result.notice").waitFor();
  await coordinator.locator('#coverage-total[data-doors="4"][data-visited="0"]').waitFor();

  // Settings: the fever threshold and the campaign's languages.
  await coordinator.locator("#fever-threshold").fill("37.5");
  await coordinator.locator("#save-fever-threshold").click();
  // Revisions: 1 created, 2 the territory, 3 the threshold, 4 the languages.
  await coordinator.locator('#setup-result[data-revision="3"]').waitFor();
  await coordinator.locator('#campaign-languages [data-lang="ko"]').click();
  await coordinator.locator("#save-languages").click();
  await coordinator.locator('#setup-result[data-revision="4"]').waitFor();
  await coordinator.locator('#campaign-languages [data-lang="ko"][aria-pressed="false"]').waitFor();
  const campaign = await coordinator.evaluate(async () => (await (await fetch("/api/v1/coordinator/campaigns/maple")).json()).campaign);
  assert.equal(campaign.settings.fever_threshold_c, 37.5);
  assert.deepEqual(campaign.languages, ["zh-Hans", "zh-Hant", "en"]);

  // Invite a volunteer: a join link and its QR code.
  await coordinator.locator("#invite-name").fill("Xiao Wang");
  await coordinator.locator("#invite-volunteer").click();
  const joinLink = await coordinator.locator("#invitation-link").getAttribute("href");
  assert.equal(await coordinator.locator(".qr svg").count(), 1);

  // The volunteer joins, then works offline: a household with a red code, and a door not at home.
  const { page, context } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinByLink(page, joinLink);
  await page.goto(server.url + "/");
  await context.setOffline(true);
  await page.locator(".building-link").first().click();
  const tiles = page.locator(".door-tile");
  await tiles.first().waitFor();
  assert.equal(await tiles.count(), 2);
  await tiles.nth(0).click();
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  const person = page.locator(".roster-entry").first();
  await person.locator('[data-question="name"] textarea').fill("Park Ji-hoon");
  for (const [question, value] of [["relation", "head"], ["age_band", "18-59"], ["tenure", "tenant"], ["returned_from", "none"], ["health_code", "red"]]) {
    await person.locator(`[data-question="${question}"] [data-value="${value}"]`).click();
  }
  await person.locator('.badge.alert').waitFor(); // the red code is flagged on the phone at once
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-state="final"]').waitFor();
  await tiles.nth(1).click();
  await page.locator('[data-outcome="not_home"]').click();
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-state="revisit"]').waitFor();
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The coordinator sees coverage move and the alert appear, and handles it.
  await coordinator.locator("#console-refresh").click();
  await coordinator.locator('#coverage-total[data-doors="4"][data-visited="2"][data-final="1"]').waitFor();
  assert.equal(await coordinator.locator("#never-visited").getAttribute("data-count"), "2");
  const alert = coordinator.locator('.alert-item[data-kind="red_code"]');
  assert.match(await alert.textContent(), /Red code · Park Ji-hoon · 101/);
  await alert.locator('[data-action="handle"]').click();
  await coordinator.locator('.alert-item[data-kind="red_code"][data-handled="true"]').waitFor();
  assert.match(await coordinator.locator(".alert-item").textContent(), /Handled by Secretary Liu/);
  assert.equal(await coordinator.locator('.volunteer-item .records-today').textContent(), "2");

  // Exports match what was recorded.
  const download = coordinator.waitForEvent("download");
  await coordinator.locator("#export-doors").click();
  const doorsCsv = fs.readFileSync(await (await download).path(), "utf8");
  assert.ok(doorsCsv.startsWith("\uFEFF"), "UTF-8 with a BOM for Excel");
  const rows = doorsCsv.slice(1).trim().split("\r\n").map((row) => row.split(","));
  assert.deepEqual(rows[0].slice(0, 7), ["building", "entrance", "floor", "door", "door_id", "status", "outcome"]);
  assert.deepEqual(rows.slice(1).map((row) => [row[3], row[5], row[6]]), [
    ["101", "final", "answered"], ["102", "revisit", "not_home"], ["201", "unvisited", ""], ["202", "unvisited", ""],
  ]);
  assert.match(rows[1][7], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/, "ISO 8601");
  const exported = await coordinator.evaluate(async () => {
    const text = async (file) => (await fetch(`/api/v1/coordinator/campaigns/maple/exports/${file}`)).text();
    return { people: await text("people.csv"), checks: await text("checks.csv") };
  });
  assert.match(exported.people, /101,[0-9a-f-]{36},Park Ji-hoon,head,18-59,tenant,,none,,red,/);
  assert.equal(exported.checks.trim().split("\r\n").length, 1, "no temperature checks yet: the header only");

  // Revoked: the phone is told, and keeps what it has not sent.
  await coordinator.locator('.volunteer-item [data-action="revoke"]').click();
  await coordinator.locator('.volunteer-item[data-revoked="true"]').waitFor();
  await page.locator(".building-link").first().click();
  await tiles.nth(1).click();
  await page.locator('[data-outcome="refused"]').click();
  await page.locator("#save-record").click();
  await page.locator("#saved-notice").waitFor(); // committed: leaving the page now cannot lose it
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator("#sync-error").filter({ hasText: "Signed out" }).waitFor({ timeout: 30_000 });
  await page.locator('#sync-panel[data-pending="1"]').waitFor();
  await page.locator("#export-unsent").waitFor();
});
