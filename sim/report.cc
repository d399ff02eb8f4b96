#include "sim/report.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <optional>

#include "core/base/quote.h"
#include "core/base/stats.h"
#include "core/base/table.h"
#include "sim/estimate.h"

namespace telsim {
namespace {

using json = nlohmann::ordered_json;

// The figures of one group (a stream, a destination, everything) in one replication.
struct Figures {
  Counters c;
  double reach_weighted = 0, weight = 0;  // availability by time, weighted by calls_per_day
  double availability() const { return weight > 0 ? reach_weighted / weight : 1.0; }
};

using Selector = std::function<bool(const Stream&)>;

Figures collect(const Scenario& sc, const ReplicationResult& r, const Selector& pick) {
  Figures f;
  for (size_t i = 0; i < sc.streams.size(); ++i) {
    if (!pick(sc.streams[i])) continue;
    f.c.add(r.streams[i]);
    f.reach_weighted += r.reachable_share[i] * sc.streams[i].calls_per_day;
    f.weight += sc.streams[i].calls_per_day;
  }
  return f;
}

double ratio(uint64_t a, uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

// A figure per 100 for people: one decimal.
std::string per_100_text(double x) { return fmt::format("{:.1f}", x); }

// How a metric is printed for people.
enum class Kind { kCount, kRatio, kMinutes };

// One metric of a group: the single source of the JSON keys, the CSV columns,
// the run table's columns and the compare table's rows.
struct Metric {
  const char* name;   // flat name: CSV column, compare row
  const char* path;   // dotted key inside a GROUP of the JSON
  const char* label;  // run table column; nullptr: not in the run table
  bool compared;      // a row of the compare table and CSV, a key of `differences`
  Kind kind;
  std::function<double(const Figures&)> get;
};

// In the order of the JSON keys and CSV columns.
const std::vector<Metric>& metrics() {
  using F = const Figures&;
  static const std::vector<Metric> m = {
      {"offered", "offered", "offered", true, Kind::kCount, [](F f) { return double(f.c.offered); }},
      {"completed", "completed", "completed", true, Kind::kCount, [](F f) { return double(f.c.completed); }},
      {"lost", "lost", nullptr, true, Kind::kCount, [](F f) { return double(f.c.lost_total()); }},
      {"blocked", "lost_by_cause.blocked", "blocked", true, Kind::kCount,
       [](F f) { return double(f.c.lost[kBlocked]); }},
      {"junction", "lost_by_cause.junction", "junction", true, Kind::kCount,
       [](F f) { return double(f.c.lost[kJunction]); }},
      {"outage", "lost_by_cause.outage", "outage", true, Kind::kCount, [](F f) { return double(f.c.lost[kOutage]); }},
      {"node", "lost_by_cause.node", "node", true, Kind::kCount, [](F f) { return double(f.c.lost[kNode]); }},
      // Answered calls cut by a failure of their trunk or node: delivered (in
      // `completed`), but the conversation ended early.
      {"dropped", "dropped", "dropped", true, Kind::kCount, [](F f) { return double(f.c.dropped); }},
      {"completion_ratio", "completion_ratio", "completion", true, Kind::kRatio,
       [](F f) { return ratio(f.c.completed, f.c.offered); }},
      {"blocking_ratio", "blocking_ratio", nullptr, false, Kind::kRatio,
       [](F f) { return ratio(f.c.lost[kBlocked], f.c.offered); }},
      {"direct_share", "direct_share", nullptr, false, Kind::kRatio,
       [](F f) { return ratio(f.c.direct, f.c.completed); }},
      {"answered", "answered", nullptr, false, Kind::kCount, [](F f) { return double(f.c.answered); }},
      {"busy", "busy", nullptr, false, Kind::kCount, [](F f) { return double(f.c.busy); }},
      {"no_answer", "no_answer", nullptr, false, Kind::kCount, [](F f) { return double(f.c.no_answer); }},
      {"answered_minutes", "answered_minutes", nullptr, false, Kind::kMinutes,
       [](F f) { return f.c.answered_seconds / 60; }},
      {"acd_seconds", "acd_seconds", nullptr, false, Kind::kMinutes,
       [](F f) { return f.c.answered ? f.c.answered_seconds / f.c.answered : 0.0; }},
      {"asr", "asr", nullptr, true, Kind::kRatio, [](F f) { return ratio(f.c.answered, f.c.offered); }},
      {"ner", "ner", nullptr, false, Kind::kRatio, [](F f) { return ratio(f.c.completed, f.c.offered); }},
      {"availability", "availability", "availability", true, Kind::kRatio, [](F f) { return f.availability(); }},
      {"call_availability", "call_availability", nullptr, true, Kind::kRatio,
       [](F f) { return 1.0 - ratio(f.c.lost[kOutage] + f.c.lost[kNode], f.c.offered); }},
      {"unavailable_minutes_per_month", "unavailable_minutes_per_month", "unavail min/month", true, Kind::kMinutes,
       [](F f) { return (1.0 - f.availability()) * 30 * 24 * 60; }},
      {"callers", "callers.offered", nullptr, false, Kind::kCount, [](F f) { return double(f.c.callers); }},
      {"callers_answered", "callers.answered", nullptr, false, Kind::kCount,
       [](F f) { return double(f.c.callers_answered); }},
      {"callers_lost", "callers.lost", nullptr, true, Kind::kCount, [](F f) { return double(f.c.callers_lost); }},
      {"caller_completion_ratio", "callers.completion_ratio", nullptr, true, Kind::kRatio,
       [](F f) { return ratio(f.c.callers_completed, f.c.callers); }},
  };
  return m;
}

const Metric& metric(const std::string& name) {
  for (auto& m : metrics())
    if (name == m.name) return m;
  throw std::logic_error("no metric " + name);
}

bool known(const Summary& s) { return estimated(s); }

Summary summary_of(const Scenario& sc, const std::vector<ReplicationResult>& reps, const Selector& pick,
                   const Metric& m) {
  std::vector<double> xs;
  for (auto& r : reps) xs.push_back(m.get(collect(sc, r, pick)));
  return summarize(xs);
}

json estimate(const Summary& s, double scale = 1) { return estimate_json(s, scale); }

// Sets `value` at a dotted path, creating the objects on the way.
void put(json& j, const std::string& path, json value) {
  json* at = &j;
  size_t start = 0, dot;
  while ((dot = path.find('.', start)) != std::string::npos) {
    at = &(*at)[path.substr(start, dot - start)];
    start = dot + 1;
  }
  (*at)[path.substr(start)] = std::move(value);
}

json group_json(const Scenario& sc, const std::vector<ReplicationResult>& reps, const Selector& pick) {
  json g = json::object();
  for (auto& m : metrics()) put(g, m.path, estimate(summary_of(sc, reps, pick, m)));
  return g;
}

Selector all() {
  return [](const Stream&) { return true; };
}
Selector stream_named(const std::string& n) {
  return [n](const Stream& s) { return s.name == n; };
}
Selector to_destination(const std::string& d) {
  return [d](const Stream& s) { return s.to == d; };
}

// A signed figure without "-0": what rounds to zero is printed unsigned.
std::string signed_fixed(double x, int decimals) {
  std::string s = fmt::format("{:+.{}f}", x, decimals);
  if (s.find_first_not_of("+-0.") == std::string::npos) s = s.substr(1);
  return s;
}

// A cell for people: the value, and ± its half-width when it is known.
std::string cell(const Metric& m, const Summary& s, bool with_ci) {
  with_ci = with_ci && known(s);
  switch (m.kind) {
    case Kind::kCount:
      return with_ci ? fmt::format("{:.0f} ±{:.0f}", s.mean, s.ci95) : fmt::format("{:.0f}", s.mean);
    case Kind::kRatio:
      return with_ci ? fmt::format("{:.3f}% ±{:.3f}", 100 * s.mean, 100 * s.ci95) : fmt::format("{:.3f}%", 100 * s.mean);
    case Kind::kMinutes:
      return with_ci ? fmt::format("{:.1f} ±{:.1f}", s.mean, s.ci95) : fmt::format("{:.1f}", s.mean);
  }
  return "";
}

// A difference for people: signed, ± its half-width when known.
std::string diff_cell(const Metric& m, const Summary& d) {
  switch (m.kind) {
    case Kind::kCount:
      return signed_fixed(d.mean, 0) + (known(d) ? fmt::format(" ±{:.0f}", d.ci95) : "");
    case Kind::kRatio:
      return signed_fixed(100 * d.mean, 3) + " pp" + (known(d) ? fmt::format(" ±{:.3f}", 100 * d.ci95) : "");
    case Kind::kMinutes:
      return signed_fixed(d.mean, 1) + (known(d) ? fmt::format(" ±{:.1f}", d.ci95) : "");
  }
  return "";
}

// CSV: full precision; an interval that cannot be estimated is an empty field.

std::string days_text(double d) { return fmt::format("{:g} day{}", d, d == 1 ? "" : "s"); }

std::string settings(const Scenario& sc) {
  return fmt::format("seed {}, {} replication{} x {}{}", sc.sim.seed, sc.sim.replications,
                     sc.sim.replications > 1 ? "s" : "", days_text(sc.sim.days),
                     sc.sim.warmup_days > 0 ? fmt::format(" (after {} warm-up)", days_text(sc.sim.warmup_days)) : "");
}

std::string title(const Scenario& sc) { return sc.file + ": " + settings(sc) + "\n"; }

struct Group {
  std::string kind, name;
  Selector pick;
};

std::vector<Group> groups(const Scenario& sc) {
  std::vector<Group> g;
  g.push_back({"overall", "all", all()});
  for (auto& d : sc.destinations()) g.push_back({"destination", d, to_destination(d)});
  for (auto& s : sc.streams) g.push_back({"stream", s.name, stream_named(s.name)});
  return g;
}

json network_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json n;
  std::vector<double> per_day;
  uint64_t peak = 0;
  for (auto& r : reps) {
    per_day.push_back(r.incidents / (r.measured_seconds / 86400));
    peak = std::max(peak, r.peak_concurrent);
  }
  n["incidents_per_day"] = estimate(summarize(per_day));
  n["node_availability"] = json::object();
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    if (sc.operators[i].node.components == 0) continue;
    std::vector<double> xs;
    for (auto& r : reps) xs.push_back(r.node_availability[i]);
    n["node_availability"][sc.operators[i].name] = estimate(summarize(xs));
  }
  n["peak_concurrent_calls"] = peak;
  return n;
}

// ---- the tracking funnel ---------------------------------------------------

// One figure of the funnel: its dotted key in a funnel group and how it is
// read from the counters. In the order of the JSON keys.
struct FunnelMetric {
  const char* path;
  std::function<double(const FunnelCounters&)> get;
};

const std::vector<FunnelMetric>& funnel_metrics() {
  using F = const FunnelCounters&;
  static const std::vector<FunnelMetric> m = {
      {"visitors", [](F f) { return double(f.visitors); }},
      {"visitors_shown_overflow", [](F f) { return double(f.shown_overflow); }},
      {"callers", [](F f) { return double(f.callers); }},
      {"lost_in_network.total", [](F f) { return double(f.lost_total()); }},
      {"lost_in_network.blocked", [](F f) { return double(f.lost[kBlocked]); }},
      {"lost_in_network.junction", [](F f) { return double(f.lost[kJunction]); }},
      {"lost_in_network.outage", [](F f) { return double(f.lost[kOutage]); }},
      {"lost_in_network.node", [](F f) { return double(f.lost[kNode]); }},
      {"unattributed.total", [](F f) { return double(f.unattributed_total()); }},
      {"unattributed.overflow", [](F f) { return double(f.unattributed[kUnattributedOverflow]); }},
      {"unattributed.expired", [](F f) { return double(f.unattributed[kUnattributedExpired]); }},
      {"unattributed.reused", [](F f) { return double(f.unattributed[kUnattributedReused]); }},
      {"missed_by_client.total", [](F f) { return double(f.missed_total()); }},
      {"missed_by_client.busy", [](F f) { return double(f.missed[kClientBusy]); }},
      {"missed_by_client.no_answer", [](F f) { return double(f.missed[kClientNoAnswer]); }},
      {"missed_by_client.out_of_hours", [](F f) { return double(f.missed[kClientOutOfHours]); }},
      {"missed_by_client.fallback", [](F f) { return double(f.missed[kClientFallback]); }},
      {"answered_attributed", [](F f) { return double(f.answered_attributed); }},
      {"answered_unattributed", [](F f) { return double(f.answered_unattributed); }},
      {"unattributed_share", [](F f) { return ratio(f.unattributed_total(), f.callers - f.lost_total()); }},
      {"answered_attributed_share", [](F f) { return ratio(f.answered_attributed, f.callers); }},
  };
  return m;
}

// The funnel of source `source` (-1: all sources) in one replication.
FunnelCounters funnel_of(const ReplicationResult& r, int source) {
  FunnelCounters f;
  for (size_t i = 0; i < r.funnel.size(); ++i)
    if (source < 0 || static_cast<int>(i) == source) f.add(r.funnel[i]);
  return f;
}

Summary funnel_summary(const std::vector<ReplicationResult>& reps, int source, const FunnelMetric& m) {
  std::vector<double> xs;
  for (auto& r : reps) xs.push_back(m.get(funnel_of(r, source)));
  return summarize(xs);
}

json funnel_group(const std::vector<ReplicationResult>& reps, int source) {
  json g = json::object();
  for (auto& m : funnel_metrics()) put(g, m.path, estimate(funnel_summary(reps, source, m)));
  return g;
}

// True when the run has a funnel: a scenario with sources, traffic generated
// (a replayed CDR has no visitors).
bool has_funnel(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  return !sc.sources.empty() && !reps.empty() && !reps[0].funnel.empty();
}

// `funnel`: overall and per source; only for scenarios with sources.
json funnel_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json f;
  f["overall"] = funnel_group(reps, -1);
  f["sources"] = json::object();
  for (size_t i = 0; i < sc.sources.size(); ++i) {
    const Source& s = sc.sources[i];
    json g;
    g["label"] = s.label;
    g["pool"] = s.pool >= 0 ? json(sc.pools[s.pool].name) : json(nullptr);
    const json figures = funnel_group(reps, static_cast<int>(i));
    for (auto& [k, v] : figures.items()) g[k] = v;
    f["sources"][s.name] = g;
  }
  return f;
}

