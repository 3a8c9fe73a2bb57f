#!/usr/bin/env bash
# Fuzzes what Walkbook parses from outside (fuzz/fuzz_targets/): expressions,
# territory CSV, form JSON and push bodies, each for a bounded time, with
# libFuzzer through cargo-fuzz. A crash stops the run and leaves its input in
# fuzz/artifacts/TARGET/; make it a regression test in crates/core.
#
#   scripts/fuzz.sh [seconds per target, default 600] [target ...]
#
# cargo-fuzz needs nightly flags (sanitizers); RUSTC_BOOTSTRAP=1 lets this
# machine's stable toolchain take them, for these builds only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
CARGO_FUZZ_VERSION=0.13.2
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(expression territory_csv form_json push_body)

if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io (a few minutes, once)"
  cargo install --quiet --locked cargo-fuzz@"$CARGO_FUZZ_VERSION"
fi
export RUSTC_BOOTSTRAP=1
# Fuzz builds go beside the project's, not into the kept CI target folder.
export CARGO_TARGET_DIR="$root/fuzz/target"

for target in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$target"
  mkdir -p "$corpus"
  echo "fuzz: $target for $seconds s"
  cargo fuzz run --release "$target" "$corpus" "$root/fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|Done)" || true
  test "${PIPESTATUS[0]}" -eq 0
done
echo "fuzz: ${targets[*]}: no crash in $seconds s each"
