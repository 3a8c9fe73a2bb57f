// A small W3C WebDriver client, for the engines Playwright does not drive
// here: WebKitGTK (the engine under Safari) through WebKitWebDriver under
// Xvfb, and Firefox ESR through geckodriver. Each engine runs as Debian
// ships it (scripts/setup.sh installs them); nothing is downloaded.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, tempDir } from "./harness.mjs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const WEBKIT_BROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const GECKODRIVER = process.env.WALKBOOK_GECKODRIVER ?? path.join(process.env.HOME, ".cargo", "bin", "geckodriver");

/** The engines, each: how to start its driver, and what a new session asks for. */
export const ENGINES = {
  webkit: {
    command: (port) => ["xvfb-run", ["-a", "-s", "-screen 0 1280x1024x24", "WebKitWebDriver", `--port=${port}`]],
    capabilities: () => ({
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: WEBKIT_BROWSER, args: ["--automation"] },
    }),
  },
  firefox: {
    command: (port) => [GECKODRIVER, ["--port", String(port)]],
    capabilities: () => ({
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary: "/usr/bin/firefox-esr",
        args: ["-headless", "-profile", tempDir("walkbook-firefox-")],
        // The same closed network as Chromium's flags: no updates, telemetry or remote settings.
        prefs: {
          "app.update.enabled": false,
          "browser.shell.checkDefaultBrowser": false,
          "datareporting.policy.dataSubmissionEnabled": false,
          "network.captive-portal-service.enabled": false,
          "network.connectivity-service.enabled": false,
          "services.settings.server": "http://127.0.0.1:9/",
          "toolkit.telemetry.enabled": false,
        },
      },
    }),
  },
};

/** Starts `engine`'s driver and a browser session; `close()` ends both. */
export async function startBrowser(engine) {
  const { command, capabilities } = ENGINES[engine];
  const port = await freePort();
  const [program, args] = command(port);
  const log = fs.openSync(path.join(tempDir(`walkbook-${engine}-driver-`), "driver.log"), "w");
  const driver = spawn(program, args, { stdio: ["ignore", log, log], detached: true });
  const base = `http://127.0.0.1:${port}`;
  const stopDriver = () => {
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {}
  };
  try {
    await until(async () => (await fetch(`${base}/status`).then((r) => r.json()).catch(() => null))?.value?.ready, 30_000, `${engine} driver ready`);
    const session = await call(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities() } });
    return new Browser(base, session.sessionId, stopDriver);
  } catch (error) {
    stopDriver();
    throw error;
  }
}

async function call(base, method, route, body) {
  const response = await fetch(base + route, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${route}: ${JSON.stringify(answer.value)}`);
  return answer.value;
}

/** Polls `check` until it returns something truthy, at most `ms`. */
export async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

class Browser {
  constructor(base, session, stopDriver) {
    this.base = base;
    this.session = session;
    this.stopDriver = stopDriver;
  }

  command(method, route, body) {
    return call(this.base, method, `/session/${this.session}${route}`, body);
  }

  goto(url) {
    return this.command("POST", "/url", { url });
  }

  /** Runs `script` (a function body) in the page, with `args`. */
  run(script, ...args) {
    return this.command("POST", "/execute/sync", { script, args });
  }

  /** Runs `script` (a function body whose last argument is the callback
   *  to call with the result) in the page, with `args`. */
  runAsync(script, ...args) {
    return this.command("POST", "/execute/async", { script, args });
  }

  /** Waits for an element matching `selector`, at most `ms`. */
  waitFor(selector, ms = 30_000) {
    return until(() => this.run("return !!document.querySelector(arguments[0]);", selector), ms, selector);
  }

  /** Clicks the element matching `selector` as the user would (WebDriver's element click). */
  async click(selector) {
    await this.waitFor(selector);
    const element = await this.command("POST", "/element", { using: "css selector", value: selector });
    await this.command("POST", `/element/${element[ELEMENT]}/click`, {});
  }

  async close() {
    await this.command("DELETE", "").catch(() => {});
    this.stopDriver();
  }
}
