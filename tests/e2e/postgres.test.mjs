// The real walkbook-server on PostgreSQL (`--db postgres://...`): a phone's
// offline records arrive exactly once, as on SQLite. scripts/test.sh starts
// the PostgreSQL server and sets WALKBOOK_TEST_POSTGRES_URL.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, launchPhone, recordDoor, serverRecords, startServer, waitUntilOfflineReady } from "./harness.mjs";

const adminUrl = process.env.WALKBOOK_TEST_POSTGRES_URL;

function freshDatabase() {
  const psql = fs.readdirSync("/usr/lib/postgresql").sort().map((v) => `/usr/lib/postgresql/${v}/bin/psql`).pop();
  const name = `walkbook_e2e_${Date.now()}`;
  execFileSync(psql, [adminUrl, "-qc", `CREATE DATABASE ${name}`]);
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

test("on PostgreSQL, records made offline arrive exactly once", async (t) => {
  assert.ok(adminUrl, "scripts/test.sh starts PostgreSQL and sets WALKBOOK_TEST_POSTGRES_URL");
  const server = await startServer({ dbPath: freshDatabase() });
  const phone = await launchPhone({ locale: "en-US" });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  const health = await (await fetch(`${server.url}/api/v1/health`)).json();
  assert.equal(health.database, "postgres");
  const { context, page } = phone;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server));
  await context.setOffline(true);
  await page.goto(`${server.url}/b/ht-tower/f/7`);
  await page.locator(".door-tile").first().waitFor();
  const doors = await page.locator(".door-tile").evaluateAll((tiles) => tiles.map((tile) => tile.dataset.door));
  for (const door of doors) await recordDoor(page, door, "not_home");
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  const onServer = await serverRecords(page);
  assert.equal(onServer.length, doors.length);
  assert.deepEqual(onServer.map((r) => r.door_id).sort(), [...doors].sort());
});
