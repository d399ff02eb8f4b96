#!/usr/bin/env bash
# Benchmarks of sweeps (docs/performance.md, "Sweeps and merge"):
#   merge   time of telsim sim merge for 10,000 and 100,000 units
#   scaling a sweep of 64 points x 10 replications of erlang-b (1 day each)
#           with --jobs 1 and --jobs 2, against one and two copies of a
#           plain CPU-bound loop, interleaved in the same run, with the
#           machine's load before each round (figures only mean something
#           on a quiet machine: the output says NOT QUIET otherwise)
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

# Scaling: the size of the study and of the CPU loop can be made small to
# check that the script works (not a measurement):
#   SCALING_POINTS=2 SCALING_REPLICATIONS=2 SCALING_DAYS=0.05 LOOP_ITERATIONS=1e6 ROUNDS=1 \
#     tests/bench/sweep_bench.sh scaling
points="${SCALING_POINTS:-64}" replications="${SCALING_REPLICATIONS:-10}" days="${SCALING_DAYS:-1}"
loop_iterations="${LOOP_ITERATIONS:-2e8}" rounds="${ROUNDS:-2}"

loop() { awk -v n="$loop_iterations" 'BEGIN { for (i = 0; i < n; i++) s += i * 0.5; print s > "/dev/null" }'; }

# The machine's load as this benchmark sees it: the load averages, and the
# share of the CPUs busy with other work over one second while the
# benchmark itself sleeps (from /proc/stat). Prints "LOAD1 BUSY%".
machine_load() {
  local a b
  a=$(head -n 1 /proc/stat); sleep 1; b=$(head -n 1 /proc/stat)
  python3 - "$a" "$b" <<'PY'
import sys
a, b = ([int(x) for x in s.split()[1:]] for s in sys.argv[1:])
d = [y - x for x, y in zip(a, b)]
idle = d[3] + (d[4] if len(d) > 4 else 0)  # idle + iowait
total = sum(d[:8])                          # guest time is already in user
load1 = open("/proc/loadavg").read().split()[0]
print(load1, f"{100 * (1 - idle / total) if total else 0:.0f}")
PY
}

scaling_bench() {
  local last=$((points - 1))
  local study=(scenarios/erlang-b.toml --vary interconnects.trunk.channels=100:$((100 + last)):1
               --replications "$replications" --days "$days" --format csv)
  local t0 t1 s1=() s2=() l1=() l2=() loads=() load busy
  echo "scaling: $points points x $replications replications x $days days of erlang-b; CPU loop of $loop_iterations iterations;" \
       "$rounds round(s); CPUs this process may use: $(nproc)"
  for round in $(seq 1 "$rounds"); do
    read -r load busy < <(machine_load)
    loads+=("$busy")
    echo "round $round: before it, load average (1 min) $load, CPUs busy with other work $busy%"
    t0=$(now); "$telsim" sim sweep "${study[@]}" --jobs 1 --out "$tmp/s1.csv"; t1=$(now); s1+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); loop; t1=$(now); l1+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); "$telsim" sim sweep "${study[@]}" --jobs 2 --out "$tmp/s2.csv"; t1=$(now); s2+=("$(python3 -c "print($t1-$t0)")")
    t0=$(now); loop & loop & wait; t1=$(now); l2+=("$(python3 -c "print($t1-$t0)")")
    # --jobs does not change results: a difference is a bug, not a timing.
    cmp -s "$tmp/s1.csv" "$tmp/s2.csv" || { echo "FAIL: the sweep's output differs between --jobs 1 and --jobs 2" >&2; exit 1; }
    echo "round $round: sweep jobs 1 ${s1[-1]} s, jobs 2 ${s2[-1]} s; loop x1 ${l1[-1]} s, loop x2 (two copies) ${l2[-1]} s"
  done
  read -r load busy < <(machine_load)
  loads+=("$busy")
  echo "after the last round: load average (1 min) $load, CPUs busy with other work $busy%"
  python3 - "${s1[*]}" "${s2[*]}" "${l1[*]}" "${l2[*]}" "${loads[*]}" "$((points * replications))" <<'PY'
import sys
s1, s2, l1, l2 = (min(map(float, a.split())) for a in sys.argv[1:5])
busy = max(map(float, sys.argv[5].split()))
units = int(sys.argv[6])
sweep = s1 / s2          # same work, 1 vs 2 processes
loop = 2 * l1 / l2       # two copies' work in the time of ... : throughput ratio
print(f"best: sweep {units} units jobs 1 {s1:.2f} s, jobs 2 {s2:.2f} s: speed-up {sweep:.2f}x")
print(f"best: CPU loop one copy {l1:.2f} s, two copies {l2:.2f} s: speed-up {loop:.2f}x")
print(f"sweep speed-up / loop speed-up = {sweep / loop:.2f} (target >= 0.9)")
if busy > 10:
    print(f"NOT QUIET: up to {busy:.0f}% of the CPUs were busy with other work around the rounds; "
          "these ratios do not measure telsim's scaling: rerun on a quiet machine")
else:
    print(f"quiet: at most {busy:.0f}% of the CPUs busy with other work around the rounds")
PY
}

case "$what" in
  merge) merge_bench 10000; merge_bench 100000 ;;
  scaling) scaling_bench ;;
  all) merge_bench 10000; merge_bench 100000; scaling_bench ;;
  *) echo "usage: sweep_bench.sh [merge|scaling|all]" >&2; exit 2 ;;
esac
