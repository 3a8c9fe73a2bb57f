#!/usr/bin/env bash
# Runs a command in the environment for wasm32 builds (Trunk, wasm tests).
#
# Where rustup has the wasm32-unknown-unknown target, that is all it takes.
# Otherwise (these machines cannot download it) Debian's rustc-web toolchain
# builds std for wasm32 from source: its cargo/rustc/rustdoc go first on PATH
# and build-std is switched on, for this command only. Set globally, build-std
# would break every native build. See ../shared/TOOLCHAIN.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  exec "$@"
fi

shims="${WALKBOOK_TOOLS:-$HOME/.cache/walkbook}/debian-rust-shims"
mkdir -p "$shims"
for tool in cargo rustc rustdoc; do
  ln -sfn "/usr/bin/$tool" "$shims/$tool"
done
export PATH="$shims:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
exec "$@"
