#!/usr/bin/env bash
# Runs tools/scripts/sweep-parallel.sh for real with GNU parallel, locally and
# through --sshlogin (':' is this machine, GNU parallel's own spelling), and
# checks that the merged output equals the unsharded sweep's byte for byte.
# Exit 77 (reported by ctest as skipped, never as passed) when GNU parallel
# is not installed.
#   parallel_test.sh TELSIM SOURCE_DIR
set -euo pipefail
telsim="$(realpath "$1")" src="$(realpath "$2")"
if ! command -v parallel >/dev/null; then
  echo "SKIPPED: GNU parallel is not installed (tools/scripts/setup.sh installs it)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
ln -s "$src/scenarios" scenarios
study=(scenarios/erlang-b.toml --vary interconnects.trunk.channels=100:120:10 --vary streams.callers.calls_per_day=40000,48000
       --replications 3 --days 0.3)
fail=0
for format in table csv json; do
  "$telsim" sim sweep "${study[@]}" --format "$format" > whole.$format
  TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 5 --parts parts-$format --format "$format" \
    --out merged.$format -- "${study[@]}"
  if cmp -s whole.$format merged.$format; then echo "ok: GNU parallel, 5 shards, $format: merged == unsharded"
  else echo "FAIL: GNU parallel, $format: merged output differs from the unsharded sweep"; diff whole.$format merged.$format | head; fail=1; fi
done
TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 3 --parts parts-ssh --sshlogin 2/: --format csv \
  --out merged-ssh.csv -- "${study[@]}"
if cmp -s whole.csv merged-ssh.csv; then echo "ok: GNU parallel --sshlogin 2/:, 3 shards: merged == unsharded"
else echo "FAIL: GNU parallel --sshlogin: merged output differs"; fail=1; fi
# The comparison sweep of docs/scale-out.md (two networks, the hop varied in
# network A only), run as the doc runs it: its shards hold (point, network,
# replication) units.
compare=(scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml
         --vary A:hops.transit2-small=0.975:0.99:0.005 --replications 10 --days 2)
"$telsim" sim sweep "${compare[@]}" --format csv > whole-compare.csv
TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 8 --parts parts-compare --format csv \
  --out merged-compare.csv -- "${compare[@]}"
if cmp -s whole-compare.csv merged-compare.csv; then echo "ok: GNU parallel, comparison sweep, 8 shards: merged == unsharded"
else echo "FAIL: GNU parallel, comparison sweep: merged output differs"; diff whole-compare.csv merged-compare.csv | head; fail=1; fi
# --format among the sweep's own options would reach the shards: refused there, not ignored.
if TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 2 --parts parts-format --out format.csv \
     -- "${study[@]}" --format csv 2> format.err; then
  echo "FAIL: --format given to the shards went through"; fail=1
elif ! grep -q "give --format csv to sim merge" format.err; then echo "FAIL: --format to the shards: no clear message"; cat format.err; fail=1
else echo "ok: --format after -- is refused by the shards, pointing to sim merge"; fi
# A failing shard stops the script before the merge (exit != 0, no output).
if TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 2 --parts parts-bad --out bad.csv \
     -- scenarios/erlang-b.toml --vary no.such.key=1,2 2>/dev/null; then
  echo "FAIL: a sweep with a bad key went through"; fail=1
elif [ -e bad.csv ]; then echo "FAIL: a failed sweep wrote its output"; fail=1
else echo "ok: a failing shard fails the script, nothing merged"; fi
exit $fail
