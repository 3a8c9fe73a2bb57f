// Phones that follow assignments: a volunteer invited to one building sees
// "My buildings" with only it and cannot record elsewhere; the coordinator
// sees who works where and moves them; the phone learns it on its next sync
// and gets the new building's records made before (its pull starts over).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inviteVolunteer,
  joinInApp,
  launchPhone,
  openDemoConsole,
  recordDoor,
  serverCommand,
  serverDeskAndPhone,
  waitUntilOfflineReady,
} from "./harness.mjs";

async function syncedHome(page, server) {
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor();
}

test("a volunteer works only their buildings, and a reassignment reaches the phone with the new building's records", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const other = await launchPhone({ locale: "en-US" });
  t.after(() => other.close());

  // Volunteer Li works the whole campaign and finds nobody home in block 2.
  const li = other.page;
  await li.goto(server.url + "/");
  await waitUntilOfflineReady(li);
  await joinInApp(li, server, inviteVolunteer(server, "Volunteer Li"));
  await li.goto(server.url + "/b/xfl-02/f/1");
  await recordDoor(li, "xfl-02-1-101", "not_home");
  await syncedHome(li, server);

  // Volunteer Wang is invited to block 1 only.
  const code = serverCommand(server, "invite", "--name", "Volunteer Wang", "--building", "xfl-01").match(/Join code: (\S+)/)[1];
  const page = phone.page;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, code);
  await syncedHome(page, server);
  await page.locator('#buildings[data-assigned="true"]').waitFor();
  assert.match(await page.locator("#buildings h2").textContent(), /My buildings/);
  const links = () => page.locator("#buildings .building-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(await links(), ["/b/xfl-01/f/1"]);
  // Another building cannot be recorded in, even by its address.
  await page.goto(server.url + "/b/xfl-02/f/1");
  await page.locator("#not-assigned").waitFor();
  assert.equal(await page.locator(".door-tile").count(), 0);

  // The coordinator sees who works where, and moves Wang to block 2.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const wang = coordinator.locator(".volunteer-item", { hasText: "Volunteer Wang" });
  await wang.locator(".works-where", { hasText: "Xingfuli Block 1" }).waitFor();
  assert.match(await coordinator.locator(".volunteer-item", { hasText: "Volunteer Li" }).locator(".works-where").textContent(), /All buildings/);
  await wang.locator("summary").click();
  await wang.locator('input[data-building="xfl-01"]').uncheck();
  await wang.locator('input[data-building="xfl-02"]').check();
  await wang.locator('[data-action="assign"]').click();
  await wang.locator(".works-where", { hasText: "Xingfuli Block 2" }).waitFor();
  assert.doesNotMatch(await wang.locator(".works-where").textContent(), /Block 1/);

  // On its next sync the phone works block 2, where Li's visit (made
  // before Wang worked there) shows; block 1 is closed to it now.
  await syncedHome(page, server);
  await page.locator('#buildings .building-link[href="/b/xfl-02/f/1"]').waitFor();
  assert.deepEqual(await links(), ["/b/xfl-02/f/1"]);
  await page.locator('#buildings .building-link[href="/b/xfl-02/f/1"]').click();
  await page.locator('.door-tile[data-door="xfl-02-1-101"][data-state="revisit"]').waitFor();
  await recordDoor(page, "xfl-02-1-102", "vacant");
  await syncedHome(page, server);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator("#not-assigned").waitFor();
});
