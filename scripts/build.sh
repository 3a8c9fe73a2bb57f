#!/usr/bin/env bash
# Builds the PWA in release (Trunk, size-optimised, wasm-opt) into a dist
# folder, and the server in release.
#
#   scripts/build.sh [--dist DIR]      default: dist
#
# WALKBOOK_BUILD_LABEL, when set, is shown next to the version on the About
# screen (the update test uses it to tell two builds apart).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
dist=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

scripts/wasm-env.sh trunk build --release --dist "$dist"
cargo build --release -p walkbook-server
