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
///
/// With traffic sources, `funnel_calls` and `legs` (as recorded with the
/// attempts) make a source's call dial the number its visitor was shown
/// (pool_number()), and follow it with one row per forwarding attempt
/// sharing its linkedid (sim/forwarding_cdr.h).
std::string cdr_csv(const Scenario& sc, const std::vector<AttemptRecord>& attempts, int64_t epoch,
                    const std::vector<FunnelCallRecord>* funnel_calls = nullptr,
                    const std::vector<LegAttempt>* legs = nullptr);

/// The E.164 number of a pool's number in simulated CDRs: +7495 then two
/// digits for the pool (10 + its index, modulo 90) and five for the number
/// (its index; 99999 the overflow number). Unique for up to 90 pools of up
/// to 99,999 numbers.
std::string pool_number(int pool, int32_t number);

}  // namespace telsim
