#!/usr/bin/env bash
# Builds the PWA in release (Trunk, size-optimised, wasm-opt) into a dist
# folder, and the server in release.
#
#   scripts/build.sh [--dist DIR] [--features LIST]      default: dist
#
# WALKBOOK_BUILD_LABEL, when set, is shown next to the version on the About
# screen (the update test uses it to tell two builds apart).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
dist=dist
features=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --features) features=(--features "$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# The release wasm aborts on panic without formatting a message: no panic
# machinery is shipped (build-std makes this possible; tests keep messages).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort"
fi
scripts/wasm-env.sh trunk build --release --dist "$dist" "${features[@]}"
cargo build --release -p walkbook-server
