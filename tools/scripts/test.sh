#!/usr/bin/env bash
# Set up (install what is missing, build) and run the whole test suite through ctest.
#   tools/scripts/test.sh              Release build in ./build
#   tools/scripts/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer
#                                      build (clang-14) in ./build-sanitize (docs/reliability.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = --sanitize ]; then
  export TELSIM_BUILD_DIR="${TELSIM_BUILD_DIR:-build-sanitize}"
  # clang-14, as the fuzz build: one compiler and one sanitizer runtime
  # (libclang-rt-14-dev) for both checked builds.
  export TELSIM_CMAKE_ARGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELSIM_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++-14 ${TELSIM_CMAKE_ARGS:-}"
  # Any report fails the test that caused it (halt_on_error, no recovery).
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
elif [ $# -gt 0 ]; then
  echo "test.sh: unknown option '$1' (expected --sanitize or nothing)" >&2
  exit 2
fi
tools/scripts/setup.sh
build="${TELSIM_BUILD_DIR:-build}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
