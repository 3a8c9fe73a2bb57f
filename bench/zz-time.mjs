import { launchPhone, startServer } from "../tests/e2e/harness.mjs";
const server = await startServer({ distDir: process.env.WALKBOOK_DIST });
for (const rate of [1, 4, 4]) {
  const phone = await launchPhone({ locale: "en-US" });
  const cdp = await phone.context.newCDPSession(phone.page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  phone.page.on("console", (m) => m.text().startsWith("ZZ") && console.log(rate, m.text()));
  await phone.page.goto(server.url + "/");
  await phone.page.locator(".building-link").nth(13).waitFor();
  await phone.close();
}
await server.stop(); process.exit(0);
