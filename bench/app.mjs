// Walkbook's volunteer-side benchmarks, in the real app in headless Chromium
// against the real server. Prints markdown tables; compare figures within one
// run (these machines are shared and noisy).
//
//   WALKBOOK_BENCH_DIST=dist-bench WALKBOOK_DIST=dist node bench/app.mjs
//
// dist-bench is the app built with the `bench` feature (scripts/bench.sh).
import os from "node:os";
import { inviteVolunteer, joinInApp, launchPhone, serverRecords, startServer, waitUntilOfflineReady } from "../tests/e2e/harness.mjs";
import { pouchdbReplication } from "./pouchdb.mjs";
import { serverIngest } from "./ingest.mjs";
import { territoryImport } from "./territory.mjs";
import { measureSizes, sizesTable, splitModuleSizes } from "./sizes.mjs";

const benchDist = process.env.WALKBOOK_BENCH_DIST ?? "dist-bench";
const shippedDist = process.env.WALKBOOK_DIST ?? "dist";
const SAVES = Number(process.env.WALKBOOK_BENCH_SAVES ?? 1000);
const PENDING = Number(process.env.WALKBOOK_BENCH_PENDING ?? 10000);
const FLOOR_SWITCHES = 19; // floor 1 up to floor 20
const STARTS = 5;
const FIND_HOUSEHOLDS = 6000;
const FIND_QUERIES = 20;
/** Records made over a day are pushed when the phone regains signal, not
 * milliseconds after being written: both pushes (Walkbook's and PouchDB's)
 * start once the browser's storage has had a few seconds to settle after
 * the bulk writes that set them up (LevelDB compacts in the background). */
const SETTLE_MS = 5000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
const ms = (value) => `${value.toFixed(1)} ms`;

const server = await startServer({ distDir: benchDist });
const phone = await launchPhone({ locale: "en-US" });
const { context, page } = phone;
const cdp = await context.newCDPSession(page);
const throttle = (rate) => cdp.send("Emulation.setCPUThrottlingRate", { rate });
const rows = [];

