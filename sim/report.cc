#include "sim/report.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>

#include "core/base/stats.h"
#include "core/base/table.h"

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

// Every metric we report, by name, as a function of one replication's figures.
struct Metric {
  const char* name;
  std::function<double(const Figures&)> get;
  bool count;  // an integer count (printed without decimals)
};

const std::vector<Metric>& metrics() {
  static const std::vector<Metric> m = {
      {"offered", [](const Figures& f) { return double(f.c.offered); }, true},
      {"completed", [](const Figures& f) { return double(f.c.completed); }, true},
      {"lost", [](const Figures& f) { return double(f.c.lost_total()); }, true},
      {"blocked", [](const Figures& f) { return double(f.c.lost[kBlocked]); }, true},
      {"junction", [](const Figures& f) { return double(f.c.lost[kJunction]); }, true},
      {"outage", [](const Figures& f) { return double(f.c.lost[kOutage]); }, true},
      {"node", [](const Figures& f) { return double(f.c.lost[kNode]); }, true},
      {"answered", [](const Figures& f) { return double(f.c.answered); }, true},
      {"busy", [](const Figures& f) { return double(f.c.busy); }, true},
      {"answered_minutes", [](const Figures& f) { return f.c.answered_seconds / 60; }, true},
      {"acd_seconds", [](const Figures& f) { return f.c.answered ? f.c.answered_seconds / f.c.answered : 0.0; }, false},
      {"no_answer", [](const Figures& f) { return double(f.c.no_answer); }, true},
      {"completion_ratio", [](const Figures& f) { return ratio(f.c.completed, f.c.offered); }, false},
      {"blocking_ratio", [](const Figures& f) { return ratio(f.c.lost[kBlocked], f.c.offered); }, false},
      {"direct_share", [](const Figures& f) { return ratio(f.c.direct, f.c.completed); }, false},
      {"asr", [](const Figures& f) { return ratio(f.c.answered, f.c.offered); }, false},
      {"ner", [](const Figures& f) { return ratio(f.c.completed, f.c.offered); }, false},
      {"availability", [](const Figures& f) { return f.availability(); }, false},
      {"call_availability",
       [](const Figures& f) { return 1.0 - ratio(f.c.lost[kOutage] + f.c.lost[kNode], f.c.offered); }, false},
      {"unavailable_minutes_per_month", [](const Figures& f) { return (1.0 - f.availability()) * 30 * 24 * 60; },
       false},
      {"callers", [](const Figures& f) { return double(f.c.callers); }, true},
      {"callers_answered", [](const Figures& f) { return double(f.c.callers_answered); }, true},
      {"callers_lost", [](const Figures& f) { return double(f.c.callers_lost); }, true},
      {"caller_completion_ratio", [](const Figures& f) { return ratio(f.c.callers_completed, f.c.callers); }, false},
  };
  return m;
}

const Metric& metric(const std::string& name) {
  for (auto& m : metrics())
    if (name == m.name) return m;
  throw std::logic_error("no metric " + name);
}

Summary summary_of(const Scenario& sc, const std::vector<ReplicationResult>& reps, const Selector& pick,
                   const Metric& m) {
  std::vector<double> xs;
  for (auto& r : reps) xs.push_back(m.get(collect(sc, r, pick)));
  return summarize(xs);
}

json value(const Summary& s, bool many, bool count = false) {
  if (!many) return count ? json(static_cast<uint64_t>(std::llround(s.mean))) : json(s.mean);
  return json{{"mean", s.mean}, {"ci95", s.ci95}};
}