// "of 100 callers from Yandex Direct: 3.1 lost in the network (...), ...":
// The funnel as a CSV block of its own after an empty line: a row for all
// sources (`overall,all`) and one per source (`source,NAME`), each figure of
// the JSON's funnel group under its dotted key, then its `_ci95`. Empty for a
// run without a funnel, so a network-only CSV is as before.
std::string funnel_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  if (!has_funnel(sc, reps)) return "";
  std::vector<std::string> header = {"group", "name"};
  for (auto& m : funnel_metrics()) {
    header.push_back(m.path);
    header.push_back(std::string(m.path) + "_ci95");
  }
  Table t(header);
  auto add = [&](const char* group, const std::string& name, int source) {
    std::vector<std::string> row = {group, name};
    for (auto& m : funnel_metrics()) {
      const Summary s = funnel_summary(reps, source, m);
      row.push_back(csv_num(s.mean));
      row.push_back(csv_ci(s));
    }
    t.add(row);
  };
  add("overall", "all", -1);
  for (size_t i = 0; i < sc.sources.size(); ++i) add("source", sc.sources[i].name, static_cast<int>(i));
  return "\n" + t.csv();
}

// the funnel in plain words, per 100 callers (ratios of the sums over
// replications), one line per stage; parts that never happened are left out.
std::string funnel_words(const std::vector<ReplicationResult>& reps, int source, const std::string& label) {
  FunnelCounters sum;
  for (auto& r : reps) sum.add(funnel_of(r, source));
  if (sum.callers == 0) return fmt::format("no callers from {}\n", label);
  auto p = [&](uint64_t x) { return per_100_text(100.0 * static_cast<double>(x) / static_cast<double>(sum.callers)); };
  // "(busy 2.0, no answer 1.1)" of the parts that are not zero.
  auto parts = [&](std::initializer_list<std::pair<const char*, uint64_t>> list) {
    std::string out;
    for (auto& [name, x] : list)
      if (x) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, p(x));
    return out.empty() ? out : " (" + out + ")";
  };
  const uint64_t reached = sum.callers - sum.lost_total();
  std::string s = fmt::format("of 100 callers from {} (one in {:.1f} visitors calls):\n", label,
                              static_cast<double>(sum.visitors) / static_cast<double>(sum.callers));
  s += fmt::format("  {} lost in the network{}\n", p(sum.lost_total()),
                   parts({{"blocked", sum.lost[kBlocked]}, {"junction", sum.lost[kJunction]},
                          {"outage", sum.lost[kOutage]}, {"node", sum.lost[kNode]}}));
  s += fmt::format("  {} reached the tracking operator; {} of them not credited to their visit{}\n", p(reached),
                   p(sum.unattributed_total()),
                   parts({{"overflow number", sum.unattributed[kUnattributedOverflow]},
                          {"lease expired", sum.unattributed[kUnattributedExpired]},
                          {"number reused", sum.unattributed[kUnattributedReused]}}));
  s += fmt::format("  {} missed by the client's office{}\n", p(sum.missed_total()),
                   parts({{"busy", sum.missed[kClientBusy]}, {"no answer", sum.missed[kClientNoAnswer]},
                          {"out of hours", sum.missed[kClientOutOfHours]},
                          {"then taken by the fallback", sum.missed[kClientFallback]}}));
  s += fmt::format("  {} answered and attributed to their ad, {} answered without attribution\n",
                   p(sum.answered_attributed), p(sum.answered_unattributed));
  return s;
}

