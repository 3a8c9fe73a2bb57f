// A bounded denial-of-service run against a local walkbook-server, loopback
// only: ATTACKERS connections from one address (127.0.0.2), half idle and
// half trickling a header byte every second, each reopened as soon as the
// server closes it; meanwhile a probe from 127.0.0.1 asks /api/v1/health
// every 100 ms. Prints the probe's latency (p50, p99, max) and failures.
//
//   node scripts/attack.mjs [seconds] [attackers]      (see scripts/attack.sh)
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startServer } from "../tests/e2e/harness.mjs";

const seconds = Number(process.argv[2] ?? 30);
const attackers = Number(process.argv[3] ?? 20_000);
const ATTACKER_ADDRESS = "127.0.0.2";

// The API is what is attacked: a one-file app stands in for the built PWA.
const distDir = fs.mkdtempSync(path.join(os.tmpdir(), "walkbook-attack-dist-"));
fs.writeFileSync(path.join(distDir, "index.html"), "<!DOCTYPE html><title>Walkbook</title>");
const server = await startServer({ distDir });
let stopping = false;
let opened = 0;
let refused = 0;
const sockets = new Set();

function attacker(index) {
  if (stopping) return;
  const socket = net.connect({ port: server.port, host: "127.0.0.1", localAddress: ATTACKER_ADDRESS });
  sockets.add(socket);
  let timer;
  socket.once("connect", () => {
    opened++;
    if (index % 2 === 1) {
      socket.write("POST /api/v1/join HTTP/1.1\r\nHost: x\r\n");
      timer = setInterval(() => socket.write("X"), 1_000);
    }
  });
  socket.on("error", () => refused++);
  socket.once("close", () => {
    clearInterval(timer);
    sockets.delete(socket);
    // Reopened after a pause, as a persistent attacker would.
    setTimeout(() => attacker(index), 200);
  });
}

const started = Date.now();
for (let i = 0; i < attackers; i++) {
  attacker(i);
  if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
}

const latencies = [];
let failures = 0;
while (Date.now() - started < seconds * 1000) {
  const t0 = performance.now();
  try {
    const response = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    if (response.status === 200) latencies.push(performance.now() - t0);
    else failures++;
  } catch {
    failures++;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
stopping = true;
const open = sockets.size;
sockets.forEach((socket) => socket.destroy());
await server.stop();

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
console.log(`| attack (${seconds} s, ${attackers} connections from ${ATTACKER_ADDRESS}, half trickling) | result |`);
console.log("|---|---|");
console.log(`| connections the attacker opened (reopened when closed) | ${opened} |`);
console.log(`| attacker sockets open at the end (the server holds at most 256) | ${open} |`);
console.log(`| health probes answered 200 | ${latencies.length} of ${latencies.length + failures} |`);
console.log(`| /api/v1/health latency p50 / p99 / max | ${at(0.5).toFixed(1)} / ${at(0.99).toFixed(1)} / ${at(1).toFixed(1)} ms |`);
if (failures > 0 || latencies.length === 0) process.exitCode = 1;