json group_json(const Scenario& sc, const std::vector<ReplicationResult>& reps, const Selector& pick) {
  bool many = reps.size() > 1;
  auto v = [&](const char* name) {
    const Metric& m = metric(name);
    return value(summary_of(sc, reps, pick, m), many, m.count && std::string(name) != "answered_minutes");
  };
  json g;
  g["offered"] = v("offered");
  g["completed"] = v("completed");
  g["lost"] = v("lost");
  g["lost_by_cause"] = json{{"blocked", v("blocked")}, {"junction", v("junction")}, {"outage", v("outage")},
                            {"node", v("node")}};
  g["completion_ratio"] = v("completion_ratio");
  g["blocking_ratio"] = v("blocking_ratio");
  g["direct_share"] = v("direct_share");
  g["answered"] = v("answered");
  g["busy"] = v("busy");
  g["no_answer"] = v("no_answer");
  g["answered_minutes"] = v("answered_minutes");
  g["acd_seconds"] = v("acd_seconds");
  g["asr"] = v("asr");
  g["ner"] = v("ner");
  g["availability"] = v("availability");
  g["call_availability"] = v("call_availability");
  g["unavailable_minutes_per_month"] = v("unavailable_minutes_per_month");
  g["callers"] = json{{"offered", v("callers")}, {"answered", v("callers_answered")}, {"lost", v("callers_lost")},
                      {"completion_ratio", v("caller_completion_ratio")}};
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

std::string pct(double x) { return fmt::format("{:.3f}%", 100 * x); }
std::string pct_ci(const Summary& s, bool many) {
  if (!many) return pct(s.mean);
  return fmt::format("{:.3f}% ±{:.3f}", 100 * s.mean, 100 * s.ci95);
}
std::string count_ci(const Summary& s, bool many) {
  if (!many) return fmt::format("{:.0f}", s.mean);
  return fmt::format("{:.0f} ±{:.0f}", s.mean, s.ci95);
}

std::string title(const Scenario& sc) {
  return fmt::format("{}: seed {}, {} replication{} x {:g} day{}{}\n", sc.file, sc.sim.seed, sc.sim.replications,
                     sc.sim.replications > 1 ? "s" : "", sc.sim.days, sc.sim.days == 1 ? "" : "s",
                     sc.sim.warmup_days > 0 ? fmt::format(" (after {:g} day{} warm-up)", sc.sim.warmup_days, sc.sim.warmup_days == 1 ? "" : "s") : "");
}

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
  bool many = reps.size() > 1;
  json n;
  std::vector<double> per_day;
  uint64_t peak = 0;
  for (auto& r : reps) {
    per_day.push_back(r.incidents / (r.measured_seconds / 86400));
    peak = std::max(peak, r.peak_concurrent);
  }
  n["incidents_per_day"] = value(summarize(per_day), many);
  n["node_availability"] = json::object();
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    if (sc.operators[i].node.components == 0) continue;
    std::vector<double> xs;
    for (auto& r : reps) xs.push_back(r.node_availability[i]);
    n["node_availability"][sc.operators[i].name] = value(summarize(xs), many);
  }
  n["peak_concurrent_calls"] = peak;
  return n;
}

}  // namespace

json run_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json j;
  j["scenario"] = sc.file;
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
  return j;
}

std::string run_table(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  bool many = reps.size() > 1;
  Table t({"group", "offered", "completed", "blocked", "junction", "outage", "node", "completion", "availability",
           "unavail min/month"});
  for (auto& g : groups(sc)) {
    auto s = [&](const char* m) { return summary_of(sc, reps, g.pick, metric(m)); };
    std::string label = g.kind == "overall" ? "ALL" : (g.kind == "destination" ? "to " + g.name : "  " + g.name);
    t.add({label, count_ci(s("offered"), many), count_ci(s("completed"), many), count_ci(s("blocked"), many),
           count_ci(s("junction"), many), count_ci(s("outage"), many), count_ci(s("node"), many),
           pct_ci(s("completion_ratio"), many), pct_ci(s("availability"), many),
           fmt::format("{:.1f}", s("unavailable_minutes_per_month").mean)});
  }
  return title(sc) + t.text();
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
      row.push_back(fmt::format("{:.10g}", s.mean));
      row.push_back(fmt::format("{:.10g}", s.ci95));
    }
    t.add(row);
  }
  return t.csv();
}

// ---- compare ---------------------------------------------------------------

namespace {

// Paired difference (run i minus run 0) of a metric over replications.
Summary diff_of(const Compared& a, const Compared& b, const Metric& m) {
  std::vector<double> xs;
  for (size_t i = 0; i < a.reps.size() && i < b.reps.size(); ++i)
    xs.push_back(m.get(collect(b.sc, b.reps[i], all())) - m.get(collect(a.sc, a.reps[i], all())));
  return summarize(xs);
}

const char* kCompared[] = {"offered",      "completed",         "lost",  "blocked", "junction",
                           "outage",       "node",              "completion_ratio", "asr",
                           "availability", "call_availability", "unavailable_minutes_per_month",
                           "callers_lost", "caller_completion_ratio"};

}  // namespace

json compare_json(const std::vector<Compared>& runs) {
  json j;
  j["networks"] = json::array();
  for (auto& r : runs) {
    json n;
    n["scenario"] = r.sc.file;
    n["overall"] = group_json(r.sc, r.reps, all());
    n["destinations"] = json::object();
    for (auto& d : r.sc.destinations()) n["destinations"][d] = group_json(r.sc, r.reps, to_destination(d));
    j["networks"].push_back(n);
  }
  j["differences"] = json::array();
  for (size_t i = 1; i < runs.size(); ++i) {
    json d;
    d["scenario"] = runs[i].sc.file;
    d["baseline"] = runs[0].sc.file;
    for (const char* name : kCompared) {
      Summary s = diff_of(runs[0], runs[i], metric(name));
      d[name] = json{{"mean", s.mean}, {"ci95", s.ci95}};
    }
    Summary c0 = summary_of(runs[0].sc, runs[0].reps, all(), metric("completed"));
    Summary dc = diff_of(runs[0], runs[i], metric("completed"));
    d["more_calls_ratio"] = c0.mean > 0 ? dc.mean / c0.mean : 0.0;
    j["differences"].push_back(d);
  }
  j["seed"] = runs[0].sc.sim.seed;
  j["replications"] = runs[0].sc.sim.replications;
  return j;
}

