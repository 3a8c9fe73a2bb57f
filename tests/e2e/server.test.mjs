// HTTP behaviour of the real server: health, API errors, caching, compression.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { dist, serverBin, startServer } from "./harness.mjs";

/** Opens a TCP connection to `port` from `localAddress`; resolves once connected. */
function connect(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with how long `socket` stayed open (ms), once the server closes it. */
function closedAfter(socket) {
  const opened = Date.now();
  return new Promise((resolve) => socket.once("close", () => resolve(Date.now() - opened)));
}

describe("walkbook-server", () => {
  let server;
  before(async () => (server = await startServer()));
  after(async () => server?.stop());

  test("GET /api/v1/health answers 200 with a small JSON body", async () => {
    const response = await fetch(`${server.url}/api/v1/health`);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.status, "ok");
    assert.equal(body.database, "sqlite");
  });

  test("an unknown API path is a JSON 404 in the error shape", async () => {
    for (const [method, route] of [["GET", "/api/v1/nope"], ["POST", "/api/v2/sync/push"], ["GET", "/api"]]) {
      const response = await fetch(`${server.url}${route}`, { method });
      assert.equal(response.status, 404, `${method} ${route}`);
      assert.match(response.headers.get("content-type"), /application\/json/);
      const body = await response.json();
      assert.equal(body.error.code, "not_found");
      assert.match(body.error.message, new RegExp(route.replaceAll("/", "\\/")));
    }
  });

  test("hashed assets are immutable for a year and compressed; the shell is revalidated", async () => {
    // The app's main module (a split point's smallest chunks are a few
    // hundred bytes, which compression would not make smaller).
    const wasm = fs.readdirSync(dist).find((name) => /^walkbook-app-[0-9a-f]+_bg\.wasm$/.test(name));
    assert.ok(wasm, "the build has the app's wasm");
    const asset = await fetch(`${server.url}/${wasm}`, { headers: { "accept-encoding": "br" } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(asset.headers.get("content-encoding"), "br");
    assert.equal(asset.headers.get("content-type"), "application/wasm");
    const gzip = await fetch(`${server.url}/${wasm}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gzip.headers.get("content-encoding"), "gzip");
    // fetch() decodes: the bytes must be exactly the built file.
    assert.deepEqual(Buffer.from(await gzip.arrayBuffer()), fs.readFileSync(path.join(dist, wasm)));

    for (const route of ["/", "/index.html", "/sw.js", "/manifest.webmanifest"]) {
      const response = await fetch(`${server.url}${route}`);
      assert.equal(response.status, 200, route);
      assert.equal(response.headers.get("cache-control"), "no-cache", route);
      const etag = response.headers.get("etag");
      assert.ok(etag, `${route} has an ETag`);
      const again = await fetch(`${server.url}${route}`, { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304, `${route} revalidates`);
    }
  });

  test("the service worker precaches exactly the volunteer app's files but the install sheets' screenshots", async () => {
    const sw = await (await fetch(`${server.url}/sw.js`)).text();
    const precache = JSON.parse(sw.match(/const PRECACHE = (\[.*\]);/)[1]);
    const built = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        // The console's build is another app, never precached.
        if (entry.isDirectory()) {
          if (full !== path.join(dist, "coordinator")) walk(full);
        } else if (entry.name !== "sw.js" && !full.includes(`${path.sep}screenshots${path.sep}`)) built.push("/" + path.relative(dist, full));
      }
    };
    walk(dist);
    assert.deepEqual([...precache].sort(), built.sort());
    assert.doesNotMatch(sw, /__WALKBOOK_/);
  });

  test("a missing asset is a 404, not the app shell", async () => {
    const response = await fetch(`${server.url}/nothing-here.js`);
    assert.equal(response.status, 404);
  });

  test("one address cannot hold the server: connections past its share are closed, others are served", async () => {
    // 127.0.0.2 is loopback too: the attacker's address, not the probe's.
    const sockets = [];
    let closed = 0;
    let reachedShare;
    const shareReached = new Promise((resolve) => (reachedShare = resolve));
    const started = Date.now();
    try {
      for (let i = 0; i < 300; i++) {
        const socket = await connect(server.port, "127.0.0.2");
        socket.once("close", () => {
          closed += 1;
          if (closed === 300 - 256) reachedShare(Date.now() - started);
        });
        sockets.push(socket);
      }
      // Waits for the server to close what is past the share (whichever
      // connections those are: the order of accepts is the kernel's).
      const tookMs = await Promise.race([
        shareReached,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${closed} connections closed in 30 s`)), 30_000)),
      ]);
      assert.ok(tookMs < 10_000, `closed at once, not by the 10 s header timeout (took ${tookMs} ms)`);
      const response = await fetch(`${server.url}/api/v1/health`);
      assert.equal(response.status, 200, "another address is still served");
    } finally {
      sockets.forEach((socket) => socket.destroy());
    }
  });

  test("a client that trickles its headers is cut off after the header timeout", async () => {
    const socket = await connect(server.port);
    const closed = closedAfter(socket);
    socket.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    const timer = setInterval(() => socket.write("X-Slow: 1\r\n"), 1_000);
    try {
      const openFor = await closed;
      assert.ok(openFor >= 9_000 && openFor < 20_000, `closed after ${openFor} ms, expected about 10 s`);
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
  });

  test("a body that trickles in is answered 408 after the body-read timeout", async () => {
    const socket = await connect(server.port);
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    const closed = closedAfter(socket);
    socket.write("POST /api/v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    const timer = setInterval(() => socket.write(" "), 1_000);
    try {
      const openFor = await closed;
      assert.match(answer, /^HTTP\/1\.1 408 /, answer);
      assert.match(answer, /"code":"request_timeout"/);
      assert.ok(openFor >= 29_000 && openFor < 45_000, `answered after ${openFor} ms, expected about 30 s`);
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
  });

  test("a command whose reader stops early (show-campaign | head) ends quietly", () => {
    const script = 'set -o pipefail; "$0" --db "$1" show-campaign | head -n 1';
    const result = spawnSync("bash", ["-c", script, serverBin, server.dbPath], { encoding: "utf8" });
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.equal(result.stdout, "{\n");
  });
});
