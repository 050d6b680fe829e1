#!/usr/bin/env bash
# The browser test suite: builds the shipped site with the release binary into
# public/, serves it on 127.0.0.1, and checks it with Debian's Chromium.
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
# The site's own output folder, as `cargo run --release -- build` writes it.
site="$repo/public"
"$repo/target/release/fiches" build

echo "== browser suite"
exec node "$here/suite.mjs" "$site" "$repo/target/screenshots"
