// Records made offline reach the real server exactly once when connectivity
// returns, with no tap; two phones at one door see the same status.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inviteVolunteer,
  joinInApp,
  joinedPhone,
  launchPhone,
  recordDoor,
  serverRecords,
  startServer,
  waitUntilOfflineReady,
} from "./harness.mjs";

const RECORDS = 200; // 25 tower floors x 8 doors

test("200 records made offline arrive exactly once, with no tap", async (t) => {
  const { server, phone } = await joinedPhone(t);
  const { context, page } = phone;

  await context.setOffline(true);
  const made = [];
  for (let floor = 1; floor <= RECORDS / 8; floor++) {
    await page.goto(`${server.url}/b/ht-tower/f/${floor}`);
    await page.locator(".door-tile").first().waitFor();
    for (let door = 1; door <= 8; door++) {
      const doorId = `ht-${String(floor).padStart(2, "0")}${String(door).padStart(2, "0")}`;
      await recordDoor(page, doorId, door % 2 ? "not_home" : "vacant");
      made.push(doorId);
    }
  }
  await page.goto(server.url + "/");
  await page.locator(`#sync-panel[data-pending="${RECORDS}"]`).waitFor();
  assert.equal((await serverRecords(page).catch(() => [])).length, 0, "nothing reached the server while offline");

  // Connectivity returns while a floor is open; the app syncs on the
  // "online" event by itself, and the open floor marks each door's record as
  // on the server, without a reload.
  await page.goto(`${server.url}/b/ht-tower/f/3`);
  await page.locator('.door-sync[data-synced="false"]').nth(7).waitFor();
  await context.setOffline(false);
  await page.locator('.door-sync[data-synced="true"]').nth(7).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.door-sync[data-synced="false"]').count(), 0);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 60_000 });
  const onServer = await serverRecords(page);
  assert.equal(onServer.length, RECORDS);
  assert.equal(new Set(onServer.map((r) => r.id)).size, RECORDS, "no record twice");
  assert.deepEqual([...new Set(onServer.map((r) => r.door_id))].sort(), [...made].sort());
});

test("two phones recording one door keep both records and show the same status", async (t) => {
  const server = await startServer();
  const first = await launchPhone({ locale: "en-US" });
  const second = await launchPhone({ locale: "en-US" });
  t.after(async () => {
    await first.close();
    await second.close();
    await server.stop();
  });
  for (const phone of [first, second]) {
    await phone.page.goto(server.url + "/");
    await waitUntilOfflineReady(phone.page);
    await joinInApp(phone.page, server, inviteVolunteer(server));
    await phone.page.goto(`${server.url}/b/xfl-02/f/3`);
    await phone.page.locator(".door-tile").first().waitFor();
  }
  await recordDoor(first.page, "xfl-02-1-301", "not_home");
  await recordDoor(second.page, "xfl-02-1-301", "refused");
  for (const phone of [first, second]) {
    await phone.page.goto(server.url + "/");
    await phone.page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  }
  // The first phone pulls the second's record: waited for as what is
  // asserted, the door turning final on its floor (not the button coming
  // back, which can hold before the sync has even started).
  await first.page.locator("#sync-now").click();
  const states = [];
  for (const phone of [first, second]) {
    await phone.page.goto(`${server.url}/b/xfl-02/f/3`);
    const tile = phone.page.locator('.door-tile[data-door="xfl-02-1-301"][data-state="final"]');
    await tile.waitFor({ timeout: 30_000 });
    states.push([await tile.getAttribute("data-state"), await tile.locator(".door-status").textContent()]);
  }
  const records = await serverRecords(first.page);
  assert.equal(records.filter((r) => r.door_id === "xfl-02-1-301").length, 2, "both records kept");
  assert.deepEqual(states[0], states[1]);
  assert.equal(states[0][0], "final", "the later record (refused) decides");
});

test("a phone that cannot fetch the sync's module keeps its records, says the server is out of reach, and sends them once it can", async (t) => {
  // The sync's work is a split point's module (src/screens/split.rs). A
  // browser without the service worker (nothing precached) whose request
  // for that module fails: the record stays pending, the failure is a sync
  // that could not reach the server, and the same page sends the record
  // once the module arrives.
  const server = await startServer();
  const phone = await launchPhone({ locale: "en-US", serviceWorkers: "block" });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  const { context, page } = phone;
  const syncModule = /\/split_sync-[0-9a-f]{16}\.wasm$/;
  const refused = [];
  await context.route(syncModule, (route) => {
    refused.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  await joinInApp(page, server, inviteVolunteer(server));
  await page.goto(`${server.url}/b/xfl-02/f/3`);
  await page.locator(".door-tile").first().waitFor();
  await recordDoor(page, "xfl-02-1-301", "not_home");
  await page.locator(".topbar-brand").click();
  await page.locator('#sync-panel[data-pending="1"]').waitFor();
  const error = page.locator("#sync-error");
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.textContent(), /Cannot reach the server/);
  assert.ok(refused.length > 0, "the sync asked for its module");
  assert.equal((await serverRecords(page)).length, 0, "nothing reached the server");

  await context.unroute(syncModule);
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  await error.waitFor({ state: "detached" });
  const onServer = await serverRecords(page);
  assert.deepEqual(onServer.map((record) => record.door_id), ["xfl-02-1-301"]);
});