std::string funnel_text(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  if (!has_funnel(sc, reps)) return "";
  std::string out = "\nTracking funnel, per 100 callers who saw an ad:\n";
  if (sc.sources.size() > 1) out += funnel_words(reps, -1, "all sources");
  for (size_t i = 0; i < sc.sources.size(); ++i) out += funnel_words(reps, static_cast<int>(i), sc.sources[i].label);
  return out;
}

}  // namespace

json run_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json j;
  j["scenario"] = sc.file;
  j["name"] = sc.name;
  j["description"] = sc.description;
  j["seed"] = sc.sim.seed;
  j["replications"] = sc.sim.replications;
  j["days"] = sc.sim.days;
  j["warmup_days"] = sc.sim.warmup_days;
  j["overall"] = group_json(sc, reps, all());
  j["destinations"] = json::object();
  for (auto& d : sc.destinations()) j["destinations"][d] = group_json(sc, reps, to_destination(d));
  j["streams"] = json::object();
  for (auto& s : sc.streams) j["streams"][s.name] = group_json(sc, reps, stream_named(s.name));
  j["network"] = network_json(sc, reps);
  if (has_funnel(sc, reps)) j["funnel"] = funnel_json(sc, reps);
  return j;
}

std::string run_table(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  std::vector<std::string> header = {"group"};
  for (auto& m : metrics())
    if (m.label) header.push_back(m.label);
  Table t(header);
  for (auto& g : groups(sc)) {
    std::vector<std::string> row = {g.kind == "overall" ? "ALL" : (g.kind == "destination" ? "to " + g.name : "  " + g.name)};
    for (auto& m : metrics())
      if (m.label) row.push_back(cell(m, summary_of(sc, reps, g.pick, m), true));
    t.add(row);
  }
  return title(sc) + t.text() + funnel_text(sc, reps);
}

