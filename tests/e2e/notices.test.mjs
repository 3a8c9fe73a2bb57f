// Notice rounds: the demo campaign names two notices (the plain-language
// sheet, then the letter to residents). One floor records both offline, the
// console shows each notice's progress by building, and a third notice
// named in the console reaches the phone at its next sync.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, openDemoConsole, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

test("two notice rounds on one floor, their progress in the console, and a third named there", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));

  await context.setOffline(true);
  await page.goto(`${server.url}/b/xfl-03/f/2`);
  const sheet = page.locator('.notice-round[data-notice="sheet"]');
  const letter = page.locator('.notice-round[data-notice="letter"]');
  assert.match(await sheet.locator(".notice-name").textContent(), /Plain-language sheet/);
  assert.match(await letter.locator(".notice-name").textContent(), /Letter to residents/);
  await sheet.locator(".post-notice").click();
  await page.locator('.notice-round[data-notice="sheet"][data-posted="true"]').waitFor();
  // The letter is a second round: still to post on this floor.
  assert.equal(await letter.getAttribute("data-posted"), "false");
  await letter.locator(".post-notice").click();
  await page.locator('.notice-round[data-notice="letter"][data-posted="true"]').waitFor();
  assert.equal(await page.locator(".post-notice").count(), 0, "each notice once on this floor");
  assert.equal(await sheet.locator(".notice-missing").getAttribute("data-floors"), "1,3,4,5,6");
  // The next floor shows both still to post.
  await page.goto(`${server.url}/b/xfl-03/f/3`);
  await page.locator('.notice-round[data-notice="letter"][data-posted="false"] .post-notice').waitFor();
  assert.equal(await page.locator(".post-notice").count(), 2);

  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The console: each notice's progress in the building.
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  const building = coordinator.locator('.console-building[data-building="xfl-03"]');
  await building.locator('.notice-progress[data-notice="sheet"][data-posted="1"]').waitFor();
  await building.locator('.notice-progress[data-notice="letter"][data-posted="1"]').waitFor();
  assert.match(await building.locator('.notice-progress[data-notice="letter"]').textContent(), /Letter to residents 1 \/ 6/);
  await coordinator.locator('.console-building[data-building="xfl-04"] .notice-progress[data-notice="sheet"][data-posted="0"]').waitFor();

  // A notice without its name in every language is refused, and nothing changes.
  await coordinator.locator("#new-notice-id").fill("vaccination");
  await coordinator.locator("#new-notice-en").fill("Vaccination day");
  await coordinator.locator("#add-notice").click();
  await coordinator.locator("#setup-result.error", { hasText: "notice 'vaccination' has no label in zh-Hans" }).waitFor();
  assert.equal(await coordinator.locator("#notice-list li").count(), 2);
  // Named in the campaign's four languages, it is added after the others.
  await coordinator.locator("#new-notice-zh-Hans").fill("疫苗接种日");
  await coordinator.locator("#new-notice-zh-Hant").fill("疫苗接種日");
  await coordinator.locator("#new-notice-ko").fill("예방접종일");
  await coordinator.locator("#add-notice").click();
  await coordinator.locator('#notice-list li[data-notice="vaccination"]').waitFor();
  assert.deepEqual(await coordinator.locator("#notice-list li").evaluateAll((items) => items.map((li) => li.dataset.notice)), ["sheet", "letter", "vaccination"]);

  // The phone learns it at its next sync (the app syncs as it starts): a
  // third round on the floor.
  await page.goto(`${server.url}/b/xfl-03/f/2`);
  const vaccination = page.locator('.notice-round[data-notice="vaccination"][data-posted="false"]');
  await vaccination.waitFor({ timeout: 30_000 });
  assert.match(await vaccination.locator(".notice-name").textContent(), /Vaccination day/);
  await vaccination.locator(".post-notice").click();
  await page.locator('.notice-round[data-notice="vaccination"][data-posted="true"]').waitFor();
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  const records = await page.evaluate(async () => (await (await fetch("/api/v1/sync/pull?cursor=0")).json()).records);
  assert.deepEqual(records.map((r) => r.kind.notice_id).sort(), ["letter", "sheet", "vaccination"]);
});
