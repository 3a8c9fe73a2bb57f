// The same documents replicated by PouchDB (npm `pouchdb`, in headless
// Chromium, from IndexedDB) to pouchdb-server (npm, LevelDB on disk), for the
// ratio against Walkbook's push. Returns the seconds.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, launchPhone, root, tempDir } from "../tests/e2e/harness.mjs";
import { benchRecords } from "./records.mjs";

const modules = path.join(root, "node_modules");

async function startPouchdbServer() {
  const port = await freePort();
  const dir = tempDir("walkbook-pouchdb-");
  const child = spawn(
    process.execPath,
    [path.join(modules, "pouchdb-server", "bin", "pouchdb-server"), "--port", String(port), "--dir", dir],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not yet listening
    }
    if (waited > 30_000 || child.exitCode !== null) throw new Error(`pouchdb-server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop() {
      child.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seconds PouchDB takes to replicate `count` record-shaped documents,
 * from `settle()` after writing them (as Walkbook's push is measured). */
export async function pouchdbReplication(count, settle) {
  const server = await startPouchdbServer();
  const phone = await launchPhone();
  try {
    const { page } = phone;
    // Any page of the server's origin: same-origin replication, no CORS.
    await page.goto(`${server.url}/_bench`);
    await page.addScriptTag({ path: path.join(modules, "pouchdb", "dist", "pouchdb.min.js") });
    const docs = benchRecords(count, "pouch-phone", { idField: "_id" });
    await page.evaluate(async (docs) => {
      const local = new PouchDB("walkbook-bench"); // IndexedDB adapter
      for (let i = 0; i < docs.length; i += 1000) await local.bulkDocs(docs.slice(i, i + 1000));
    }, docs);
    await settle();
    return await page.evaluate(
      async ({ count, remote }) => {
        const started = performance.now();
        const result = await PouchDB.replicate(new PouchDB("walkbook-bench"), new PouchDB(`${remote}/records`));
        if (result.docs_written !== count) throw new Error(`replicated ${result.docs_written}`);
        return (performance.now() - started) / 1000;
      },
      { count, remote: server.url },
    );
  } finally {
    await phone.close();
    server.stop();
  }
}