std::string run_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  std::vector<std::string> header = {"group", "name"};
  for (auto& m : metrics()) {
    header.push_back(m.name);
    header.push_back(std::string(m.name) + "_ci95");
  }
  Table t(header);
  for (auto& g : groups(sc)) {
    std::vector<std::string> row = {g.kind, g.name};
    for (auto& m : metrics()) {
      Summary s = summary_of(sc, reps, g.pick, m);
      row.push_back(csv_num(s.mean));
      row.push_back(csv_ci(s));
    }
    t.add(row);
  }
  return t.csv() + funnel_csv(sc, reps);
}

std::vector<std::vector<std::string>> run_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps,
                                               bool for_people) {
  std::vector<std::vector<std::string>> rows(1);
  if (for_people) {
    rows[0] = {"group"};
    for (auto& m : metrics())
      if (m.label) rows[0].push_back(m.label);
  } else {
    rows[0] = {"group", "name"};
    for (auto& m : metrics()) {
      rows[0].push_back(m.name);
      rows[0].push_back(std::string(m.name) + "_ci95");
    }
  }
  for (auto& g : groups(sc)) {
    std::vector<std::string> row;
    if (for_people) {
      row = {g.kind == "overall" ? "ALL" : (g.kind == "destination" ? "to " + g.name : "  " + g.name)};
    } else {
      row = {g.kind, g.name};
    }
    for (auto& m : metrics()) {
      if (for_people && !m.label) continue;
      Summary s = summary_of(sc, reps, g.pick, m);
      if (for_people) {
        row.push_back(cell(m, s, true));
      } else {
        row.push_back(csv_num(s.mean));
        row.push_back(csv_ci(s));
      }
    }
    rows.push_back(row);
  }
  return rows;
}

