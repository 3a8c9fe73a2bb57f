#!/usr/bin/env bash
# Builds the two client apps in release (size-optimised, wasm-opt) into a
# dist folder: the volunteer PWA at its root (Trunk for its html, css and
# files, scripts/build-app-wasm.sh for its wasm, split; then its service
# worker), the coordinator console in its coordinator/ folder (Trunk; built
# after: Trunk empties the folder it builds into). Then the server, in
# release.
#
#   scripts/build.sh [--dist DIR] [--features LIST]      default: dist
#
# WALKBOOK_BUILD_LABEL, when set, is shown next to the version on the About
# screen (the update test uses it to tell two builds apart).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
dist=dist
features=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --features) features=(--features "$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# One set of flags on every machine (scripts/wasm-env.sh always builds std
# from source with the same Debian toolchain): Leptos's views type-erased,
# and no panic machinery shipped, a panic aborts without formatting a
# message (tests keep messages); `{:?}` formats nothing and no source
# locations are kept (so no shipped code may show a Debug form: give the
# type a name of its own instead), and std is built for size (smaller sort
# and number formatting; 5 KB of the first load with the two flags before).
# The linker's relocations are kept for the volunteer app's splitter (the
# console gets the same flags, so that the two builds share their compiled
# crates; wasm-bindgen drops them).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none -Clink-args=--emit-relocs"
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
case "$dist" in /*) ;; *) dist="$root/$dist" ;; esac
scripts/wasm-env.sh trunk build --release --dist "$dist"
scripts/wasm-env.sh scripts/build-app-wasm.sh "$dist" "${features[@]}"
scripts/generate-service-worker.sh "$dist"
(cd crates/console && ../../scripts/wasm-env.sh trunk build --release --dist "$dist/coordinator")
cargo build --release -p walkbook-server
