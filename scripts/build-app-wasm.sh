#!/usr/bin/env bash
# Builds the volunteer app's wasm into DIST, split at the app's split points
# (`split_point!` in src/screens/split.rs), and puts its script in
# DIST/index.html. Run by scripts/build.sh through scripts/wasm-env.sh,
# after Trunk wrote the rest of the app (html, css, static files).
#
#   scripts/build-app-wasm.sh DIST [--features LIST]
#
# Trunk cannot split a wasm (trunk-rs/trunk#1022), so this is its rust
# pipeline with one step more, in the order the splitter needs:
#   cargo (with relocations kept) -> wasm-split-cli -> wasm-bindgen on the
#   main module -> wasm-opt -Oz on every module.
# Every file is named with one hash of the whole set (the files refer to
# each other, so no file's own hash can be in another's name): the server
# caches such names as immutable, and a new build never mixes with an old.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$1"
shift
target_dir="${CARGO_TARGET_DIR:-$root/target}"
wasm_opt="$root/node_modules/.bin/wasm-opt"
name=walkbook-app

# The splitter needs the linker's relocations: asked for by this link alone
# (`cargo rustc` passes them to the app's binary, not to the crates it
# shares with the console).
cargo rustc --quiet --profile wasm-release --target wasm32-unknown-unknown --bin "$name" --locked --features split "$@" -- -Clink-args=--emit-relocs

stage="$target_dir/walkbook-split"
rm -rf "$stage"
mkdir -p "$stage/split" "$stage/bindgen" "$stage/out"
wasm-split-cli --out-name "$name" "$target_dir/wasm32-unknown-unknown/wasm-release/$name.wasm" "$stage/split"
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name "$name" --out-dir "$stage/bindgen" "$stage/split/$name.wasm"

"$wasm_opt" -Oz "$stage/bindgen/${name}_bg.wasm" -o "$stage/out/${name}_bg.wasm"
cp "$stage/bindgen/$name.js" "$stage/split/__wasm_split.js" "$stage/out/"
# Short import names in the main module and its glue, both scripts minified.
node "$root/scripts/minify-app-js.mjs" "$stage/out" "$name"
# The split modules come straight from the splitter, with their names.
for module in "$stage"/split/*.wasm; do
  [ "$(basename "$module")" = "$name.wasm" ] && continue
  "$wasm_opt" -Oz --strip-debug --strip-producers "$module" -o "$stage/out/$(basename "$module")"
done

hash=$(cd "$stage/out" && LC_ALL=C ls | while read -r file; do sha256sum "$file"; done | sha256sum | cut -c1-16)
hashed() { echo "${1%%.*}-$hash.${1#*.}"; }
# `walkbook-app_bg.wasm` becomes `walkbook-app-HASH_bg.wasm`, as Trunk names it.
main_wasm="$name-${hash}_bg.wasm"
# Only the places a file is fetched from are renamed: the main wasm's import
# module is still called "./__wasm_split.js" inside it. (The scripts are
# minified: `from"./x.js"`, and the glue's quotes are terser's choice.)
edits=(-e "s|from *\"\\./$name\\.js\"|from\"./$name-$hash.js\"|" -e "s|from *\"\\./__wasm_split\\.js\"|from\"./$(hashed __wasm_split.js)\"|g"
  -e "s|[\"']${name}_bg\\.wasm[\"']|\"$main_wasm\"|")
for module in "$stage"/out/*.wasm; do
  file=$(basename "$module")
  [ "$file" = "${name}_bg.wasm" ] && continue
  edits+=(-e "s|URL(\"\\./$file\"|URL(\"./$(hashed "$file")\"|")
  cp "$module" "$dist/$(hashed "$file")"
done
cp "$stage/out/${name}_bg.wasm" "$dist/$main_wasm"
sed "${edits[@]}" "$stage/out/$name.js" > "$dist/$name-$hash.js"
sed "${edits[@]}" "$stage/out/__wasm_split.js" > "$dist/$(hashed __wasm_split.js)"
# Every file the scripts fetch or import is named with its hash (a reference
# the edits missed would ask for a file the build does not have). A name
# followed by `:` is a key (the module the wasm imports from), not a file.
if grep -ohE "[\"'](\./)?[A-Za-z0-9_.-]+\.(js|wasm)[\"'][^:]" "$dist/$name-$hash.js" "$dist/$(hashed __wasm_split.js)" | grep -v -- "-$hash"; then
  echo "the app's scripts name the files above without the build's hash" >&2
  exit 1
fi

# The app starts as Trunk would start it (the bench reads window.wasmBindings),
# with the main module's files preloaded beside the css.
script="<link rel=\"modulepreload\" href=\"/$name-$hash.js\" crossorigin=\"anonymous\">\
<link rel=\"modulepreload\" href=\"/$(hashed __wasm_split.js)\" crossorigin=\"anonymous\">\
<link rel=\"preload\" href=\"/$main_wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">\
<script type=\"module\">\
import init, * as bindings from '/$name-$hash.js';\
await init({ module_or_path: '/$main_wasm' });\
window.wasmBindings = bindings;\
</script>"
grep -q '<!-- the app: scripts/build-app-wasm.sh -->' "$dist/index.html"
sed -i -e "s|<!-- the app: scripts/build-app-wasm.sh -->|$script|" -e '/<link data-trunk=""[^>]*data-trunk-skip/d' "$dist/index.html"
echo "app wasm: main module and $(ls "$stage"/out/*.wasm | wc -l | awk '{print $1 - 1}') split modules, build $hash"
