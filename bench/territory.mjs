// A district-sized campaign through the real endpoints: a territory CSV of
// N doors (one line per door) PUT by a coordinator, timed until the answer
// (parsed, checked, stored); then, in the largest, a record at every door
// and the coordinator's coverage page and doors.csv export timed over it.
// Returns table rows.
import { randomUUID } from "node:crypto";
import { serverCommand } from "../tests/e2e/harness.mjs";

const SIZES = [10_000, 50_000, 200_000];

/** A CSV of `doors` doors: buildings of 25 floors and 80 doors a floor, two entrances. */
function territoryCsv(doors) {
  const lines = ["building,entrance,floor,door"];
  for (let n = 0; n < doors; n++) {
    const building = Math.floor(n / 2000) + 1;
    const floor = Math.floor((n % 2000) / 80) + 1;
    const door = (n % 80) + 1;
    lines.push(`Block ${building},${door <= 40 ? 1 : 2},${floor},${floor}${String(door).padStart(2, "0")}`);
  }
  return lines.join("\n") + "\n";
}

async function coordinatorCookie(server) {
  const code = serverCommand(server, "coordinator", "add", "--name", "Bench").match(/#login=(\S+)/)[1];
  const response = await fetch(`${server.url}/api/v1/coordinator/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  if (!response.ok) throw new Error(`login: ${response.status}`);
  return response.headers.get("set-cookie").split(";")[0];
}

export async function territoryImport(server) {
  const cookie = await coordinatorCookie(server);
  const rows = [];
  for (const doors of SIZES) {
    const id = `bench-${doors}`;
    const created = await fetch(`${server.url}/api/v1/coordinator/campaigns`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ id, name: { en: id } }),
    });
    if (!created.ok) throw new Error(`create: ${created.status} ${await created.text()}`);
    const csv = territoryCsv(doors);
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}/api/v1/coordinator/campaigns/${id}/territory`, {
      method: "PUT",
      headers: { "content-type": "text/csv", cookie },
      body: csv,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const answer = await response.json();
    if (!response.ok || answer.doors !== doors) throw new Error(`import: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
    rows.push([`territory CSV import, ${doors.toLocaleString("en")} doors (PUT, until stored)`, `${seconds.toFixed(2)} s`, doors === 200_000 ? "about 2 s" : ""]);
  }
  const largest = SIZES[SIZES.length - 1];
  rows.push(...(await consoleAtScale(server, cookie, `bench-${largest}`)));
  return rows;
}

const PUSH_BATCH = 500;
const PUSHERS = 4;
const READS = 5;

/** A record at every door of `campaign`, pushed as phones push; then the console's heaviest reads, timed. */
async function consoleAtScale(server, cookie, campaign) {
  const bundle = await (await fetch(`${server.url}/api/v1/coordinator/campaigns/${campaign}`, { headers: { cookie } })).json();
  const doors = bundle.doors.map((door) => door.id);
  const form = bundle.campaign.forms.find((f) => f.id === "household");
  const code = serverCommand(server, "invite", "--name", "Scale bench", "--campaign", campaign).match(/Join code: (\S+)/)[1];
  const joined = await fetch(`${server.url}/api/v1/join`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, device_id: "scale-bench", local_volunteer_id: "bench" }),
  });
  const phone = joined.headers.get("set-cookie").split(";")[0];
  let next = 0;
  const now = Date.now();
  await Promise.all(
    Array.from({ length: PUSHERS }, async () => {
      while (next < doors.length) {
        const start = next;
        next += PUSH_BATCH;
        const records = doors.slice(start, start + PUSH_BATCH).map((door_id, i) => ({
          id: randomUUID(),
          campaign_id: campaign,
          door_id,
          form_id: form.id,
          form_version: form.version,
          outcome: { kind: (start + i) % 3 === 0 ? "refused" : "not_home" },
          answers: {},
          volunteer_id: "bench",
          device_id: "scale-bench",
          device_seq: start + i + 1,
          device_time: now,
        }));
        const response = await fetch(`${server.url}/api/v1/sync/push`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: phone },
          body: JSON.stringify({ device_id: "scale-bench", records }),
        });
        const answer = await response.json();
        if (!response.ok || answer.results.some((r) => r.status !== "stored")) throw new Error(`push: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
    }),
  );
  const timed = async (path) => {
    const times = [];
    for (let i = 0; i < READS; i++) {
      const started = process.hrtime.bigint();
      const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      await response.arrayBuffer();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  const label = `${doors.length.toLocaleString("en")} doors, a record at each`;
  return [
    [`coverage, ${label} (GET, p50 of ${READS})`, `${(await timed(`/api/v1/coordinator/campaigns/${campaign}/coverage`)).toFixed(0)} ms`, "p50 ≤ 200 ms at 100,000 doors, 1,000,000 records"],
    [`doors.csv export, ${label} (p50 of ${READS})`, `${((await timed(`/api/v1/coordinator/campaigns/${campaign}/exports/doors.csv`)) / 1000).toFixed(2)} s`, "≤ 3 s"],
  ];
}

// Run alone: node bench/territory.mjs
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startServer } = await import("../tests/e2e/harness.mjs");
  const server = await startServer();
  try {
    for (const row of await territoryImport(server)) console.log(`| ${row.join(" | ")} |`);
  } finally {
    await server.stop();
  }
}
