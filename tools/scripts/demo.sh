#!/usr/bin/env bash
# Set up (install what is missing, build) and run the headline comparison:
# the same client traffic through a small operator behind a transit chain
# against an operator with direct interconnects.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/scripts/setup.sh
build="${TELSIM_BUILD_DIR:-build}"
"$build/telsim" sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml "$@"
