// The volunteer's whole job with the network off from the first tap: a floor
// recorded door by door, a half-filled form kept as a draft across a reload,
// revisits, finding a door and a person, closing the floor, and the door sheet in Korean.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAndPhone, waitUntilOfflineReady, watchPage } from "./harness.mjs";

const FLOOR = "/b/xfl-01/f/1";

async function openDoor(page, doorId) {
  await page.locator(`.door-tile[data-door="${doorId}"]`).click();
  await page.locator(`#door-sheet[data-door="${doorId}"]`).waitFor();
}

async function saveAndExpect(page, doorId, state) {
  await page.locator("#save-record").click();
  await page.locator("#saved-notice").waitFor();
  await page.locator(`.door-tile[data-door="${doorId}"][data-state="${state}"]`).waitFor();
}

test("a floor recorded offline, with a draft across a reload, then closed", async (t) => {
  const { server, phone } = await serverAndPhone(t);
  const { context, page } = phone;
  const problems = watchPage(page);

  // First visit online: the app installs itself and loads the campaign.
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await page.locator(".building-link").first().waitFor();

  // From here on there is no network at all.
  await server.stop();
  await context.setOffline(true);

  await page.locator(`.building-link[href="${FLOOR}"]`).click();
  await page.locator("#door-grid .door-tile").first().waitFor();
  const doors = await page.locator("#door-grid .door-tile").evaluateAll((tiles) => tiles.map((t) => t.dataset.door));
  assert.deepEqual(doors, ["xfl-01-1-101", "xfl-01-1-102", "xfl-01-2-101", "xfl-01-2-102"]);
  assert.equal(await page.locator('.door-tile[data-state="unvisited"]').count(), 4);

  // Door 1: answered, with a household register that first fails validation.
  await openDoor(page, "xfl-01-1-101");
  await page.locator('[data-outcome="answered"]').click();
  await page.locator("#save-record").click();
  await page.locator("#save-problem").waitFor();
  await page.locator('.roster[data-question="people"] > .problem').waitFor(); // at least one person
  await page.locator('[data-action="add-entry"]').click();
  await page.locator("#save-record").click();
  const person = page.locator(".roster-entry").first();
  await person.locator('.question[data-invalid="true"]').first().waitFor();
  assert.equal(await person.locator('.question[data-invalid="true"]').count(), 6, "six required questions unanswered");
  await person.locator('[data-question="name"] textarea').fill("Chen Mei Ling");
  await person.locator('[data-question="phone"] textarea').fill("138 0013 8000");
  await person.locator('[data-question="relation"] [data-value="head"]').click();
  await person.locator('[data-question="age_band"] [data-value="60+"]').click();
  await person.locator('[data-question="tenure"] [data-value="tenant"]').click();
  await person.locator('[data-question="returned_from"] [data-value="province"]').click();
  // Skip logic: a returning resident is asked when, and until when in quarantine.
  await person.locator('.question[data-question="returned_on"]').waitFor();
  await person.locator('[data-question="returned_from"] [data-value="none"]').click();
  await person.locator('.question[data-question="returned_on"]').waitFor({ state: "detached" });
  await person.locator('[data-question="health_code"] [data-value="green"]').click();
  await saveAndExpect(page, "xfl-01-1-101", "final");

  // Door 2: not home. Door 3: vacant.
  await openDoor(page, "xfl-01-1-102");
  await page.locator('[data-outcome="not_home"]').click();
  await saveAndExpect(page, "xfl-01-1-102", "revisit");
  await openDoor(page, "xfl-01-2-101");
  await page.locator('[data-outcome="vacant"]').click();
  await saveAndExpect(page, "xfl-01-2-101", "final");

  // Door 4: half filled, then the tab reloads (offline, from the service worker).
  await openDoor(page, "xfl-01-2-102");
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-action="add-entry"]').click();
  await page.locator('.roster-entry [data-question="name"] textarea').fill("Zhang");
  await page.locator('.roster-entry [data-question="tenure"] [data-value="owner"]').click();
  // The draft's transaction commits on each change: wait until it holds the last one.
  await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("walkbook");
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction("drafts").objectStore("drafts").get(["demo-xingfu", "xfl-01-2-102"]);
          read.onerror = () => (db.close(), resolve(false));
          read.onsuccess = () => (db.close(), resolve(JSON.stringify(read.result?.answers ?? {}).includes("owner")));
        };
      }),
  );
  await page.reload();
  await page.locator("#door-sheet").waitFor();
  await page.locator("#draft-restored").waitFor();
  assert.equal(await page.locator('.roster-entry [data-question="name"] textarea').inputValue(), "Zhang");
  assert.equal(await page.locator('.roster-entry [data-question="tenure"] [data-value="owner"]').getAttribute("aria-pressed"), "true");

  // The records survived the reload too.
  await page.locator(".back").click();
  await page.locator('.door-tile[data-door="xfl-01-1-101"][data-state="final"]').waitFor();
  assert.equal(await page.locator('.door-tile[data-door="xfl-01-1-102"][data-state="revisit"]').count(), 1);
  assert.equal(await page.locator('.door-tile[data-door="xfl-01-2-102"][data-state="unvisited"]').count(), 1);

  // The floor cannot close while doors are open, and says which.
  assert.equal(await page.locator("#close-floor").count(), 0);
  const open = await page.locator("#floor-open-doors").textContent();
  assert.match(open, /1-1-102/);
  assert.match(open, /1-2-102/);
  assert.doesNotMatch(open, /1-1-101/);

  // The not-home door is on the revisit list; found again by its label.
  await page.goto(server.url + "/revisits");
  await page.locator('#revisit-list [data-door="xfl-01-1-102"]').waitFor();
  await page.goto(server.url + "/find");
  await page.locator("#find-door").fill("1-1-10");
  await page.locator('#find-results [data-door="xfl-01-1-102"]').waitFor();
  await page.locator('#find-results [data-door="xfl-01-1-102"]').click();
  await page.locator('#door-sheet[data-door="xfl-01-1-102"]').waitFor();
  await page.locator('[data-outcome="refused"]').click();
  await saveAndExpect(page, "xfl-01-1-102", "final");

  // A caller asks for Chen: found offline on the phone's register by her
  // initials typed full-width and by some digits of her phone, not by a
  // name only in a draft; the result opens her door.
  await page.goto(server.url + "/find");
  const chen = page.locator('#find-people [data-door="xfl-01-1-101"]');
  await page.locator("#find-door").fill("ＣＭＬ");
  await chen.waitFor();
  assert.match(await chen.textContent(), /Chen Mei Ling · 138 0013 8000/);
  await page.locator("#find-door").fill("zhang");
  await page.locator("#find-nothing").waitFor();
  assert.equal(await page.locator("#find-people li").count(), 0);
  await page.locator("#find-door").fill("0013-8000");
  await chen.waitFor();
  await chen.click();
  await page.locator('#door-sheet[data-door="xfl-01-1-101"]').waitFor();
  await page.locator(".back").click();
  await page.locator('.door-tile[data-door="xfl-01-2-102"]').waitFor();

  // Finish the drafted door, then close the floor.
  await openDoor(page, "xfl-01-2-102");
  await page.locator("#draft-restored").waitFor();
  const drafted = page.locator(".roster-entry").first();
  await drafted.locator('[data-question="relation"] [data-value="head"]').click();
  await drafted.locator('[data-question="age_band"] [data-value="18-59"]').click();
  await drafted.locator('[data-question="returned_from"] [data-value="none"]').click();
  await drafted.locator('[data-question="health_code"] [data-value="orange"]').click();
  await saveAndExpect(page, "xfl-01-2-102", "final");
  await page.locator("#close-floor").click();
  await page.locator("#floor-closed").waitFor();
  // The closure is a record in the outbox, for the coordinator's coverage.
  const waiting = await page.evaluate(async () => {
    const db = await new Promise((resolve) => { indexedDB.open("walkbook").onsuccess = (event) => resolve(event.target.result); });
    const entries = await new Promise((resolve) => { db.transaction("outbox").objectStore("outbox").getAll().onsuccess = (event) => resolve(event.target.result); });
    db.close();
    return entries.map((entry) => JSON.parse(entry.json));
  });
  const closure = waiting.find((record) => record.kind?.type === "floor_closed");
  assert.deepEqual(closure?.kind, { type: "floor_closed", building_id: "xfl-01", floor: 1 });
  assert.equal(closure.door_id, "");

  // Switch to Korean: the door sheet follows.
  await page.goto(server.url + "/about");
  await page.locator('button[lang="ko"]').click();
  await page.goto(server.url + FLOOR);
  await openDoor(page, "xfl-01-1-101");
  assert.equal(await page.locator('[data-outcome="not_home"]').textContent(), "부재중");
  // An answered door opens with its household as last recorded.
  assert.equal(await page.locator('[data-outcome="answered"]').getAttribute("aria-pressed"), "true");
  assert.match(await page.locator('.roster[data-question="people"] legend').textContent(), /가구 구성원/);
  assert.match(await page.locator(".roster-entry h3").textContent(), /구성원 1/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "ko");

  assert.deepEqual(problems.filter((p) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
});

