// Shops: the console imports a territory whose CSV names a street of shops
// beside a residential block; a volunteer visits a shop offline and lists
// its staff with their health-code colours; shops.csv has the shop's row,
// with one column per question of the shop form and its staff.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createConsoleCampaign, csvFile, joinByLink, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

test("a shop street imported by CSV, a shop's staff recorded offline, and shops.csv", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const coordinator = desk.page;
  await createConsoleCampaign(coordinator, server, "market", "Market check");

  // A kind the import does not know is refused with its line; then the real file.
  await coordinator.locator("#territory-file").setInputFiles(csvFile("building,entrance,floor,door,kind\nHeping Street,,1,No. 12 Noodles,bakery\n"));
  await coordinator.locator("#import-territory").click();
  await coordinator.locator("#setup-result.error").waitFor();
  assert.match(await coordinator.locator("#setup-result").textContent(), /line 2, column kind: 'bakery' is not a kind of building/);
  await coordinator.locator("#territory-file").setInputFiles(
    csvFile("building,entrance,floor,door,kind\nMaple Court,1,1,101,\nHeping Street,,1,No. 12 Noodles,shops\nHeping Street,,1,Li's Pharmacy,shops\n"),
  );
  await coordinator.locator("#import-territory").click();
  await coordinator.locator("#setup-result.notice").waitFor();
  await coordinator.locator('#coverage-total[data-doors="3"]').waitFor();
  await coordinator.locator("#invite-name").fill("Xiao Wang");
  await coordinator.locator("#invite-volunteer").click();
  const joinLink = await coordinator.locator("#invitation-link").getAttribute("href");

  // The volunteer joins, then visits the noodle shop with no network.
  const { page, context } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinByLink(page, joinLink);
  await page.goto(server.url + "/");
  await context.setOffline(true);
  await page.locator(".building-link", { hasText: "Heping Street" }).click();
  await page.locator(".door-tile", { hasText: "No. 12 Noodles" }).click();
  await page.locator('[data-outcome="answered"]').click();
  for (const [name, code] of [["Li", "green"], ["Wang", "red"]]) {
    await page.locator('[data-action="add-entry"]').click();
    const staff = page.locator(".roster-entry").last();
    await staff.locator('[data-question="name"] textarea').fill(name);
    await staff.locator(`[data-question="health_code"] [data-value="${code}"]`).click();
  }
  await page.locator('[data-question="thermometer"] [data-value="yes"]').click();
  await page.locator('[data-question="notice_posted"] [data-value="no"]').click();
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-state="final"]', { hasText: "No. 12 Noodles" }).waitFor();
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  const shops = await coordinator.evaluate(async () => (await fetch("/api/v1/coordinator/campaigns/market/exports/shops.csv")).text());
  const rows = shops.trim().split("\r\n");
  assert.equal(rows.length, 3, shops);
  assert.match(rows[0], /,thermometer,notice_posted,notes,staff \(name \/ health_code\)$/);
  assert.match(shops, /No\. 12 Noodles,[^\r]*,final,answered,[^\r]*,yes,no,,Li \/ green; Wang \/ red\r\n/);
  assert.match(shops, /Li's Pharmacy,[^\r]*,unvisited,/);
});
