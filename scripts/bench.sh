#!/usr/bin/env bash
# Builds the shipped app and a bench build (the `bench` feature's exports),
# then measures in headless Chromium against the real server and prints tables,
# and runs Lighthouse on the volunteer app.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scripts/setup.sh
scripts/build.sh --dist dist-bench --features bench
scripts/build.sh --dist dist
WALKBOOK_BENCH_DIST="$root/dist-bench" WALKBOOK_DIST="$root/dist" node bench/app.mjs
# What the framework alone weighs, beside the first load's table above.
bench/framework-floor.sh
# Lighthouse only here, in a folder of its own (never installed by the tests).
lighthouse_lock_hash=$(sha256sum bench/lighthouse/package-lock.json | cut -d' ' -f1)
if [ "$(cat bench/lighthouse/node_modules/.walkbook-lock-sha256 2>/dev/null)" != "$lighthouse_lock_hash" ]; then
  npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error
  echo "$lighthouse_lock_hash" > bench/lighthouse/node_modules/.walkbook-lock-sha256
fi
WALKBOOK_DIST="$root/dist" node bench/lighthouse.mjs

# A district: 100,000 doors, 1,000,000 records, three consoles at once.
cargo build --release --locked -p walkbook-server -p walkbook-load
server="$CARGO_TARGET_DIR/release/walkbook-server"
work=$(mktemp -d)
source scripts/servers.sh
trap 'stop_servers; rm -rf "$work"' EXIT
start_server "$work/walkbook.sqlite3"
"$CARGO_TARGET_DIR/release/walkbook-load" district --label "District on SQLite, one server process" \
  --server "$started_url" --coordinator-code "$(coordinator_code "$work/walkbook.sqlite3")"
