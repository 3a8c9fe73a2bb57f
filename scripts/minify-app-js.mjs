// Shrinks the volunteer app's JavaScript and the main module's import names,
// in the folder scripts/build-app-wasm.sh stages its files in, before it
// names them by their hash:
//
//   node scripts/minify-app-js.mjs STAGE_OUT NAME
//
// (bench/framework-floor.sh runs it too, so that the floor is built as the
// app is.)
//
// 1. wasm-bindgen names each function the main module imports from its glue
//    `__wbg_<method>_<16 hex digits>`: 313 names whose hashes brotli cannot
//    compress, once in the wasm's import section and once in the glue. They
//    become names of one or two letters, in the order of the imports, in
//    both files (4.3 KB of wasm and 3.1 KB of js brotli).
// 2. The glue and the splitter's loader (`__wasm_split.js`) are minified by
//    terser, in module mode (export names kept: index.html and the bench call
//    them): 2.2 KB more.
// The output depends only on the input files, so the hash of the build's
// files still names what is served.
import fs from "node:fs";
import path from "node:path";
import { minify } from "terser";
import { leb, readLeb, sections } from "./wasm-sections.mjs";

const [stage, name] = process.argv.slice(2);
if (!stage || !name) {
  console.error("usage: node scripts/minify-app-js.mjs STAGE_OUT NAME");
  process.exit(2);
}
const wasmPath = path.join(stage, `${name}_bg.wasm`);
const gluePath = path.join(stage, `${name}.js`);
const loaderPath = path.join(stage, "__wasm_split.js");
/** The module the main wasm imports its glue's functions from. */
const GLUE_MODULE = `./${name}_bg.js`;

const wasmName = (text) => {
  const bytes = Buffer.from(text);
  return Buffer.concat([leb(bytes.length), bytes]);
};

/** The n-th short name: a JavaScript identifier of one, then two, ... characters. */
function shortName(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  } while (n > 0);
  return name;
}

/** The wasm with its glue imports renamed, and the renames (old name to new). */
function renameGlueImports(bytes) {
  const renames = new Map();
  const parts = [bytes.subarray(0, 8)];
  for (const section of sections(bytes)) {
    if (section.id !== 2) {
      parts.push(bytes.subarray(section.start, section.end));
      continue;
    }
    let [count, at] = readLeb(bytes, section.content);
    const entries = [leb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, at] = readLeb(bytes, at);
      const module = bytes.subarray(at, at + length).toString();
      at += length;
      [length, at] = readLeb(bytes, at);
      const field = bytes.subarray(at, at + length).toString();
      at += length;
      const descriptionStart = at;
      const kind = bytes[at++];
      if (kind === 0) {
        [, at] = readLeb(bytes, at); // a function: its type
      } else if (kind === 1 || kind === 2) {
        if (kind === 1) at++; // a table: its element type
        const flags = bytes[at++];
        [, at] = readLeb(bytes, at);
        if (flags & 1) [, at] = readLeb(bytes, at);
      } else if (kind === 3) {
        at += 2; // a global: its type and mutability
      } else {
        throw new Error(`import ${module}.${field}: unknown kind ${kind}`);
      }
      let renamed = field;
      if (module === GLUE_MODULE) {
        if (!renames.has(field)) renames.set(field, shortName(renames.size));
        renamed = renames.get(field);
      }
      entries.push(wasmName(module), wasmName(renamed), bytes.subarray(descriptionStart, at));
    }
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([2]), leb(body.length), body);
  }
  return { wasm: Buffer.concat(parts), renames };
}

/** The glue with each renamed import's key renamed. Each old name must be
 *  there exactly once, as the key of the glue's imports object (a key, not a
 *  binding: a short name the glue also uses for a variable does not clash). */
function renameInGlue(glue, renames) {
  for (const [from, to] of renames) {
    const pattern = new RegExp(`\\b${from}\\b`, "g");
    const found = glue.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`the glue names import ${from} ${found} times, not once`);
    glue = glue.replace(pattern, to);
  }
  return glue;
}

async function minified(code) {
  const result = await minify(code, { module: true, compress: true, mangle: true, format: { comments: false } });
  return result.code;
}

const { wasm, renames } = renameGlueImports(fs.readFileSync(wasmPath));
fs.writeFileSync(wasmPath, wasm);
fs.writeFileSync(gluePath, await minified(renameInGlue(fs.readFileSync(gluePath, "utf8"), renames)));
// The framework floor (bench/framework-floor.sh) is not split: no loader.
const split = fs.existsSync(loaderPath);
if (split) fs.writeFileSync(loaderPath, await minified(fs.readFileSync(loaderPath, "utf8")));
console.log(`app js: ${renames.size} imports renamed, glue${split ? " and loader" : ""} minified`);
