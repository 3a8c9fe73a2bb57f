#!/usr/bin/env bash
# Losing the database machine (not in CI): a PostgreSQL primary whose
# commits wait for a synchronous streaming standby (Debian's packages, on
# loopback), two server processes reaching it through a relay (the address a
# virtual IP or a proxy gives in production), and simulated phones pushing
# through both. After KILL_AFTER seconds the primary and all its processes
# get SIGKILL; the standby is promoted and the relay pointed at it; the
# servers reconnect on their own. The load generator's table then says how
# many records were acknowledged, how many the promoted standby holds (each
# exactly once), and the longest time no push was acknowledged.
#   scripts/failover.sh [walkbook-load options...]
# Environment: KILL_AFTER (default 30 s), PROMOTE_AFTER (seconds between the
# kill and the promotion, default 3), and the load's --seconds (default 90).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scripts/setup.sh
command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; }
cargo build --release --locked -p walkbook-server -p walkbook-load
[ -f dist/index.html ] || scripts/build.sh
server="$CARGO_TARGET_DIR/release/walkbook-server"
load="$CARGO_TARGET_DIR/release/walkbook-load"
kill_after=${KILL_AFTER:-30}
promote_after=${PROMOTE_AFTER:-3}
work=$(mktemp -d)
source scripts/servers.sh
relay_pid=
cleanup() {
  stop_servers
  stop_relay
  scripts/postgres.sh stop "$work/standby" 2>/dev/null || true
  scripts/postgres.sh stop "$work/primary" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port_of() { sed 's|.*:\([0-9]*\)/.*|\1|' <<<"$1"; }
relay_port=$(free_port)
# The relay forwards each new connection to the database at PORT.
start_relay() {
  socat "TCP-LISTEN:$relay_port,bind=127.0.0.1,fork,reuseaddr" "TCP:127.0.0.1:$1" &
  relay_pid=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$relay_port") 2>/dev/null && return 0; sleep 0.05; done
  echo "failover.sh: the relay did not start" >&2
  return 1
}
# Stops the relay and cuts the connections it carries.
stop_relay() {
  [ -n "$relay_pid" ] || return 0
  pkill -KILL -P "$relay_pid" 2>/dev/null || true
  kill -KILL "$relay_pid" 2>/dev/null || true
  wait "$relay_pid" 2>/dev/null || true
  relay_pid=
}

primary=$(scripts/postgres.sh primary "$work/primary")
standby=$(scripts/postgres.sh standby "$work/standby" "$primary")
state=$(psql "$primary" -Atc "SELECT application_name || ' ' || sync_state FROM pg_stat_replication")
[ "$state" = "standby sync" ] || { echo "failover.sh: the standby is not synchronous ($state)" >&2; exit 1; }
echo "primary on port $(port_of "$primary"), synchronous standby on $(port_of "$standby")" >&2
start_relay "$(port_of "$primary")"
db="postgres://walkbook@127.0.0.1:$relay_port/postgres"
start_server "$db"
first_url=$started_url first_pid=$started_pid
start_server "$db"

"$load" field --label "Failover: PostgreSQL primary lost after ${kill_after} s, standby promoted ${promote_after} s later, two server processes" \
  --server "$first_url" --server "$started_url" --coordinator-code "$(coordinator_code "$db")" \
  --phones 200 --seconds 90 --pull-every 10 --watch "server 1=$first_pid" --watch "server 2=$started_pid" "$@" \
  2> >(tee "$work/load.log" >&2) &
load_pid=$!
# The clock starts when the phones have joined and start saving.
until grep -q "running for" "$work/load.log" 2>/dev/null; do
  kill -0 "$load_pid" 2>/dev/null || { wait "$load_pid"; exit 1; }
  sleep 0.2
done
sleep "$kill_after"
echo "$(date +%T) SIGKILL to the primary and every process of it" >&2
scripts/postgres.sh kill "$work/primary"
stop_relay
sleep "$promote_after"
scripts/postgres.sh promote "$work/standby"
start_relay "$(port_of "$standby")"
echo "$(date +%T) standby promoted; the relay now leads to it" >&2
status=0
wait "$load_pid" || status=$?
echo "records the promoted standby holds: $(psql "$standby" -Atc "SELECT COUNT(*) FROM records WHERE campaign_id LIKE 'load-%'")" >&2
exit "$status"
