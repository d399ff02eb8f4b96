#pragma once
// The loss simulator on SimGrid. SimGrid owns time, the platform (operators
// as hosts, interconnects as links, routes between them), failures (link and
// host state profiles) and the control plane (detection and rerouting as
// actors). The call data plane (sim/dataplane.h) runs at native speed inside
// the SimGrid run and is advanced to each control event.
#include <cstdint>
#include <string>
#include <vector>

#include "core/net/scenario.h"
#include "sim/dataplane.h"

namespace telsim {

/// What one replication measured.
struct ReplicationResult {
  std::vector<Counters> streams;         // per scenario stream
  std::vector<double> reachable_share;   // per stream: share of measured time its destination was reachable
  double measured_seconds = 0;
  uint64_t peak_concurrent = 0;
  uint64_t incidents = 0;                 // interconnect outages that started in the measured time
  std::vector<double> node_availability;  // per operator (1 for operators without a node)
};

/// Runs one replication in this process. SimGrid allows one engine per
/// process: call it at most once per process (run_replications forks).
/// `progress`, when not null, receives the simulated share done (0..1).
ReplicationResult run_replication(const Scenario& sc, uint64_t seed, int rep, const std::vector<ReplayCall>* replay,
                                  volatile double* progress);

struct RunOptions {
  int jobs = 0;               // parallel processes; 0: the number of cores
  bool progress_bar = false;  // draw a bar on stderr (only when it is a terminal)
  const std::vector<ReplayCall>* replay = nullptr;
};

/// Runs every replication of `sc` (replication i uses seed sc.sim.seed and
/// stream index i), each in its own forked process, and returns them in
/// replication order, so the output does not depend on the number of jobs.
std::vector<ReplicationResult> run_replications(const Scenario& sc, const RunOptions& opt);

}  // namespace telsim
