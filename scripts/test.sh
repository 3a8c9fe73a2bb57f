#!/usr/bin/env bash
# Runs every Walkbook test: native (core, server on SQLite and again on a real
# PostgreSQL server started here), wasm in headless Chromium, a short load of
# simulated phones on two server processes, and end to end (the real server,
# a real SQLite file or PostgreSQL, headless Chromium).
# Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$SECONDS

step "setup"
scripts/setup.sh

step "native tests: crates/core, crates/xlsform, crates/server"
cargo test --workspace --exclude walkbook-app --exclude walkbook-console

step "server tests on PostgreSQL"
postgres_dir="$(mktemp -d)/postgres"
trap 'scripts/postgres.sh stop "$postgres_dir"' EXIT
WALKBOOK_TEST_POSTGRES_URL="$(scripts/postgres.sh start "$postgres_dir")"
export WALKBOOK_TEST_POSTGRES_URL
cargo test -p walkbook-server --tests

step "wasm tests in headless Chromium"
scripts/wasm-env.sh cargo test --target wasm32-unknown-unknown -p walkbook-app

step "no Debug formatting in shipped code (the release build formats none)"
scripts/check-debug-format.sh

step "release build"
# First a second build with a visible change, for the update-flow test, in its
# own folder; then the ordinary build, so that the target folder ends holding
# what scripts/run.sh serves.
next_label="update-check"
WALKBOOK_BUILD_LABEL="$next_label" scripts/build.sh --dist dist-next
scripts/build.sh --dist dist

step "the volunteer's first load: size budget, no console file in it"
node bench/sizes.mjs --check dist

step "sync under load: two campaigns' phones at once through two server processes on PostgreSQL"
# Short (the full run is scripts/load.sh): fails if a record is lost or
# doubled, or a pull passes over one.
LOAD_CAMPAIGNS=2 scripts/load.sh postgres --phones 30 --whole-campaign-phones 3 --seconds 20 --pull-every 2 --console-every 5

step "the API against its OpenAPI document (schemathesis: anonymous, volunteer, coordinator)"
scripts/api-fuzz.sh 25

step "end-to-end tests"
WALKBOOK_TEST_DIST="$root/dist" WALKBOOK_TEST_DIST_NEXT="$root/dist-next" WALKBOOK_TEST_NEXT_LABEL="$next_label" \
  node --test --test-concurrency=1 tests/e2e/

echo "all tests passed in $((SECONDS - started)) s"
