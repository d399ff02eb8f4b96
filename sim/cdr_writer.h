#pragma once
// A simulated network's calls as a real switch would log them: every
// measured attempt of one replication as an Asterisk Master.csv row, so that
// `telsim cdr stats` (and anything else that reads CDRs) reads a simulated
// network like a real one. docs/cdr.md, "Simulated CDRs", lists the columns
// and how outcomes map to dispositions and causes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/net/scenario.h"
#include "sim/dataplane.h"

namespace telsim {

/// 2026-01-01 00:00:00 UTC: the simulated time 0 of a CDR unless told otherwise.
constexpr int64_t kDefaultCdrEpoch = 1767225600;

/// The Q.850 cause a simulated attempt ends with, as written in the
/// userfield column: 16 answered, 17 busy, 19 no answer, 34 blocked (no
/// circuit), 41 lost at a junction (temporary failure), 38 outage (network
/// out of order), 27 node down (destination out of order), 38 dropped.
int simulated_q850(const AttemptRecord& a);

/// The attempts (one replication's, in arrival order, as recorded by
/// DataPlane::record_attempts) as Master.csv rows of 21 columns, one row
/// per attempt, times in UTC from `epoch` (unix seconds of simulated time 0).
/// Numbers are synthesised from the stream and caller alone, so the same
/// attempts give the same bytes.
std::string cdr_csv(const Scenario& sc, const std::vector<AttemptRecord>& attempts, int64_t epoch);

}  // namespace telsim
