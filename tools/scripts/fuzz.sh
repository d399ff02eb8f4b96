#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz (docs/reliability.md).
#   tools/scripts/fuzz.sh TARGET SECONDS       one target for that long
#   tools/scripts/fuzz.sh TARGET runs:N        one target for N executions
#   tools/scripts/fuzz.sh all SECONDS|runs:N   every target, one per core at a time
#   tools/scripts/fuzz.sh list                 the targets
#   tools/scripts/fuzz.sh merge TARGET|all     grown corpus into tests/fuzz/grown/TARGET
# TARGET is a name from `list` (cdr_asterisk, scenario, ...). Builds into
# ./build-fuzz with clang-14 first if needed (TELSIM_FUZZ_BUILD_DIR=dir to
# change). Each target grows its corpus in build-fuzz/corpus/TARGET on top of
# seeds made from tests/fixtures and scenarios/ plus the committed corpora
# tests/fuzz/corpus/TARGET and tests/fuzz/grown/TARGET (build-fuzz/seeds/TARGET);
# a crashing, leaking or slow input is saved as build-fuzz/findings/TARGET-*.
# Extra arguments after the second go to libFuzzer (e.g. -jobs=2); TELSIM_FUZZ_JOBS=N runs N targets at once.
# Exit status: 0 when no target found anything, 1 otherwise, 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/../.."

