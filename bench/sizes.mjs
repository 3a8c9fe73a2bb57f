// First-load transfer of a built PWA: raw, gzip and brotli sizes of the wasm,
// JS and CSS (brotli at quality 11, window 22, as the server sends them).
//   node bench/sizes.mjs [dist]      prints the table
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export function measureSizes(dist) {
  const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css" };
  const rows = [];
  for (const name of fs.readdirSync(dist)) {
    const kind = kinds[path.extname(name)];
    if (!kind || name === "sw.js") continue;
    const bytes = fs.readFileSync(path.join(dist, name));
    const brotli = zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 22 },
    }).length;
    rows.push({ kind, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length, brotli });
  }
  return rows.sort((a, b) => a.kind.localeCompare(b.kind));
}

export function sizesTable(rows) {
  const kb = (n) => (n / 1024).toFixed(1) + " KB";
  const total = rows.reduce(
    (sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  return [
    "| asset | raw | gzip | brotli |",
    "|---|---:|---:|---:|",
    ...rows.map((row) => `| ${row.kind} | ${kb(row.raw)} | ${kb(row.gzip)} | ${kb(row.brotli)} |`),
    `| **total (first load)** | ${kb(total.raw)} | ${kb(total.gzip)} | **${kb(total.brotli)}** |`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sizesTable(measureSizes(process.argv[2] ?? "dist")));
}
