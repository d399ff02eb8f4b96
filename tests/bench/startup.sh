#!/usr/bin/env bash
# Start-up time of the commands that do not simulate, against `sqlite3
# -version` measured in the same run (docs/performance.md, "Start-up").
# The target: `telsim erlang b 10 12` within 3x of sqlite3.
#   tests/bench/startup.sh [BUILD_DIR] [RUNS]      (defaults: build, 300)
# Each command runs RUNS times in a loop, in turns (a, b, c, a, b, c, ...)
# so that a busy moment of the machine hits all of them alike; the figure is
# the mean wall time per run in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
runs="${2:-300}"
telsim="$build/telsim"
[ -x "$telsim" ] || { echo "startup.sh: $telsim not found (build first)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "startup.sh: sqlite3 not found (apt-get install sqlite3)" >&2; exit 2; }

names=("sqlite3 -version" "telsim --version" "telsim erlang b 10 12")
cmds=("sqlite3 -version" "$telsim --version" "$telsim erlang b 10 12")
total=(0 0 0)
# The clock is $EPOCHREALTIME (bash 5, microseconds): no process forked to read it.
for ((r = 0; r < runs; r++)); do
  for i in 0 1 2; do
    t0=${EPOCHREALTIME/[.,]/}
    ${cmds[$i]} >/dev/null
    t1=${EPOCHREALTIME/[.,]/}
    total[$i]=$((total[$i] + (10#$t1 - 10#$t0) * 1000))
  done
done

echo "start-up, mean of $runs runs each ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
base=${total[0]}
for i in 0 1 2; do
  awk -v n="${names[$i]}" -v t="${total[$i]}" -v b="$base" -v r="$runs" \
    'BEGIN { printf "  %-24s %7.2f ms  %5.2fx sqlite3\n", n, t / r / 1e6, t / b }'
done
