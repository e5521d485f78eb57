#!/usr/bin/env bash
# Builds and tests the explorer's web pages in a work folder outside the source
# tree (CMake target explorer_web, ctest tests explorer_web_*):
#   tools/run.sh <work dir> build     bundle the pages into <work dir>/dist (esbuild)
#   tools/run.sh <work dir> test      the verifier's unit tests (node --test)
#   tools/run.sh <work dir> browser   the browser test (playwright-core, Debian's chromium)
#   tools/run.sh <work dir> live      the browser test against a live demo consortium and
#                                     bauhinia-explorer (BAUHINIA_NODE, BAUHINIA_TESTTX,
#                                     BAUHINIA_EXPLORER_BIN name the executables)
# Copies package.json, package-lock.json and the sources into <work dir>, and runs
# `npm ci` there only when the lock file changed since the last install: the
# first run needs the npm registry (or a warm ~/.npm cache); later runs are offline.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$1"
step="$2"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "explorer/web needs Node.js >= 20 (found $(node --version)); see scripts/install-deps.sh" >&2
  exit 1
fi
mkdir -p "$work"
cp "$src/package.json" "$src/package-lock.json" "$src/build.mjs" "$work/"
rm -rf "$work/src" "$work/test"
cp -R "$src/src" "$src/test" "$work/"
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.bauhinia-installed-lock.json" 2>/dev/null; then
  (cd "$work" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  cp "$work/package-lock.json" "$work/node_modules/.bauhinia-installed-lock.json"
fi
export BAUHINIA_SOURCE_DIR="${BAUHINIA_SOURCE_DIR:-$(cd "$src/../.." && pwd)}"
cd "$work"
case "$step" in
  build) node build.mjs dist ;;
  test) node --test test/*.test.js ;;
  browser)
    node build.mjs dist
    node --test --test-concurrency=1 test/browser/verify.browser.js
    ;;
  live)
    node build.mjs dist
    node --test --test-concurrency=1 test/browser/live.browser.js
    ;;
  *) echo "usage: tools/run.sh <work dir> build|test|browser|live" >&2; exit 2 ;;
esac
