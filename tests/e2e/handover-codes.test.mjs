// Handing unsent records over by QR codes, with no file and no network
// between the phones: phone A (offline, two doors recorded) shows its
// package as a sequence of codes, its screen kept on meanwhile. Each code is screenshotted and read by a
// standard decoder (jsQR), and the screenshots become phone B's camera
// (Chromium's fake capture plays them as a video, round and round). B reads
// them through `BarcodeDetector`, which Chromium on Linux lacks: the test
// gives B one built on jsQR, reading the camera's frames as the browser's
// would. B imports the package, sends it, and the server holds each record
// once; scanned again, nothing is new.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import {
  CHROMIUM_ARGS,
  inviteVolunteer,
  joinInApp,
  launchPhone,
  phoneWithTwoUnsentDoors,
  root,
  serverRecords,
  startServer,
  tempDir,
  waitUntilOfflineReady,
} from "./harness.mjs";

/** Reads the codes phone A shows until it has each once: the screenshot
 *  and text of every code, in order. */
async function screenshotEveryCode(page) {
  const figure = page.locator("#handover-codes");
  const total = Number(await figure.getAttribute("data-codes"));
  const codes = new Map();
  const deadline = Date.now() + 60_000;
  while (codes.size < total) {
    assert.ok(Date.now() < deadline, `read ${codes.size} of ${total} codes in a minute`);
    const png = await figure.locator("svg").screenshot();
    const { data, width, height } = PNG.sync.read(png);
    const text = jsQR(new Uint8ClampedArray(data), width, height)?.data;
    assert.ok(text, "every code shown is a readable QR code");
    const [prefix, , place] = text.split(" ");
    assert.equal(prefix, "WBH1");
    assert.equal(place.split("/")[1], String(total));
    codes.set(Number(place.split("/")[0]), { png, text });
  }
  return [...codes.keys()].sort((a, b) => a - b).map((place) => codes.get(place));
}

/** A Y4M video (grey, 2 frames a second) of the screenshots, each centred
 *  on white: what Chromium's fake camera plays. */
function cameraVideo(pngs) {
  const images = pngs.map((png) => PNG.sync.read(png));
  const side = 2 * Math.ceil((Math.max(...images.map((image) => Math.max(image.width, image.height))) + 80) / 2);
  const parts = [Buffer.from(`YUV4MPEG2 W${side} H${side} F2:1 Ip A1:1 C420jpeg\n`)];
  for (const image of images) {
    const luma = Buffer.alloc(side * side, 255);
    const [left, top] = [(side - image.width) >> 1, (side - image.height) >> 1];
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = 4 * (y * image.width + x);
        const [r, g, b] = image.data.subarray(i, i + 3);
        luma[(top + y) * side + left + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    parts.push(Buffer.from("FRAME\n"), luma, Buffer.alloc((side * side) / 2, 128));
  }
  const file = path.join(tempDir("walkbook-camera-"), "codes.y4m");
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

/** `BarcodeDetector` for a browser without one: jsQR over the video's frame. */
const barcodeDetector = `
${readFileSync(path.join(root, "node_modules/jsqr/dist/jsQR.js"), "utf8")}
window.BarcodeDetector = class BarcodeDetector {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect(video) {
    if (!video.videoWidth) return [];
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(data, width, height, { inversionAttempts: "dontInvert" });
    return found ? [{ format: "qr_code", rawValue: found.data }] : [];
  }
};`;

test("records handed over as QR codes from an offline phone reach the server once through another", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const maker = await phoneWithTwoUnsentDoors(server);
  t.after(() => maker.close());

  const a = maker.page;
  assert.equal(await a.locator("#scan-codes").count(), 0, "no scanning where the browser cannot read codes");
  // The screen is kept on while the codes are shown: the wake locks the
  // page holds, counted.
  await maker.context.addInitScript(() => {
    const locks = (window.screenLocks = { held: 0 });
    const request = async (kind) => {
      if (kind === "screen") locks.held += 1;
      return { release: async () => void (locks.held -= 1) };
    };
    Object.defineProperty(navigator, "wakeLock", { value: { request } });
  });
  await a.reload();
  await a.locator("#show-codes").click();
  await a.waitForFunction(() => window.screenLocks.held === 1);
  const codes = await screenshotEveryCode(a);
  assert.ok(codes.length > 1, `a package of two records takes several codes (${codes.length})`);
  const package_ = JSON.parse(codes.map(({ text }) => text.split(" ").slice(3).join(" ")).join(""));
  assert.equal(package_.format, "walkbook-handover/1");
  assert.deepEqual(package_.records.map((r) => r.record.door_id).sort(), ["xfl-01-1-101", "xfl-01-1-102"]);
  await a.locator("#hide-codes").click();
  await a.locator("#show-codes").waitFor();
  await a.waitForFunction(() => window.screenLocks.held === 0);

  const relay = await launchPhone({
    locale: "en-US",
    args: [
      ...CHROMIUM_ARGS,
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${cameraVideo(codes.map(({ png }) => png))}`,
    ],
  });
  t.after(() => relay.close());
  const b = relay.page;
  await relay.context.addInitScript(barcodeDetector);
  await b.goto(server.url + "/");
  await waitUntilOfflineReady(b);
  await joinInApp(b, server, inviteVolunteer(server, "Xiao Li"));
  await b.goto(server.url + "/");

  await b.locator("#scan-codes").click();
  await b.locator(`#scan-progress[data-codes="${codes.length}"]`).waitFor({ timeout: 30_000 });
  const result = b.locator("#handover-result");
  await result.filter({ hasText: "2 records from another phone imported: this phone will send them" }).waitFor({ timeout: 60_000 });
  // The camera is off once the package is read.
  await b.locator("#scan-codes").waitFor();
  assert.equal(await b.locator("#code-camera").evaluate((video) => video.srcObject), null);
  await b.locator('#sync-panel[data-pending="0"]').waitFor({ timeout: 30_000 });
  const held = (await serverRecords(b)).filter((record) => record.device_id === package_.device_id);
  assert.deepEqual(held.map((record) => record.id).sort(), package_.records.map((r) => r.record.id).sort());
  await b.goto(server.url + "/b/xfl-01/f/1");
  await b.locator('.door-tile[data-door="xfl-01-1-102"][data-state="final"]').waitFor();

  // The same codes scanned again (a handover replayed): nothing new.
  await b.goto(server.url + "/");
  await b.locator("#scan-codes").click();
  await result.filter({ hasText: "Nothing new: this phone already has these records" }).waitFor({ timeout: 60_000 });
  assert.equal((await serverRecords(b)).filter((record) => record.device_id === package_.device_id).length, 2, "each held once");

  // "Stop scanning" ends it with the camera off, whatever was read by then.
  await b.reload();
  await b.locator("#scan-codes").click();
  await b.locator("#code-camera").evaluate((video) => new Promise((resolve) => (video.srcObject ? resolve() : video.addEventListener("loadstart", resolve, { once: true }))));
  await b.locator("#stop-scan").click();
  await b.locator("#scan-codes").waitFor();
  await b.waitForFunction(() => document.querySelector("#code-camera").srcObject === null);
  assert.equal(await b.locator("#scan-problem").count(), 0);
});
