#include "sim/series_report.h"

#include <fmt/format.h>

#include "core/base/stats.h"
#include "core/base/table.h"
#include "sim/trunk_report.h"

namespace telsim {
namespace {

const std::vector<PeriodCounters>& series_of(const ReplicationResult& r, SeriesKind k) {
  return k == SeriesKind::kHourOfDay ? r.hour_of_day : r.days;
}

std::vector<double> values(const PeriodCounters& p) {
  return {double(p.offered),         double(p.completed),     double(p.lost[kBlocked]), double(p.lost[kJunction]),
          double(p.lost[kOutage]),   double(p.lost[kNode]),   double(p.dropped),
          p.offered ? double(p.completed) / double(p.offered) : 0.0};
}

// summaries[period][figure] over replications.
std::vector<std::vector<Summary>> summaries(const std::vector<ReplicationResult>& reps, SeriesKind k) {
  size_t periods = reps.empty() ? 0 : series_of(reps[0], k).size();
  std::vector<std::vector<Summary>> out;
  for (size_t p = 0; p < periods; ++p) {
    std::vector<std::vector<double>> xs(series_figures().size());
    for (auto& r : reps) {
      std::vector<double> v = values(series_of(r, k).at(p));
      for (size_t f = 0; f < v.size(); ++f) xs[f].push_back(v[f]);
    }
    std::vector<Summary> row;
    for (auto& x : xs) row.push_back(summarize(x));
    out.push_back(row);
  }
  return out;
}

}  // namespace

const char* series_name(SeriesKind k) { return k == SeriesKind::kHourOfDay ? "hour-of-day" : "day"; }

const std::vector<std::string>& series_figures() {
  static const std::vector<std::string> f = {"offered", "completed", "blocked", "junction",
                                             "outage",  "node",      "dropped", "completion_ratio"};
  return f;
}

nlohmann::ordered_json series_json(const std::vector<ReplicationResult>& reps, SeriesKind k) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  auto s = summaries(reps, k);
  for (size_t p = 0; p < s.size(); ++p) {
    nlohmann::ordered_json e;
    e["period"] = p;
    for (size_t f = 0; f < series_figures().size(); ++f) e[series_figures()[f]] = estimate_json(s[p][f]);
    j.push_back(e);
  }
  return j;
}

std::string series_csv(const std::vector<ReplicationResult>& reps, SeriesKind k) {
  std::vector<std::string> header = {k == SeriesKind::kHourOfDay ? "hour" : "day"};
  for (auto& f : series_figures()) {
    header.push_back(f);
    header.push_back(f + "_ci95");
  }
  Table t(header);
  auto s = summaries(reps, k);
  for (size_t p = 0; p < s.size(); ++p) {
    std::vector<std::string> row = {std::to_string(p)};
    for (auto& x : s[p]) {
      row.push_back(csv_num(x.mean));
      row.push_back(csv_ci(x));
    }
    t.add(row);
  }
  return t.csv();
}

std::string series_table(const std::vector<ReplicationResult>& reps, SeriesKind k) {
  const bool hour = k == SeriesKind::kHourOfDay;
  Table t({hour ? "hour" : "day", "offered", "completed", "blocked", "junction", "outage", "node", "dropped",
           "completion"});
  auto s = summaries(reps, k);
  for (size_t p = 0; p < s.size(); ++p) {
    std::vector<std::string> row = {hour ? fmt::format("{:02d}:00", p) : std::to_string(p)};
    for (size_t f = 0; f + 1 < s[p].size(); ++f) row.push_back(fmt::format("{:.0f}", s[p][f].mean));
    row.push_back(fmt::format("{:.3f}%", 100 * s[p].back().mean));
    t.add(row);
  }
  std::string note = reps.size() > 1
                         ? fmt::format(" (means over {} replications; 95% intervals in JSON and CSV)", reps.size())
                         : "";
  return (hour ? "By hour of the day" : "By measured day") + note + "\n" + t.text();
}

}  // namespace telsim
