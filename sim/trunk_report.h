#pragma once
// Per-interconnect and per-node figures of a `sim run`: which trunk loses the
// calls, which is full, which fails. Self-contained: it reads only the
// Scenario and the ReplicationResults (ReplicationResult::interconnects,
// interconnect_incidents, interconnect_down_seconds, nodes,
// node_availability), so the main report (sim/report.h) can embed it.
//
// How to call it, for a run `reps` of scenario `sc`:
//   json["network"]["interconnects"] = interconnects_json(sc, reps);
//   json["network"]["nodes"] = nodes_json(sc, reps);
//   text += "\n" + interconnects_table(sc, reps);   // and nodes_table()
//   csv  += "\n" + interconnects_csv(sc, reps);     // a second CSV block
// or build your own rows from the *_rows() functions.
//
// Every figure is a mean over replications with the half-width of its 95%
// confidence interval (Student t, core/base/stats.h). Definitions and how
// they add up to the route totals: docs/output-format.md, "Per interconnect
// and per node", and TrunkCounters / NodeCounters in sim/dataplane.h.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/stats.h"
#include "core/net/scenario.h"
#include "sim/estimate.h"
#include "sim/simulator.h"

namespace telsim {

/// One figure of an interconnect or a node: its name in JSON and CSV, and
/// whether it is a count of calls or events (printed without decimals).
struct DetailFigure {
  const char* name;
  bool count;
};

/// The figures of an interconnect, in output order: offered, carried,
/// blocked, junction, outage, dropped, carried_erlangs, occupancy,
/// peak_channels, incidents, minutes_down, availability.
const std::vector<DetailFigure>& interconnect_figures();
/// The figures of a node, in output order: minutes_down, availability, lost,
/// dropped.
const std::vector<DetailFigure>& node_figures();

/// The figures of interconnect `ic` (index into sc.interconnects), one
/// Summary per interconnect_figures() entry.
std::vector<Summary> interconnect_summaries(const Scenario& sc, const std::vector<ReplicationResult>& reps,
                                            size_t ic);
/// The figures of operator `op`'s node, one Summary per node_figures() entry.
std::vector<Summary> node_summaries(const Scenario& sc, const std::vector<ReplicationResult>& reps, size_t op);


/// {"NAME": {"offered": estimate, ...}, ...} for every interconnect, in
/// scenario order: the value of `network.interconnects`.
nlohmann::ordered_json interconnects_json(const Scenario& sc, const std::vector<ReplicationResult>& reps);
/// The same for every operator with a node (`network.nodes`); {} when none.
nlohmann::ordered_json nodes_json(const Scenario& sc, const std::vector<ReplicationResult>& reps);

/// CSV: a header row (kind, name, then FIGURE and FIGURE_ci95 for each
/// figure) and one row per interconnect (kind "interconnect") or node (kind
/// "node"); numbers with 10 significant digits.
std::vector<std::string> interconnects_csv_header();
std::vector<std::vector<std::string>> interconnects_csv_rows(const Scenario& sc,
                                                             const std::vector<ReplicationResult>& reps);
std::vector<std::string> nodes_csv_header();
std::vector<std::vector<std::string>> nodes_csv_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string interconnects_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string nodes_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps);

/// Text tables (means; the intervals are in JSON and CSV), a title line
/// first; for nodes, one line saying so when no operator has one.
std::vector<std::string> interconnects_table_header();
std::vector<std::vector<std::string>> interconnects_table_rows(const Scenario& sc,
                                                               const std::vector<ReplicationResult>& reps);
std::string interconnects_table(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::vector<std::string> nodes_table_header();
std::vector<std::vector<std::string>> nodes_table_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string nodes_table(const Scenario& sc, const std::vector<ReplicationResult>& reps);

}  // namespace telsim
