#!/usr/bin/env bash
# Set up (install what is missing, build) and run the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/scripts/setup.sh
build="${TELSIM_BUILD_DIR:-build}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
