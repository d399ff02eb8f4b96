#include "sim/trunk_report.h"

#include <fmt/format.h>

#include "core/base/table.h"

namespace telsim {
namespace {

using json = nlohmann::ordered_json;

// The value of every interconnect figure in one replication, in
// interconnect_figures() order.
std::vector<double> interconnect_values(const Scenario& sc, const ReplicationResult& r, size_t ic) {
  const TrunkCounters& t = r.interconnects.at(ic);
  const double measured = r.measured_seconds;
  const double erlangs = measured > 0 ? t.channel_seconds / measured : 0;
  const double down = r.interconnect_down_seconds.at(ic);
  return {double(t.offered),
          double(t.carried),
          double(t.blocked),
          double(t.junction),
          double(t.outage),
          double(t.dropped),
          erlangs,
          erlangs / sc.interconnects[ic].channels,
          double(t.peak_busy),
          double(r.interconnect_incidents.at(ic)),
          down / 60,
          measured > 0 ? 1 - down / measured : 1};
}

std::vector<double> node_values(const ReplicationResult& r, size_t op) {
  const double avail = r.node_availability.at(op);
  const NodeCounters& n = r.nodes.at(op);
  return {(1 - avail) * r.measured_seconds / 60, avail, double(n.lost), double(n.dropped)};
}

template <typename Values>
std::vector<Summary> summaries(const std::vector<ReplicationResult>& reps, size_t nfig, Values values) {
  std::vector<std::vector<double>> xs(nfig);
  for (auto& r : reps) {
    std::vector<double> v = values(r);
    for (size_t i = 0; i < nfig; ++i) xs[i].push_back(v[i]);
  }
  std::vector<Summary> out;
  for (auto& x : xs) out.push_back(summarize(x));
  return out;
}

json figures_json(const std::vector<DetailFigure>& figs, const std::vector<Summary>& s) {
  json j;
  for (size_t i = 0; i < figs.size(); ++i) j[figs[i].name] = estimate_json(s[i]);
  return j;
}

std::vector<std::string> csv_header(const std::vector<DetailFigure>& figs) {
  std::vector<std::string> h = {"kind", "name"};
  for (auto& f : figs) {
    h.push_back(f.name);
    h.push_back(std::string(f.name) + "_ci95");
  }
  return h;
}

std::vector<std::string> csv_row(const char* kind, const std::string& name, const std::vector<Summary>& s) {
  std::vector<std::string> row = {kind, name};
  for (auto& x : s) {
    row.push_back(csv_num(x.mean));
    row.push_back(csv_ci(x));
  }
  return row;
}

std::string text_of(std::vector<std::string> header, const std::vector<std::vector<std::string>>& rows) {
  Table t(std::move(header));
  for (auto& r : rows) t.add(r);
  return t.text();
}

std::string csv_of(std::vector<std::string> header, const std::vector<std::vector<std::string>>& rows) {
  Table t(std::move(header));
  for (auto& r : rows) t.add(r);
  return t.csv();
}

std::string means_note(const std::vector<ReplicationResult>& reps) {
  return reps.size() > 1 ? fmt::format(" (means over {} replications; 95% intervals in JSON and CSV)", reps.size())
                         : "";
}

}  // namespace

const std::vector<DetailFigure>& interconnect_figures() {
  static const std::vector<DetailFigure> f = {
      {"offered", true},         {"carried", true},       {"blocked", true},       {"junction", true},
      {"outage", true},          {"dropped", true},       {"carried_erlangs", false}, {"occupancy", false},
      {"peak_channels", true},   {"incidents", true},     {"minutes_down", false}, {"availability", false}};
  return f;
}

const std::vector<DetailFigure>& node_figures() {
  static const std::vector<DetailFigure> f = {
      {"minutes_down", false}, {"availability", false}, {"lost", true}, {"dropped", true}};
  return f;
}

std::vector<Summary> interconnect_summaries(const Scenario& sc, const std::vector<ReplicationResult>& reps,
                                            size_t ic) {
  return summaries(reps, interconnect_figures().size(),
                   [&](const ReplicationResult& r) { return interconnect_values(sc, r, ic); });
}

std::vector<Summary> node_summaries(const Scenario&, const std::vector<ReplicationResult>& reps, size_t op) {
  return summaries(reps, node_figures().size(), [&](const ReplicationResult& r) { return node_values(r, op); });
}

json interconnects_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json j = json::object();
  for (size_t i = 0; i < sc.interconnects.size(); ++i)
    j[sc.interconnects[i].name] = figures_json(interconnect_figures(), interconnect_summaries(sc, reps, i));
  return j;
}

