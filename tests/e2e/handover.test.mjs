// Handing unsent records over between phones: phone A (its key registered
// when it joined) records two doors with no network and hands them over as
// a file; phone B refuses the package cut short, altered, or from another
// campaign, imports the real one (offline: its records wait, shown as from
// another phone), and sends it: the server holds each record once.
// Imported again, nothing is new. When A comes back, its own copies answer
// "duplicate": nothing is refused, nothing doubled.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { inviteVolunteer, joinInApp, launchPhone, phoneWithTwoUnsentDoors, serverRecords, startServer, waitUntilOfflineReady } from "./harness.mjs";

test("records handed over by file from an offline phone reach the server once through another", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const maker = await phoneWithTwoUnsentDoors(server);
  t.after(() => maker.close());
  const relay = await launchPhone({ locale: "en-US" });
  t.after(() => relay.close());

  const a = maker.page;
  const [download] = await Promise.all([a.waitForEvent("download"), a.locator("#export-unsent").click()]);
  const file = await readFile(await download.path(), "utf8");
  const made = JSON.parse(file);
  assert.equal(made.format, "walkbook-handover/1");
  assert.deepEqual(made.records.map((r) => r.record.door_id).sort(), ["xfl-01-1-101", "xfl-01-1-102"]);

  const b = relay.page;
  await b.goto(server.url + "/");
  await waitUntilOfflineReady(b);
  await joinInApp(b, server, inviteVolunteer(server, "Xiao Li"));
  await b.goto(server.url + "/");
  const result = b.locator("#handover-result");
  const importFile = (text) =>
    b.locator("#import-handover").setInputFiles({ name: "walkbook-handover.json", mimeType: "application/json", buffer: Buffer.from(text) });

  // Refused, each with why; nothing of them is kept.
  await importFile(file.slice(0, file.length / 2));
  await result.filter({ hasText: "This file is not a whole handover package: nothing was imported" }).waitFor();
  const altered = JSON.parse(file);
  altered.records[0].record.outcome = { kind: "vacant" };
  await importFile(JSON.stringify(altered));
  await result.filter({ hasText: "This package was altered (a signature does not match): nothing was imported" }).waitFor();
  const dropped = JSON.parse(file);
  dropped.records.pop();
  await importFile(JSON.stringify(dropped));
  await b.locator("#handover-result.error", { hasText: "altered" }).waitFor();
  const elsewhere = { ...JSON.parse(file), campaign_id: "another-campaign" };
  await importFile(JSON.stringify(elsewhere));
  await result.filter({ hasText: "This package is from another campaign: nothing was imported" }).waitFor();
  await b.locator('#sync-panel[data-pending="0"]').waitFor();
  assert.equal((await serverRecords(b)).length, 0);

  // The package itself, imported with no network: kept as relayed, shown
  // so (waiting, and on the floor as from another phone), then sent with
  // B's next sync.
  await relay.context.setOffline(true);
  await importFile(file);
  await result.filter({ hasText: "2 records from another phone imported: this phone will send them" }).waitFor();
  await b.locator('#sync-panel[data-pending="2"] #sync-relayed', { hasText: "2 of them from another phone" }).waitFor();
  await b.goto(server.url + "/b/xfl-01/f/1");
  const relayedTile = b.locator('.door-tile[data-door="xfl-01-1-102"][data-state="final"] .door-sync');
  await relayedTile.filter({ hasText: "from another phone, not sent yet" }).waitFor();
  assert.equal(await relayedTile.getAttribute("data-relayed"), "true");
  await relay.context.setOffline(false);
  await b.goto(server.url + "/");
  await b.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  assert.equal(await b.locator("#sync-relayed").count(), 0);
  const held = (await serverRecords(b)).filter((record) => record.device_id === made.device_id);
  assert.deepEqual(held.map((record) => record.id).sort(), made.records.map((r) => r.record.id).sort());
  // B's floor shows the doors A visited, on the server now.
  await b.goto(server.url + "/b/xfl-01/f/1");
  await b.locator('.door-tile[data-door="xfl-01-1-102"][data-state="final"] .door-sync[data-synced="true"]').waitFor();

  // Imported again (a package sent twice): nothing new.
  await b.goto(server.url + "/");
  await importFile(file);
  await result.filter({ hasText: "Nothing new: this phone already has these records" }).waitFor();

  // A comes back: its copies are on the server already.
  await maker.context.setOffline(false);
  await a.goto(server.url + "/");
  await a.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  assert.equal(await a.locator("#sync-refused").count(), 0, "nothing refused");
  assert.equal((await serverRecords(b)).filter((record) => record.device_id === made.device_id).length, 2, "each held once");
});
