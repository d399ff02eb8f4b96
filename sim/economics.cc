#include "sim/economics.h"

#include <fmt/format.h>

#include <cmath>
#include <algorithm>
#include <functional>

#include "core/base/stats.h"
#include "sim/estimate.h"

namespace telsim {
namespace {

using json = nlohmann::ordered_json;

constexpr double kDaysPerMonth = 30;
constexpr double kMonthsPerYear = 12;
const char* const kCauseNames[kCauses] = {"blocked", "junction", "outage", "node"};

Counters total(const ReplicationResult& r) {
  Counters c;
  for (auto& s : r.streams) c.add(s);
  return c;
}

// Callers a month in the run's own traffic: the mean over replications of
// its callers per measured day, times 30.
double simulated_callers_per_month(const std::vector<ReplicationResult>& reps) {
  double sum = 0;
  for (auto& r : reps) sum += double(total(r).callers) / (r.measured_seconds / 86400) * kDaysPerMonth;
  return reps.empty() ? 0 : sum / double(reps.size());
}

// The prospect's callers a month: the economics' own, else the simulated
// traffic's (of the first network: every compared network has the same).
double callers_per_month(const Pricing& p, const std::vector<ReplicationResult>& reps) {
  return p.calls_per_month ? *p.calls_per_month : simulated_callers_per_month(reps);
}

// One replication's figures, scaled to a month of the prospect's callers.
struct Monthly {
  double lost_calls = 0, lost_leads = 0;
  double by_cause[kCauses] = {0, 0, 0, 0};
  std::vector<double> by_hour;
};

Monthly monthly(const ReplicationResult& r, double volume) {
  Monthly m;
  Counters c = total(r);
  double scale = c.callers ? volume / double(c.callers) : 0;
  m.lost_calls = double(c.lost_total()) * scale;
  m.lost_leads = double(c.callers_lost) * scale;
  for (int k = 0; k < kCauses; ++k) m.by_cause[k] = double(c.lost[k]) * scale;
  for (auto& h : r.hour_of_day) {
    uint64_t lost = h.lost[0] + h.lost[1] + h.lost[2] + h.lost[3];
    m.by_hour.push_back(double(lost) * scale);
  }
  return m;
}

using Pick = std::function<double(const Monthly&)>;

Summary over(const std::vector<Monthly>& ms, const Pick& pick) {
  std::vector<double> xs;
  for (auto& m : ms) xs.push_back(pick(m));
  return summarize(xs);
}

Summary paired(const std::vector<Monthly>& a, const std::vector<Monthly>& b, const Pick& pick) {
  std::vector<double> xs;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) xs.push_back(pick(b[i]) - pick(a[i]));
  return summarize(xs);
}

json money(const Pricing& p, const Summary& leads, double months) {
  auto v = p.value_per_lead();
  if (!v) return json{{"mean", nullptr}, {"ci95", nullptr}, {"low", nullptr}, {"high", nullptr}};
  return estimate_json(leads, *v * months);
}

json pricing_json(const Pricing& p, double volume) {
  const Economics& e = p;
  auto opt = [](const std::optional<double>& x) { return x ? json(*x) : json(nullptr); };
  json j;
  j["currency"] = e.currency.empty() ? json(nullptr) : json(e.currency);
  j["calls_per_month"] = volume;
  j["calls_per_month_from"] = p.volume_from;
  j["value_basis"] = e.basis().empty() ? json(nullptr) : json(e.basis());
  j["value_per_lead"] = opt(e.value_per_lead());
  j["call_value"] = opt(e.call_value);
  j["conversion_rate"] = opt(e.conversion_rate);
  j["order_value"] = opt(e.order_value);
  j["cost_per_lead"] = opt(e.cost_per_lead);
  j["source"] = e.source;
  j["days_per_month"] = kDaysPerMonth;
  j["months_per_year"] = kMonthsPerYear;
  return j;
}

json figures_json(const Pricing& p, const std::vector<Monthly>& ms) {
  json j;
  j["lost_calls_per_month"] = estimate_json(over(ms, [](const Monthly& m) { return m.lost_calls; }));
  j["lost_calls_per_month_by_cause"] = json::object();
  for (int k = 0; k < kCauses; ++k)
    j["lost_calls_per_month_by_cause"][kCauseNames[k]] =
        estimate_json(over(ms, [k](const Monthly& m) { return m.by_cause[k]; }));
  j["lost_calls_per_month_by_hour"] = json::array();
  size_t hours = ms.empty() ? 0 : ms[0].by_hour.size();
  for (size_t h = 0; h < hours; ++h)
    j["lost_calls_per_month_by_hour"].push_back(
        estimate_json(over(ms, [h](const Monthly& m) { return h < m.by_hour.size() ? m.by_hour[h] : 0.0; })));
  Summary leads = over(ms, [](const Monthly& m) { return m.lost_leads; });
  j["lost_leads_per_month"] = estimate_json(leads);
  j["lost_revenue_per_month"] = money(p, leads, 1);
  j["lost_revenue_per_year"] = money(p, leads, kMonthsPerYear);
  return j;
}

std::vector<Monthly> monthlies(const std::vector<ReplicationResult>& reps, double volume) {
  std::vector<Monthly> ms;
  for (auto& r : reps) ms.push_back(monthly(r, volume));
  return ms;
}

// ---- words -------------------------------------------------------------------

// 1234567.8 -> "1,234,568".
std::string whole(double x) {
  std::string digits = fmt::format("{:.0f}", std::abs(x));
  if (digits == "0") return "0";
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (x < 0 ? "-" : "") + out;
}

// The 95% interval of `s` times `scale`, low end first whatever the sign.
// `at_least_zero` for a figure that cannot be negative (a network's own
// losses): its interval is cut at zero, as telsim report shows it
// (docs/report.md); the JSON keeps mean +- ci95.
std::string interval(const Summary& s, double scale = 1, bool at_least_zero = false) {
  if (!estimated(s)) return " (one replication: no interval)";
  double a = (s.mean - s.ci95) * scale, b = (s.mean + s.ci95) * scale;
  double lo = std::min(a, b), hi = std::max(a, b);
  if (at_least_zero) lo = std::max(lo, 0.0), hi = std::max(hi, 0.0);
  return fmt::format(" (95% CI {} to {})", whole(lo), whole(hi));
}

std::string pricing_text(const Pricing& p, double volume) {
  const Economics& e = p;
  std::string from = p.volume_from == "simulated" ? "the simulated traffic" : "the prospect's";
  std::string s = fmt::format("Money: {} calls a month ({})", whole(volume), from);
  if (auto v = e.value_per_lead()) {
    std::string how = e.basis() == "conversion"
                          ? fmt::format("{:g}% of leads buy for {} {}", 100 * *e.conversion_rate, whole(*e.order_value), e.currency)
                      : e.basis() == "cost_per_lead" ? "cost of a lead"
                                                     : "value of a call";
    s += fmt::format(", a lead is worth {} {} ({})", whole(*v), e.currency, how);
  } else {
    s += ", no value of a lead given (no money)";
  }
  return s + "; a month is 30 days.\n";
}

std::string network_text(const Pricing& p, const std::string& who, const std::vector<Monthly>& ms) {
  Summary calls = over(ms, [](const Monthly& m) { return m.lost_calls; });
  Summary leads = over(ms, [](const Monthly& m) { return m.lost_leads; });
  std::string s = fmt::format("  {} loses {} calls a month{} and {} callers never get through{}", who,
                              whole(calls.mean), interval(calls, 1, true), whole(leads.mean), interval(leads, 1, true));
  if (auto v = p.value_per_lead())
    s += fmt::format(";\n    that is {} {} a month{}, {} {} a year{}", whole(leads.mean * *v), p.currency,
                     interval(leads, *v, true), whole(leads.mean * *v * kMonthsPerYear), p.currency,
                     interval(leads, *v * kMonthsPerYear, true));
  return s + ".\n";
}

}  // namespace

