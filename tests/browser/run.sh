#!/usr/bin/env bash
# The browser test suite: builds the shipped site with the release binary into a
# folder of its own, serves it on 127.0.0.1, and checks it with Debian's Chromium.
# Needs: cargo, node 20 with `npm ci` done here, java, /usr/bin/chromium (or $CHROMIUM).
# Closes with `browser: N passed, M failed`; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)
fi

echo "== fiches build (release)"
cargo build --release --locked --quiet
site="$repo/target/browser-public"
"$repo/target/release/fiches" build --out "$site"

echo "== browser suite"
exec node "$here/suite.mjs" "$site" "$repo/target/screenshots"
