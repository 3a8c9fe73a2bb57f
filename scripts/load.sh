#!/usr/bin/env bash
# The load test (not in CI: it runs 10 minutes per backend): 500 simulated
# phones and 5 consoles (crates/load) against the real server, on SQLite with
# one server process, then on PostgreSQL with two server processes sharing the
# database (phones and consoles shared out between them, as a reverse proxy
# would). Prints a table per run and fails if a record was lost or doubled.
#   scripts/load.sh [sqlite|postgres|both] [walkbook-load field options...]
#   e.g. scripts/load.sh both --seconds 60 --phones 100
# LOAD_CAMPAIGNS=N runs N load generators side by side, each with a campaign
# of its own (campaigns' writers do not wait on each other on PostgreSQL);
# the test suite runs a short one of two.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
backends=${1:-both}
[ $# -gt 0 ] && shift
case "$backends" in sqlite|postgres|both) ;; *) echo "usage: $0 [sqlite|postgres|both] [walkbook-load options]" >&2; exit 2 ;; esac
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scripts/setup.sh
cargo build --release --locked -p walkbook-server -p walkbook-load
# The servers serve the PWA too (not measured here): the last build, or a new one.
[ -f dist/index.html ] || scripts/build.sh
server="$CARGO_TARGET_DIR/release/walkbook-server"
load="$CARGO_TARGET_DIR/release/walkbook-load"
work=$(mktemp -d)
source scripts/servers.sh
cleanup() {
  stop_servers
  scripts/postgres.sh stop "$work/pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs LOAD_CAMPAIGNS load generators on database DB at once, each its own
# campaign; prints their tables in turn; fails if one did.
run_load() {
  local db=$1 label=$2 n failed=0
  shift 2
  local runs=()
  for n in $(seq 1 "${LOAD_CAMPAIGNS:-1}"); do
    "$load" field --label "$label" --coordinator-code "$(coordinator_code "$db")" "$@" >"$work/load-$n.txt" &
    runs+=($!)
  done
  for n in "${!runs[@]}"; do wait "${runs[$n]}" || failed=1; cat "$work/load-$((n + 1)).txt"; done
  return "$failed"
}

if [ "$backends" != postgres ]; then
  db="$work/walkbook.sqlite3"
  start_server "$db"
  run_load "$db" "SQLite, one server process" --server "$started_url" --watch "server=$started_pid" "$@"
  kill "$started_pid"
fi

if [ "$backends" != sqlite ]; then
  db=$(scripts/postgres.sh start "$work/pg")
  start_server "$db"
  first_url=$started_url first_pid=$started_pid
  start_server "$db"
  postmaster=$(head -1 "$work/pg/data/postmaster.pid")
  run_load "$db" "PostgreSQL, two server processes" --server "$first_url" --server "$started_url" \
    --watch "server 1=$first_pid" --watch "server 2=$started_pid" --watch "postgresql=$postmaster" "$@"
fi
