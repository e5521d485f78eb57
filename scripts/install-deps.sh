#!/usr/bin/env bash
# Installs every Debian 12 package Bauhinia Ledger needs to build, test and run.
# Idempotent: packages already present are skipped; apt-get update runs only when
# something is missing. Must run as root (or with sudo available).
set -euo pipefail

packages=(
  # toolchain
  g++ clang clang-14 libclang-rt-14-dev cmake ninja-build pkg-config ccache git
  # the design card's libraries
  libsecp256k1-dev libleveldb-dev libboost-dev libsodium-dev libcrypto++-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # well-kept helpers
  nlohmann-json3-dev libspdlog-dev libtomlplusplus-dev libcli11-dev
  # the release node's allocator, TCMalloc (docs/performance.md, "... and TCMalloc")
  libgoogle-perftools-dev
  # scripts used by tests (the independent Python checkers need cryptography's Ed25519)
  python3 python3-cryptography procps
  # clock-skew integration test (a node under libfaketime)
  faketime
  # the explorer's web pages: browser tests drive Debian's Chromium (explorer/web)
  chromium
)
# Node.js >= 20 and npm build and test explorer/web. Machines of this project's kind
# come with NodeSource's nodejs 20 (which bundles npm; Debian's npm package would
# conflict with it), so Debian's packages are added only when there is no node at all.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1 && ! command -v node >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
