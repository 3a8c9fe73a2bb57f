#!/usr/bin/env bash
# What a Leptos app with nothing but its router weighs (bench/framework-floor/),
# built as the volunteer app's main module is: Debian's toolchain with std from
# source, the same profile and release flags, wasm-bindgen, wasm-opt -Oz, short
# import names and minified js (scripts/minify-app-js.mjs). It is
# the floor under the first load (bench/sizes.mjs): what is above it is the
# app's own. Run by scripts/bench.sh.
#   bench/framework-floor.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$root/target}/framework-floor"
name=walkbook-framework-floor
source scripts/release-flags.sh
(cd bench/framework-floor &&
  ../../scripts/wasm-env.sh cargo build --quiet --locked --profile wasm-release --target wasm32-unknown-unknown --target-dir "$target_dir")
out="$target_dir/out"
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-name "$name" --out-dir "$out" "$target_dir/wasm32-unknown-unknown/wasm-release/$name.wasm"
node_modules/.bin/wasm-opt -Oz "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
node scripts/minify-app-js.mjs "$out" "$name"
node --input-type=module -e "
import { measure } from './bench/sizes.mjs';
const rows = [measure('$out', '$name.js', 'js'), measure('$out', '${name}_bg.wasm', 'wasm')];
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log('A Leptos app with only its router (bench/framework-floor), built as the volunteer app:\n');
console.log('| asset | raw | gzip | brotli |\n|---|---:|---:|---:|');
for (const row of rows) console.log(\`| \${row.kind} | \${kb(row.raw)} | \${kb(row.gzip)} | \${kb(row.brotli)} |\`);
const sum = (key) => kb(rows.reduce((total, row) => total + row[key], 0));
console.log(\`| **total** | \${sum('raw')} | \${sum('gzip')} | **\${sum('brotli')}** |\`);
"
