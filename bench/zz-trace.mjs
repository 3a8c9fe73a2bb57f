import { launchPhone, startServer } from "../tests/e2e/harness.mjs";
const server = await startServer({ distDir: process.env.WALKBOOK_DIST });
const phone = await launchPhone({ locale: "en-US" }); const { context, page } = phone;
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
const events = [];
cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
await cdp.send("Tracing.start", { categories: "devtools.timeline,v8,v8.wasm,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" });
const t0 = Date.now();
await page.goto(server.url + "/");
await page.locator("#storage-at-risk").waitFor();
console.log("storage-at-risk visible after", Date.now() - t0, "ms");
await page.waitForTimeout(1500);
await cdp.send("Tracing.end"); await done;
const main = events.filter((e) => e.ph === "X" && e.name === "RunTask" && e.dur > 8000);
const nav = events.find((e) => e.name === "navigationStart")?.ts ?? main[0].ts;
for (const e of events.filter((e) => e.name === 'Layout' && e.dur > 5000)) console.log('Layout', ((e.ts - nav) / 1000).toFixed(0), (e.dur/1000).toFixed(0), JSON.stringify(e.args));
const lcp = events.filter((e) => e.name === "largestContentfulPaint::Candidate");
for (const c of lcp) console.log("LCP candidate at", ((c.ts - nav) / 1000).toFixed(0), c.args?.data?.nodeName ?? "", c.args?.data?.size);
for (const t of main) {
  const kids = events.filter((e) => e.ph === "X" && e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + t.dur && e !== t && e.dur > 2000)
    .map((e) => `${e.name}${e.args?.data?.functionName ? ":" + e.args.data.functionName : ""}${e.args?.data?.url ? ":" + e.args.data.url.split("/").pop() : ""}(${(e.dur / 1000).toFixed(0)})`).slice(0, 8);
  console.log(((t.ts - nav) / 1000).toFixed(0), (t.dur / 1000).toFixed(0) + "ms", kids.join(" "));
}
await phone.close(); await server.stop(); process.exit(0);
