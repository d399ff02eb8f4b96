#pragma once
// Money follows calls: a run's losses scaled to one month of the prospect's
// calls and priced with the scenario's `[economics]` (core/net/economics.h).
// Every figure is computed per replication, then estimated over replications
// (mean and 95% interval, sim/estimate.h), so the money carries the same
// Monte Carlo uncertainty as the losses; differences between networks are
// paired per replication (common random numbers), like `sim compare`'s.
//
// Definitions (docs/output-format.md, "Economics"): a month is 30 days, a
// year 12 months; the prospect's calls a month count callers (first
// attempts); lost calls are failed attempts (redials included); lost leads
// are callers who never got through; lost revenue = lost leads x the value
// of a lead.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/net/economics.h"
#include "sim/report.h"

namespace telsim {

/// The economics a run uses (scenario and command line merged).
using Pricing = Economics;

/// `economics` of a `sim run` document: the pricing, then the figures of the
/// run (see economics_compare_json for the keys).
nlohmann::ordered_json economics_run_json(const Pricing& p, const Scenario& sc,
                                          const std::vector<ReplicationResult>& reps);

/// `economics` of a `sim compare` document: the pricing, `networks` (per
/// network: lost_calls_per_month, lost_calls_per_month_by_cause,
/// lost_calls_per_month_by_hour, lost_leads_per_month,
/// lost_revenue_per_month, lost_revenue_per_year) and `differences` (each
/// network minus the first, paired).
nlohmann::ordered_json economics_compare_json(const Pricing& p, const std::vector<Compared>& runs);

/// The same figures in plain words, for the table output.
std::string economics_run_text(const Pricing& p, const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string economics_compare_text(const Pricing& p, const std::vector<Compared>& runs);

}  // namespace telsim