targets=(cdr_asterisk cdr_freeswitch cdr_mapped mapping scenario set numbering calls_import fail_if)
build="${TELSIM_FUZZ_BUILD_DIR:-build-fuzz}"
# An input taking more than 10 s is a finding (a hang); a process past 2 GB
# is one too (an OOM). The same in a run and in a merge.
guards=(-timeout=10 -rss_limit_mb=2048)

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ "${1:-}" = list ] && { printf '%s\n' "${targets[@]}"; exit 0; }
[ $# -ge 2 ] || usage
merge=false
if [ "$1" = merge ]; then
  [ $# -eq 2 ] || usage
  merge=true
  which="${2#fuzz_}"
  shift 2
else
  which="${1#fuzz_}"
  budget="$2"
  shift 2
  if [[ "$budget" =~ ^runs:([0-9]+)$ ]]; then
    limit=(-runs="${BASH_REMATCH[1]}")
  elif [[ "$budget" =~ ^[0-9]+$ ]] && [ "$budget" -gt 0 ]; then
    limit=(-max_total_time="$budget")
  else
    echo "fuzz.sh: '$budget': expected SECONDS (a positive number) or runs:N" >&2
    exit 2
  fi
fi
if [ "$which" = all ]; then
  run=("${targets[@]}")
else
  found=false
  for t in "${targets[@]}"; do [ "$t" = "$which" ] && found=true; done
  $found || { echo "fuzz.sh: unknown target '$which' (targets: ${targets[*]})" >&2; exit 2; }
  run=("$which")
fi

# Build (incremental: a no-op when up to date); the log is shown on failure.
mkdir -p "$build"
if ! {
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DTELSIM_FUZZ=ON
  fi
  cmake --build "$build" -j "$(nproc)" --target "${run[@]/#/fuzz_}"
} >"$build/fuzz-build.log" 2>&1; then
  cat "$build/fuzz-build.log" >&2
  echo "fuzz.sh: the build failed" >&2
  exit 1
fi

# merge: what the campaigns grew (build-fuzz/corpus/TARGET) and the grown
# corpus committed so far, merged by libFuzzer into the fewest inputs with
# the same coverage, replace tests/fuzz/grown/TARGET (review, then commit).
if $merge; then
  mkdir -p "$build/findings"
  status=0
  for t in "${run[@]}"; do
    out="$(mktemp -d)"
    from=()
    [ -d "tests/fuzz/grown/$t" ] && from+=("tests/fuzz/grown/$t")
    [ -d "$build/corpus/$t" ] && from+=("$build/corpus/$t")
    if [ ${#from[@]} -eq 0 ]; then
      echo "fuzz_$t: nothing to merge (no $build/corpus/$t)"
      rm -rf "$out"
      continue
    fi
    if "$build/tests/fuzz_$t" -merge=1 "${guards[@]}" "$out" "${from[@]}" >"$build/findings/$t-merge.log" 2>&1; then
      rm -rf "tests/fuzz/grown/$t"
      mkdir -p tests/fuzz/grown
      mv "$out" "tests/fuzz/grown/$t"
      chmod 755 "tests/fuzz/grown/$t"
      echo "fuzz_$t: tests/fuzz/grown/$t: $(find "tests/fuzz/grown/$t" -type f | wc -l) inputs, $(cat "tests/fuzz/grown/$t"/* | wc -c) bytes"
    else
      echo "fuzz_$t: the merge failed (an input crashed?); log $build/findings/$t-merge.log"
      rm -rf "$out"
      status=1
    fi
  done
  exit "$status"
fi

# Seeds: small, made afresh from the files in the repository.
seed() {  # seed TARGET FILE...
  local dir="$build/seeds/$1"
  shift
  for f in "$@"; do cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"; done
}
# scenario key=value lines, "table.key=value", one seed per table and one
# with every line: what `--set` takes.
set_lines() {
  awk '
    /^[ \t]*\[/ { t = $0; gsub(/^[ \t]*\[+|\]+.*$/, "", t); next }
    /^[ \t]*[A-Za-z0-9_-]+[ \t]*=/ {
      k = $0; sub(/[ \t]*=.*/, "", k); gsub(/^[ \t]+/, "", k)
      v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+#.*$/, "", v)
      if (gsub(/\[/, "[", v) != gsub(/\]/, "]", v)) next  # multi-line array
      print (t == "" ? "" : t ".") k "=" v
    }' "$1"
}
make_seeds() {  # make_seeds TARGET
  local t="$1" dir="$build/seeds/$1"
  rm -rf "$dir"
  mkdir -p "$dir" "$build/corpus/$t" "$build/findings"
  case "$t" in
    cdr_*) seed "$t" tests/fixtures/cdr/*.csv ;;
    mapping) seed "$t" tests/fixtures/cdr/*.toml ;;
    scenario)
      seed "$t" scenarios/*.toml scenarios/include/*.toml
      { cat scenarios/transit-vs-direct-direct.toml; printf '#@include\n'; cat scenarios/include/client-traffic.toml; } \
        >"$dir/with-include.toml"
      ;;
    set)
      set_lines scenarios/article-operator.toml >"$dir/all"
      set_lines scenarios/erlang-b.toml >"$dir/erlang-b"
      awk -F= '{ f = $1; sub(/\.[^.]*$/, "", f); print > (d "/" f) }' d="$dir" "$dir/all"
      ;;
    numbering) seed "$t" tests/fixtures/numbering/*.csv ;;
    calls_import) seed "$t" tests/fixtures/calls/*.csv ;;
    fail_if)  # every gate the docs and examples write, one per seed
      grep -rhoE "fail-if '[^']*'" tests/cli docs | sed "s/^fail-if '//; s/'\$//" | sort -u |
        awk '{ print > (d "/doc-" NR) }' d="$dir"
      ;;
  esac
  # The committed corpus: inputs chosen by hand and every finding's reproducer.
  if [ -d "tests/fuzz/corpus/$t" ]; then seed "$t" "tests/fuzz/corpus/$t"/*; fi
  # The grown corpus: what the long campaigns reached, merged to the fewest
  # inputs with the same coverage (named by content, so one copy does).
  if [ -d "tests/fuzz/grown/$t" ]; then cp "tests/fuzz/grown/$t"/* "$dir/"; fi
}

# One target: its seeds, its run, and its summary into $build/findings/$t.summary
# (first line "ok" or "finding"), printed by the caller in target order.
fuzz_one() {  # fuzz_one TARGET LIBFUZZER-ARGS...
  local t="$1" log rc runs speed units
  shift
  make_seeds "$t"
  log="$build/findings/$t.log"
  set +e
  "$build/tests/fuzz_$t" "${limit[@]}" "${guards[@]}" -print_final_stats=1 \
    -artifact_prefix="$build/findings/$t-" "$@" "$build/corpus/$t" "$build/seeds/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\)[^0-9].*/\1/p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(find "$build/corpus/$t" -type f | wc -l)
  {
    if [ "$rc" = 0 ]; then
      echo ok
      echo "fuzz_$t: ${runs:-?} executions, ${speed:-?} exec/s, corpus $units inputs, no finding"
    else
      echo finding
      echo "fuzz_$t: FINDING after ${runs:-?} executions (exit $rc); log $log:"
      grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*uncaught exception|.*deadly signal|.*Test unit written)' "$log" |
        head -20 || tail -30 "$log"
      # The reproducer itself, so that a CI log alone is enough to replay it:
      # base64 -d >input; build-fuzz/tests/fuzz_TARGET input
      sed -n 's/.*Test unit written to //p' "$log" | while read -r unit; do
        [ -f "$unit" ] || continue
        echo "reproducer $unit ($(wc -c <"$unit") bytes), base64 (first 64 KiB):"
        head -c 65536 "$unit" | base64
      done
    fi
  } >"$build/findings/$t.summary"
}

# Targets run side by side, one per core (TELSIM_FUZZ_JOBS to change): each
# is one process, so on 2 cores `all 20` takes half the time for the same
# executions per target.
jobs_max="${TELSIM_FUZZ_JOBS:-$(nproc)}"
[[ "$jobs_max" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: TELSIM_FUZZ_JOBS='$jobs_max': expected a positive number" >&2; exit 2; }
mkdir -p "$build/findings"
running=0
for t in "${run[@]}"; do
  rm -f "$build/findings/$t.summary"
  echo "fuzz.sh: fuzz_$t ${limit[*]}" >&2
  fuzz_one "$t" "$@" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true
status=0
for t in "${run[@]}"; do
  if [ ! -f "$build/findings/$t.summary" ]; then
    echo "fuzz_$t: did not finish (no summary)"
    status=1
    continue
  fi
  [ "$(head -1 "$build/findings/$t.summary")" = ok ] || status=1
  tail -n +2 "$build/findings/$t.summary"
done
exit "$status"
