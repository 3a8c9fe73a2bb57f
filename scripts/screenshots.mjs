// Takes the screenshots the web app manifest offers to richer install sheets
// (Android's, desktop Chromium's): the demo's floor view, phone-narrow and
// desktop-wide, from the built app against the real server.
//
//   node scripts/screenshots.mjs      (after scripts/build.sh; writes public/screenshots/)
import path from "node:path";
import { launchPhone, recordDoor, root, startServer, waitUntilOfflineReady } from "../tests/e2e/harness.mjs";

const out = path.join(root, "public", "screenshots");
const server = await startServer();
try {
  for (const [name, options] of [
    ["narrow", { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 }],
    ["wide", { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false }],
  ]) {
    const phone = await launchPhone({ locale: "en-US", colorScheme: "light", ...options });
    const { page } = phone;
    await page.goto(server.url + "/");
    await waitUntilOfflineReady(page);
    await page.goto(server.url + "/b/xfl-01/f/3");
    await recordDoor(page, "xfl-01-1-301", "not_home");
    await recordDoor(page, "xfl-01-2-302", "refused");
    await page.goto(server.url + "/b/xfl-01/f/3");
    await page.locator(".door-tile").first().waitFor();
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    await phone.close();
  }
} finally {
  await server.stop();
}
