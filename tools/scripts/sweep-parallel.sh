#!/usr/bin/env bash
# Runs a telsim sweep as N shards with GNU parallel, on this machine or over
# ssh, then merges the partial results into the very output the sweep would
# have written on one machine (docs/scale-out.md).
#
#   tools/scripts/sweep-parallel.sh [options] -- SCENARIO [sim sweep options]
#
#   --shards N         shards to cut the study into (default 16)
#   --parts DIR        where the partial result files go (default sweep-parts)
#   --sshlogin LOGINS  GNU parallel's --sshlogin: 8/node1,8/node2 runs 8 shards
#                      at a time on each host, ':' is this machine. The hosts
#                      must see the current directory at the same path (a
#                      shared filesystem) and have telsim on their PATH (or at $TELSIM).
#   --format F, --out FILE, --fail-if GATE, --junit FILE: given to telsim sim merge
#   TELSIM=path        the telsim binary (default: telsim on PATH)
#
# Each shard runs its units one at a time (--jobs 1): GNU parallel runs as
# many shards at once as each host has CPUs (or as its N/ in --sshlogin says).
# A failed shard makes the script fail before the merge; rerun it alone with
# the command GNU parallel printed, then run the merge line below by hand.
set -euo pipefail

shards=16 parts=sweep-parts sshlogin="" merge=()
while (($#)); do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --parts) parts="$2"; shift 2 ;;
    --sshlogin) sshlogin="$2"; shift 2 ;;
    --format | --out | --fail-if | --junit) merge+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "sweep-parallel.sh: unknown option '$1' (the sweep's own options go after --)" >&2; exit 2 ;;
  esac
done
if (($# == 0)); then
  echo "usage: sweep-parallel.sh [--shards N] [--parts DIR] [--sshlogin LOGINS] [--format F] [--out FILE] -- SCENARIO [sim sweep options]" >&2
  exit 2
fi
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "sweep-parallel.sh: --shards '$shards': expected a positive integer" >&2; exit 2; }
command -v parallel >/dev/null || { echo "sweep-parallel.sh: GNU parallel is not installed (Debian: apt-get install parallel)" >&2; exit 2; }
telsim="${TELSIM:-telsim}"

mkdir -p "$parts"
rm -f "$parts"/part-*.jsonl
where=()
[ -n "$sshlogin" ] && where=(--sshlogin "$sshlogin" --workdir "$PWD")
# {} is the shard number; printf %q quotes the sweep's arguments for the (remote) shell.
sweep=$(printf '%q ' "$telsim" sim sweep "$@")
parallel --will-cite --halt now,fail=1 "${where[@]}" \
  "$sweep --jobs 1 --shard {}/$shards --out $(printf '%q' "$parts")/part-{}.jsonl" ::: $(seq 1 "$shards")
"$telsim" sim merge "$parts"/part-*.jsonl "${merge[@]}"