std::string run_settings(const Scenario& sc) { return settings(sc); }

// ---- compare ---------------------------------------------------------------

namespace {

std::string letter(size_t i) { return std::string(1, char('A' + i)); }
std::string tag(const std::vector<Compared>& runs, size_t i) {
  return fmt::format("[{}] {}", letter(i), runs[i].sc.name);
}

// Paired difference (run b minus run a) of a metric over replications.
Summary diff_of(const Compared& a, const Compared& b, const Metric& m) {
  std::vector<double> xs;
  for (size_t i = 0; i < a.reps.size() && i < b.reps.size(); ++i)
    xs.push_back(m.get(collect(b.sc, b.reps[i], all())) - m.get(collect(a.sc, a.reps[i], all())));
  return summarize(xs);
}

// Paired difference (run b minus run a) of a funnel figure of one source
// (-1: all), over replications.
Summary funnel_diff(const Compared& a, const Compared& b, int source, const FunnelMetric& m) {
  std::vector<double> xs;
  for (size_t i = 0; i < a.reps.size() && i < b.reps.size(); ++i)
    xs.push_back(m.get(funnel_of(b.reps[i], source)) - m.get(funnel_of(a.reps[i], source)));
  return summarize(xs);
}

// The funnel is compared when every network has the same sources (names).
bool funnels_compared(const std::vector<Compared>& runs) {
  for (auto& r : runs) {
    if (!has_funnel(r.sc, r.reps)) return false;
    if (r.sc.sources.size() != runs[0].sc.sources.size()) return false;
    for (size_t i = 0; i < r.sc.sources.size(); ++i)
      if (r.sc.sources[i].name != runs[0].sc.sources[i].name) return false;
  }
  return true;
}

json funnel_diff_group(const Compared& a, const Compared& b, int source) {
  json g = json::object();
  for (auto& m : funnel_metrics()) put(g, m.path, estimate(funnel_diff(a, b, source, m)));
  return g;
}

// Extra completed calls of run i per completed call of the baseline, with the
// interval of the paired difference scaled by the baseline's mean. Empty when
// the baseline completed nothing (no ratio to speak of).
std::optional<Summary> more_calls(const std::vector<Compared>& runs, size_t i) {
  Summary c0 = summary_of(runs[0].sc, runs[0].reps, all(), metric("completed"));
  if (!(c0.mean > 0)) return std::nullopt;
  Summary d = diff_of(runs[0], runs[i], metric("completed"));
  d.mean /= c0.mean;
  d.ci95 /= c0.mean;
  return d;
}

// Network names as CSV columns: the names, or label:name when two are alike.
std::vector<std::string> column_names(const std::vector<Compared>& runs) {
  std::vector<std::string> out;
  bool unique = true;
  for (size_t i = 0; i < runs.size(); ++i)
    for (size_t k = 0; k < i; ++k) unique = unique && runs[i].sc.name != runs[k].sc.name;
  for (size_t i = 0; i < runs.size(); ++i) out.push_back(unique ? runs[i].sc.name : letter(i) + ":" + runs[i].sc.name);
  return out;
}

std::string per100(double x) {
  std::string s = fmt::format("{:.1f}", x);
  return s == "0.0" ? fmt::format("{:.2g}", x) : s;
}

}  // namespace

