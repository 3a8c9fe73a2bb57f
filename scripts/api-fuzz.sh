#!/usr/bin/env bash
# Property-based run of the API against its OpenAPI document (schemathesis,
# from PyPI): a real walkbook-server on a temporary SQLite file is called as
# anonymous, as a volunteer and as a coordinator, with every check, a
# bounded number of examples per operation. Exits non-zero on any failure.
#
#   scripts/api-fuzz.sh [examples per operation, default 25]
#
# WALKBOOK_SERVER_BIN picks the server binary (default: the release build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
examples="${1:-25}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="${WALKBOOK_SERVER_BIN:-$target_dir/release/walkbook-server}"
. scripts/schemathesis.sh
[ -x "$SCHEMATHESIS_VENV/bin/schemathesis" ] || scripts/setup.sh
[ -x "$bin" ] || cargo build --release -p walkbook-server

work="$(mktemp -d)"
mkdir "$work/dist"
echo '<!DOCTYPE html><title>Walkbook</title>' > "$work/dist/index.html"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
url="http://127.0.0.1:$port"
"$bin" --db "$work/walkbook.sqlite3" serve --addr "127.0.0.1:$port" --dist "$work/dist" > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "$url/api/v1/health" > /dev/null && break; sleep 0.1; done

# A session cookie from a POST of JSON `$2` to `$1`.
cookie_from() {
  curl -sf -D - -o /dev/null -H 'content-type: application/json' -d "$2" "$url$1" | tr -d '\r' |
    awk 'tolower($1) == "set-cookie:" { split($2, pair, ";"); print pair[1] }'
}
code=$("$bin" --db "$work/walkbook.sqlite3" invite --name "API fuzz" | awk '/^Join code:/ { print $3 }')
volunteer=$(cookie_from /api/v1/join "{\"code\":\"$code\",\"device_id\":\"api-fuzz-phone\"}")
login=$("$bin" --db "$work/walkbook.sqlite3" coordinator add --name "API fuzz" --campaign demo-xingfu | sed -n 's/.*#login=//p')
coordinator=$(cookie_from /api/v1/coordinator/login "{\"code\":\"$login\"}")
[ -n "$volunteer" ] && [ -n "$coordinator" ] || { echo "api-fuzz: could not sign in"; cat "$work/server.log"; exit 1; }

# Checks every run applies. A request of the documented shape may still be
# refused by a domain rule (a form version not newer than the stored one, a
# name of spaces): that is 422, and counts as a correct answer to valid data.
checks='
[checks.positive_data_acceptance]
expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429]
'
status=0
for role in anonymous volunteer coordinator; do
  config="$work/schemathesis-$role.toml"
  printf '%s\n' "$checks" > "$config"
  exclude=()
  case "$role" in
    volunteer) printf '[auth.openapi.session]\napi_key = "%s"\n' "${volunteer#*=}" >> "$config" ;;
    # The coordinator's requests name the campaign they run, so that they
    # reach past the campaign check into each operation's own rules.
    coordinator) printf '[auth.openapi.coordinator]\napi_key = "%s"\n[parameters]\n"path.campaign" = "demo-xingfu"\n' \
      "${coordinator#*=}" >> "$config" ;;
  esac
  # Sign-ins are throttled per address, and a logout or a phone's sign-out
  # would end the run's session: those are fuzzed as anonymous only.
  [ "$role" = anonymous ] || exclude=(--exclude-path-regex '/(join|sign-out|coordinator/login|coordinator/logout)$')
  echo "api-fuzz: as $role, $examples examples per operation"
  "$SCHEMATHESIS_VENV/bin/schemathesis" --config-file "$config" run "$url/api/v1/openapi.json" "${exclude[@]}" \
    --checks all --max-examples "$examples" --seed 1 --workers 1 --request-timeout 20 \
    --suppress-health-check all --no-color || status=1
done
exit $status
