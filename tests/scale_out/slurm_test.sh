#!/usr/bin/env bash
# Runs tools/scripts/sweep-slurm.sh for real on a single-node Slurm cluster
# that this test starts itself (munged, slurmctld and slurmd with a minimal
# slurm.conf in a temporary folder, all stopped at the end), and checks that
# the merge job's output equals the unsharded sweep's byte for byte.
# Exit 77 (reported by ctest as skipped, never as passed) when it cannot
# start Slurm: not root, or slurm-wlm / munge not installed.
#   slurm_test.sh TELSIM SOURCE_DIR
set -uo pipefail
telsim="$(realpath "$1")" src="$(realpath "$2")"
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root: a single-node Slurm cluster needs root to start"
for cmd in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$cmd" >/dev/null || skip "$cmd not found (Debian slurm-wlm and munge; tools/scripts/setup.sh installs them)"
done

tmp=$(mktemp -d /tmp/telsim-slurm-XXXXXX)
chmod 755 "$tmp"
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap stop EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log "$tmp"/work/parts/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

# MUNGE, with its own key and socket.
mkdir -p "$tmp/munge"
chmod 711 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --force --foreground --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge/seed" >"$tmp/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.socket" ] || fail "munged did not start"

# Ports picked from the pid, so that two runs of the test do not meet.
port=$((20000 + ($$ % 20000)))
node=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=telsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$node" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
up=""
for _ in $(seq 100); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then up=1; break; fi
  sleep 0.2
done
[ -n "$up" ] || fail "the single-node Slurm cluster did not come up (sinfo: $(sinfo -h 2>&1 | head -1))"
echo "ok: single-node Slurm up ($node, $cpus CPUs, ports $port-$((port + 1)))"

mkdir -p "$tmp/work"
cd "$tmp/work"
ln -s "$src/scenarios" scenarios
study=(scenarios/erlang-b.toml --vary interconnects.trunk.channels=100:120:10 --replications 3 --days 0.3)
"$telsim" sim sweep "${study[@]}" --format csv > whole.csv
TELSIM="$telsim" timeout 240 "$src/tools/scripts/sweep-slurm.sh" --shards 4 --parts parts --format csv --out merged.csv \
  --wait -- "${study[@]}" >/dev/null || fail "sweep-slurm.sh or its merge job failed"
[ -f merged.csv ] || fail "the merge job wrote no output"
cmp -s whole.csv merged.csv || { diff whole.csv merged.csv | head; fail "Slurm merged output differs from the unsharded sweep"; }
echo "ok: Slurm job array of 4 shards + dependent merge job: merged == unsharded"
# A comparison sweep (a key varied in network A only) through the same script.
compare=(scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml
         --vary A:hops.transit2-small=0.975,0.99 --replications 2 --days 0.3)
"$telsim" sim sweep "${compare[@]}" --format csv > whole-compare.csv
TELSIM="$telsim" timeout 240 "$src/tools/scripts/sweep-slurm.sh" --shards 3 --parts parts-compare --format csv \
  --out merged-compare.csv --wait -- "${compare[@]}" >/dev/null || fail "sweep-slurm.sh of a comparison sweep failed"
cmp -s whole-compare.csv merged-compare.csv || { diff whole-compare.csv merged-compare.csv | head; fail "Slurm: the merged comparison sweep differs from the unsharded one"; }
echo "ok: Slurm, comparison sweep, 3 shards + merge job: merged == unsharded"
