#!/usr/bin/env bash
# Makes docs/report.png: the top of the report of the shipped comparison
# (scenarios/transit-vs-direct-*.toml), as headless Chromium shows it.
#   tools/scripts/report-screenshot.sh [TELSIM] [OUT.png]
# TELSIM defaults to build/telsim, OUT to docs/report.png. The simulation is
# the comparison's own settings (30 days x 10 replications, seed 2017).
set -euo pipefail
cd "$(dirname "$0")/../.."
telsim="${1:-build/telsim}"
out="${2:-docs/report.png}"
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "report-screenshot: needs Chromium (Debian package chromium)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$telsim" report scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml \
  --out "$tmp/report.html"
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
  --hide-scrollbars --window-size=820,2600 --screenshot="$tmp/report.png" "file://$tmp/report.html" \
  >/dev/null 2>"$tmp/chromium.log" || { cat "$tmp/chromium.log" >&2; exit 1; }
mv "$tmp/report.png" "$out"
echo "report-screenshot: wrote $out" >&2
