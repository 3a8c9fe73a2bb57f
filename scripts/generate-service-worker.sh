#!/usr/bin/env bash
# Fills public/sw.js's placeholders in a built app folder with this build's
# id (a hash of every file's bytes) and its precache list (every file of the
# build, the split modules too, so nothing stale and nothing missing), but
# the manifest's screenshots (install sheets fetch those online, and a
# volunteer's phone never needs them offline) and the console's folder.
#   scripts/generate-service-worker.sh DIST      (scripts/build.sh runs it)
set -euo pipefail
cd "${1:?the folder of the built app}"

files=$(find . -path ./coordinator -prune -o -type f ! -name sw.js -print | sed 's|^\./|/|' | LC_ALL=C sort)
build_id=$(for f in $files; do sha256sum ".$f"; done | sha256sum | cut -c1-16)
precached=$(printf '%s\n' $files | grep -v '^/screenshots/')
precache=$(printf '%s\n' $precached | sed 's/.*/"&"/' | paste -sd, -)

sed -i \
  -e "s|__WALKBOOK_BUILD__|${build_id}|" \
  -e "s|__WALKBOOK_PRECACHE__|[${precache}]|" \
  sw.js
echo "service worker: build ${build_id}, $(printf '%s\n' $precached | wc -l) files precached"
