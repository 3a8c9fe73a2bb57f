// A bounded denial-of-service run against a local walkbook-server, loopback
// only: CONNECTIONS connections from one address (127.0.0.2), half idle and
// half trickling a header byte every second, each reopened as soon as the
// server closes it, held by attacker processes of 10,000 connections each
// (a process's descriptor limit); meanwhile a probe process asks
// /api/v1/health from 127.0.0.1 every 100 ms. Prints the probe's latency
// (p50, p99, max) and its failures. Each role is its own process, so the
// attackers' work never delays the probe's clock.
//
//   node scripts/attack.mjs [seconds] [connections]      (see scripts/attack.sh)
import { fork } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../tests/e2e/harness.mjs";

const ATTACKER_ADDRESS = "127.0.0.2";
const PER_PROCESS = 10_000;
const [role, ...args] = process.argv.slice(2);

if (role === "attacker") attack(Number(args[0]), Number(args[1]));
else if (role === "probe") await probe(args[0], Number(args[1]));
else await main(Number(role ?? 30), Number(args[0] ?? 20_000));

function attack(port, count) {
  const open = new Set();
  const connect = (index) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: ATTACKER_ADDRESS });
    let timer;
    socket.once("connect", () => {
      open.add(socket);
      if (index % 2 === 1) {
        socket.write("POST /api/v1/join HTTP/1.1\r\nHost: x\r\n");
        timer = setInterval(() => socket.write("X"), 1_000);
      }
    });
    socket.on("error", () => {});
    socket.once("close", () => {
      clearInterval(timer);
      open.delete(socket);
      setTimeout(() => connect(index), 200); // a persistent attacker comes back
    });
  };
  for (let i = 0; i < count; i++) connect(i);
  setInterval(() => process.send({ open: open.size }), 1_000);
}

async function probe(url, seconds) {
  const latencies = [];
  let failures = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) latencies.push(performance.now() - started);
      else failures++;
    } catch {
      failures++;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.send({ latencies, failures });
}

async function main(seconds, connections) {
  // The API is what is attacked: a one-file app stands in for the built PWA.
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), "walkbook-attack-dist-"));
  fs.writeFileSync(path.join(distDir, "index.html"), "<!DOCTYPE html><title>Walkbook</title>");
  const server = await startServer({ distDir });
  const self = fileURLToPath(import.meta.url);
  const attackers = [];
  const open = [];
  for (let n = 0; n * PER_PROCESS < connections; n++) {
    const child = fork(self, ["attacker", server.port, Math.min(PER_PROCESS, connections - n * PER_PROCESS)]);
    child.on("message", (message) => (open[n] = message.open));
    attackers.push(child);
  }
  // Let the attackers reach their full count before measuring.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const prober = fork(self, ["probe", server.url, seconds]);
  const { latencies, failures } = await new Promise((resolve) => prober.once("message", resolve));
  const attackerSockets = open.reduce((a, b) => a + (b ?? 0), 0);
  attackers.forEach((child) => child.kill("SIGKILL"));
  await server.stop();

  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(`| attack: ${connections} connections from ${ATTACKER_ADDRESS}, half trickling, reopened when closed; ${seconds} s | result |`);
  console.log("|---|---|");
  console.log(`| attacker sockets connected at the end (the server keeps at most 256 of one address) | ${attackerSockets} |`);
  console.log(`| health probes from 127.0.0.1 answered 200 | ${latencies.length} of ${latencies.length + failures} |`);
  console.log(`| /api/v1/health latency p50 / p99 / max | ${at(0.5).toFixed(1)} / ${at(0.99).toFixed(1)} / ${at(1).toFixed(1)} ms |`);
  if (failures > 0 || latencies.length === 0) process.exitCode = 1;
}
