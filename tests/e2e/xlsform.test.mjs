// A committee's XLSForm, end to end: the coordinator previews it in the
// console (drawn as a phone draws it), a refused file is named where it is
// wrong, the form is stored, a volunteer's phone receives it, fills it in
// offline with its groups, repeat, skip logic and constraints, and the
// exports carry its answers.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, openDemoConsole, root, serverDeskAndPhone, waitUntilOfflineReady } from "./harness.mjs";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const spreadsheet = (file) => ({ name: path.basename(file), mimeType: XLSX, buffer: fs.readFileSync(path.join(root, file)) });

test("an XLSForm is previewed, stored, filled in offline and exported", async (t) => {
  const { server, desk, phone } = await serverDeskAndPhone(t);
  const coordinator = desk.page;
  await openDemoConsole(coordinator, server);
  await coordinator.locator("#xlsform-downloads [data-form=household]").waitFor();

  // A form Walkbook cannot ask is refused, each problem where it is; nothing is stored.
  await coordinator.locator("#xlsform-file").setInputFiles(spreadsheet("crates/xlsform/tests/public/pyxform/gps.xls"));
  await coordinator.locator("#preview-xlsform").click();
  await coordinator.locator("#xlsform-problems li").filter({ hasText: "survey, row 2, column 'type': 'gps': locations are not supported" }).waitFor();

  // The committee's form: previewed as a phone draws it, with what was left out.
  await coordinator.locator("#xlsform-file").setInputFiles(spreadsheet("tests/fixtures/household-xlsform.xlsx"));
  await coordinator.locator("#preview-xlsform").click();
  const preview = coordinator.locator('#xlsform-preview[data-version="4"]');
  await preview.waitFor();
  assert.match(await coordinator.locator("#xlsform-warnings").textContent(), /'start' start is left out/);
  assert.equal(await preview.locator('[data-question="home"] .note-text').textContent(), "About the household");
  assert.equal(await preview.locator('[data-question="household_size"] .hint').textContent(), "Everyone who sleeps here");
  assert.equal(await preview.locator('[data-question="pet_kind"]').count(), 0, "skip logic: no pets, no question");
  await preview.locator('[data-question="has_pets"] [data-value="yes"]').click();
  await preview.locator('[data-question="pet_kind"]').waitFor();
  const before = await coordinator.evaluate(async () => (await (await fetch("/api/v1/coordinator/campaigns/demo-xingfu")).json()).campaign.revision);
  await coordinator.locator("#store-xlsform").click();
  await coordinator.locator('#xlsform-stored[data-version="4"]').waitFor();
  const after = await coordinator.evaluate(async () => (await (await fetch("/api/v1/coordinator/campaigns/demo-xingfu")).json()).campaign);
  assert.equal(after.revision, before + 1, "the preview stored nothing; storing made one revision");
  await coordinator.locator("#xlsform-downloads [data-form=household]").filter({ hasText: "household v4" }).waitFor();

  // A volunteer's phone receives it and fills it in with the network off.
  const { page, context } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Xiao Wang"));
  await page.goto(server.url + "/");
  await context.setOffline(true);
  await page.locator('.building-link[href="/b/xfl-01/f/1"]').click();
  await page.locator('.door-tile[data-door="xfl-01-1-101"]').click();
  await page.locator('#door-sheet[data-door="xfl-01-1-101"]').waitFor();
  await page.locator('[data-outcome="answered"]').click();
  await page.locator('[data-question="home"] .note-text').filter({ hasText: "About the household" }).waitFor();
  await page.locator('[data-question="household_size"] input').fill("25");
  await page.locator('[data-question="has_pets"] [data-value="yes"]').click();
  await page.locator('[data-question="pet_kind"] textarea').fill("cat");
  await page.locator('[data-action="add-entry"]').click();
  const person = page.locator(".roster-entry").first();
  assert.equal(await person.locator('[data-question="vaccinated"]').count(), 0, "asked from age 3 only");
  await person.locator('[data-question="name"] textarea').fill("Chen Jing");
  await person.locator('[data-question="age"] input').fill("34");
  await person.locator('[data-question="vaccinated"] [data-value="yes"]').click();
  await page.locator("#save-record").click();
  await page.locator('[data-question="household_size"] .problem').filter({ hasText: "Between 1 and 20" }).waitFor();
  await page.locator('[data-question="household_size"] input').fill("2");
  await page.locator("#save-record").click();
  await page.locator('.door-tile[data-door="xfl-01-1-101"][data-state="final"]').waitFor();
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });

  // The exports carry the form's answers.
  const exported = await coordinator.evaluate(async () => {
    const text = async (file) => (await fetch(`/api/v1/coordinator/campaigns/demo-xingfu/exports/${file}`)).text();
    return { doors: await text("doors.csv"), people: await text("people.csv") };
  });
  const row = (csv, needle) => {
    const [header, ...lines] = csv.slice(1).trim().split("\r\n").map((line) => line.split(","));
    const line = lines.find((cells) => cells.includes(needle));
    assert.ok(line, `${needle} in ${csv}`);
    return Object.fromEntries(header.map((name, i) => [name, line[i]]));
  };
  const door = row(exported.doors, "xfl-01-1-101");
  assert.deepEqual([door.household_size, door.has_pets, door.pet_kind], ["2", "yes", "cat"]);
  const chen = row(exported.people, "Chen Jing");
  assert.deepEqual([chen.age, chen.vaccinated], ["34", "yes"]);
});
