#!/usr/bin/env bash
# Benchmarks of sweeps (docs/performance.md, "Sweeps and merge"):
#   merge   time of telsim sim merge for 10,000 and 100,000 units
#   scaling a sweep of 64 points x 10 replications of erlang-b (1 day each)
#           with --jobs 1 and --jobs 2, against one and two copies of a
#           plain CPU-bound loop, interleaved in the same run
#   tests/bench/sweep_bench.sh [merge|scaling|all] (default all), from the source tree, after a build.
# The merge's input is made without running 100,000 simulations: shard 1 of
# N runs unit 0 alone, and its result line is copied to every other unit.
# The merged figures are meaningless (every unit alike), the work is not.
set -euo pipefail
cd "$(dirname "$0")/../.."
telsim="${TELSIM:-build/telsim}"
what="${1:-all}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

merge_bench() {
  local units=$1 points=$(($1 / 10))
  local study=(scenarios/erlang-b.toml --vary interconnects.trunk.channels=1:$points:1 --replications 10 --days 0.01)
  "$telsim" sim sweep "${study[@]}" --shard 1/"$units" --out "$tmp/seed.jsonl"
  python3 - "$tmp/seed.jsonl" "$tmp/part.jsonl" "$units" <<'PY'
import json, sys
head, unit = open(sys.argv[1]).read().splitlines()[:2]
u = json.loads(unit)
with open(sys.argv[2], "w") as f:
    f.write(head + "\n")
    for i in range(int(sys.argv[3])):
        f.write(json.dumps({"unit": i, "point": i // 10, "replication": i % 10, "result": u["result"]},
                           separators=(",", ":")) + "\n")
PY
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(now); "$telsim" sim merge "$tmp/part.jsonl" --format csv --out "$tmp/merged.csv"; t1=$(now)
    best=$(python3 -c "import sys; a=$t1-$t0; b='$best'; print(a if not b else min(a, float(b)))")
  done
  printf 'merge of %d units (%d points, %s MB of parts): best of 3 %.2f s\n' "$units" "$points" \
    "$(du -m "$tmp/part.jsonl" | cut -f1)" "$best"
}

loop() { awk 'BEGIN { for (i = 0; i < 2e8; i++) s += i * 0.5; print s > "/dev/null" }'; }

scaling_bench() {
  local study=(scenarios/erlang-b.toml --vary interconnects.trunk.channels=100:163:1 --replications 10 --days 1
               --format csv --out "$tmp/s.csv")
  local t0 t1 s1=() s2=() l1=() l2=()
  for round in 1 2; do
    t0=$(now); "$telsim" sim sweep "${study[@]}" --jobs 1; t1=$(now); s1+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); loop; t1=$(now); l1+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); "$telsim" sim sweep "${study[@]}" --jobs 2; t1=$(now); s2+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); loop & loop & wait; t1=$(now); l2+=("$(python3 -c "print($t1-$t0)")")
    echo "round $round: sweep jobs 1 ${s1[-1]} s, jobs 2 ${s2[-1]} s; loop x1 ${l1[-1]} s, loop x2 (two copies) ${l2[-1]} s"
  done
  python3 - "${s1[*]}" "${s2[*]}" "${l1[*]}" "${l2[*]}" <<'PY'
import sys
s1, s2, l1, l2 = (min(map(float, a.split())) for a in sys.argv[1:])
sweep = s1 / s2          # same work, 1 vs 2 processes
loop = 2 * l1 / l2       # two copies' work in the time of ... : throughput ratio
print(f"best: sweep 640 units jobs 1 {s1:.2f} s, jobs 2 {s2:.2f} s: speed-up {sweep:.2f}x")
print(f"best: CPU loop one copy {l1:.2f} s, two copies {l2:.2f} s: speed-up {loop:.2f}x")
print(f"sweep speed-up / loop speed-up = {sweep / loop:.2f} (target >= 0.9)")
PY
}

case "$what" in
  merge) merge_bench 10000; merge_bench 100000 ;;
  scaling) scaling_bench ;;
  all) merge_bench 10000; merge_bench 100000; scaling_bench ;;
  *) echo "usage: sweep_bench.sh [merge|scaling|all]" >&2; exit 2 ;;
esac
