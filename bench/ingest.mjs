// Server ingest through the real push endpoint: single-record requests and
// batches of 100 and 500, each record durable (SQLite WAL, synchronous=FULL)
// before its answer. Returns table rows.
import { benchRecords } from "./records.mjs";
import { inviteVolunteer } from "../tests/e2e/harness.mjs";

const TOTAL = 10_000;
const CONCURRENCY = 4;

/** A session bound to one bench device, whose records name volunteer "bench". */
async function session(server, deviceId) {
  const response = await fetch(`${server.url}/api/v1/join`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: inviteVolunteer(server, "Ingest bench"), device_id: deviceId, local_volunteer_id: "bench" }),
  });
  if (!response.ok) throw new Error(`join: ${response.status} ${await response.text()}`);
  return response.headers.get("set-cookie").split(";")[0];
}

export async function serverIngest(server) {
  const rows = [];
  for (const batch of [1, 100, 500]) {
    const requests = TOTAL / batch;
    const deviceId = `bench-${batch}`;
    const cookie = await session(server, deviceId);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests) {
          const n = next++;
          const response = await fetch(`${server.url}/api/v1/sync/push`, {
            method: "POST",
            headers: { "content-type": "application/json", cookie },
            body: JSON.stringify({ device_id: deviceId, records: benchRecords(batch, deviceId, { startSeq: n * batch }) }),
          });
          const body = await response.json();
          if (!response.ok || body.results.some((r) => r.status !== "stored")) {
            throw new Error(`push failed: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
          }
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rows.push([
      `server ingest, ${batch === 1 ? "single-record requests" : `batches of ${batch}`} (${TOTAL} records, ${CONCURRENCY} clients)`,
      `${Math.round(TOTAL / seconds).toLocaleString("en")} records/s`,
      batch === 1 ? "" : "≥ 20,000 records/s",
    ]);
  }
  return rows;
}