std::string compare_table(const std::vector<Compared>& runs) {
  bool many = runs[0].reps.size() > 1;
  std::vector<std::string> header = {"metric"};
  for (size_t i = 0; i < runs.size(); ++i) header.push_back(fmt::format("[{}]", char('A' + i)));
  for (size_t i = 1; i < runs.size(); ++i) header.push_back(fmt::format("[{}]-[A] (95% CI)", char('A' + i)));
  Table t(header);
  for (const char* name : kCompared) {
    const Metric& m = metric(name);
    std::vector<std::string> row = {name};
    for (auto& r : runs) {
      Summary s = summary_of(r.sc, r.reps, all(), m);
      row.push_back(m.count ? count_ci(s, false) : (std::string(name).find("minutes") != std::string::npos
                                                        ? fmt::format("{:.1f}", s.mean)
                                                        : pct(s.mean)));
    }
    for (size_t i = 1; i < runs.size(); ++i) {
      Summary d = diff_of(runs[0], runs[i], m);
      bool minutes = std::string(name).find("minutes") != std::string::npos;
      std::string v = m.count ? fmt::format("{:+.0f}", d.mean)
                              : (minutes ? fmt::format("{:+.1f}", d.mean) : fmt::format("{:+.3f} pp", 100 * d.mean));
      if (many)
        v += m.count ? fmt::format(" ±{:.0f}", d.ci95)
                     : (minutes ? fmt::format(" ±{:.1f}", d.ci95) : fmt::format(" ±{:.3f}", 100 * d.ci95));
      row.push_back(v);
    }
    t.add(row);
  }
  std::string out;
  for (size_t i = 0; i < runs.size(); ++i)
    out += fmt::format("[{}] {}", char('A' + i), title(runs[i].sc));
  out += "\n" + t.text() + "\n";
  for (size_t i = 1; i < runs.size(); ++i) {
    Summary c0 = summary_of(runs[0].sc, runs[0].reps, all(), metric("completed"));
    Summary dc = diff_of(runs[0], runs[i], metric("completed"));
    double per100 = c0.mean > 0 ? 100 * dc.mean / c0.mean : 0;
    out += fmt::format("In short: [{}] delivers {:+.1f} calls per 100 that [A] delivers", char('A' + i), per100);
    if (many && c0.mean > 0) out += fmt::format(" (95% CI {:+.1f} to {:+.1f})", 100 * (dc.mean - dc.ci95) / c0.mean,
                                                100 * (dc.mean + dc.ci95) / c0.mean);
    auto lost_per_100 = [&](const Compared& r) {
      Figures f;
      for (auto& rep : r.reps) f.c.add(collect(r.sc, rep, all()).c);
      return 100.0 * ratio(f.c.callers_lost, f.c.callers);
    };
    out += fmt::format(";\nof every 100 callers, [A] loses {:.1f} and [{}] loses {:.1f} before tracking sees them.\n",
                       lost_per_100(runs[0]), char('A' + i), lost_per_100(runs[i]));
  }
  return out;
}

std::string compare_csv(const std::vector<Compared>& runs) {
  std::vector<std::string> header = {"metric"};
  for (size_t i = 0; i < runs.size(); ++i) header.push_back(fmt::format("network_{}", i + 1));
  for (size_t i = 1; i < runs.size(); ++i) {
    header.push_back(fmt::format("diff_{}", i + 1));
    header.push_back(fmt::format("diff_{}_ci95", i + 1));
  }
  Table t(header);
  for (const char* name : kCompared) {
    const Metric& m = metric(name);
    std::vector<std::string> row = {name};
    for (auto& r : runs) row.push_back(fmt::format("{:.10g}", summary_of(r.sc, r.reps, all(), m).mean));
    for (size_t i = 1; i < runs.size(); ++i) {
      Summary d = diff_of(runs[0], runs[i], m);
      row.push_back(fmt::format("{:.10g}", d.mean));
      row.push_back(fmt::format("{:.10g}", d.ci95));
    }
    t.add(row);
  }
  return t.csv();
}

}  // namespace telsim
