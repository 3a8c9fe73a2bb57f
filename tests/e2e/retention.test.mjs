// Retention: a coordinator closes the campaign in the console; the phone
// learns it at its next sync, erases what the server has (keeping a record
// it could not send until it arrives) and takes no more records; a join code
// handed out before is refused; `walkbook-server purge --now` erases names,
// phone numbers and notes on the server and keeps the counts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PUSH, failPushes, inviteVolunteer, joinInApp, openDemoConsole, recordDoor, serverCommand, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

/** In the page: the doors of the records the phone's IndexedDB holds, sorted. */
const doorsOfRecordsOnPhone = () =>
  new Promise((resolve, reject) => {
    const open = indexedDB.open("walkbook");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction("records").objectStore("records").getAll();
      request.onsuccess = () => {
        resolve(request.result.map((record) => record.door_id).sort());
        open.result.close();
      };
      request.onerror = () => reject(request.error);
    };
  });

/** A coordinator's CSV export, as the console's link downloads it. */
function exported(page, file) {
  return page.evaluate(async (file) => (await fetch(`/api/v1/coordinator/campaigns/demo-xingfu/exports/${file}`)).text(), file);
}

test("a closed campaign: the phone erases what was sent, keeps the unsent until it arrives; purge erases names on the server", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  const spareCode = inviteVolunteer(server, "Volunteer Li");
  await joinInApp(page, server, inviteVolunteer(server, "Volunteer Wang"));

  // A household with a resident's name and phone number, synced.
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator('.door-tile[data-door="xfl-01-1-101"]').click();
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  const person = page.locator(".roster-entry").first();
  await person.locator('[data-question="name"] textarea').fill("Chen Mei Ling");
  await person.locator('[data-question="phone"] textarea').fill("138 0013 8000");
  await person.locator('[data-question="relation"] [data-value="head"]').click();
  await person.locator('[data-question="age_band"] [data-value="60+"]').click();
  await person.locator('[data-question="tenure"] [data-value="tenant"]').click();
  await person.locator('[data-question="returned_from"] [data-value="none"]').click();
  await person.locator('[data-question="health_code"] [data-value="green"]').click();
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-01-1-101"][data-state="final"] .door-sync[data-synced="true"]').waitFor();

  // Then pushes stop getting through (pulls still do), and a second door waits on the phone.
  await failPushes(context);
  await recordDoor(page, "xfl-01-1-102", "not_home");

  // The coordinator closes the campaign: the first tap asks, the second closes.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  await coordinator.locator("#retention-days").fill("5000");
  await coordinator.locator("#save-retention-days").click();
  await coordinator.locator("#setup-result.error").waitFor();
  assert.match(await coordinator.locator("#setup-result").textContent(), /retention_days must be 0 to 3650/);
  await coordinator.locator("#close-campaign").click();
  await coordinator.locator('#close-campaign[data-confirming="true"]').waitFor();
  await coordinator.locator("#close-campaign").click();
  const state = coordinator.locator('#campaign-closed-state[data-erased="false"]');
  await state.waitFor();
  assert.match(await state.textContent(), /Closed .* · personal data erased on /);

  // A join code handed out before closing is refused, with the reason.
  const join = await coordinator.evaluate(async (code) => {
    const response = await fetch("/api/v1/join", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
    return { status: response.status, body: await response.json() };
  }, spareCode);
  assert.equal(join.status, 409);
  assert.match(join.body.error.message, /This campaign was closed on \d{4}-\d\d-\d\d/);

  // The phone's next sync: the campaign is closed, what the server has is
  // erased here, the unsent record stays, and no door can be recorded.
  await page.goto(server.url + "/");
  await page.locator("#sync-now").click();
  await page.locator('#campaign-closed[data-unsent="1"]').waitFor();
  assert.match(await page.locator("#closed-unsent").textContent(), /1 records are not on the server yet/);
  await page.waitForFunction(`(${doorsOfRecordsOnPhone})().then((doors) => doors.join() === "xfl-01-1-102")`);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await page.locator("#campaign-closed").waitFor();
  assert.equal(await page.locator("#door-grid").count(), 0, "no floor to record on");

  // Pushes get through again: the record arrives, then goes from the phone too.
  await context.unroute(PUSH);
  await page.locator("#sync-now").click();
  await page.locator('#campaign-closed[data-unsent="0"]').waitFor();
  await page.waitForFunction(`(${doorsOfRecordsOnPhone})().then((doors) => doors.length === 0)`);
  assert.match(await exported(coordinator, "doors.csv"), /,xfl-01-1-102,revisit,not_home,/);

  // The server erases personal data when the retention period ends, or at once.
  assert.match(serverCommand(server, "purge", "--campaign", "demo-xingfu"), /personal data is erased on \d{4}-\d\d-\d\d/);
  assert.match(await exported(coordinator, "people.csv"), /Chen Mei Ling/);
  assert.match(
    serverCommand(server, "purge", "--campaign", "demo-xingfu", "--now"),
    /Erased the personal data of campaign demo-xingfu: 2 records, 1 of them with names, phone numbers or notes removed/,
  );
  const people = await exported(coordinator, "people.csv");
  assert.doesNotMatch(people, /Chen Mei Ling|138 0013 8000/);
  assert.match(people, /,head,60\+,tenant,/, "the answers counts are made of stay");
  assert.match(await exported(coordinator, "doors.csv"), /,xfl-01-1-101,final,answered,/);
  await coordinator.locator("#console-refresh").click();
  await coordinator.locator('#campaign-closed-state[data-erased="true"]').waitFor();
});
