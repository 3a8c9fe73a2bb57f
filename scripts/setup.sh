#!/usr/bin/env bash
# Installs what building and testing Walkbook needs and is missing, and nothing
# else. Idempotent: on a machine that has everything it checks and returns in
# seconds. Downloads only registry packages (Debian, crates.io, npm).
#
#   wasm32 support   Debian's rustc-web + rust-web-src + lld (std built from
#                    source), on every machine: one toolchain, the same bytes
#   wasm-bindgen     exactly the version in Cargo.lock (they must match)
#   trunk            the PWA's build tool
#   wasm-split-cli   cuts the volunteer app's wasm at its split points
#   chromium         headless browser for the tests, with chromedriver
#   webkit, firefox  the two other engines the offline loop is tested on:
#                    Debian's WebKitGTK driver (with xvfb) and Firefox ESR,
#                    with geckodriver from crates.io
#   postgresql       the server's tests run against it too (not as a service:
#                    scripts/postgres.sh starts a throwaway cluster)
#   npm packages     from package-lock.json: playwright-core (drives Chromium)
#                    and binaryen (wasm-opt for the release build), terser
#                    (minifies the app's scripts, scripts/minify-app-js.mjs);
#                    jsqr and pngjs read the handover's QR codes in a test
#   schemathesis     from PyPI, in a virtualenv of its own: the property-based
#                    run of the API against its OpenAPI document
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
# The splitter for the wasm_split_helpers version in Cargo.lock (0.2).
WASM_SPLIT_VERSION=0.2.4
GECKODRIVER_VERSION=0.36.0
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

apt_updated=no
apt_install() { # package... (installs those not yet installed)
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]} (about a minute)"
  if [ "$apt_updated" = no ]; then
    apt-get update -qq
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- Rust for wasm32 --------------------------------------------------------
# Also where rustup could add the wasm32 target: its prebuilt std would ship
# other bytes than a machine that cannot (scripts/wasm-env.sh).
apt_install rustc-web cargo-web rust-web-src lld-22

# --- Browser for tests -------------------------------------------------------
apt_install chromium chromium-driver
# WebKit (Safari's engine) and Gecko (Firefox), driven through WebDriver.
apt_install webkit2gtk-driver xvfb xauth firefox-esr
if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION from crates.io: it drives Firefox in the tests (about 3 minutes)"
  cargo install --quiet --locked geckodriver@"$GECKODRIVER_VERSION"
fi
# PostgreSQL for the server's tests against it (scripts/postgres.sh starts one).
apt_install postgresql
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm

# --- wasm-bindgen-cli at the Cargo.lock version -------------------------------
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version from crates.io: it must match Cargo.lock (about 5 minutes)"
  # No --locked: its own lockfile pins a crate version the registry no longer has.
  cargo install --quiet --force wasm-bindgen-cli@"$bindgen_version"
fi
grep -q "wasm_bindgen = \"$bindgen_version\"" crates/console/Trunk.toml || {
  echo "crates/console/Trunk.toml's [tools] wasm_bindgen differs from Cargo.lock's wasm-bindgen $bindgen_version" >&2
  exit 1
}

# --- wasm-split-cli -------------------------------------------------------------
if [ "$(cat "$HOME/.cargo/.walkbook-wasm-split" 2>/dev/null)" != "$WASM_SPLIT_VERSION" ] || ! command -v wasm-split-cli >/dev/null; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION from crates.io: it splits the volunteer app's wasm (about 3 minutes)"
  cargo install --quiet --locked --force wasm_split_cli_support@"$WASM_SPLIT_VERSION" --features build-binary
  echo "$WASM_SPLIT_VERSION" > "$HOME/.cargo/.walkbook-wasm-split"
fi

# --- Trunk --------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION from crates.io: it builds the PWA (15-25 minutes on 2 cores, once)"
  cargo install --quiet --locked trunk@"$TRUNK_VERSION"
fi

# --- npm packages, exactly as locked ------------------------------------------
lock_stamp=node_modules/.walkbook-lock-sha256
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$lock_stamp" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm packages from package-lock.json (playwright-core, binaryen's wasm-opt, terser)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$lock_stamp"
fi

# --- schemathesis, pinned, in its own virtualenv --------------------------------
. scripts/schemathesis.sh
if [ ! -x "$SCHEMATHESIS_VENV/bin/schemathesis" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI: it checks the API against its OpenAPI document (about a minute)"
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  python3 -m venv "$SCHEMATHESIS_VENV"
  # Every package pinned (pip freeze of a working install), none resolved anew.
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r scripts/schemathesis-requirements.txt
fi

# Fetch every crate now, including build-std's own, so that Trunk's offline
# build never needs the network.
scripts/wasm-env.sh cargo fetch --quiet --target wasm32-unknown-unknown
