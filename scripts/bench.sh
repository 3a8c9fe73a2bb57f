#!/usr/bin/env bash
# Builds the shipped app and a bench build (the `bench` feature's exports),
# then measures in headless Chromium against the real server and prints tables.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scripts/setup.sh
scripts/build.sh --dist dist-bench --features bench
scripts/build.sh --dist dist
WALKBOOK_BENCH_DIST="$root/dist-bench" WALKBOOK_DIST="$root/dist" node bench/app.mjs
