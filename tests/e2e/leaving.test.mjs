// A volunteer leaving signs out and wipes the phone: refused while a record
// is unsent; once everything is on the server, two taps end the session on
// the server and delete what the phone holds, and the app starts over as on
// a new phone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { joinedPhone, recordDoor } from "./harness.mjs";

test("sign out and wipe: not while a record is unsent, then the session ends and the phone holds nothing", async (t) => {
  const { server, phone } = await joinedPhone(t);
  const { context, page } = phone;

  // A door recorded with no network: one record waits on the phone.
  await context.setOffline(true);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await page.goto(server.url + "/about");
  await page.locator('#wipe-blocked[data-unsent="1"]').waitFor();
  assert.match(await page.locator("#wipe-blocked").textContent(), /1 records are not on the server yet/);
  assert.equal(await page.locator("#wipe-phone").count(), 0);

  // Back online, the record reaches the server; now the phone can be wiped.
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#sync-panel[data-pending="0"]').waitFor();
  await page.goto(server.url + "/about");
  await page.locator("#wipe-phone").click();
  await page.locator('#wipe-phone[data-confirming="true"]').waitFor();
  assert.match(await page.locator("#wipe-phone").textContent(), /Tap again/);
  await page.locator("#wipe-phone").click();

  // The app starts over: not joined, the demo campaign, no record of the
  // door on the phone, no warning that data was lost.
  await page.waitForURL(server.url + "/");
  await page.locator(".building-link").first().waitFor();
  await page.goto(server.url + "/about");
  await page.locator("#app-version").waitFor();
  assert.equal(await page.locator("#leave-campaign").count(), 0, "no longer joined");
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator('.door-tile[data-door="xfl-01-1-101"][data-state="unvisited"]').waitFor();
  assert.equal(await page.locator("#data-wiped").count(), 0);
  // The old session cookie, if the browser still sent one, no longer pulls anything.
  const status = await page.evaluate(async () => (await fetch("/api/v1/sync/pull?cursor=0")).status);
  assert.equal(status, 401);
});
