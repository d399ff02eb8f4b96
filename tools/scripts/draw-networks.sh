#!/usr/bin/env bash
# Draws the pictures of the headline comparison's two networks that the docs
# show (docs/network-transit.svg, docs/network-direct.svg), with
# `telsim sim graph --format svg` (needs Graphviz). Run it after changing the
# scenarios or the drawing (core/net/graph.cc); tests/graphviz_test.cc fails
# while the committed pictures differ from what telsim draws.
#   tools/scripts/draw-networks.sh          with build/telsim
#   TELSIM=path/to/telsim tools/scripts/draw-networks.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
telsim="${TELSIM:-build/telsim}"
for network in transit direct; do
  "$telsim" sim graph "scenarios/transit-vs-direct-$network.toml" --format svg --out "docs/network-$network.svg"
done
