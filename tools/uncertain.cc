#include "tools/uncertain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/table.h"
#include "tools/cli.h"

namespace telsim::uncertain {

namespace {

using json = nlohmann::ordered_json;

std::vector<std::string> split_keys(const std::string& keys) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = keys.find(',', start);
    std::string k = keys.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    out.push_back(k);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<double> mean_of(const json& difference, const std::string& metric) {
  if (!difference.contains(metric)) return std::nullopt;
  const json& m = difference[metric];
  if (!m.is_object() || !m.contains("mean") || !m["mean"].is_number()) return std::nullopt;
  return m["mean"].get<double>();
}

// The metrics of a difference: every key whose value is an estimate.
std::vector<std::string> metric_names(const json& difference) {
  std::vector<std::string> out;
  for (auto& [k, v] : difference.items())
    if (v.is_object() && v.contains("mean")) out.push_back(k);
  return out;
}

const Run* find(const std::vector<Run>& runs, const std::string& label) {
  for (auto& r : runs)
    if (r.label == label) return &r;
  return nullptr;
}

json number_or_null(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

std::string per100(const std::optional<double>& x) {
  return x ? fmt::format("{:+.1f}", 100 * *x) : std::string("n/a");
}

}  // namespace

Input parse(const std::string& text) {
  const std::string what = fmt::format("--uncertain {}", quote_field(text));
  size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(what + ": expected KEYS=LOW:HIGH (KEYS one dotted key, or several separated by commas)");
  Input in;
  in.name = text.substr(0, eq);
  in.keys = split_keys(in.name);
  for (auto& k : in.keys)
    if (k.empty()) throw InputError(what + ": an empty key");
  std::string range = text.substr(eq + 1);
  size_t colon = range.find(':');
  if (colon == std::string::npos) throw InputError(what + ": expected LOW:HIGH, two numbers");
  for (auto [part, x] : {std::pair{range.substr(0, colon), &in.low}, std::pair{range.substr(colon + 1), &in.high}})
    if (std::string e = cli::parse_number(part, false, x); !e.empty())
      throw InputError(what + ": expected LOW:HIGH, two numbers (" + e + ")");
  if (!(in.low < in.high)) throw InputError(what + ": LOW must be less than HIGH");
  in.source = "--uncertain";
  return in;
}

std::vector<Input> gather(const std::vector<std::string>& options, const std::vector<const Scenario*>& networks) {
  std::vector<Input> out;
  for (auto& o : options) {
    Input in = parse(o);
    for (auto& x : out)
      if (x.name == in.name) throw InputError(fmt::format("--uncertain {}: given twice", quote_field(o)));
    out.push_back(in);
  }
  std::map<std::string, const UncertainInput*> seen;
  for (const Scenario* sc : networks)
    for (const UncertainInput& u : sc->uncertain) {
      bool on_command_line = false;
      for (size_t i = 0; i < options.size(); ++i) on_command_line = on_command_line || out[i].name == u.keys;
      if (on_command_line) continue;
      auto it = seen.find(u.keys);
      if (it != seen.end()) {
        if (it->second->low != u.low || it->second->high != u.high)
          throw InputError(fmt::format("{}: uncertain.{}: [{:g}, {:g}] here, [{:g}, {:g}] at {}; one range per input",
                                       u.where, cut_field(u.keys), u.low, u.high, it->second->low, it->second->high,
                                       it->second->where));
        continue;
      }
      seen[u.keys] = &u;
      Input in;
      in.name = u.keys;
      in.keys = split_keys(u.keys);
      in.low = u.low;
      in.high = u.high;
      in.source = u.where;
      out.push_back(in);
    }
  return out;
}

std::vector<Run> one_at_a_time(const std::vector<Input>& inputs) {
  std::vector<Run> out;
  for (auto& in : inputs)
    for (bool high : {false, true}) {
      Run r;
      r.label = in.name + (high ? " high" : " low");
      for (auto& k : in.keys) r.sets.push_back({k, high ? in.high : in.low});
      out.push_back(r);
    }
  return out;
}

std::vector<Run> corners(const std::vector<Input>& inputs, const std::vector<Run>& done) {
  if (inputs.size() < 2) return {};
  Run lowering{"all lowering", {}, {}}, raising{"all raising", {}, {}};
  for (auto& in : inputs) {
    const Run* lo = find(done, in.name + " low");
    const Run* hi = find(done, in.name + " high");
    std::optional<double> at_lo, at_hi;
    if (lo && !lo->differences.empty()) at_lo = mean_of(lo->differences[0], "more_calls_ratio");
    if (hi && !hi->differences.empty()) at_hi = mean_of(hi->differences[0], "more_calls_ratio");
    // The end that gives the larger headline raises it; a tie (or no
    // headline) takes the high end for raising.
    const bool high_raises = !(at_lo && at_hi) || *at_hi >= *at_lo;
    for (auto& k : in.keys) {
      raising.sets.push_back({k, high_raises ? in.high : in.low});
      lowering.sets.push_back({k, high_raises ? in.low : in.high});
    }
  }
  return {lowering, raising};
}

json to_json(const std::vector<Input>& inputs, const std::vector<Run>& runs) {
  json u;
  u["design"] = inputs.size() < 2 ? "one_at_a_time" : "one_at_a_time_and_directed_corners";
  u["headline"] = "more_calls_ratio";
  json ins = json::array();
  for (auto& in : inputs) ins.push_back(json{{"input", in.name}, {"keys", in.keys}, {"low", in.low}, {"high", in.high}, {"source", in.source}});
  u["inputs"] = ins;
  json rs = json::array();
  for (auto& r : runs) {
    json set = json::object();
    for (auto& [k, v] : r.sets) set[k] = v;
    rs.push_back(json{{"run", r.label}, {"set", set}});
  }
  u["runs"] = rs;
  const Run* nominal = find(runs, "nominal");
  json diffs = json::array();
  for (size_t d = 0; nominal && d < nominal->differences.size(); ++d) {
    const json& nd = nominal->differences[d];
    json out;
    out["label"] = nd["label"];
    out["name"] = nd["name"];
    out["baseline"] = nd["baseline"];
    json metrics = json::object();
    for (auto& m : metric_names(nd)) {
      std::optional<double> lo, hi;
      for (auto& r : runs) {
        auto x = r.differences.size() > d ? mean_of(r.differences[d], m) : std::nullopt;
        if (!x) continue;
        lo = lo ? std::min(*lo, *x) : *x;
        hi = hi ? std::max(*hi, *x) : *x;
      }
      json mj;
      mj["nominal"] = number_or_null(mean_of(nd, m));
      mj["low"] = number_or_null(lo);
      mj["high"] = number_or_null(hi);
      json per = json::object();
      for (auto& in : inputs) {
        const Run* a = find(runs, in.name + " low");
        const Run* b = find(runs, in.name + " high");
        per[in.name] = json{{"low", number_or_null(a && a->differences.size() > d ? mean_of(a->differences[d], m) : std::nullopt)},
                            {"high", number_or_null(b && b->differences.size() > d ? mean_of(b->differences[d], m) : std::nullopt)}};
      }
      mj["inputs"] = per;
      for (const char* c : {"all lowering", "all raising"}) {
        const Run* r = find(runs, c);
        if (r) mj[c == std::string("all lowering") ? "all_lowering" : "all_raising"] =
                   number_or_null(r->differences.size() > d ? mean_of(r->differences[d], m) : std::nullopt);
      }
      metrics[m] = mj;
    }
    out["metrics"] = metrics;
    diffs.push_back(out);
  }
  u["differences"] = diffs;
  return u;
}

std::string to_table(const std::vector<Input>& inputs, const std::vector<Run>& runs) {
  const Run* nominal = find(runs, "nominal");
  if (!nominal) return "";
  std::string out = fmt::format(
      "\nUncertain inputs: each at its low and high end, the others as written{}; every run on the same random "
      "numbers. Extra calls per 100:\n",
      inputs.size() < 2 ? "" : ", then all at the ends that lower and that raise the first difference");
  std::vector<std::string> header = {"input", "low", "high"};
  const json& nd = nominal->differences;
  for (auto& d : nd) {
    header.push_back(fmt::format("[{}] at low", d["label"].get<std::string>()));
    header.push_back(fmt::format("[{}] at high", d["label"].get<std::string>()));
  }
  Table t(header);
  auto at = [&](const Run* r, size_t d) {
    return per100(r && r->differences.size() > d ? mean_of(r->differences[d], "more_calls_ratio") : std::nullopt);
  };
  for (auto& in : inputs) {
    std::vector<std::string> row = {in.name, fmt::format("{:g}", in.low), fmt::format("{:g}", in.high)};
    for (size_t d = 0; d < nd.size(); ++d) {
      row.push_back(at(find(runs, in.name + " low"), d));
      row.push_back(at(find(runs, in.name + " high"), d));
    }
    t.add(row);
  }
  if (inputs.size() >= 2) {
    std::vector<std::string> row = {"all lowering / all raising", "", ""};
    for (size_t d = 0; d < nd.size(); ++d) {
      row.push_back(at(find(runs, "all lowering"), d));
      row.push_back(at(find(runs, "all raising"), d));
    }
    t.add(row);
  }
  out += t.text();
  json u = to_json(inputs, runs);
  for (auto& d : u["differences"]) {
    const json& m = d["metrics"]["more_calls_ratio"];
    if (!m["low"].is_number()) continue;
    const std::string label = d["label"].get<std::string>(), name = d["name"].get<std::string>();
    std::string mc;
    for (auto& nd1 : nd)
      if (nd1["label"] == d["label"] && nd1["more_calls_ratio"]["low"].is_number())
        mc = fmt::format(" (Monte Carlo 95% CI {:.1f} to {:.1f})", 100 * nd1["more_calls_ratio"]["low"].get<double>(),
                         100 * nd1["more_calls_ratio"]["high"].get<double>());
    out += fmt::format("[{}] {} vs [{}] {}: {} more calls per 100 as written{}; {} to {} over the uncertain inputs.\n",
                       label, name, "A", d["baseline"].get<std::string>(), per100(m["nominal"].is_number()
                                                                                     ? std::optional<double>(m["nominal"].get<double>())
                                                                                     : std::nullopt),
                       mc, per100(m["low"].get<double>()), per100(m["high"].get<double>()));
  }
  return out;
}

}  // namespace telsim::uncertain