json economics_run_json(const Pricing& p, const Scenario&, const std::vector<ReplicationResult>& reps) {
  double volume = callers_per_month(p, reps);
  json j = pricing_json(p, volume);
  json figures = figures_json(p, monthlies(reps, volume));
  for (auto& [k, v] : figures.items()) j[k] = v;
  return j;
}

json economics_compare_json(const Pricing& p, const std::vector<Compared>& runs) {
  double volume = callers_per_month(p, runs.at(0).reps);
  json j = pricing_json(p, volume);
  std::vector<std::vector<Monthly>> all;
  for (auto& r : runs) all.push_back(monthlies(r.reps, volume));
  j["networks"] = json::array();
  for (size_t i = 0; i < runs.size(); ++i) {
    json n;
    n["label"] = std::string(1, char('A' + i));
    n["name"] = runs[i].sc.name;
    json figures = figures_json(p, all[i]);
    for (auto& [k, v] : figures.items()) n[k] = v;
    j["networks"].push_back(n);
  }
  j["differences"] = json::array();
  for (size_t i = 1; i < runs.size(); ++i) {
    json d;
    d["label"] = std::string(1, char('A' + i));
    d["name"] = runs[i].sc.name;
    d["baseline"] = runs[0].sc.name;
    d["lost_calls_per_month"] = estimate_json(paired(all[0], all[i], [](const Monthly& m) { return m.lost_calls; }));
    Summary leads = paired(all[0], all[i], [](const Monthly& m) { return m.lost_leads; });
    d["lost_leads_per_month"] = estimate_json(leads);
    d["lost_revenue_per_month"] = money(p, leads, 1);
    d["lost_revenue_per_year"] = money(p, leads, kMonthsPerYear);
    j["differences"].push_back(d);
  }
  return j;
}

