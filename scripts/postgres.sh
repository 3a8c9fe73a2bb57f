#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests (Debian's postgresql
# package, installed by scripts/setup.sh): a fresh cluster in a temporary
# folder, on a free port of 127.0.0.1, trust auth for the `walkbook` role.
#   scripts/postgres.sh start DIR             prints the URL of its `postgres` database
#   scripts/postgres.sh stop DIR
# and for the failover drill (scripts/failover.sh):
#   scripts/postgres.sh primary DIR           a server whose commits wait for a
#                                             synchronous standby named `standby`
#   scripts/postgres.sh standby DIR PRIMARY   that standby, streaming from the
#                                             primary at URL PRIMARY
#   scripts/postgres.sh promote DIR           the standby becomes a primary
#   scripts/postgres.sh kill DIR              SIGKILL to the server and all its
#                                             processes (the machine is lost)
set -euo pipefail
command=${1:?start, stop, primary, standby, promote or kill}
dir=${2:?a folder for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the package's `postgres` user.
as_owner() {
  # From / : the postgres user may not be allowed into the working folder.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

prepare() {
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    # The postgres user must reach the folder: give it the folder, and let
    # it through the (temporary) parent.
    chown postgres "$dir"
    chmod a+x "$(dirname "$dir")"
  fi
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
}

# Starts the cluster in $dir/data on $port, with extra server options.
run_server() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 $*" start >/dev/null
  echo "postgres://walkbook@127.0.0.1:$port/postgres"
}

case "$command" in
  start)
    prepare
    as_owner "$bin/initdb" -D "$dir/data" -U walkbook --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    run_server
    ;;
  primary)
    prepare
    as_owner "$bin/initdb" -D "$dir/data" -U walkbook --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # A commit is acknowledged once the standby has it on disk too.
    run_server "-c synchronous_standby_names=standby -c synchronous_commit=on -c wal_level=replica"
    ;;
  standby)
    primary=${3:?the URL of the primary}
    prepare
    # A copy of the primary that keeps streaming from it (-R writes the
    # standby's settings); `application_name` names it to the primary.
    as_owner "$bin/pg_basebackup" -d "$primary?application_name=standby" -D "$dir/data" -R -X stream -c fast >/dev/null
    run_server
    ;;
  promote)
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null
    ;;
  kill)
    postmaster=$(head -1 "$dir/data/postmaster.pid")
    pkill -KILL -P "$postmaster" || true
    kill -KILL "$postmaster"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop|primary|standby|promote|kill DIR" >&2; exit 2 ;;
esac
