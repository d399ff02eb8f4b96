#!/usr/bin/env bash
# Submits a telsim sweep to Slurm: a job array of N shards (sbatch
# --array=1-N, task K running --shard K/N), then a merge job that starts when
# every shard has succeeded (--dependency=afterok) and writes the very output
# the sweep would have written on one machine (docs/scale-out.md).
#
#   tools/scripts/sweep-slurm.sh [options] -- SCENARIO [sim sweep options]
#
#   --shards N        array tasks (default 16)
#   --parts DIR       where the partial result files go (default sweep-parts);
#                     on a filesystem every node sees
#   --format F, --out FILE, --fail-if GATE, --junit FILE: given to telsim sim merge
#                     (default --out sweep.out, since a batch job has no terminal)
#   --sbatch "ARGS"   more sbatch options for both jobs (--partition, --time,
#                     --cpus-per-task, --account ...)
#   --wait            return when the merge job has ended, with its exit code
#   TELSIM=path       the telsim binary (default: telsim on PATH)
#
# Each task runs as many units at once as Slurm gave it CPUs: telsim's --jobs
# defaults to SLURM_CPUS_PER_TASK (or the affinity mask Slurm set, if smaller).
# A failed task can be resubmitted alone (sbatch --array=K ...); the merge job
# then has to be submitted again by hand (the line is printed below).
set -euo pipefail

shards=16 parts=sweep-parts merge=() extra="" wait=""
while (($#)); do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --parts) parts="$2"; shift 2 ;;
    --format | --out | --fail-if | --junit) merge+=("$1" "$2"); shift 2 ;;
    --sbatch) extra="$2"; shift 2 ;;
    --wait) wait="--wait"; shift ;;
    --) shift; break ;;
    *) echo "sweep-slurm.sh: unknown option '$1' (the sweep's own options go after --)" >&2; exit 2 ;;
  esac
done
if (($# == 0)); then
  echo "usage: sweep-slurm.sh [--shards N] [--parts DIR] [--format F] [--out FILE] [--sbatch ARGS] [--wait] -- SCENARIO [sim sweep options]" >&2
  exit 2
fi
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm.sh: --shards '$shards': expected a positive integer" >&2; exit 2; }
command -v sbatch >/dev/null || { echo "sweep-slurm.sh: sbatch not found (Slurm's client commands are needed)" >&2; exit 2; }
telsim="${TELSIM:-telsim}"
[[ " ${merge[*]} " == *" --out "* ]] || merge+=(--out sweep.out)

mkdir -p "$parts"
rm -f "$parts"/part-*.jsonl
q_parts=$(printf '%q' "$parts")
# \$SLURM_ARRAY_TASK_ID: expanded by the task's shell, not here.
task="$(printf '%q ' "$telsim" sim sweep "$@")--shard \$SLURM_ARRAY_TASK_ID/$shards --out $q_parts/part-\$SLURM_ARRAY_TASK_ID.jsonl"
# shellcheck disable=SC2086  # $extra is a list of sbatch options
array=$(sbatch --parsable $extra --job-name=telsim-sweep --chdir="$PWD" --output="$parts/slurm-%A_%a.log" \
  --array=1-"$shards" --wrap="$task")
array="${array%%;*}"
merge_cmd="$(printf '%q ' "$telsim" sim merge)$q_parts/part-*.jsonl $(printf '%q ' "${merge[@]}")"
echo "sweep-slurm.sh: shards: job array $array (${shards} tasks); merge: $merge_cmd" >&2
# shellcheck disable=SC2086
merge_job=$(sbatch --parsable $wait $extra --job-name=telsim-merge --chdir="$PWD" --output="$parts/slurm-merge-%j.log" \
  --dependency=afterok:"$array" --kill-on-invalid-dep=yes --wrap="$merge_cmd")
echo "${merge_job%%;*}"
