// Starts the real walkbook-server (a child process, with its own SQLite file
// in a temporary folder) and a headless Debian Chromium driven by Playwright.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const root = path.resolve(import.meta.dirname, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
export const serverBin = process.env.WALKBOOK_SERVER_BIN ?? path.join(targetDir, "release", "walkbook-server");
export const dist = process.env.WALKBOOK_TEST_DIST ?? path.join(root, "dist");

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function tempDir(prefix = "walkbook-test-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts walkbook-server and resolves once /api/v1/health answers 200.
 * `stop()` ends exactly that process (SIGTERM, or `signal`) and waits for it.
 */
export async function startServer({ distDir = dist, dbPath, port } = {}) {
  port ??= await freePort();
  dbPath ??= path.join(tempDir(), "walkbook.sqlite3");
  const child = spawn(
    serverBin,
    ["serve", "--addr", `127.0.0.1:${port}`, "--db", dbPath, "--dist", distDir],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`walkbook-server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`walkbook-server did not become healthy in 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    dbPath,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A phone: headless Chromium with its own fresh profile (a real profile, not
 * an incognito context, so installability and storage behave as on a phone),
 * 360 px wide, touch. `close()` ends the browser and deletes the profile.
 */
export async function launchPhone(options = {}) {
  const profile = tempDir("walkbook-profile-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    ...options,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A server, a coordinator's desk (a wide, mouse-driven browser) and a
 *  volunteer's phone for test `t`, all ended after it. */
export async function serverDeskAndPhone(t, deskOptions = {}, phoneOptions = {}) {
  const server = await startServer();
  const desk = await launchPhone({ locale: "en-US", viewport: { width: 1024, height: 900 }, isMobile: false, hasTouch: false, ...deskOptions });
  const phone = await launchPhone({ locale: "en-US", ...phoneOptions });
  t.after(async () => {
    await desk.close();
    await phone.close();
    await server.stop();
  });
  return { server, desk, phone };
}

/** Signs a new coordinator of the demo campaign in on `page` with the
 *  login link the command line prints, and opens the campaign's console page. */
export async function openDemoConsole(page, server) {
  const link = serverCommand(server, "coordinator", "add", "--name", "Secretary Liu", "--campaign", "demo-xingfu", "--public-url", server.url)
    .match(/Login link[^:]*: (\S+)/)[1];
  await page.goto(link);
  await page.locator("#console-who").waitFor();
  await page.goto(server.url + "/coordinator/c/demo-xingfu");
}

/** A territory CSV as a file for `setInputFiles`. */
export const csvFile = (text) => ({ name: "territory.csv", mimeType: "text/csv", buffer: Buffer.from(text) });

/** Signs a new coordinator (no campaign yet) in on `page` with the login
 *  link the command line prints, creates campaign `id` named `name` in the
 *  console and opens it. */
export async function createConsoleCampaign(page, server, id, name) {
  const link = serverCommand(server, "coordinator", "add", "--name", "Secretary Liu", "--public-url", server.url).match(/Login link[^:]*: (\S+)/)[1];
  await page.goto(link);
  await page.locator("#console-who", { hasText: "Secretary Liu" }).waitFor();
  await page.locator("#new-campaign-id").fill(id);
  await page.locator("#new-campaign-name").fill(name);
  await page.locator("#create-campaign").click();
  await page.locator(`[data-campaign="${id}"]`).click();
  await page.locator("#console-campaign-title").filter({ hasText: name }).waitFor();
}

/** Collects console errors and CSP violations reported in the page. */
export function watchPage(page) {
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy/i.test(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Resolves once a service worker (whose install cached the shell) controls the page. */
export async function waitUntilOfflineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** Runs a `walkbook-server` subcommand on the server's database; returns what it printed. */
export function serverCommand(server, ...args) {
  return execFileSync(serverBin, ["--db", server.dbPath, ...args], { encoding: "utf8" });
}

/** Invites a volunteer through the real CLI (`walkbook-server invite`); returns the join code. */
export function inviteVolunteer(server, name = "Test volunteer") {
  const output = serverCommand(server, "invite", "--name", name);
  const code = output.match(/Join code: (\S+)/)?.[1];
  if (!code) throw new Error(`no join code in:\n${output}`);
  return code;
}

/** Joins the campaign in the app with a code, as a volunteer would. */
export async function joinInApp(page, server, code) {
  await joinByLink(page, `${server.url}/join#code=${code}`);
}

/** Opens a join link (as the console shows it) and joins. */
export async function joinByLink(page, link) {
  await page.goto(link);
  await page.locator("#join-submit").click();
  await page.locator("#join-result.notice").waitFor();
}

/** The records the server holds for the phone's campaign, through the pull API. */
export async function serverRecords(page) {
  return page.evaluate(async () => {
    const records = [];
    let cursor = 0;
    for (;;) {
      const response = await fetch(`/api/v1/sync/pull?cursor=${cursor}`);
      const page = await response.json();
      records.push(...page.records);
      cursor = page.cursor;
      if (!page.more) return records;
    }
  });
}

/** Records one door from the floor view: open it, pick `outcome`, Save, and
 *  wait until the floor shows the door visited. */
export async function recordDoor(page, doorId, outcome) {
  await page.locator(`.door-tile[data-door="${doorId}"]`).click();
  await page.locator(`#door-sheet[data-door="${doorId}"]`).waitFor();
  await page.locator(`[data-outcome="${outcome}"]`).click();
  await page.locator("#save-record").click();
  await page.locator(`.door-tile[data-door="${doorId}"]:not([data-state="unvisited"])`).waitFor();
}

/** Makes every push from `context` fail as a busy server answers it (503,
 *  retry in 2 s) while pulls get through; `context.unroute(PUSH)` ends it. */
export const PUSH = "**/api/v1/sync/push";
export function failPushes(context) {
  return context.route(PUSH, (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      headers: { "Retry-After": "2" },
      body: JSON.stringify({ error: { code: "busy", message: "The server is busy storing other phones' records." } }),
    }),
  );
}

/** A server and one English-speaking phone for test `t`, both ended after it. */
export async function serverAndPhone(t) {
  const server = await startServer();
  const phone = await launchPhone({ locale: "en-US" });
  t.after(async () => {
    await phone.close();
    await server.stop();
  });
  return { server, phone };
}

/** A server and a phone for test `t` that opened the app online (installed
 *  for offline use) and joined the demo campaign as a new volunteer. */
export async function joinedPhone(t) {
  const { server, phone } = await serverAndPhone(t);
  await phone.page.goto(server.url + "/");
  await waitUntilOfflineReady(phone.page);
  await joinInApp(phone.page, server, inviteVolunteer(server));
  return { server, phone };
}

/** The community's time zone, for phones whose clock a test sets. */
export const ZONE = "Asia/Shanghai";
/** Today in ZONE (YYYY-MM-DD), the day `date` + `days`, and a time that day there. */
export const today = new Date().toLocaleDateString("en-CA", { timeZone: ZONE });
export const dayAfter = (date, days) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const at = (date, time) => new Date(`${date}T${time}:00+08:00`);

/** Answers a person's questions on a household card: `{question: value}`. */
export async function answerPerson(card, answers) {
  for (const [question, value] of Object.entries(answers)) {
    const field = card.locator(`[data-question="${question}"]`);
    if (question === "name") await field.locator("textarea").fill(value);
    else if (/_on$|_until$/.test(question)) await field.locator("input").fill(value);
    else await field.locator(`[data-value="${value}"]`).click();
  }
}

/** Records `person`'s first due check on the checks screen; returns its row. */
export async function recordReading(page, person, celsius) {
  const row = page.locator(`.check-item[data-person="${person}"][data-state="due"]`).first();
  const slot = await row.getAttribute("data-slot");
  await row.locator(".check-open").click();
  await row.locator("input.reading").fill(String(celsius));
  await row.locator(".save-reading").click();
  return page.locator(`.check-item[data-person="${person}"][data-slot="${slot}"]`);
}

/** The handover tests' phone A: a phone (en-US) that joined as Xiao Wang,
 *  lost the network, and recorded two doors it has not sent; on its home
 *  screen. */
export async function phoneWithTwoUnsentDoors(server) {
  const maker = await launchPhone({ locale: "en-US" });
  const page = maker.page;
  await page.goto(server.url + "/");
  await waitUntilOfflineReady(page);
  await joinInApp(page, server, inviteVolunteer(server, "Xiao Wang"));
  await maker.context.setOffline(true);
  await page.goto(server.url + "/b/xfl-01/f/1");
  await recordDoor(page, "xfl-01-1-101", "not_home");
  await recordDoor(page, "xfl-01-1-102", "refused");
  await page.goto(server.url + "/");
  await page.locator('#sync-panel[data-pending="2"]').waitFor();
  return maker;
}
