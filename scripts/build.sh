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

source scripts/release-flags.sh
case "$dist" in /*) ;; *) dist="$root/$dist" ;; esac
scripts/wasm-env.sh trunk build --release --dist "$dist"
scripts/wasm-env.sh scripts/build-app-wasm.sh "$dist" "${features[@]}"
scripts/generate-service-worker.sh "$dist"
(cd crates/console && ../../scripts/wasm-env.sh trunk build --release --dist "$dist/coordinator")
cargo build --release -p walkbook-server
