#pragma once
// The loss simulator on SimGrid. SimGrid owns time, the platform (operators
// as hosts, interconnects as links, routes between them), failures (link and
// host state profiles) and the control plane (detection and rerouting as
// actors). The call data plane (sim/dataplane.h) runs at native speed inside
// the SimGrid run and is advanced to each control event.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/net/scenario.h"
#include "sim/dataplane.h"

namespace telsim {

/// What one replication measured: the counters of calls that arrived in the
/// measured time (after warm-up) and the state of the network over it.
struct ReplicationResult {
  std::vector<Counters> streams;         // per scenario stream
  std::vector<double> reachable_share;   // per stream: share of measured time its destination was reachable
  double measured_seconds = 0;
  uint64_t peak_concurrent = 0;
  uint64_t incidents = 0;                 // interconnect outages that started in the measured time
  std::vector<double> node_availability;  // per operator (1 for operators without a node)
  // Per interconnect (Scenario::interconnects order): what its calls did,
  // the outages that started in the measured time and the seconds it was
  // down within it.
  std::vector<TrunkCounters> interconnects;
  std::vector<uint64_t> interconnect_incidents;
  std::vector<double> interconnect_down_seconds;
  // Per operator (Scenario::operators order): calls its node lost and cut.
  std::vector<NodeCounters> nodes;
  // Attempts of all streams per hour of the day (24) and per measured day.
  std::vector<PeriodCounters> hour_of_day, days;
  // Every measured attempt, in arrival order, when this replication was
  // asked for them (RunOptions::record_attempts); empty otherwise.
  std::vector<AttemptRecord> attempts;
  // The tracking funnel per traffic source (Scenario::sources order); empty
  // without sources.
  std::vector<FunnelCounters> funnel;
  // With `attempts`: the traffic sources' calls among them (pools, numbers
  // shown) and their forwarding legs (DataPlane::funnel_calls, legs).
  std::vector<FunnelCallRecord> funnel_calls;
  std::vector<LegAttempt> legs;
};

/// Runs replication `rep` of `sc` in this process and returns what it
/// measured; the same arguments give the same result. SimGrid allows one
/// engine per process: call it at most once per process (run_replications
/// forks). `replay`, when not null, replaces the generated traffic (sorted by
/// time). `progress`, when not null, receives the simulated share done (0..1)
/// once per simulated hour.
ReplicationResult run_replication(const Scenario& sc, uint64_t seed, int rep, const std::vector<ReplayCall>* replay,
                                  volatile double* progress, bool record_attempts = false);

/// How far run_replications has come, for a progress display.
struct RunProgress {
  double done = 0;            // share of the simulated time done over all replications (0..1)
  int replications_done = 0;  // finished and collected
  int replications = 0;
  double elapsed_seconds = 0;  // since run_replications started
};

/// How run_replications runs: `jobs` and `on_progress` never change the
/// results; `replay` replaces the generated traffic.
struct RunOptions {
  int jobs = 0;  // parallel processes; 0: the number of cores
  /// Called in the calling process a few times a second while the
  /// replications run (not at all when empty); it must not throw.
  std::function<void(const RunProgress&)> on_progress;
  const std::vector<ReplayCall>* replay = nullptr;  // sorted by time; must outlive the call
  /// The replication whose attempts are recorded (ReplicationResult::attempts),
  /// for a simulated CDR; -1: none. It does not change any count.
  int record_attempts = -1;
};

/// Runs every replication of `sc` (replication i uses seed sc.sim.seed and
/// stream index i), each in its own forked process, at most `jobs` at a time,
/// and returns them in replication order, so the output does not depend on
/// the number of jobs. The worker processes die with the calling process,
/// even when it is killed; when one fails, the others are killed and a
/// std::runtime_error says which.
std::vector<ReplicationResult> run_replications(const Scenario& sc, const RunOptions& opt);

/// One work unit of a study (a sweep's point and replication): replication
/// `rep` of `*sc`, with seed sc->sim.seed and stream index `rep`, as in
/// run_replications.
struct Unit {
  const Scenario* sc;
  int rep;
};

/// Runs `units` as run_replications runs replications (forked processes, at
/// most `jobs` at a time, progress counted in units) and returns their results
/// in the order of `units`.
std::vector<ReplicationResult> run_units(const std::vector<Unit>& units, const RunOptions& opt);

/// A result as bytes (its fields in memory order, native byte order) and
/// back: exact, for pipes and partial result files read by the same telsim
/// version on the same architecture. decode_result throws std::runtime_error
/// on truncated or trailing bytes.
std::string encode_result(const ReplicationResult& r);
ReplicationResult decode_result(const std::string& bytes);

}  // namespace telsim
