#!/usr/bin/env bash
# Builds Walkbook and serves it on 127.0.0.1:8080 with its embedded SQLite file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build.sh
target="${CARGO_TARGET_DIR:-$root/target}"
exec "$target/release/walkbook-server" serve --addr "${WALKBOOK_ADDR:-127.0.0.1:8080}" \
  --db "${WALKBOOK_DB:-walkbook.sqlite3}" --dist dist
