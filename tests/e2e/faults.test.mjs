// Sync under failure, through a fault-injecting proxy in front of the real
// server: after each fault the server holds exactly the records saved on the
// phone, none twice, and the phone's outbox empties by itself.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import {
  freePort,
  inviteVolunteer,
  joinInApp,
  launchPhone,
  recordDoor,
  serverRecords,
  startServer,
  waitUntilOfflineReady,
} from "./harness.mjs";

/**
 * Forwards everything to `target()`; pushes go through `onPush(n, forward,
 * request, response)`, where `forward()` sends the request on and resolves
 * with the server's answer ({status, headers, body}) or rejects.
 */
async function startProxy(target, onPush) {
  let pushes = 0;
  const forward = (request, body) =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: "127.0.0.1", port: target().port, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          const chunks = [];
          answer.on("data", (chunk) => chunks.push(chunk));
          answer.on("end", () => resolve({ status: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks) }));
          answer.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  const reply = (response, answer) => {
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };
  const proxy = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    try {
      if (request.method === "POST" && request.url.startsWith("/api/v1/sync/push")) {
        pushes += 1;
        await onPush(pushes, () => forward(request, body), response, reply);
      } else {
        reply(response, await forward(request, body));
      }
    } catch {
      response.destroy();
    }
  });
  const port = await freePort();
  await new Promise((resolve) => proxy.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, pushes: () => pushes, close: () => proxy.close() };
}

async function recordDoors(page, url, floor, count) {
  await page.goto(`${url}/b/ht-tower/f/${floor}`);
  await page.locator(".door-tile").first().waitFor();
  const made = [];
  for (let door = 1; door <= count; door++) {
    const doorId = `ht-${String(floor).padStart(2, "0")}${String(door).padStart(2, "0")}`;
    await recordDoor(page, doorId, "no_access");
    made.push(doorId);
  }
  return made;
}

/** Runs one fault scenario: `act(page, proxyUrl)` makes records; returns what it made. */
async function scenario(t, onPush, act) {
  let server = await startServer();
  const target = () => server;
  const proxy = await startProxy(target, (n, forward, response, reply) =>
    onPush(n, forward, response, reply, {
      kill: () => server.stop("SIGKILL"),
      restart: async () => (server = await startServer({ port: server.port, dbPath: server.dbPath })),
    }),
  );
  const phone = await launchPhone({ locale: "en-US" });
  t.after(async () => {
    await phone.close();
    proxy.close();
    await server.stop();
  });
  const { page } = phone;
  await page.goto(proxy.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, { url: proxy.url }, inviteVolunteer(server));
  const made = await act(page, proxy.url, phone.context);
  await page.goto(proxy.url + "/");
  await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 90_000 });
  const onServer = await serverRecords(page);
  assert.equal(onServer.length, made.length, "exactly the saved records");
  assert.equal(new Set(onServer.map((r) => r.id)).size, made.length, "none twice");
  assert.deepEqual(onServer.map((r) => r.door_id).sort(), [...made].sort());
  return proxy;
}

test("every third push is answered 500", async (t) => {
  const proxy = await scenario(
    t,
    async (n, forward, response, reply) => {
      if (n % 3 === 0) {
        response.writeHead(500, { "content-type": "application/json" });
        response.end('{"error":{"code":"internal","message":"injected"}}');
      } else {
        reply(response, await forward());
      }
    },
    async (page, url) => {
      // One door at a time, so that each save makes its own push.
      const made = [];
      for (let door = 1; door <= 6; door++) {
        made.push(...(await recordDoors(page, url, 4 + door, 1)));
        await page.goto(url + "/");
        await page.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
      }
      return made;
    },
  );
  assert.ok(proxy.pushes() >= 8, `failed pushes were retried (${proxy.pushes()} pushes)`);
});

test("the connection is cut after the server committed, before the phone read the answer", async (t) => {
  const proxy = await scenario(
    t,
    async (n, forward, response, reply) => {
      const answer = await forward(); // committed on the server
      if (n <= 2) response.destroy();
      else reply(response, answer);
    },
    (page, url) => recordDoors(page, url, 3, 8),
  );
  assert.ok(proxy.pushes() >= 3, "the cut pushes were retried");
});

test("answers delayed past the phone's timeout", async (t) => {
  const proxy = await scenario(
    t,
    async (n, forward, response, reply) => {
      const answer = await forward();
      if (n === 1) await new Promise((resolve) => setTimeout(resolve, 21_000));
      if (!response.destroyed) reply(response, answer);
    },
    (page, url) => recordDoors(page, url, 6, 4),
  );
  assert.ok(proxy.pushes() >= 2, "the timed-out push was retried");
});

test("the server is killed with SIGKILL in the middle of a batch and restarted", async (t) => {
  const proxy = await scenario(
    t,
    async (n, forward, response, reply, server) => {
      if (n === 1) {
        const pending = forward().catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await server.kill();
        await pending;
        response.destroy();
        await server.restart();
      } else {
        reply(response, await forward());
      }
    },
    async (page, url, context) => {
      // A batch of 16 made offline, pushed at once when the network returns.
      await context.setOffline(true);
      const made = [...(await recordDoors(page, url, 8, 8)), ...(await recordDoors(page, url, 9, 8))];
      await context.setOffline(false);
      return made;
    },
  );
  assert.ok(proxy.pushes() >= 2, "the killed push was retried");
});
