#pragma once
// Up/down timelines of interconnects and node components, drawn from the
// scenario's own random streams before the run, so that the same seed gives
// the same incidents in every network that shares an interconnect name.
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/net/scenario.h"

namespace telsim {

/// A down interval [start, end) in seconds of simulation time.
struct Down {
  double start, end;
};

/// Sorted, non-overlapping down intervals; merges overlaps.
std::vector<Down> normalise(std::vector<Down> v, double horizon);

/// The incidents of one interconnect up to `horizon` seconds: random ones
/// (Poisson arrivals, durations from the distribution) and the schedule.
std::vector<Down> incident_timeline(const Interconnect& ic, uint64_t seed, uint64_t rep, double horizon);

/// Failures of one node component: exponential up times (MTBF) and repair
/// times (MTTR), starting up.
std::vector<Down> component_timeline(const Node& node, const std::string& name, uint64_t seed, uint64_t rep,
                                     double horizon);

/// Times when fewer than `required` of the given components are up.
std::vector<Down> node_down_timeline(const std::vector<std::vector<Down>>& components, int required, double horizon);

/// Total length of the intervals that fall inside [from, to).
double down_time(const std::vector<Down>& v, double from, double to);

}  // namespace telsim
