#!/usr/bin/env bash
# The demo consortium on a fresh Debian 12 (as root or with sudo):
#   1. installs what is missing (scripts/install-deps.sh),
#   2. builds bauhinia-node, bauhinia-testtx, bauhinia-wallet, bauhinia-explorer and the
#      explorer's pages in release mode (cmake --preset release),
#   3. creates, or resumes when it exists, one validator per department (IPD, CR, DH, EPD,
#      OGCIO) in ./demo-data, starts the five nodes on loopback (p2p 26600+, API 8600+ when
#      free), submits the sample registers (real module calls signed by the acting officers),
#      starts the explorer following them (http://127.0.0.1:8700/ when free), prints the API
#      addresses and curl lines, and follows the chain until Ctrl-C; then stops everything.
#
# Options:
#   --check              bounded, non-interactive: start, commit the samples, verify them on
#                        every node with identical blocks, stop, then scan every node's
#                        databases (ledger, consensus, DH's health payload store) and its other
#                        files (payload keys, config, logs) for the samples' private values
#                        (exit 0 when all is well)
#   --data-dir DIR       the consortium's folder (default ./demo-data)
#   --fresh              delete the data folder first (a new chain)
#   --no-install         skip scripts/install-deps.sh
#   --node PATH          use this bauhinia-node (with --testtx: skip the build)
#   --testtx PATH        use this bauhinia-testtx
#   --scan PATH          use this bauhinia-ledger-scan (the no-personal-data check)
#   --explorer PATH      use this bauhinia-explorer (follows the consortium, port 8700 if free)
#   --web-root DIR       the explorer's built pages (the explorer_web target)
#   --build-dir DIR      build here instead of the preset's build/release
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
fresh=0
install=1
node_bin=""
testtx_bin=""
scan_bin=""
explorer_bin=""
web_root=""
data_dir="$PWD/demo-data"
build_dir=""

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --fresh) fresh=1 ;;
    --no-install) install=0 ;;
    --node) node_bin="${2:?--node needs a path}"; shift ;;
    --testtx) testtx_bin="${2:?--testtx needs a path}"; shift ;;
    --scan) scan_bin="${2:?--scan needs a path}"; shift ;;
    --explorer) explorer_bin="${2:?--explorer needs a path}"; shift ;;
    --web-root) web_root="${2:?--web-root needs a folder}"; shift ;;
    --data-dir) data_dir="${2:?--data-dir needs a folder}"; shift ;;
    --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$install" -eq 1 ]; then
  bash scripts/install-deps.sh
fi

if [ -z "$node_bin" ] || [ -z "$testtx_bin" ]; then
  echo "== building bauhinia-node and bauhinia-testtx (release)"
  if [ -n "$build_dir" ]; then
    cmake --preset release -B "$build_dir" >/dev/null
  else
    cmake --preset release >/dev/null
    build_dir="$PWD/build/release"
  fi
  cmake --build "$build_dir" --target bauhinia-node bauhinia-testtx bauhinia-ledger-scan \
    bauhinia-wallet bauhinia-explorer explorer_web -j "$(nproc)"
  node_bin="$build_dir/node/bauhinia-node"
  testtx_bin="$build_dir/tests/integration/bauhinia-testtx"
  scan_bin="$build_dir/tests/integration/bauhinia-ledger-scan"
  explorer_bin="$build_dir/explorer/bauhinia-explorer"
  web_root="$build_dir/explorer/web/work/dist"
  echo "== the wallet: $build_dir/wallet-cli/bauhinia-wallet (docs/wallet.md)"
fi

args=(--node "$node_bin" --testtx "$testtx_bin" --data-dir "$data_dir")
[ "$check" -eq 1 ] && args+=(--check)
[ -n "$scan_bin" ] && args+=(--scan "$scan_bin")
[ -n "$explorer_bin" ] && args+=(--explorer "$explorer_bin")
[ -n "$web_root" ] && args+=(--web-root "$web_root")
[ "$fresh" -eq 1 ] && args+=(--fresh)
exec python3 scripts/demo.py "${args[@]}"
