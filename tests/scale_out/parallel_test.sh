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
# A failing shard stops the script before the merge (exit != 0, no output).
if TELSIM="$telsim" "$src/tools/scripts/sweep-parallel.sh" --shards 2 --parts parts-bad --out bad.csv \
     -- scenarios/erlang-b.toml --vary no.such.key=1,2 2>/dev/null; then
  echo "FAIL: a sweep with a bad key went through"; fail=1
elif [ -e bad.csv ]; then echo "FAIL: a failed sweep wrote its output"; fail=1
else echo "ok: a failing shard fails the script, nothing merged"; fi
exit $fail
