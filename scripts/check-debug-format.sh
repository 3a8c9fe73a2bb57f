#!/usr/bin/env bash
# The release wasm is built with -Zfmt-debug=none (scripts/release-flags.sh), where
# `{:?}` formats nothing: a state, a reason or a message made with it would
# be an empty string on the phone while native tests still see it. Fails if
# code the phone or the console ships formats with `{:?}` or calls `dbg!`.
# Test modules (`#[cfg(test)] mod ...` to the end of the file, the layout
# here) and comments are not shipped and not checked.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(find src crates/core/src crates/console/src -name '*.rs' -print0 | sort -z | xargs -0 awk '
  FNR == 1 { shipped = 1; test_attribute = 0 }
  test_attribute && /^[[:space:]]*(pub )?mod / { shipped = 0 }
  { test_attribute = /^[[:space:]]*#\[cfg\(test\)\]/ }
  shipped && !/^[[:space:]]*\/\// && (/:#?\?[}]/ || /dbg!\(/) { print FILENAME ":" FNR ": " $0 }')
if [ -n "$found" ]; then
  echo "Debug formatting in shipped code (empty in the release build; name the value instead):" >&2
  echo "$found" >&2
  exit 1
fi
echo "no Debug formatting in shipped code"
