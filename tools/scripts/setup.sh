#!/usr/bin/env bash
# Installs the Debian packages telsim builds with (only those missing), then
# configures and builds into ./build. Safe to run again: it does nothing twice.
#   tools/scripts/setup.sh            install what is missing + build
#   TELSIM_BUILD_DIR=dir              build somewhere else
#   TELSIM_CMAKE_ARGS="..."           extra configure options (test.sh --sanitize)
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(
  build-essential cmake pkg-config
  libsimgrid-dev libcli11-dev libfmt-dev doctest-dev libtomlplusplus-dev
  nlohmann-json3-dev libsqlite3-dev libphonenumber-dev libprotobuf-dev
  libicu-dev libboost-dev libcsv-dev libcctz-dev zlib1g-dev sqlite3
  python3 python3-jsonschema jq graphviz
  parallel slurm-wlm munge
  clang-14 libclang-rt-14-dev
  libjs-chart.js chromium poppler-utils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "telsim setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build="${TELSIM_BUILD_DIR:-build}"
# A unity build (CMakeLists.txt): a third less compile time from a clean
# tree. TELSIM_CMAKE_ARGS=-DCMAKE_UNITY_BUILD=OFF for one file per compiler,
# when editing one file and rebuilding often.
# shellcheck disable=SC2086 # TELSIM_CMAKE_ARGS is a list of options
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON ${TELSIM_CMAKE_ARGS:-} >&2
cmake --build "$build" -j "$(nproc)" >&2
