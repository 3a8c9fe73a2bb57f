#!/usr/bin/env bash
# Runs a command in the environment for wasm32 builds (Trunk, wasm tests).
#
# Always Debian's rustc-web toolchain, building std for wasm32 from source,
# even where rustup could add the wasm32 target: then every machine builds
# the same bytes with the same flags (rustup's prebuilt std differs, and
# cannot abort without panic machinery). Its cargo/rustc/rustdoc go first on
# PATH and build-std is switched on, for this command only: set globally,
# build-std would break every native build. See ../shared/TOOLCHAIN.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

shims="${WALKBOOK_TOOLS:-$HOME/.cache/walkbook}/debian-rust-shims"
mkdir -p "$shims"
for tool in cargo rustc rustdoc; do
  ln -sfn "/usr/bin/$tool" "$shims/$tool"
done
export PATH="$shims:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
exec "$@"
