// Lighthouse 12 (mobile preset: slow 4G, 4x CPU) on the volunteer app, as a
// volunteer's phone first loads it from the real server, with Debian's
// Chromium. Prints a table; part of scripts/bench.sh (which installs
// Lighthouse into bench/lighthouse/), never of the test suite.
//
//   WALKBOOK_DIST=dist node bench/lighthouse.mjs
import lighthouse from "./lighthouse/node_modules/lighthouse/core/index.js";
import * as chromeLauncher from "./lighthouse/node_modules/chrome-launcher/dist/index.js";
import { CHROMIUM_ARGS, startServer, tempDir } from "../tests/e2e/harness.mjs";

/** The targets (#12): scores out of 100, times in ms. */
const TARGETS = { performance: 95, accessibility: 100, "best-practices": 100, tbt: 200, lcp: 2500 };

export async function lighthouseRun(dist) {
  const server = await startServer({ distDir: dist });
  const chrome = await chromeLauncher.launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: ["--headless", ...CHROMIUM_ARGS],
    userDataDir: tempDir("walkbook-lighthouse-"),
  });
  try {
    const result = await lighthouse(server.url + "/", {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
    });
    const { categories, audits } = result.lhr;
    return {
      version: result.lhr.lighthouseVersion,
      performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      "best-practices": Math.round(categories["best-practices"].score * 100),
      lcp: audits["largest-contentful-paint"].numericValue,
      tbt: audits["total-blocking-time"].numericValue,
      fcp: audits["first-contentful-paint"].numericValue,
      transferred: audits["total-byte-weight"].numericValue,
    };
  } finally {
    await chrome.kill();
    await server.stop();
  }
}

export function lighthouseTable(scores) {
  const row = (name, value, target) => `| ${name} | ${value} | ${target} |`;
  return [
    `Lighthouse ${scores.version}, mobile preset (slow 4G, 4x CPU), first load of the volunteer app:`,
    "",
    "| measurement | result | target |",
    "|---|---|---|",
    row("Performance", scores.performance, `≥ ${TARGETS.performance}`),
    row("Accessibility", scores.accessibility, TARGETS.accessibility),
    row("Best practices", scores["best-practices"], TARGETS["best-practices"]),
    row("Largest contentful paint", `${(scores.lcp / 1000).toFixed(2)} s`, `≤ ${TARGETS.lcp / 1000} s`),
    row("Total blocking time", `${Math.round(scores.tbt)} ms`, `≤ ${TARGETS.tbt} ms`),
    row("First contentful paint", `${(scores.fcp / 1000).toFixed(2)} s`, ""),
    row("Transferred", `${(scores.transferred / 1024).toFixed(0)} KiB`, ""),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(lighthouseTable(await lighthouseRun(process.env.WALKBOOK_DIST ?? "dist")));
}