test("a phone whose database was cleared says so", async (t) => {
  const { server, phone } = await serverAndPhone(t);
  const { page } = phone;
  await page.goto(server.url + "/");
  await page.locator(".building-link").first().waitFor();
  assert.equal(await page.locator("#data-wiped").count(), 0);
  // The browser evicts the database (localStorage survives, as it can).
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase("walkbook");
        request.onsuccess = resolve;
        request.onblocked = () => reject(new Error("blocked"));
      }),
  );
  await page.reload();
  await page.locator("#data-wiped").waitFor();
  await page.locator(".building-link").first().waitFor();
});

test("floor up and down show the floor at once; the address, back and reload follow", async (t) => {
  const { server, phone } = await serverAndPhone(t);
  const { page } = phone;
  const problems = watchPage(page);
  const firstDoor = () => page.locator("#door-grid .door-tile").first().getAttribute("data-door");
  await page.goto(server.url + FLOOR);
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-101"]').waitFor();

  await page.locator("#floor-up").click();
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-201"]').waitFor();
  await page.waitForURL(server.url + "/b/xfl-01/f/2");
  await page.locator("#floor-up").click();
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-301"]').waitFor();
  await page.waitForURL(server.url + "/b/xfl-01/f/3");
  assert.equal(await page.locator("#door-grid .door-tile").count(), 4);

  // The browser's back goes down the floors walked, one at a time.
  await page.goBack();
  await page.waitForURL(server.url + "/b/xfl-01/f/2");
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-201"]').waitFor();
  await page.locator("#floor-down").click();
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-101"]').waitFor();
  await page.waitForURL(server.url + FLOOR);
  // Nothing of another floor is left in the grid, and a reload stays here.
  assert.deepEqual(await page.locator("#door-grid .door-tile").evaluateAll((tiles) => tiles.map((tile) => tile.dataset.door.split("-")[3][0])), ["1", "1", "1", "1"]);
  await page.reload();
  await page.locator('#door-grid .door-tile[data-door="xfl-01-1-101"]').waitFor();
  assert.equal(await firstDoor(), "xfl-01-1-101");
  assert.deepEqual(problems, []);
});
