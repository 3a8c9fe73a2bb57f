// Territory imports through the real endpoint: a territory CSV of N doors
// (one line per door) PUT by a coordinator, timed until the answer (parsed,
// checked, stored). Returns table rows. (The console's reads over a
// district's million records: `walkbook-load district`, in scripts/bench.sh.)
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
  return rows;
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