std::string economics_run_text(const Pricing& p, const Scenario& sc, const std::vector<ReplicationResult>& reps) {
  double volume = callers_per_month(p, reps);
  return "\n" + pricing_text(p, volume) + network_text(p, sc.name, monthlies(reps, volume));
}

std::string economics_compare_text(const Pricing& p, const std::vector<Compared>& runs) {
  double volume = callers_per_month(p, runs.at(0).reps);
  std::vector<std::vector<Monthly>> all;
  for (auto& r : runs) all.push_back(monthlies(r.reps, volume));
  std::string s = "\n" + pricing_text(p, volume);
  for (size_t i = 0; i < runs.size(); ++i)
    s += network_text(p, fmt::format("[{}] {}", char('A' + i), runs[i].sc.name), all[i]);
  for (size_t i = 1; i < runs.size(); ++i) {
    Summary leads = paired(all[0], all[i], [](const Monthly& m) { return m.lost_leads; });
    Summary calls = paired(all[0], all[i], [](const Monthly& m) { return m.lost_calls; });
    bool fewer = calls.mean <= 0;
    // An interval that holds zero: the run cannot tell which network loses
    // less, and the words say so ("might"), as sim compare's "In short" does.
    auto unsure = [](const Summary& x) { return estimated(x) && x.ci95 > 0 && std::abs(x.mean) <= x.ci95; };
    s += fmt::format("  [{}] {} instead of [A] {}: {}{} {} calls lost a month{}", char('A' + i), runs[i].sc.name,
                     runs[0].sc.name, unsure(calls) ? "perhaps " : "", whole(std::abs(calls.mean)),
                     fewer ? "fewer" : "more", interval(calls, fewer ? -1 : 1));
    if (auto v = p.value_per_lead()) {
      bool saves = leads.mean <= 0;
      double sign = saves ? -*v : *v;
      s += fmt::format(";\n    {}{} {} {} a month{}, {} {} a year{}", unsure(leads) ? "might " : "",
                       saves ? (unsure(leads) ? "save" : "saves") : (unsure(leads) ? "cost" : "costs"),
                       whole(std::abs(leads.mean * *v)), p.currency, interval(leads, sign),
                       whole(std::abs(leads.mean * *v * kMonthsPerYear)), p.currency, interval(leads, sign * kMonthsPerYear));
    }
    if (unsure(calls) || unsure(leads))
      s += fmt::format(";\n    the interval{} of {} hold{} no change: the run cannot tell which network loses less "
                       "(more replications or days would)",
                       unsure(calls) && unsure(leads) ? "s" : "",
                       unsure(calls) && unsure(leads) ? "the calls and the money" : unsure(calls) ? "the calls" : "the money",
                       unsure(calls) && unsure(leads) ? "" : "s");
    s += ".\n";
  }
  return s;
}

}  // namespace telsim
