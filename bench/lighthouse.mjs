// Lighthouse 12 (mobile preset: slow 4G, 4x CPU) on the volunteer app, as a
// volunteer's phone first loads it from the real server, with Debian's
// Chromium. Prints a table of several runs (3 unless told); part of
// scripts/bench.sh (which installs Lighthouse into bench/lighthouse/), never
// of the test suite.
//
//   WALKBOOK_DIST=dist [WALKBOOK_LIGHTHOUSE_RUNS=3] node bench/lighthouse.mjs
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
      // Lighthouse's own measure of this machine's CPU. Its 4x slowdown is
      // relative to the machine, so blocking time differs between machines
      // by as much as this does: figures compare only beside it.
      benchmarkIndex: result.lhr.environment.benchmarkIndex,
    };
  } finally {
    await chrome.kill();
    await server.stop();
  }
}

/** Several runs' scores as one table: the median of each measurement, then
 *  every run's in order (one run says little: on these shared machines TBT
 *  swings by 250 ms between runs of one build). */
export function lighthouseTable(runs) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const row = (name, key, format, target) => {
    const values = runs.map((scores) => scores[key]);
    return `| ${name} | ${format(median(values))} (${values.map(format).join(" / ")}) | ${target} |`;
  };
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `Lighthouse ${runs[0].version}, mobile preset (slow 4G, 4x CPU), first load of the volunteer app, median of ${runs.length} runs (each run):`,
    "",
    "| measurement | result | target |",
    "|---|---|---|",
    row("Performance", "performance", String, `≥ ${TARGETS.performance}`),
    row("Accessibility", "accessibility", String, TARGETS.accessibility),
    row("Best practices", "best-practices", String, TARGETS["best-practices"]),
    row("Largest contentful paint", "lcp", seconds, `≤ ${TARGETS.lcp / 1000} s`),
    row("Total blocking time", "tbt", (ms) => `${Math.round(ms)} ms`, `≤ ${TARGETS.tbt} ms`),
    row("First contentful paint", "fcp", seconds, ""),
    row("Transferred", "transferred", (bytes) => `${(bytes / 1024).toFixed(0)} KiB`, ""),
    row("This machine's CPU (Lighthouse's benchmark index, higher is faster)", "benchmarkIndex", (index) => String(Math.round(index)), ""),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = [];
  for (let run = 0; run < Number(process.env.WALKBOOK_LIGHTHOUSE_RUNS ?? 3); run++) {
    runs.push(await lighthouseRun(process.env.WALKBOOK_DIST ?? "dist"));
  }
  console.log(lighthouseTable(runs));
}
