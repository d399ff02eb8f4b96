#!/usr/bin/env bash
# Makes docs/report.png: the top of the report of the shipped comparison
# (scenarios/transit-vs-direct-*.toml), as headless Chromium shows it; with
# "sweep", docs/report-sweep.png: the top of the report of the sweep of
# network A's last transit hand-over (0.975 to 0.99), the network pictures
# left out of the screenshot so that its charts show.
#   tools/scripts/report-screenshot.sh [TELSIM] [OUT.png] [sweep]
# TELSIM defaults to build/telsim, OUT to docs/report.png (docs/report-sweep.png
# with sweep). The simulation is the comparison's own settings (30 days x 10
# replications, seed 2017).
set -euo pipefail
cd "$(dirname "$0")/../.."
telsim="${1:-build/telsim}"
what="${3:-compare}"
if [ "$what" = sweep ]; then out="${2:-docs/report-sweep.png}"; else out="${2:-docs/report.png}"; fi
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "report-screenshot: needs Chromium (Debian package chromium)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "$what" = sweep ]; then
  "$telsim" report scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml \
    --vary A:hops.transit2-small=0.975:0.99:0.005 --out "$tmp/full.html"
  # The same page without the network pictures and their heading (shown in
  # docs/report.png).
  sed 's|</head>|<style>.network, h2:has(+ .network) { display: none }</style></head>|' "$tmp/full.html" >"$tmp/report.html"
  height=2000
else
  "$telsim" report scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml \
    --out "$tmp/report.html"
  height=2600
fi
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
  --hide-scrollbars --window-size=820,$height --screenshot="$tmp/report.png" "file://$tmp/report.html" \
  >/dev/null 2>"$tmp/chromium.log" || { cat "$tmp/chromium.log" >&2; exit 1; }
mv "$tmp/report.png" "$out"
echo "report-screenshot: wrote $out" >&2
