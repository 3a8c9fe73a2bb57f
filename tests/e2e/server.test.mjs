// HTTP behaviour of the real server: health, API errors, caching, compression.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { dist, startServer } from "./harness.mjs";

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
    const wasm = fs.readdirSync(dist).find((name) => name.endsWith(".wasm"));
    assert.ok(wasm, "the build has a wasm file");
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

  test("the service worker precaches exactly the built files", async () => {
    const sw = await (await fetch(`${server.url}/sw.js`)).text();
    const precache = JSON.parse(sw.match(/const PRECACHE = (\[.*\]);/)[1]);
    const built = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name !== "sw.js") built.push("/" + path.relative(dist, full));
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
});
