#!/usr/bin/env bash
# Builds Walkbook and serves it on 127.0.0.1:8080 with its embedded SQLite file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build.sh
target="${CARGO_TARGET_DIR:-$root/target}"
server="$target/release/walkbook-server"
export WALKBOOK_ADDR="${WALKBOOK_ADDR:-127.0.0.1:8080}"
export WALKBOOK_DB="${WALKBOOK_DB:-walkbook.sqlite3}"
# A join link for trying the volunteer's side (the demo campaign is loaded
# on first start; every run invites one more demo volunteer).
"$server" invite --name "Demo volunteer" --public-url "http://$WALKBOOK_ADDR"
exec "$server" serve --dist dist
