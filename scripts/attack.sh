#!/usr/bin/env bash
# Holds 20,000 idle and trickling connections against a local walkbook-server
# (loopback only, bounded in time) and prints /api/v1/health's latency under
# that load. Builds the server first if needed.
#
#   scripts/attack.sh [seconds, default 30] [connections, default 20000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scripts/setup.sh
cargo build --release -p walkbook-server
node scripts/attack.mjs "${1:-30}" "${2:-20000}"