json nodes_json(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  json j = json::object();
  for (size_t i = 0; i < sc.operators.size(); ++i)
    if (sc.operators[i].node.components > 0)
      j[sc.operators[i].name] = figures_json(node_figures(), node_summaries(sc, reps, i));
  return j;
}

std::vector<std::string> interconnects_csv_header() { return csv_header(interconnect_figures()); }

std::vector<std::vector<std::string>> interconnects_csv_rows(const Scenario& sc,
                                                             const std::vector<ReplicationResult>& reps) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sc.interconnects.size(); ++i)
    rows.push_back(csv_row("interconnect", sc.interconnects[i].name, interconnect_summaries(sc, reps, i)));
  return rows;
}

std::vector<std::string> nodes_csv_header() { return csv_header(node_figures()); }

std::vector<std::vector<std::string>> nodes_csv_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sc.operators.size(); ++i)
    if (sc.operators[i].node.components > 0)
      rows.push_back(csv_row("node", sc.operators[i].name, node_summaries(sc, reps, i)));
  return rows;
}

std::string interconnects_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  return csv_of(interconnects_csv_header(), interconnects_csv_rows(sc, reps));
}

std::string nodes_csv(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  return csv_of(nodes_csv_header(), nodes_csv_rows(sc, reps));
}

std::vector<std::string> interconnects_table_header() {
  return {"interconnect", "offered", "carried", "blocked", "junction", "outage", "dropped", "erlangs",
          "occupancy",    "peak",    "incidents", "min down"};
}

std::vector<std::vector<std::string>> interconnects_table_rows(const Scenario& sc,
                                                               const std::vector<ReplicationResult>& reps) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sc.interconnects.size(); ++i) {
    auto s = interconnect_summaries(sc, reps, i);
    auto n = [&](size_t k) { return fmt::format("{:.0f}", s[k].mean); };
    rows.push_back({sc.interconnects[i].name, n(0), n(1), n(2), n(3), n(4), n(5), fmt::format("{:.1f}", s[6].mean),
                    fmt::format("{:.1f}%", 100 * s[7].mean), n(8), fmt::format("{:.1f}", s[9].mean),
                    fmt::format("{:.1f}", s[10].mean)});
  }
  return rows;
}

std::string interconnects_table(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  return "Interconnects" + means_note(reps) + "\n" +
         text_of(interconnects_table_header(), interconnects_table_rows(sc, reps));
}

std::vector<std::string> nodes_table_header() { return {"node", "min down", "availability", "lost", "dropped"}; }

std::vector<std::vector<std::string>> nodes_table_rows(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    if (sc.operators[i].node.components == 0) continue;
    auto s = node_summaries(sc, reps, i);
    rows.push_back({sc.operators[i].name, fmt::format("{:.1f}", s[0].mean), fmt::format("{:.4f}%", 100 * s[1].mean),
                    fmt::format("{:.0f}", s[2].mean), fmt::format("{:.0f}", s[3].mean)});
  }
  return rows;
}

std::string nodes_table(const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  auto rows = nodes_table_rows(sc, reps);
  if (rows.empty()) return "Nodes: no operator of this scenario has a node that can fail\n";
  return "Nodes" + means_note(reps) + "\n" + text_of(nodes_table_header(), rows);
}

}  // namespace telsim
