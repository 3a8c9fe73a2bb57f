#!/usr/bin/env bash
# Redraws public/icons from walkbook-icon.py, rasterised by headless Chromium.
# The PNGs are committed; run this only when the drawing changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=public/icons
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/icons/walkbook-icon.py > "$out/icon.svg"
python3 scripts/icons/walkbook-icon.py maskable > "$work/maskable.svg"
render() { # svg size png
  printf '<html><body style="margin:0;background:transparent"><img src="%s" width="%s" height="%s"></body></html>' \
    "file://$1" "$2" "$2" > "$work/page.html"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
    --default-background-color=00000000 --window-size="$2,$2" --screenshot="$3" "file://$work/page.html" 2>/dev/null
}
render "$PWD/$out/icon.svg" 192 "$out/icon-192.png"
render "$PWD/$out/icon.svg" 512 "$out/icon-512.png"
render "$PWD/$out/icon.svg" 180 "$out/apple-touch-icon.png"
render "$work/maskable.svg" 512 "$out/icon-maskable-512.png"
ls -l "$out"