std::string compare_sentence(const std::vector<Compared>& runs, size_t i) {
  auto r = more_calls(runs, i);
  std::string a = tag(runs, 0), b = tag(runs, i);
  if (!r) return fmt::format("{} completes no call, so calls per 100 cannot be compared (n/a)", a);
  double m = 100 * r->mean, h = 100 * r->ci95;
  if (known(*r) && std::abs(m) <= h)
    return fmt::format("{} and {}: no difference within the run's precision in calls delivered "
                       "(95% CI {} to {} per 100)",
                       b, a, signed_fixed(m - h, 1), signed_fixed(m + h, 1));
  if (!known(*r) && m == 0) return fmt::format("{} delivers as many calls as {} (one replication: no confidence interval)", b, a);
  std::string s = fmt::format("{} delivers {} {} calls per 100 than {}", b, per100(std::abs(m)), m > 0 ? "more" : "fewer", a);
  if (known(*r)) {
    double lo = std::abs(m) - h, hi = std::abs(m) + h;
    s += fmt::format(" (95% CI {} to {})", per100(lo), per100(hi));
  } else {
    s += " (one replication: no confidence interval)";
  }
  return s;
}

std::string traffic_difference(const Scenario& a, const Scenario& b) {
  std::vector<std::string> why;
  auto differ = [&](const std::string& what, const std::string& x, const std::string& y) {
    // Compared whole, shown cut (a value of a size no real one has).
    if (x != y)
      why.push_back(fmt::format("{}: {} in {}, {} in {}", cut_field(what), cut_field(x), a.file, cut_field(y), b.file));
  };
  std::string names_a, names_b;
  for (auto& s : a.streams) names_a += (names_a.empty() ? "" : ", ") + s.name;
  for (auto& s : b.streams) names_b += (names_b.empty() ? "" : ", ") + s.name;
  differ("streams", "[" + names_a + "]", "[" + names_b + "]");
  if (!why.empty()) return why[0];
  auto num = [](double x) { return fmt::format("{:g}", x); };
  for (size_t k = 0; k < a.streams.size(); ++k) {
    const Stream &x = a.streams[k], &y = b.streams[k];
    std::string at = "streams." + x.name;
    differ(at + ".from", x.from, y.from);
    differ(at + ".to", x.to, y.to);
    differ(at + ".prefix", "'" + x.prefix + "'", "'" + y.prefix + "'");
    differ(at + ".calls_per_day", num(x.calls_per_day), num(y.calls_per_day));
    if (x.profile != y.profile)
      why.push_back(
          fmt::format("{}.profile: the hourly weights differ between {} and {}", cut_field(at), a.file, b.file));
    auto dur = [&](const Duration& d) {
      const char* kind = d.kind == Duration::Kind::kExponential ? "exponential"
                         : d.kind == Duration::Kind::kLognormal ? "lognormal" : "deterministic";
      return fmt::format("{} mean {:g} s sd {:g} s", kind, d.mean, d.sd);
    };
    differ(at + ".holding", dur(x.holding), dur(y.holding));
    auto callee = [](const Callee& c) {
      return fmt::format("answer {:g} busy {:g} no_answer {:g} ring {:g} s", c.answer, c.busy, c.no_answer, c.ring_seconds);
    };
    differ(at + ".callee", callee(x.callee), callee(y.callee));
    auto redial = [](const Redial& r) {
      return fmt::format("share {:g} delay {:g} s max_attempts {}", r.share, r.delay_seconds, r.max_attempts);
    };
    differ(at + ".redial", redial(x.redial), redial(y.redial));
  }
  // Visitors of traffic sources (the pools they are shown numbers from may differ).
  for (size_t k = 0; k < a.sources.size() && k < b.sources.size(); ++k) {
    const Source &x = a.sources[k], &y = b.sources[k];
    std::string at = "sources." + x.name;
    differ(at + ".visitors_per_day", num(x.visitors_per_day), num(y.visitors_per_day));
    if (x.profile != y.profile)
      why.push_back(
          fmt::format("{}.profile: the hourly weights differ between {} and {}", cut_field(at), a.file, b.file));
    auto dur = [&](const Duration& d) {
      const char* kind = d.kind == Duration::Kind::kExponential ? "exponential"
                         : d.kind == Duration::Kind::kLognormal ? "lognormal" : "deterministic";
      return fmt::format("{} mean {:g} s sd {:g} s", kind, d.mean, d.sd);
    };
    differ(at + ".visit", dur(x.visit), dur(y.visit));
    differ(at + ".call_share", num(x.call_share), num(y.call_share));
    differ(at + ".call_delay", dur(x.call_delay), dur(y.call_delay));
  }
  std::string out;
  for (auto& w : why) out += (out.empty() ? "" : "; ") + w;
  return out;
}

