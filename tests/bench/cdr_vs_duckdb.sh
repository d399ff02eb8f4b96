#!/usr/bin/env bash
# telsim cdr stats against DuckDB on the same Asterisk Master.csv, same cores.
#   tests/bench/cdr_vs_duckdb.sh [ROWS]        (default 1000000, ~300 MB)
#   TELSIM_BUILD_DIR=build-cdr tests/bench/cdr_vs_duckdb.sh
# Generates the file with tests/bench/cdr_gen, installs the npm package
# @duckdb/node-api into a temporary folder (not a dependency of telsim), runs
# each side REPS times alternately on a warm cache and keeps the best time of
# each (the machine is shared: compare ratios from one run, not absolute times
# across runs). Then peak RSS of telsim for ROWS and 4 x ROWS rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
reps="${REPS:-5}"
build="${TELSIM_BUILD_DIR:-build}"
telsim="$build/telsim"
gen="$build/tests/cdr_gen"
[ -x "$telsim" ] && [ -x "$gen" ] || { echo "build first: cmake --build $build (needs telsim and cdr_gen)" >&2; exit 2; }

work="$(mktemp -d /tmp/telsim-cdr-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
csv="$work/Master.csv"
"$gen" "$rows" 1 > "$csv"
echo "file: $rows rows, $(( $(stat -c %s "$csv") / 1000000 )) MB; machine: $(nproc) cores, $(date -u +%Y-%m-%d)"

echo "installing @duckdb/node-api into $work (temporary)" >&2
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
cat > "$work/q.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const [file, threads] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads });
const conn = await instance.connect();
// Same question as telsim: counts per hour of start and disposition.
const sql = `SELECT date_trunc('hour', column09) AS hour, column14 AS disposition, count(*) AS n,
             sum(column13) AS billsec FROM read_csv('${file}', header = false) GROUP BY ALL`;
const t0 = performance.now();
const r = await conn.runAndReadAll(sql);
const groups = r.getRows().length;
const t1 = performance.now();
console.log(`${((t1 - t0) / 1000).toFixed(3)} ${groups}`);
JS

cat "$csv" > /dev/null  # warm the page cache
best_t=999; best_d=999; best_dp=999
for i in $(seq "$reps"); do
  /usr/bin/time -o "$work/t" -f "%e" "$telsim" cdr stats "$csv" --by hour --by outcome --threads 2 --format json \
    > "$work/telsim.json" 2>/dev/null
  t=$(cat "$work/t")
  s=$(date +%s.%N)
  d=$(node "$work/q.mjs" "$csv" 2)
  e=$(date +%s.%N)
  dq=${d%% *}
  dp=$(awk -v a="$e" -v b="$s" 'BEGIN { printf "%.3f", a - b }')
  best_t=$(awk -v a="$t" -v b="$best_t" 'BEGIN { print (a < b ? a : b) }')
  best_d=$(awk -v a="$dq" -v b="$best_d" 'BEGIN { print (a < b ? a : b) }')
  best_dp=$(awk -v a="$dp" -v b="$best_dp" 'BEGIN { print (a < b ? a : b) }')
  echo "run $i: telsim ${t}s (whole process), duckdb ${dq}s query / ${dp}s whole node process" >&2
done
echo "telsim cdr stats --by hour --by outcome, 2 threads, whole process:  ${best_t} s"
echo "duckdb read_csv + GROUP BY, 2 threads, query only:                   ${best_d} s"
echo "duckdb, whole node process (start, load, query):                     ${best_dp} s"
echo "ratio telsim / duckdb query:   $(awk -v a="$best_t" -v b="$best_d" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio telsim / duckdb process: $(awk -v a="$best_t" -v b="$best_dp" 'BEGIN { printf "%.2f", a / b }')"
/usr/bin/time -f "%e" "$telsim" --version 2>&1 >/dev/null | sed 's/^/telsim start-up alone (--version): /; s/$/ s/'

rss() { /usr/bin/time -v "$telsim" cdr stats "$1" --by hour --by outcome --threads 2 --format json 2>&1 >/dev/null |
        awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'; }
echo "peak RSS, $rows rows: $(rss "$csv") KB"
big="$work/Master4.csv"
for s in 1 2 3 4; do "$gen" "$rows" "$s"; done > "$big"
echo "peak RSS, $((rows * 4)) rows: $(rss "$big") KB"
