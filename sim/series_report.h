#pragma once
// Per-period counts of a `sim run` (`--series hour-of-day` or `day`), for
// charts: attempts of all streams by outcome, per hour of the day or per
// measured day. Self-contained: it reads only ReplicationResult::hour_of_day
// and ::days, so the main report (sim/report.h) can embed it.
//
// How to call it, for a run `reps` of scenario `sc` and a SeriesKind k:
//   json["series"][series_name(k)] = series_json(reps, k);
//   text += "\n" + series_table(reps, k);
//   csv  += "\n" + series_csv(reps, k);   // a CSV block of its own
// Every value is a mean over replications with its 95% interval (Student t,
// core/base/stats.h). Definitions: docs/output-format.md, "Series".
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/simulator.h"

namespace telsim {

enum class SeriesKind { kHourOfDay, kDay };

/// "hour-of-day" or "day": the option value and the JSON key.
const char* series_name(SeriesKind k);

/// The figures of a period, in output order: offered, completed, blocked,
/// junction, outage, node, dropped, completion_ratio.
const std::vector<std::string>& series_figures();

/// [{"period": P, "offered": {"mean", "ci95", "low", "high"}, ...}, ...]:
/// P is the hour of the day (0-23) or the measured day (0 = the first day
/// after the warm-up); one entry per period.
nlohmann::ordered_json series_json(const std::vector<ReplicationResult>& reps, SeriesKind k);

/// CSV: period, then each figure and its _ci95; one row per period.
std::string series_csv(const std::vector<ReplicationResult>& reps, SeriesKind k);

/// A text table of the means, a title line first.
std::string series_table(const std::vector<ReplicationResult>& reps, SeriesKind k);

}  // namespace telsim