json compare_json(const std::vector<Compared>& runs) {
  json j;
  const Simulation& sim = runs[0].sc.sim;
  j["seed"] = sim.seed;
  j["replications"] = sim.replications;
  j["days"] = sim.days;
  j["warmup_days"] = sim.warmup_days;
  j["networks"] = json::array();
  for (size_t i = 0; i < runs.size(); ++i) {
    const Compared& r = runs[i];
    json n;
    n["label"] = letter(i);
    n["name"] = r.sc.name;
    n["description"] = r.sc.description;
    n["scenario"] = r.sc.file;
    n["overall"] = group_json(r.sc, r.reps, all());
    n["destinations"] = json::object();
    for (auto& d : r.sc.destinations()) n["destinations"][d] = group_json(r.sc, r.reps, to_destination(d));
    if (has_funnel(r.sc, r.reps)) n["funnel"] = funnel_json(r.sc, r.reps);
    j["networks"].push_back(n);
  }
  j["differences"] = json::array();
  for (size_t i = 1; i < runs.size(); ++i) {
    json d;
    d["label"] = letter(i);
    d["name"] = runs[i].sc.name;
    d["baseline"] = runs[0].sc.name;
    for (auto& m : metrics())
      if (m.compared) d[m.name] = estimate(diff_of(runs[0], runs[i], m));
    auto mc = more_calls(runs, i);
    d["more_calls_ratio"] = mc ? estimate(*mc) : json{{"mean", nullptr}, {"ci95", nullptr}, {"low", nullptr}, {"high", nullptr}};
    d["summary"] = compare_sentence(runs, i);
    if (funnels_compared(runs)) {
      json f;
      f["overall"] = funnel_diff_group(runs[0], runs[i], -1);
      f["sources"] = json::object();
      for (size_t k = 0; k < runs[0].sc.sources.size(); ++k)
        f["sources"][runs[0].sc.sources[k].name] = funnel_diff_group(runs[0], runs[i], static_cast<int>(k));
      d["funnel"] = f;
    }
    j["differences"].push_back(d);
  }
  return j;
}

std::string compare_table(const std::vector<Compared>& runs) {
  std::vector<std::string> header = {"metric"};
  for (size_t i = 0; i < runs.size(); ++i) header.push_back("[" + letter(i) + "]");
  for (size_t i = 1; i < runs.size(); ++i) header.push_back(fmt::format("[{}]-[A] (95% CI)", letter(i)));
  Table t(header);
  for (auto& m : metrics()) {
    if (!m.compared) continue;
    std::vector<std::string> row = {m.name};
    for (auto& r : runs) row.push_back(cell(m, summary_of(r.sc, r.reps, all(), m), false));
    for (size_t i = 1; i < runs.size(); ++i) row.push_back(diff_cell(m, diff_of(runs[0], runs[i], m)));
    t.add(row);
  }
  if (funnels_compared(runs))
    for (auto& fm : funnel_metrics()) {
      // Counts, and the two shares as ratios.
      Metric m{fm.path, fm.path, nullptr, true,
               std::string(fm.path).find("share") != std::string::npos ? Kind::kRatio : Kind::kCount, nullptr};
      std::vector<std::string> row = {std::string("funnel.") + fm.path};
      for (auto& r : runs) row.push_back(cell(m, funnel_summary(r.reps, -1, fm), false));
      for (size_t i = 1; i < runs.size(); ++i) row.push_back(diff_cell(m, funnel_diff(runs[0], runs[i], -1, fm)));
      t.add(row);
    }
  std::string out;
  for (size_t i = 0; i < runs.size(); ++i)
    out += tag(runs, i) + (runs[i].sc.description.empty() ? "" : ": " + runs[i].sc.description) + "\n";
  out += settings(runs[0].sc) + "\n";
  out += "\n" + t.text() + "\n";
  for (size_t i = 1; i < runs.size(); ++i) {
    auto lost_per_100 = [&](const Compared& r) {
      Figures f;
      for (auto& rep : r.reps) f.c.add(collect(r.sc, rep, all()).c);
      return f.c.callers ? fmt::format("{:.1f}", 100.0 * ratio(f.c.callers_lost, f.c.callers)) : std::string("n/a");
    };
    out += fmt::format("In short: {};\nof every 100 callers, [A] loses {} and [{}] loses {} in the network, before call "
                       "tracking sees them.\n",
                       compare_sentence(runs, i), lost_per_100(runs[0]), letter(i), lost_per_100(runs[i]));
  }
  return out;
}

