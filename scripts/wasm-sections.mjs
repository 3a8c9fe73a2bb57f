// Reading a wasm module's binary format, as far as the build's scripts need
// it: LEB128 numbers and the list of sections. Used by
// scripts/minify-app-js.mjs (which rewrites the import section) and
// bench/sizes.mjs (which reads the custom sections' names).

/** The unsigned LEB128 number at `offset`, and the offset after it. */
export function readLeb(bytes, offset) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
  }
}

/** `value` as unsigned LEB128. */
export function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The module's sections in order: id, where the section starts (its id
 *  byte), where its content starts and where it ends. */
export function sections(bytes) {
  const found = [];
  let offset = 8; // magic and version
  while (offset < bytes.length) {
    const start = offset;
    const id = bytes[offset++];
    const [size, content] = readLeb(bytes, offset);
    found.push({ id, start, content, end: content + size });
    offset = content + size;
  }
  return found;
}
