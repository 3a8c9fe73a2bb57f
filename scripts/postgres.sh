#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests (Debian's postgresql
# package, installed by scripts/setup.sh): a fresh cluster in a temporary
# folder, on a free port of 127.0.0.1, trust auth for the `walkbook` role.
#   scripts/postgres.sh start DIR   prints the URL of its `postgres` database
#   scripts/postgres.sh stop DIR
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a folder for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the package's `postgres` user.
as_owner() {
  # From / : the postgres user may not be allowed into the working folder.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      # The postgres user must reach the folder: give it the folder, and let
      # it through the (temporary) parent.
      chown postgres "$dir"
      chmod a+x "$(dirname "$dir")"
    fi
    port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
    as_owner "$bin/initdb" -D "$dir/data" -U walkbook --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null
    echo "postgres://walkbook@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
