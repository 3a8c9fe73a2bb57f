# Sourced by scripts/load.sh and scripts/failover.sh: servers started on
# free ports of this machine, for the load generator. Expects $server (the
# walkbook-server binary), $work (a temporary folder) and $root.
pids=()

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

# Starts a server on database DB; sets $started_url and $started_pid.
start_server() {
  local db=$1 port
  port=$(free_port)
  RUST_LOG=warn "$server" serve --db "$db" --addr "127.0.0.1:$port" --dist "$root/dist" >>"$work/servers.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  started_url="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    curl -fsS "$started_url/api/v1/health" >/dev/null 2>&1 && return 0
    kill -0 "$started_pid" 2>/dev/null || { cat "$work/servers.log" >&2; return 1; }
    sleep 0.1
  done
  echo "the server on $db did not become healthy" >&2
  return 1
}

stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
}

# A coordinator's sign-in code, made on database DB.
coordinator_code() { "$server" --db "$1" coordinator add --name "Load test" | sed -n 's/.*#login=\([^[:space:]]*\).*/\1/p' | head -1; }
