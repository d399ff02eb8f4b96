#pragma once
// One rule for printing an estimate over replications, used by every sim
// output (the run and compare reports, per-trunk figures, series): the 95%
// interval is unknown, never 0, when there is one replication.
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/stats.h"

namespace telsim {

/// True when the interval can be estimated (two replications or more).
inline bool estimated(const Summary& s) { return s.n >= 2; }

/// {"mean", "ci95", "low", "high"}, each multiplied by `scale`; ci95, low and
/// high are null when the interval cannot be estimated.
nlohmann::ordered_json estimate_json(const Summary& s, double scale = 1);

/// A CSV number (10 significant digits) and a CSV interval field (empty when
/// it cannot be estimated).
std::string csv_num(double x);
std::string csv_ci(const Summary& s);

}  // namespace telsim
