// The installable, offline app shell, served by the real server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchPhone, startServer, waitUntilOfflineReady, watchPage } from "./harness.mjs";

describe("app shell", () => {
  let server;
  let phone;

  before(async () => (server = await startServer()));
  after(async () => server?.stop());

  test("renders under a strict CSP with no violation", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (event) =>
        window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const problems = watchPage(page);
    const response = await page.goto(server.url + "/");
    const csp = response.headers()["content-security-policy"];
    assert.ok(csp, "the page carries a Content-Security-Policy header");
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
    await page.locator(".hero h1").waitFor();
    assert.equal(await page.locator(".topbar-brand").textContent(), "Walkbook");
    assert.ok((await page.locator(".hero h1").textContent()).length > 0, "the campaign's name is shown");
    await page.locator("a.topbar-action").click();
    await page.locator("#app-version").waitFor();
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(problems, []);
  });

  test("has no installability errors and asks for persistent storage", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await page.locator('#offline-status[data-state="ready"]').waitFor();
    await page.locator("a.topbar-action").click();
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    const manifest = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifest.errors, []);
    await page.waitForFunction(
      () => document.querySelector("#storage-persistence")?.dataset.state !== "unknown",
    );
    assert.match(await page.locator("#storage-persistence").getAttribute("data-state"), /^(granted|notgranted)$/);
  });

  test("a client route survives a reload", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const response = await phone.page.goto(server.url + "/about");
    assert.equal(response.status(), 200);
    await phone.page.locator("#app-version").waitFor();
  });

  test("the demo shipped with the app as data opens when the server's copy does not answer", async (t) => {
    phone = await launchPhone({ locale: "en-US" });
    t.after(() => phone.close());
    const { context, page } = phone;
    const problems = watchPage(page);
    const asked = [];
    context.on("request", (request) => asked.push(new URL(request.url()).pathname));
    await context.route("**/api/v1/demo/campaign", (route) => route.abort());
    await page.goto(server.url + "/");
    await page.locator(".hero h1").filter({ hasText: /\S/ }).waitFor();
    assert.ok(asked.includes("/api/v1/demo/campaign"), "the server's copy was asked for first");
    assert.ok(asked.includes("/demo-campaign.json"), "then the shipped copy");
    // The demo's 14 buildings, from the shipped file.
    await page.locator(".building-link").nth(13).waitFor();
    assert.equal(await page.locator(".building-link").count(), 14);
    // The aborted request is the browser's own console error; nothing else is.
    assert.deepEqual(problems.filter((problem) => !problem.includes("net::ERR_FAILED")), []);
  });

  test("after one online visit, the shell reloads with the server down and the browser offline", async (t) => {
    phone = await launchPhone();
    t.after(() => phone.close());
    const { context, page } = phone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await server.stop();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator(".hero h1").waitFor({ timeout: 15_000 });
      await page.goto(server.url + "/about");
      await page.locator("#app-version").waitFor({ timeout: 15_000 });
    } finally {
      server = await startServer({ port: server.port, dbPath: server.dbPath });
    }
  });
});