std::string compare_csv(const std::vector<Compared>& runs) {
  std::vector<std::string> names = column_names(runs);
  std::vector<std::string> header = {"metric"};
  for (auto& n : names) header.push_back(n);
  for (size_t i = 1; i < runs.size(); ++i) {
    std::string d = names[i] + "-" + names[0];
    for (const char* suffix : {"", "_ci95", "_low", "_high"}) header.push_back(d + suffix);
  }
  Table t(header);
  auto diff_cells = [](std::vector<std::string>& row, const Summary& d) {
    row.push_back(csv_num(d.mean));
    row.push_back(csv_ci(d));
    row.push_back(known(d) ? csv_num(d.mean - d.ci95) : "");
    row.push_back(known(d) ? csv_num(d.mean + d.ci95) : "");
  };
  for (auto& m : metrics()) {
    if (!m.compared) continue;
    std::vector<std::string> row = {m.name};
    for (auto& r : runs) row.push_back(csv_num(summary_of(r.sc, r.reps, all(), m).mean));
    for (size_t i = 1; i < runs.size(); ++i) diff_cells(row, diff_of(runs[0], runs[i], m));
    t.add(row);
  }
  if (funnels_compared(runs))
    for (auto& fm : funnel_metrics()) {
      std::vector<std::string> row = {std::string("funnel.") + fm.path};
      for (auto& r : runs) row.push_back(csv_num(funnel_summary(r.reps, -1, fm).mean));
      for (size_t i = 1; i < runs.size(); ++i) diff_cells(row, funnel_diff(runs[0], runs[i], -1, fm));
      t.add(row);
    }
  // Extra completed calls per baseline call: a difference only.
  std::vector<std::string> row = {"more_calls_ratio"};
  for (size_t i = 0; i < runs.size(); ++i) row.push_back("");
  for (size_t i = 1; i < runs.size(); ++i) {
    auto mc = more_calls(runs, i);
    if (mc) diff_cells(row, *mc);
    else row.insert(row.end(), 4, "");
  }
  t.add(row);
  return t.csv();
}

std::string compare_title(const std::vector<Compared>& runs) {
  std::string out;
  for (size_t i = 0; i < runs.size(); ++i)
    out += tag(runs, i) + (runs[i].sc.description.empty() ? "" : ": " + runs[i].sc.description) + "\n";
  return out;
}

std::vector<std::vector<std::string>> compare_rows(const std::vector<Compared>& runs, bool for_people) {
  std::vector<std::string> header, row;
  if (for_people) {
    const Metric& completion = metric("completion_ratio");
    for (size_t i = 0; i < runs.size(); ++i) {
      header.push_back(fmt::format("completion [{}]", letter(i)));
      row.push_back(cell(completion, summary_of(runs[i].sc, runs[i].reps, all(), completion), false));
    }
    for (size_t i = 1; i < runs.size(); ++i) {
      std::string d = fmt::format("[{}]-[A]", letter(i));
      for (const char* name : {"completion_ratio", "completed", "callers_lost"}) {
        const Metric& m = metric(name);
        header.push_back(fmt::format("{} {}", d, m.name == std::string("completion_ratio") ? "completion" : m.name == std::string("callers_lost") ? "callers lost" : m.name));
        row.push_back(diff_cell(m, diff_of(runs[0], runs[i], m)));
      }
      header.push_back(fmt::format("{} more calls per 100", d));
      auto mc = more_calls(runs, i);
      row.push_back(!mc ? "n/a"
                        : signed_fixed(100 * mc->mean, 1) + (known(*mc) ? fmt::format(" ±{:.1f}", 100 * mc->ci95) : ""));
    }
    return {header, row};
  }
  std::vector<std::string> names = column_names(runs);
  for (size_t i = 0; i < runs.size(); ++i)
    for (auto& m : metrics()) {
      if (!m.compared) continue;
      header.push_back(names[i] + "." + m.name);
      row.push_back(csv_num(summary_of(runs[i].sc, runs[i].reps, all(), m).mean));
    }
  auto diff_cells = [&](const std::string& name, const std::optional<Summary>& d) {
    for (const char* suffix : {"", "_ci95", "_low", "_high"}) header.push_back(name + suffix);
    if (!d) {
      row.insert(row.end(), 4, "");
      return;
    }
    row.push_back(csv_num(d->mean));
    row.push_back(csv_ci(*d));
    row.push_back(known(*d) ? csv_num(d->mean - d->ci95) : "");
    row.push_back(known(*d) ? csv_num(d->mean + d->ci95) : "");
  };
  for (size_t i = 1; i < runs.size(); ++i) {
    std::string d = names[i] + "-" + names[0] + ".";
    for (auto& m : metrics())
      if (m.compared) diff_cells(d + m.name, diff_of(runs[0], runs[i], m));
    diff_cells(d + "more_calls_ratio", more_calls(runs, i));
  }
  return {header, row};
}

}  // namespace telsim
