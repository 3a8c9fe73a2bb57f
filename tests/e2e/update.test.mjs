// A second build reaches an installed app through the update flow.
import assert from "node:assert/strict";
import { test } from "node:test";
import { launchPhone, startServer, waitUntilOfflineReady } from "./harness.mjs";

const nextDist = process.env.WALKBOOK_TEST_DIST_NEXT;
const nextLabel = process.env.WALKBOOK_TEST_NEXT_LABEL;

test("a new build is offered as an update and applied by Reload", async () => {
  assert.ok(nextDist && nextLabel, "scripts/test.sh builds a second dist and sets WALKBOOK_TEST_DIST_NEXT/_NEXT_LABEL");
  let server = await startServer();
  const phone = await launchPhone();
  try {
    const { page } = phone;
    await page.goto(server.url + "/about");
    await waitUntilOfflineReady(page);
    assert.doesNotMatch(await page.locator("#app-version").textContent(), new RegExp(nextLabel));
    assert.equal(await page.locator("#update-banner").count(), 0);

    // Deploy the second build on the same origin.
    await server.stop();
    server = await startServer({ distDir: nextDist, port: server.port, dbPath: server.dbPath });

    // The installed (old) shell opens at once from its cache, and the browser
    // finds the new service worker behind it.
    await page.reload();
    await page.locator("#app-version").waitFor();
    assert.doesNotMatch(await page.locator("#app-version").textContent(), new RegExp(nextLabel));
    const banner = page.locator("#update-banner");
    await banner.waitFor({ timeout: 30_000 });
    await Promise.all([page.waitForEvent("load"), banner.locator("button").click()]);
    await page.locator("#app-version").waitFor();
    assert.match(await page.locator("#app-version").textContent(), new RegExp(nextLabel));
    assert.equal(await page.locator("#update-banner").count(), 0);
  } finally {
    await phone.close();
    await server.stop();
  }
});