try {
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await page.locator(".building-link").first().waitFor();

  // 1. Save to durable: each save awaited until its strict transaction completed.
  for (const rate of [1, 4]) {
    await throttle(rate);
    const timings = await page.evaluate((n) => window.wasmBindings.bench_save_latency(n), SAVES);
    const s = stats(timings);
    rows.push([`save to durable (${SAVES} saves), CPU ${rate}x`, `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`, rate === 4 ? "p95 ≤ 20 ms" : ""]);
  }
  await throttle(1);

  // 2. Floor switch in a 10,000-door territory: tap "floor up" until the new
  //    floor's doors are in the DOM (MutationObserver, not frame-quantised).
  const doors = await page.evaluate(() => window.wasmBindings.bench_install_territory(25, 20, 20));
  await page.goto(server.url + "/b/gen-013/f/1");
  await page.locator(".door-tile").first().waitFor();
  for (const rate of [1, 4]) {
    await throttle(rate);
    await page.goto(server.url + "/b/gen-013/f/1");
    await page.locator(".door-tile").first().waitFor();
    const timings = await page.evaluate(async (switches) => {
      const results = [];
      for (let floor = 2; floor <= switches + 1; floor++) {
        // A volunteer spends minutes on a floor; 300 ms is enough for the
        // app's prefetch of the neighbouring floors to finish.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const expected = `gen-013-${String(floor).padStart(2, "0")}01`;
        const started = performance.now();
        const done = new Promise((resolve) => {
          const grid = document.querySelector("#door-grid") ?? document.body;
          const check = () => document.querySelector("#door-grid .door-tile")?.dataset.door === expected;
          const observer = new MutationObserver(() => {
            if (check()) {
              observer.disconnect();
              resolve(performance.now() - started);
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        });
        document.querySelector("#floor-up").click();
        results.push(await done);
      }
      return results;
    }, FLOOR_SWITCHES);
    const s = stats(timings);
    rows.push([`floor switch (${doors} doors, ${FLOOR_SWITCHES} switches), CPU ${rate}x`, `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`, rate === 1 ? "≤ 16 ms" : "≤ 33 ms"]);
  }
  await throttle(1);

  // 2b. Find a person among 6,000 households (about 15,000 people) of that
  //     territory: from the keystroke (the input event) to the person
  //     looked for in the results, with the register already read.
  const people = await page.evaluate((n) => window.wasmBindings.bench_install_households(n), FIND_HOUSEHOLDS);
  const queries = [];
  for (let i = 0; i < FIND_QUERIES; i++) {
    const person = 1 + ((i * 7919) % people);
    const byName = i % 2 === 0;
    const typed = byName
      ? await page.evaluate((n) => window.wasmBindings.bench_person_name(n), person)
      : String(person).padStart(8, "0");
    queries.push([typed, `person-${person}`]);
  }
  for (const rate of [1, 4]) {
    await throttle(rate);
    await page.goto(server.url + "/find");
    await page.locator(`#find-door[data-register="${people}"]`).waitFor({ timeout: 120_000 });
    const timings = await page.evaluate(async (queries) => {
      const input = document.querySelector("#find-door");
      const results = [];
      for (const [typed, expected] of queries) {
        const started = performance.now();
        const found = () => document.querySelector(`#find-people [data-person="${expected}"]`);
        const done = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (found()) {
              observer.disconnect();
              resolve(performance.now() - started);
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        });
        input.value = typed;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        results.push(await done);
      }
      return results;
    }, queries);
    const s = stats(timings);
    rows.push([
      `find a person (${FIND_HOUSEHOLDS} households, ${people} people; names and phone digits, ${queries.length} searches), CPU ${rate}x`,
      `p50 ${ms(s.p50)}, max ${ms(s.max)}`,
      rate === 4 ? "≤ 50 ms" : "",
    ]);
  }
  await throttle(1);

  // 3. Repeat start from the service-worker cache, offline, at 4x:
  //    navigation start to the first door tile in the DOM.
  await context.setOffline(true);
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(".door-tile")) {
        window.__firstDoorGrid = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await throttle(4);
  const starts = [];
  for (let i = 0; i < STARTS; i++) {
    await page.goto(server.url + "/b/gen-013/f/5");
    await page.locator(".door-tile").first().waitFor();
    starts.push(await page.evaluate(() => window.__firstDoorGrid));
  }
  await throttle(1);
  const s = stats(starts);
  rows.push([`repeat start to first door grid, offline, CPU 4x (${STARTS} starts)`, `p50 ${ms(s.p50)}, max ${ms(s.max)}`, "≤ 1 s"]);
  await phone.close();

  // 4. Push 10,000 pending records from IndexedDB to the server over
  //    loopback, on a second phone: from connectivity returning to an empty
  //    outbox (every record acknowledged after the server's durable commit).
  const syncPhone = await launchPhone({ locale: "en-US" });
  try {
    const { context, page } = syncPhone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await joinInApp(page, server, inviteVolunteer(server));
    await context.setOffline(true);
    await page.evaluate((n) => window.wasmBindings.bench_make_pending(n), PENDING);
    await page.goto(server.url + "/");
    await page.locator(`#sync-panel[data-pending="${PENDING}"]`).waitFor({ timeout: 120_000 });
    await settle();
    // The end is when the page shows an empty outbox, stamped in the page
    // (Playwright's polling would add up to a few hundred ms); PouchDB's
    // replication is timed in its page too. Same machine, same clock.
    await page.evaluate(() => {
      const panel = document.querySelector("#sync-panel");
      new MutationObserver(() => {
        window.__outboxEmptyAt ??= panel.dataset.pending === "0" ? Date.now() : undefined;
      }).observe(panel, { attributes: true, attributeFilter: ["data-pending"] });
    });
    const pushStarted = Date.now();
    await context.setOffline(false);
    await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 300_000 });
    const emptyAt = await page.evaluate(() => window.__outboxEmptyAt);
    if (!emptyAt) throw new Error("the sync panel was replaced while pushing: no time stamp");
    const walkbookSeconds = (emptyAt - pushStarted) / 1000;
    const onServer = new Set((await serverRecords(page)).map((record) => record.id)).size;
    if (onServer !== PENDING) throw new Error(`the server holds ${onServer} of the ${PENDING} records`);
    rows.push([`push ${PENDING} pending records from IndexedDB, acknowledged`, `${walkbookSeconds.toFixed(2)} s`, "≤ 3 s"]);
    const pouchSeconds = await pouchdbReplication(PENDING, settle);
    rows.push([
      `the same ${PENDING} documents, PouchDB (IndexedDB) to pouchdb-server (LevelDB)`,
      `${pouchSeconds.toFixed(2)} s: Walkbook ${(pouchSeconds / walkbookSeconds).toFixed(1)}x faster`,
      "Walkbook ≥ 10x faster",
    ]);
  } finally {
    await syncPhone.close();
  }

  // 5. Server ingest, synchronous=FULL, from a second process on loopback.
  for (const row of await serverIngest(server)) rows.push(row);
  for (const row of await territoryImport(server)) rows.push(row);
} finally {
  await phone.close().catch(() => {}); // already closed unless a step failed
  await server.stop();
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`);
console.log("");
console.log("| measurement | result | target |");
console.log("|---|---|---|");
for (const [what, result, target] of rows) console.log(`| ${what} | ${result} | ${target} |`);
console.log("");
console.log(`First-load transfer of the shipped build (${shippedDist}):`);
console.log("");
console.log(sizesTable(measureSizes(shippedDist), splitModuleSizes(shippedDist)));
