#pragma once
// Turns replication results into the documented JSON, table and CSV outputs
// (docs/output-format.md). Every estimated figure is a mean over replications
// with the half-width of its 95% confidence interval; the interval is unknown
// (JSON null, empty CSV field, no ± in tables) with one replication.
//
// The JSON built here is the body of a document: the command adds the
// `schema`, `telsim_version`, `inputs` and `gates` keys around it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/net/scenario.h"
#include "sim/simulator.h"

namespace telsim {

/// `sim run` output.
nlohmann::ordered_json run_json(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string run_table(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string run_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps);

/// The header and rows of run_csv (`for_people` false) or of the run table
/// (`for_people` true: the labelled metrics, values with ±), for outputs that
/// put columns in front of them (sim sweep). Row 0 is the header; row 1 the
/// overall group.
std::vector<std::vector<std::string>> run_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps,
                                               bool for_people);

/// "seed 1, 10 replications x 5 days (after 0.1 days warm-up)": the line
/// under a run's title.
std::string run_settings(const Scenario& sc);

/// `sim compare`: several networks fed the same traffic (common random
/// numbers); differences to the first one with paired 95% intervals.
/// Networks are labelled [A], [B], ... and by their scenario's name.
struct Compared {
  Scenario sc;
  std::vector<ReplicationResult> reps;
};
nlohmann::ordered_json compare_json(const std::vector<Compared>& runs);
std::string compare_table(const std::vector<Compared>& runs);
std::string compare_csv(const std::vector<Compared>& runs);

/// The lines naming the networks, "[A] transit: its description", as on top
/// of the compare table.
std::string compare_title(const std::vector<Compared>& runs);

/// A comparison as the header (row 0) and one row (row 1), for outputs that
/// put columns in front of it (sim sweep over several networks).
/// `for_people` false (CSV): every compared metric's mean per network
/// (`NAME.metric`), then for each network after the first its paired
/// difference to the baseline (`NAME-BASE.metric`, `_ci95`, `_low`, `_high`)
/// and `more_calls_ratio`. `for_people` true (table): completion per network,
/// then per difference completion, completed calls, callers lost and more
/// calls per 100, each with ± its 95% half-width when known.
std::vector<std::vector<std::string>> compare_rows(const std::vector<Compared>& runs, bool for_people);

/// The sentence for people about network `i` against the baseline (run 0):
/// "[B] direct delivers 8.5 more calls per 100 than [A] transit (95% CI ...)",
/// "... fewer ...", or "no difference within the run's precision".
std::string compare_sentence(const std::vector<Compared>& runs, size_t i);

/// Why `b` is not fed the same traffic as `a` (streams, calls per day,
/// profiles, holding, callee behaviour, redial); empty when it is.
std::string traffic_difference(const Scenario& a, const Scenario& b);

}  // namespace telsim
