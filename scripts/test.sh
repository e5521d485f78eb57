#!/usr/bin/env bash
# The whole test suite, from a fresh clone on Debian 12:
#   1. installs what is missing (scripts/install-deps.sh),
#   2. builds the unit tests and fuzzers with clang under ASan+UBSan and runs them
#      (labels unit and fuzz),
#   3. builds the network, mempool, execution and node tests with clang under
#      ThreadSanitizer (preset tsan: only those tests and the libraries they
#      link) and runs them (docs/security.md, "Thread safety"),
#   4. builds everything in release mode with g++ and runs every test
#      (unit, integration, sim, fuzz smoke excluded), ending with ctest's summary.
# Options: --long     run the long simulator and soak budgets (BAUHINIA_LONG=1)
#          --no-tsan  skip stage 3 (ThreadSanitizer)
set -euo pipefail
cd "$(dirname "$0")/.."

no_tsan=0
for arg in "$@"; do
  case "$arg" in
    --long) export BAUHINIA_LONG=1 ;;
    --no-tsan) no_tsan=1 ;;
    *) echo "usage: scripts/test.sh [--long] [--no-tsan]" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh

jobs=$(nproc)
# ccache (from the release and asan presets) may reuse objects across clones:
# paths under this folder are hashed relative to it. A cache only saves time.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
echo "== ASan+UBSan build (clang): unit tests and fuzz smoke runs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

if [ "$no_tsan" = 0 ]; then
  echo "== ThreadSanitizer build (clang): network, mempool, execution and node tests"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs"
  ctest --preset tsan -j "$jobs"
fi

echo "== Release build (g++): the whole suite"
cmake --preset release -DBAUHINIA_BENCH=OFF >/dev/null  # benchmarks are not tests
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"
