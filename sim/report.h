#pragma once
// Turns replication results into the documented JSON, table and CSV outputs
// (docs/output-format.md). Values are means over replications with the
// half-width of their 95% confidence interval.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/net/scenario.h"
#include "sim/simulator.h"

namespace telsim {

/// `sim run` output as JSON.
nlohmann::ordered_json run_json(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string run_table(const Scenario& sc, const std::vector<ReplicationResult>& reps);
std::string run_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps);

/// `sim compare`: several networks fed the same traffic (common random
/// numbers); differences to the first one with paired 95% intervals.
struct Compared {
  Scenario sc;
  std::vector<ReplicationResult> reps;
};
nlohmann::ordered_json compare_json(const std::vector<Compared>& runs);
std::string compare_table(const std::vector<Compared>& runs);
std::string compare_csv(const std::vector<Compared>& runs);

}  // namespace telsim
