#!/usr/bin/env bash
# Trunk post_build hook: fills public/sw.js's placeholders in the staging folder
# with this build's id (a hash of every file's bytes) and its precache list
# (every file Trunk produced, so nothing stale and nothing missing), but the
# manifest's screenshots: install sheets fetch those online, and a volunteer's
# phone never needs them offline.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$staging"

files=$(find . -type f ! -name sw.js | sed 's|^\./|/|' | LC_ALL=C sort)
build_id=$(for f in $files; do sha256sum ".$f"; done | sha256sum | cut -c1-16)
precached=$(printf '%s\n' $files | grep -v '^/screenshots/')
precache=$(printf '%s\n' $precached | sed 's/.*/"&"/' | paste -sd, -)

sed -i \
  -e "s|__WALKBOOK_BUILD__|${build_id}|" \
  -e "s|__WALKBOOK_PRECACHE__|[${precache}]|" \
  sw.js
echo "service worker: build ${build_id}, $(printf '%s\n' $precached | wc -l) files precached"
