#include "tools/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string_view>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "tools/cli.h"

namespace telsim::report {

std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

using json = nlohmann::ordered_json;

// Markdown: characters that would become markup (or HTML) are escaped, line
// breaks become spaces.
std::string escape_md(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': case '\r': out += ' '; break;
      case '\\': case '*': case '_': case '`': case '[': case ']': case '|': case '#':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

// The fewest decimals (up to 6) that write `x` exactly: 30 days, 0.5 days.
int decimals_of(double x) {
  for (int d = 0; d < 6; ++d)
    if (std::abs(x * std::pow(10.0, d) - std::round(x * std::pow(10.0, d))) < 1e-7) return d;
  return 6;
}

const char* const kCauses[] = {"blocked", "junction", "outage", "node"};
const char* const kCauseColours[] = {"#e69f00", "#d55e00", "#0072b2", "#cc79a7"};
const char* const kNetworkColours[] = {"#d55e00", "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9"};

/// A network of the document, with the JSON paths of its figures (the page
/// marks every number with the path it comes from).
struct Net {
  std::string name, description;
  json* overall = nullptr;
  json* econ = nullptr;
  std::string overall_path, econ_path;
  json* funnel = nullptr;  // null without traffic sources
  std::string funnel_path;
};

/// Network `net` minus the first one.
struct Diff {
  size_t net = 0;
  json* econ = nullptr;     // economics.differences[i]
  json* figures = nullptr;  // differences[i]
  std::string econ_path, path;
  json* funnel = nullptr;  // differences[i].funnel, when the networks have the same sources
};

struct Model {
  bool compare = false;
  std::vector<Net> nets;
  std::vector<Diff> diffs;
  json* economics = nullptr;
  std::string currency;  // "" without money
  double calls_per_month = 0;
  std::string version;
  json* doc = nullptr;
};

/// A sweep (sim sweep, one network or a comparison): every point read as
/// the run or comparison it is, with the place of each point on the chart.
struct Sweep {
  std::vector<std::string> params;  // the varied keys, as the document lists them
  bool zip = false;                 // the keys moved together (--zip)
  bool derived = false;             // the month's figures worked out here from the points' averages
  std::vector<Model> points;
  json* doc = nullptr;
};

class Reader {
 public:
  explicit Reader(std::string input) : input_(std::move(input)) {}
  json& at(json& j, const std::string& key, const std::string& path) const {
    if (!j.is_object() || !j.contains(key)) fail(path + (path.empty() ? "" : ".") + key, "missing");
    return j[key];
  }
  double number(json& j, const std::string& key, const std::string& path) const {
    json& v = at(j, key, path);
    if (!v.is_number()) fail(path + (path.empty() ? "" : ".") + key, "expected a number");
    return v.get<double>();
  }
  std::string string(json& j, const std::string& key, const std::string& path) const {
    json& v = at(j, key, path);
    if (!v.is_string()) fail(path + (path.empty() ? "" : ".") + key, "expected a string");
    return v.get<std::string>();
  }
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {} (expected the JSON of telsim sim compare, sim run or sim sweep)", input_, path, what));
  }

 private:
  std::string input_;
};

// A comparison's `differences` (or its economics'): one object per network
// after the first, else the reader fails naming `path`.
void check_differences(const Reader& r, json& diffs, size_t networks, const std::string& path) {
  if (!diffs.is_array() || diffs.size() + 1 != networks)
    r.fail(path, fmt::format("expected an array of {} (one per network after the first)", networks - 1));
  for (size_t i = 0; i < diffs.size(); ++i)
    if (!diffs[i].is_object()) r.fail(fmt::format("{}.{}", path, i), "expected an object");
}

// `pre` is the path of `doc` in the page's data ("points.3." for a point of a
// sweep): every number is marked with its full path.
Model read_model(json& doc, const std::string& input, const std::string& pre = "") {
  Reader r(input);
  const std::string here = pre.empty() ? "" : pre.substr(0, pre.size() - 1);  // "points.3"
  Model m;
  m.doc = &doc;
  std::string schema = doc.is_object() && doc.contains("schema") && doc["schema"].is_string() ? doc["schema"].get<std::string>() : "";
  if (schema.rfind("telsim.sim-compare/", 0) == 0) m.compare = true;
  else if (schema.empty() && !pre.empty()) m.compare = doc.contains("networks");  // a point of a sweep
  else if (schema.rfind("telsim.sim-run/", 0) != 0)
    throw InputError(fmt::format("{}: not the JSON of telsim sim compare, sim run or sim sweep (schema {})", input,
                                 quote_field(schema)));
  if (!doc.contains("economics"))
    throw InputError(fmt::format("{}: no economics in it: run sim compare (or sim run) with an [economics] table in "
                                 "the scenarios, with --call-value/--conversion-rate/--cost-per-lead and --currency, or "
                                 "with --economics; or give telsim report the scenario files",
                                 input));
  m.economics = &doc["economics"];
  m.version = doc.value("telsim_version", "");
  json& e = *m.economics;
  m.calls_per_month = r.number(e, "calls_per_month", pre + "economics");
  if (e.contains("currency") && e["currency"].is_string() && e.contains("value_per_lead") && e["value_per_lead"].is_number())
    m.currency = e["currency"].get<std::string>();
  r.number(doc, "replications", here);
  r.number(doc, "days", here);
  if (m.compare) {
    json& nets = r.at(doc, "networks", here);
    json& enets = r.at(e, "networks", pre + "economics");
    if (!nets.is_array() || nets.size() < 2) r.fail(pre + "networks", "expected an array of two networks or more");
    if (!enets.is_array() || nets.size() != enets.size())
      r.fail(pre + "economics.networks", "expected one entry per network");
    for (size_t i = 0; i < nets.size(); ++i) {
      if (!nets[i].is_object()) r.fail(pre + fmt::format("networks.{}", i), "expected an object");
      if (!enets[i].is_object()) r.fail(pre + fmt::format("economics.networks.{}", i), "expected an object");
      Net n;
      std::string p = pre + fmt::format("networks.{}", i);
      n.name = r.string(nets[i], "name", p);
      n.description = r.string(nets[i], "description", p);
      n.overall = &r.at(nets[i], "overall", p);
      n.overall_path = p + ".overall";
      n.econ = &enets[i];
      n.econ_path = pre + fmt::format("economics.networks.{}", i);
      if (nets[i].contains("funnel") && nets[i]["funnel"].is_object()) {
        n.funnel = &nets[i]["funnel"];
        n.funnel_path = p + ".funnel";
      }
      m.nets.push_back(n);
    }
    json& diffs = r.at(doc, "differences", here);
    json& ediffs = r.at(e, "differences", pre + "economics");
    check_differences(r, diffs, nets.size(), pre + "differences");
    check_differences(r, ediffs, nets.size(), pre + "economics.differences");
    for (size_t i = 0; i < ediffs.size() && i < diffs.size(); ++i) {
      Diff d;
      d.net = i + 1;
      d.econ = &ediffs[i];
      d.figures = &diffs[i];
      d.econ_path = pre + fmt::format("economics.differences.{}", i);
      d.path = pre + fmt::format("differences.{}", i);
      if (diffs[i].contains("funnel") && diffs[i]["funnel"].is_object()) d.funnel = &diffs[i]["funnel"];
      m.diffs.push_back(d);
    }
  } else {
    Net n;
    n.name = r.string(doc, "name", here);
    n.description = r.string(doc, "description", here);
    n.overall = &r.at(doc, "overall", here);
    n.overall_path = pre + "overall";
    n.econ = &e;
    n.econ_path = pre + "economics";
    if (doc.contains("funnel") && doc["funnel"].is_object()) {
      n.funnel = &doc["funnel"];
      n.funnel_path = pre + "funnel";
    }
    m.nets.push_back(n);
  }
  for (auto& n : m.nets) {
    for (const char* k : {"lost_calls_per_month", "lost_leads_per_month"}) r.number(r.at(*n.econ, k, n.econ_path), "mean", n.econ_path + "." + k);
    r.number(r.at(*n.overall, "availability", n.overall_path), "mean", n.overall_path + ".availability");
  }
  return m;
}

// JSON for a <script> element: no "<", ">" or "&" that could end it early.
std::string script_json(json& j) {
  std::string s = j.dump();
  std::string out;
  for (char c : s) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

// Where a figure shown on the page can lie (Page::own).
struct Bounds {
  double lo = -HUGE_VAL, hi = HUGE_VAL;
};

class Page {
 public:
  Page(const Model& m, const Options& o) : m_(m), o_(o), md_(o.markdown) {}
  /// The page of a sweep: `m` is its first point (networks, settings, prices).
  Page(const Model& m, const Sweep& sw, const Options& o) : m_(m), o_(o), md_(o.markdown), sw_(&sw), pre_("points.0.") {}

  std::string render();

 private:
  // ---- words and numbers ------------------------------------------------------
  std::string t(const std::string& key, const std::map<std::string, std::string>& args = {}) const {
    return text(o_.lang, key, args);
  }
  std::string esc(const std::string& s) const { return md_ ? escape_md(s) : escape_html(s); }
  std::string cur() const { return esc(m_.currency); }
  std::string format(double v, const std::string& f) const {
    Lang l = o_.lang;
    if (f == "int") return whole(v, l);
    if (f == "absint") return whole(std::abs(v), l);
    if (f == "money") return money(v, cur(), l);
    if (f == "absmoney") return money(std::abs(v), cur(), l);
    if (f == "per100") return decimal(100 * v, 1, l);
    if (f == "pct3") return percent(v, 3, l);
    if (f == "pct1") return percent(v, 1, l);
    if (f == "dec1") return decimal(v, 1, l);
    if (f == "auto") return decimal(v, decimals_of(v), l);
    throw std::logic_error("no number format " + f);
  }
  // A number shown on the page, marked (HTML) with the JSON path it comes from.
  // A value outside [lo, hi] is shown as the bound it passes, marked
  // data-bound with that bound (an interval end of a figure that cannot be
  // negative, or a share above 1; see Bounds).
  std::string num(const std::string& path, double v, const std::string& f, Bounds b = {}) const {
    double shown = std::clamp(v, b.lo, b.hi);
    std::string s = format(shown, f);
    if (md_) return s;
    if (shown != v)
      return fmt::format("<span class=\"num\" data-path=\"{}\" data-format=\"{}\" data-bound=\"{}\">{}</span>",
                         escape_html(path), f, shown, s);
    return fmt::format("<span class=\"num\" data-path=\"{}\" data-format=\"{}\">{}</span>", escape_html(path), f, s);
  }
  // `v` per 100 of `of` (the callers), marked with both paths.
  std::string per100(const std::string& path, double v, const std::string& of_path, double of, bool abs = false) const {
    std::string s = decimal((abs ? std::abs(100 * v) : 100 * v) / of, 1, o_.lang);
    if (md_) return s;
    return fmt::format("<span class=\"num\" data-path=\"{}\" data-format=\"{}\" data-of=\"{}\">{}</span>",
                       escape_html(path), abs ? "absof100" : "of100", escape_html(of_path), s);
  }
  static bool has(json& j, const std::string& key) { return j.contains(key) && j[key].is_object(); }
  static bool has_mean(json& est) { return est.is_object() && est.contains("mean") && est["mean"].is_number(); }
  // The mean of an estimate at `key` of `j`, marked.
  std::string mean(json& j, const std::string& key, const std::string& path, const std::string& f) const {
    return num(path + "." + key + ".mean", j[key]["mean"].get<double>(), f);
  }
  // Where a network's own figure can lie: a count, money or minutes are never
  // negative, a share is at most 1. The simulator's 95% interval is the mean
  // plus or minus its half-width and may pass these bounds (a rare outage in
  // a few runs: "833, 95% interval: -114 to 1,780" calls lost); the page
  // shows it cut at the bound, which holds the true value exactly when the
  // uncut interval does (docs/report.md). Differences have no bound.
  static Bounds own(const std::string& f) {
    return {0, f == "per100" || f == "pct1" || f == "pct3" ? 1.0 : HUGE_VAL};
  }
  // "95% interval: low to high" (and the range over uncertain inputs when the document has one).
  std::string interval(json& est, const std::string& path, std::string f, Bounds b = {}) const {
    if (f.rfind("abs", 0) == 0) f = f.substr(3);
    std::string s;
    if (est.contains("low") && est["low"].is_number() && est.contains("high") && est["high"].is_number())
      s = t("interval", {{"low", num(path + ".low", est["low"].get<double>(), f, b)},
                         {"high", num(path + ".high", est["high"].get<double>(), f, b)}});
    else
      s = t("no_interval");
    if (est.contains("range") && est["range"].is_object() && est["range"].contains("low") &&
        est["range"]["low"].is_number() && est["range"]["high"].is_number())
      s += "; " + t("range", {{"low", num(path + ".range.low", est["range"]["low"].get<double>(), f)},
                              {"high", num(path + ".range.high", est["range"]["high"].get<double>(), f)}});
    return s;
  }
  // A table cell: the mean, its interval under it (cut at `b`).
  // `signed`: a difference, whose gain shows its "+" as a loss shows its minus.
  std::string cell(json& j, const std::string& key, const std::string& path, const std::string& f,
                   Bounds b = {}, bool signed_ = false) const {
    if (!j.contains(key) || !has_mean(j[key])) return "—";
    std::string p = path + "." + key;
    double mean = j[key]["mean"].get<double>();
    // The "+" outside the marked number, which reads as the JSON value reads.
    std::string v = (signed_ && mean > 0 && format(mean, f).find_first_of("123456789") != std::string::npos ? "+" : "") +
                    num(p + ".mean", mean, f);
    std::string i = interval(j[key], p, f, b);
    return md_ ? v + " (" + i + ")" : v + "<br><small>" + i + "</small>";
  }
  // A network in a sentence: by its name, or by its label when another
  // network has the same name (a file compared with itself under --set B:...),
  // else "With erlang-b, ... than with erlang-b" would say nothing.
  std::string name(size_t i) const {
    for (size_t k = 0; k < m_.nets.size(); ++k)
      if (k != i && m_.nets[k].name == m_.nets[i].name) return label(i);
    return esc(m_.nets[i].name);
  }
  // A column or chart label: lettered in a comparison (two networks may share a name).
  std::string raw_label(size_t i) const {
    return m_.compare ? fmt::format("{}. {}", char('A' + i), m_.nets[i].name) : m_.nets[i].name;
  }
  std::string label(size_t i) const { return esc(raw_label(i)); }

  // ---- blocks -------------------------------------------------------------------
  std::string h(int level, const std::string& s) const {
    if (md_) return std::string(level, '#') + " " + s + "\n\n";
    return fmt::format("<h{0}>{1}</h{0}>\n", level, s);
  }
  std::string p(const std::string& s, const std::string& cls = "") const {
    if (md_) return s + "\n\n";
    return cls.empty() ? "<p>" + s + "</p>\n" : "<p class=\"" + cls + "\">" + s + "</p>\n";
  }
  std::string table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                    const std::string& cls = "", bool numbers = true) const {
    std::string s;
    if (md_) {
      s += "|";
      for (auto& c : head) s += " " + c + " |";
      s += "\n|";
      for (size_t i = 0; i < head.size(); ++i) s += i && numbers ? "---:|" : "---|";
      s += "\n";
      for (auto& r : rows) {
        s += "|";
        for (auto& c : r) s += " " + c + " |";
        s += "\n";
      }
      return s + "\n";
    }
    s += cls.empty() ? "<table>\n<thead><tr>" : "<table class=\"" + cls + "\">\n<thead><tr>";
    for (auto& c : head) s += "<th>" + c + "</th>";
    s += "</tr></thead>\n<tbody>\n";
    for (auto& r : rows) {
      s += "<tr>";
      for (size_t i = 0; i < r.size(); ++i) s += (i ? "<td>" : "<th scope=\"row\">") + r[i] + (i ? "</td>" : "</th>");
      s += "</tr>\n";
    }
    return s + "</tbody>\n</table>\n";
  }

  std::string headline() const;
  std::string big_numbers() const;
  std::string networks() const;
  std::string charts(json& specs) const;
  std::string funnel(json& specs) const;
  std::string funnel_group(json& g, const std::string& path, const std::string& title) const;
  std::string figures() const;
  std::string causes_table() const;
  std::string assumptions() const;
  std::string method() const;
  std::string value_text() const;
  std::string sweep_value_text() const;

  // ---- a sweep ------------------------------------------------------------------
  std::string param_words(const std::string& key) const;
  /// Whether the sweep's networks had their own traffic (sim sweep --allow-different-traffic).
  bool different_traffic() const {
    if (!sw_ || !sw_->doc->contains("inputs")) return false;
    json& in = (*sw_->doc)["inputs"];
    return in.is_object() && in.contains("allow_different_traffic") && in["allow_different_traffic"] == true;
  }
  /// The points where `of` is lowest and highest (the first of equals).
  std::pair<size_t, size_t> sweep_extremes(const std::function<double(const Model&)>& of) const {
    size_t lo = 0, hi = 0;
    for (size_t i = 1; i < sw_->points.size(); ++i) {
      if (of(sw_->points[i]) < of(sw_->points[lo])) lo = i;
      if (of(sw_->points[i]) > of(sw_->points[hi])) hi = i;
    }
    return {lo, hi};
  }
  /// The lowest and the highest of `of` over the sweep's points.
  std::pair<double, double> sweep_range(const std::function<double(const Model&)>& of) const {
    double lo = of(sw_->points[0]), hi = lo;
    for (auto& pt : sw_->points) lo = std::min(lo, of(pt)), hi = std::max(hi, of(pt));
    return {lo, hi};
  }
  // `raw`: plain text for the charts' JSON (Chart.js draws text, not HTML).
  std::string param_value(const std::string& key, json& v, bool raw = false) const;
  std::string point_label(size_t point, bool x, bool raw = false) const;  // the x-axis value or the series of a point
  void lay_out();
  std::string sweep_headline() const;
  std::string sweep_big_numbers() const;
  std::string sweep_charts(json& specs) const;
  std::string sweep_table() const;

  const Model& m_;
  const Options& o_;
  bool md_;
  const Sweep* sw_ = nullptr;
  std::string pre_;  // the path of the document m_ reads in the page's data
  // A sweep on the chart: the x values and the series (one per value of the
  // other keys of a grid), each point's place, and the points of a series by x.
  std::vector<std::string> xs_, series_;
  std::vector<std::string> raw_xs_, raw_series_;  // the same, unescaped (the charts' JSON)
  std::vector<size_t> x_of_, series_of_;
  std::vector<std::vector<long>> grid_;  // [series][x] -> point, -1 where none
};

std::string Page::headline() const {
  const Net& a = m_.nets[0];
  if (!m_.compare) {
    std::string s = t("headline_run", {{"a", name(0)}, {"calls", mean(*a.econ, "lost_calls_per_month", a.econ_path, "int")}});
    if (!m_.currency.empty())
      s += t("headline_money", {{"month", mean(*a.econ, "lost_revenue_per_month", a.econ_path, "money")},
                                {"year", mean(*a.econ, "lost_revenue_per_year", a.econ_path, "money")}});
    else
      s += t("headline_end");
    return s;
  }
  const Diff& d = m_.diffs.at(0);
  json& calls = (*d.econ)["lost_calls_per_month"];
  std::map<std::string, std::string> args = {{"a", name(0)}, {"b", name(d.net)}};
  bool within = calls.contains("low") && calls["low"].is_number() && calls["low"].get<double>() <= 0 &&
                calls["high"].get<double>() >= 0;
  if (within) return t("headline_same", args) + t("headline_end");
  double x = calls["mean"].get<double>();
  args["calls"] = mean(*d.econ, "lost_calls_per_month", d.econ_path, "absint");
  std::string s = t(x <= 0 ? "headline_fewer" : "headline_more", args);
  if (!m_.currency.empty())
    s += t("headline_money", {{"month", mean(*d.econ, "lost_revenue_per_month", d.econ_path, "absmoney")},
                              {"year", mean(*d.econ, "lost_revenue_per_year", d.econ_path, "absmoney")}});
  else
    s += t("headline_end");
  return s;
}

std::string Page::big_numbers() const {
  std::vector<std::pair<std::string, std::string>> big;  // value, label
  const Net& a = m_.nets[0];
  if (m_.compare) {
    const Diff& d = m_.diffs.at(0);
    const Net& b = m_.nets[d.net];
    std::string va = mean(*a.econ, "lost_calls_per_month", a.econ_path, "int");
    std::string vb = mean(*b.econ, "lost_calls_per_month", b.econ_path, "int");
    big.push_back({va, t("big_lost_with", {{"name", name(0)}, {"n", va}})});
    big.push_back({vb, t("big_lost_with", {{"name", name(d.net)}, {"n", vb}})});
    if (!m_.currency.empty()) {
      double x = (*d.econ)["lost_revenue_per_month"]["mean"].get<double>();
      big.push_back({mean(*d.econ, "lost_revenue_per_month", d.econ_path, "absmoney"),
                     t(x <= 0 ? "big_saved_month" : "big_extra_month", {{"b", name(d.net)}})});
    } else {
      std::string v = mean(*d.econ, "lost_calls_per_month", d.econ_path, "absint");
      bool more = (*d.econ)["lost_calls_per_month"]["mean"].get<double>() > 0;
      big.push_back({v, t(more ? "big_more_calls" : "big_fewer_calls", {{"b", name(d.net)}, {"n", v}})});
    }
  } else {
    std::string va = mean(*a.econ, "lost_calls_per_month", a.econ_path, "int");
    big.push_back({va, t("big_lost_with", {{"name", name(0)}, {"n", va}})});
    if (!m_.currency.empty()) {
      big.push_back({mean(*a.econ, "lost_revenue_per_month", a.econ_path, "money"), t("big_money_month")});
      big.push_back({mean(*a.econ, "lost_revenue_per_year", a.econ_path, "money"), t("big_money_year")});
    } else {
      std::string v = mean(*a.econ, "lost_leads_per_month", a.econ_path, "int");
      big.push_back({v, t("big_leads", {{"n", v}})});
    }
  }
  std::string s;
  if (md_) {
    for (auto& [v, l] : big) s += "- **" + v + "** " + l + "\n";
    return s + "\n";
  }
  s = "<section class=\"big\">\n";
  for (auto& [v, l] : big) s += "<div class=\"big-number\"><div class=\"value\">" + v + "</div><div class=\"label\">" + l + "</div></div>\n";
  return s + "</section>\n";
}

std::string Page::networks() const {
  std::string s = h(2, t("networks"));
  for (size_t i = 0; i < m_.nets.size(); ++i) {
    const Net& n = m_.nets[i];
    std::string title = m_.compare ? fmt::format("{}. {}", char('A' + i), esc(n.name)) : esc(n.name);
    if (md_) {
      s += "- **" + title + "**" + (n.description.empty() ? "" : ": " + esc(n.description)) + "\n";
      continue;
    }
    s += "<div class=\"network\">\n" + h(3, title);
    if (!n.description.empty()) s += p(esc(n.description));
    auto pic = o_.pictures.find(n.name);
    if (pic != o_.pictures.end())
      s += "<figure class=\"picture\">" + pic->second + "<figcaption>" + t("picture_caption") + "</figcaption></figure>\n";
    else
      s += "<!-- network picture: telsim sim graph -->\n<p class=\"picture missing\">" + t("picture_missing") + "</p>\n";
    s += "</div>\n";
  }
  return md_ ? s + "\n" : s;
}

std::string Page::charts(json& specs) const {
  std::string s = h(2, t("charts"));
  auto figure = [&](const std::string& id, const std::string& title, const std::string& note, const std::string& after) {
    if (md_) return h(3, title) + p(note) + after;
    return "<figure class=\"chart\">\n" + h(3, title) + "<canvas id=\"" + id + "\" width=\"680\" height=\"280\"></canvas>\n" +
           "<figcaption>" + note + "</figcaption>\n" + after + "</figure>\n";
  };
  json labels = json::array();
  for (size_t i = 0; i < m_.nets.size(); ++i) labels.push_back(raw_label(i));  // JSON: escaped for the script element

  // Lost calls by cause, stacked per network.
  {
    json c{{"id", "chart-causes"}, {"type", "bar"}, {"stacked", true}, {"legend", true}, {"labels", labels},
           {"y", text(o_.lang, "axis_calls")}, {"datasets", json::array()}};
    for (int k = 0; k < 4; ++k) {
      json data = json::array();
      for (auto& n : m_.nets) data.push_back((*n.econ)["lost_calls_per_month_by_cause"][kCauses[k]]["mean"]);
      c["datasets"].push_back({{"label", text(o_.lang, std::string("cause_") + kCauses[k])}, {"data", data},
                               {"backgroundColor", kCauseColours[k]}});
    }
    specs.push_back(c);
    s += figure("chart-causes", t("chart_causes"), t("chart_causes_note"), causes_table());
  }
  // Money lost a month.
  if (!m_.currency.empty()) {
    json data = json::array(), colours = json::array();
    for (size_t i = 0; i < m_.nets.size(); ++i) {
      data.push_back((*m_.nets[i].econ)["lost_revenue_per_month"]["mean"]);
      colours.push_back(kNetworkColours[i % 6]);
    }
    specs.push_back({{"id", "chart-money"}, {"type", "bar"}, {"stacked", false}, {"legend", false}, {"labels", labels},
                     {"y", text(o_.lang, "axis_money", {{"currency", m_.currency}})},
                     {"datasets", json::array({{{"label", text(o_.lang, "chart_money")}, {"data", data}, {"backgroundColor", colours}}})}});
    if (!md_) s += figure("chart-money", t("chart_money"), t("chart_money_note", {{"value", value_text()}}), "");
  }
  // Minutes unreachable a month.
  {
    json data = json::array(), colours = json::array();
    for (size_t i = 0; i < m_.nets.size(); ++i) {
      json& o = *m_.nets[i].overall;
      data.push_back(has(o, "unavailable_minutes_per_month") ? o["unavailable_minutes_per_month"]["mean"] : json(0));
      colours.push_back(kNetworkColours[i % 6]);
    }
    specs.push_back({{"id", "chart-unreachable"}, {"type", "bar"}, {"stacked", false}, {"legend", false},
                     {"labels", labels}, {"y", text(o_.lang, "axis_minutes")},
                     {"datasets", json::array({{{"label", text(o_.lang, "chart_unreachable")}, {"data", data},
                                                {"backgroundColor", colours}}})}});
    if (!md_) s += figure("chart-unreachable", t("chart_unreachable"), t("chart_unreachable_note"), "");
  }
  // Lost calls by hour of the day.
  bool hours = true;
  for (auto& n : m_.nets) hours = hours && n.econ->contains("lost_calls_per_month_by_hour") &&
                                  (*n.econ)["lost_calls_per_month_by_hour"].size() == 24;
  if (hours && !md_) {
    json hour_labels = json::array();
    for (int hr = 0; hr < 24; ++hr) hour_labels.push_back(fmt::format("{:02d}", hr));
    json c{{"id", "chart-hours"}, {"type", "line"}, {"stacked", false}, {"legend", true}, {"labels", hour_labels},
           {"y", text(o_.lang, "axis_calls")}, {"x", text(o_.lang, "axis_hour")}, {"datasets", json::array()}};
    for (size_t i = 0; i < m_.nets.size(); ++i) {
      json data = json::array();
      for (auto& e : (*m_.nets[i].econ)["lost_calls_per_month_by_hour"]) data.push_back(e["mean"]);
      c["datasets"].push_back({{"label", raw_label(i)}, {"data", data}, {"borderColor", kNetworkColours[i % 6]},
                               {"backgroundColor", kNetworkColours[i % 6]}});
    }
    specs.push_back(c);
    s += figure("chart-hours", t("chart_hours"), t("chart_hours_note"), "");
  }
  if (md_) s += p("*" + t("chart_data") + "*");
  return s;
}

namespace {

// The estimate at dotted `key` ("lost_in_network.total") of a FUNNEL, or null.
json* funnel_figure(json& g, const std::string& key) {
  json* j = &g;
  for (size_t at = 0; at <= key.size();) {
    size_t dot = std::min(key.find('.', at), key.size());
    std::string part = key.substr(at, dot - at);
    if (!j->is_object() || !j->contains(part)) return nullptr;
    j = &(*j)[part];
    at = dot + 1;
  }
  return j->is_object() && j->contains("mean") && (*j)["mean"].is_number() ? j : nullptr;
}

double funnel_mean(json& g, const std::string& key) {
  json* e = funnel_figure(g, key);
  return e ? (*e)["mean"].get<double>() : 0;
}

// The chart's segments: together they are every caller.
const char* const kFunnelSegments[] = {"lost_in_network.total", "missed_by_client.total", "answered_unattributed",
                                       "answered_attributed"};
const char* const kFunnelSegmentText[] = {"seg_lost", "seg_missed", "seg_answered_uncredited", "seg_answered"};
const char* const kFunnelColours[] = {"#d55e00", "#e69f00", "#56b4e9", "#009e73"};

}  // namespace

std::string Page::funnel_group(json& g, const std::string& path, const std::string& title) const {
  std::string head = md_ ? "**" + title + ":**" : "<strong>" + title + ":</strong>";
  double callers = funnel_mean(g, "callers");
  if (callers <= 0) return p(head + " " + t("funnel_no_callers"));
  std::string of = path + ".callers.mean";
  auto n = [&](const std::string& key) -> std::string {
    json* e = funnel_figure(g, key);
    if (!e) return "—";
    return per100(path + "." + key + ".mean", (*e)["mean"].get<double>(), of, callers);
  };
  std::vector<std::string> items = {
      t("funnel_lost", {{"n", n("lost_in_network.total")}}),
      t("funnel_uncredited", {{"n", n("unattributed.total")}, {"overflow", n("unattributed.overflow")},
                              {"expired", n("unattributed.expired")}, {"reused", n("unattributed.reused")}}),
      t("funnel_missed", {{"n", n("missed_by_client.total")}, {"busy", n("missed_by_client.busy")},
                          {"no_answer", n("missed_by_client.no_answer")},
                          {"out_of_hours", n("missed_by_client.out_of_hours")}, {"fallback", n("missed_by_client.fallback")}}),
      t("funnel_answered_uncredited", {{"n", n("answered_unattributed")}}),
      t("funnel_answered", {{"n", n("answered_attributed")}}),
  };
  std::string s = p(head);
  if (md_) {
    for (auto& i : items) s += "- " + i + "\n";
    return s + "\n";
  }
  s += "<ul class=\"funnel\">\n";
  for (auto& i : items) s += "<li>" + i + "</li>\n";
  return s + "</ul>\n";
}

std::string Page::funnel(json& specs) const {
  bool any = false;
  for (auto& n : m_.nets) any = any || n.funnel;
  if (!any) return "";
  auto source_label = [](json& src, const std::string& key) {
    return src.contains("label") && src["label"].is_string() ? src["label"].get<std::string>() : key;
  };
  json labels = json::array(), data[4];
  for (auto& d : data) d = json::array();
  auto bar = [&](json& g, const std::string& label) {
    double callers = funnel_mean(g, "callers");
    labels.push_back(label);
    for (int k = 0; k < 4; ++k) data[k].push_back(callers > 0 ? 100 * funnel_mean(g, kFunnelSegments[k]) / callers : 0.0);
  };
  std::string words;
  for (size_t i = 0; i < m_.nets.size(); ++i) {
    const Net& net = m_.nets[i];
    if (!net.funnel) continue;
    words += h(3, label(i));
    if (net.funnel->contains("overall")) {
      words += funnel_group((*net.funnel)["overall"], net.funnel_path + ".overall", t("funnel_all"));
      bar((*net.funnel)["overall"], text(o_.lang, "bar_all", {{"network", raw_label(i)}}));
    }
    if (net.funnel->contains("sources") && (*net.funnel)["sources"].is_object())
      for (auto& item : (*net.funnel)["sources"].items()) {
        const std::string& key = item.key();
        json& src = item.value();
        std::string l = source_label(src, key);
        words += funnel_group(src, net.funnel_path + ".sources." + key, t("funnel_source", {{"label", esc(l)}}));
        bar(src, text(o_.lang, "bar_source", {{"network", raw_label(i)}, {"label", l}}));
      }
  }
  // The difference: answered and credited, per 100 callers of the first
  // network (the same callers reach every network).
  const Net& a = m_.nets[0];
  for (auto& d : m_.diffs) {
    if (!d.funnel || !a.funnel) continue;
    std::string dpath = d.path + ".funnel";
    std::string sentences;
    auto sentence = [&](json& diff, const std::string& path, json& base, const std::string& base_path,
                        const std::string& who) {
      json* x = funnel_figure(diff, "answered_attributed");
      double callers = funnel_mean(base, "callers");
      if (!x || callers <= 0) return;
      double v = (*x)["mean"].get<double>();
      std::map<std::string, std::string> args = {{"a", name(0)}, {"b", name(d.net)}, {"who", who}};
      std::string shown = decimal(std::abs(100 * v) / callers, 1, o_.lang);
      bool same = shown.find_first_not_of("0.,") == std::string::npos;
      if (!same) args["n"] = per100(path + ".answered_attributed.mean", v, base_path + ".callers.mean", callers, true);
      sentences += p(t(same ? "funnel_diff_same" : v > 0 ? "funnel_diff_more" : "funnel_diff_fewer", args));
    };
    if (d.funnel->contains("overall") && a.funnel->contains("overall"))
      sentence((*d.funnel)["overall"], dpath + ".overall", (*a.funnel)["overall"], a.funnel_path + ".overall",
               t("funnel_who_all"));
    if (d.funnel->contains("sources") && a.funnel->contains("sources") && (*a.funnel)["sources"].is_object())
      for (auto& item : (*d.funnel)["sources"].items()) {
        const std::string& key = item.key();
        json& src = item.value();
        if (!(*a.funnel)["sources"].contains(key)) continue;
        json& base = (*a.funnel)["sources"][key];
        sentence(src, dpath + ".sources." + key, base, a.funnel_path + ".sources." + key,
                 t("funnel_who_source", {{"label", esc(source_label(base, key))}}));
      }
    if (!sentences.empty()) words += h(3, t("difference", {{"a", label(0)}, {"b", label(d.net)}})) + sentences;
  }
  std::string s = h(2, t("funnel")) + p(t("funnel_intro"));
  if (!md_) {
    json c{{"id", "chart-funnel"}, {"labels", labels}, {"x", text(o_.lang, "axis_of100")}, {"datasets", json::array()}};
    for (int k = 0; k < 4; ++k)
      c["datasets"].push_back({{"label", text(o_.lang, kFunnelSegmentText[k])}, {"data", data[k]},
                               {"backgroundColor", kFunnelColours[k]}});
    specs.push_back(c);
    s += fmt::format("<figure class=\"chart\">\n{}<canvas id=\"chart-funnel\" width=\"680\" height=\"{}\"></canvas>\n"
                     "<figcaption>{}</figcaption>\n</figure>\n",
                     h(3, t("chart_funnel")), 90 + 30 * labels.size(), t("chart_funnel_note"));
  }
  return s + words;
}

std::string Page::causes_table() const {
  std::vector<std::string> head = {t("cause")};
  for (size_t i = 0; i < m_.nets.size(); ++i) head.push_back(label(i));
  std::vector<std::vector<std::string>> rows;
  for (int k = 0; k < 4; ++k) {
    std::vector<std::string> row = {t(std::string("cause_") + kCauses[k])};
    for (auto& n : m_.nets)
      row.push_back(mean((*n.econ)["lost_calls_per_month_by_cause"], kCauses[k], n.econ_path + ".lost_calls_per_month_by_cause", "int"));
    rows.push_back(row);
  }
  return table(head, rows, "small");
}

std::string Page::figures() const {
  std::string s = h(2, t("figures"));
  std::vector<std::string> head = {t("figure")};
  for (size_t i = 0; i < m_.nets.size(); ++i) head.push_back(label(i));
  for (auto& d : m_.diffs) head.push_back(t("difference", {{"a", label(0)}, {"b", label(d.net)}}));
  std::vector<std::vector<std::string>> rows;
  struct Row {
    const char* label;
    bool econ;  // from economics (else from the overall group)
    const char* key;
    const char* format;
    bool money;
  };
  const Row spec[] = {
      {"row_lost_calls", true, "lost_calls_per_month", "int", false},
      {"row_lost_leads", true, "lost_leads_per_month", "int", false},
      {"row_money_month", true, "lost_revenue_per_month", "money", true},
      {"row_money_year", true, "lost_revenue_per_year", "money", true},
      {"row_delivered", false, "completion_ratio", "per100", false},
      {"row_more_calls", false, "more_calls_ratio", "per100", false},
      {"row_availability", false, "availability", "pct3", false},
      {"row_unreachable", false, "unavailable_minutes_per_month", "dec1", false},
  };
  for (auto& r : spec) {
    if (r.money && m_.currency.empty()) continue;
    std::vector<std::string> row = {t(r.label)};
    bool difference_only = std::string(r.key) == "more_calls_ratio";  // sim compare's headline figure
    if (difference_only && m_.diffs.empty()) continue;
    for (auto& n : m_.nets)
      row.push_back(difference_only ? "—"
                    : r.econ        ? cell(*n.econ, r.key, n.econ_path, r.format, own(r.format))
                                    : cell(*n.overall, r.key, n.overall_path, r.format, own(r.format)));
    for (auto& d : m_.diffs) {
      if (std::string(r.key) == "availability") row.push_back("—");  // the minutes say it in words people use
      else row.push_back(r.econ ? cell(*d.econ, r.key, d.econ_path, r.format, {}, true)
                                : cell(*d.figures, r.key, d.path, r.format, {}, true));
    }
    rows.push_back(row);
  }
  return s + p(t("figures_note")) + table(head, rows);
}

std::string Page::value_text() const {
  json& e = *m_.economics;
  if (m_.currency.empty()) return t("a_value_none");
  std::string basis = e.value("value_basis", "");
  std::string v = num(pre_ + "economics.value_per_lead", e["value_per_lead"].get<double>(), "money");
  if (basis == "conversion" && e["conversion_rate"].is_number() && e["order_value"].is_number())
    return t("a_value_conversion", {{"value", v},
                                    {"rate", num(pre_ + "economics.conversion_rate", e["conversion_rate"].get<double>(), "pct1")},
                                    {"order", num(pre_ + "economics.order_value", e["order_value"].get<double>(), "money")}});
  if (basis == "cost_per_lead") return t("a_value_lead", {{"value", v}});
  return t("a_value_call", {{"value", v}});
}

// A sweep's value of a caller: the first point's words, or its range when
// the sweep moves it (`--vary economics.order_value=...`): one point's price
// would be wrong for the others.
std::string Page::sweep_value_text() const {
  if (!sw_ || m_.currency.empty()) return value_text();
  // A point without a price of its own (currency empty) takes no part.
  auto value = [](const Model& m) {
    return m.currency.empty() ? std::nan("") : (*m.economics)["value_per_lead"].get<double>();
  };
  auto [lo, hi] = sweep_extremes(value);
  // Values that differ by less than a unit read the same: one value.
  if (format(value(sw_->points[lo]), "money") == format(value(sw_->points[hi]), "money")) return value_text();
  auto at = [&](size_t i) {
    return num(fmt::format("points.{}.economics.value_per_lead", i), value(sw_->points[i]), "money");
  };
  return t("a_from_to", {{"from", at(lo)}, {"to", at(hi)}});
}

std::string Page::assumptions() const {
  json& e = *m_.economics;
  json& d = *m_.doc;
  std::string from = e.value("calls_per_month_from", "simulated");
  std::string source = e.contains("source") && e["source"].is_string() ? e["source"].get<std::string>() : "";
  std::string calls_src = from == "option" ? t("src_option") : from == "scenario" ? t("src_scenario") : t("src_simulated");
  if (from == "scenario" && !source.empty()) calls_src += ": " + esc(source);
  std::string value_src = source.empty() ? t("src_scenario") : esc(source);
  if (source == "command line") value_src = t("src_option");
  // A swept price: its range, from the sweep's settings (the scenario's
  // `source` names the price it was written with).
  std::string value = sweep_value_text();
  if (value != value_text()) value_src = t("src_settings");
  std::vector<std::vector<std::string>> rows = {
      {t("a_calls"), num(pre_ + "economics.calls_per_month", m_.calls_per_month, "int"), calls_src},
      {t("a_value"), value, m_.currency.empty() ? "—" : value_src},
      {t("a_simulation"),
       t("a_simulation_value", {{"runs", num(pre_ + "replications", d["replications"].get<double>(), "int")},
                                {"days", num(pre_ + "days", d["days"].get<double>(), "auto")},
                                {"warmup", num(pre_ + "warmup_days", d.value("warmup_days", 0.0), "auto")},
                                {"seed", esc(d.contains("seed") ? d["seed"].dump() : "")}}),
       t("src_settings")},
      {t("a_month"), t("a_month_value"), t("src_convention")},
      {t("a_network"), t("a_network_value"), t("src_telsim")},
  };
  if (sw_) {
    // The first point's calls a month and days, unless they move along the sweep.
    auto at = [&](size_t i, const std::string& path, double v, const char* f) {
      return num(fmt::format("points.{}.{}", i, path), v, f);
    };
    auto [clo, chi] = sweep_extremes([](const Model& m) { return m.calls_per_month; });
    if (clo != chi)
      rows[0][1] = t("a_from_to", {{"from", at(clo, "economics.calls_per_month", sw_->points[clo].calls_per_month, "int")},
                                   {"to", at(chi, "economics.calls_per_month", sw_->points[chi].calls_per_month, "int")}});
    auto days = [](const Model& m) { return (*m.doc)["days"].get<double>(); };
    auto [dlo, dhi] = sweep_extremes(days);
    if (dlo != dhi)
      rows[2][1] += t("a_days_varied", {{"from", at(dlo, "days", days(sw_->points[dlo]), "auto")},
                                        {"to", at(dhi, "days", days(sw_->points[dhi]), "auto")}});
    // What the sweep varied, each key from its first value to its last.
    for (size_t k = 0; k < sw_->params.size(); ++k) {
      const std::string& key = sw_->params[k];
      std::vector<std::string> values;
      for (auto& pt : sw_->points) {
        std::string v = param_value(key, (*pt.doc)["parameters"][key]);
        if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
      }
      std::string n = whole(static_cast<double>(values.size()), o_.lang);
      rows.insert(rows.begin() + 2 + static_cast<long>(k),
                  {t("a_varied", {{"param", esc(param_words(key))}}),
                   t("a_varied_value", {{"from", values.front()}, {"to", values.back()}, {"n", n}}), t("src_settings")});
    }
  }
  return h(2, t("assumptions")) + table({t("what"), t("value"), t("source")}, rows, "assumptions", false);
}

std::string Page::method() const {
  json& d = *m_.doc;
  std::map<std::string, std::string> args = {{"runs", whole(d["replications"].get<double>(), o_.lang)},
                                             {"days", decimal(d["days"].get<double>(), decimals_of(d["days"].get<double>()), o_.lang)},
                                             {"calls", whole(m_.calls_per_month, o_.lang)}};
  std::string s = h(2, t("method")) + p(t("method_1")) +
                  p(t(sw_ ? (m_.compare ? (different_traffic() ? "method_2_sweep_compare_traffic" : "method_2_sweep_compare")
                                        : "method_2_sweep_run")
                          : m_.compare ? "method_2_compare" : "method_2_run",
                      args));
  if (sw_ && sw_->derived) s += p(t("method_sweep_month"));
  if (sw_ && sw_->derived && different_traffic()) s += p(t("method_sweep_approximate"));
  if (sw_) {
    // The sentence above gives the first point's days and calls a month: say what moves along the sweep.
    std::vector<std::string> what;
    auto [d0, d1] = sweep_range([](const Model& m) { return (*m.doc)["days"].get<double>(); });
    if (d0 != d1)
      what.push_back(t("varies_days", {{"from", decimal(d0, decimals_of(d0), o_.lang)},
                                       {"to", decimal(d1, decimals_of(d1), o_.lang)}}));
    auto [c0, c1] = sweep_range([](const Model& m) { return m.calls_per_month; });
    if (c0 != c1) what.push_back(t("varies_calls", {{"from", whole(c0, o_.lang)}, {"to", whole(c1, o_.lang)}}));
    for (auto& k : sw_->params)
      if (k.size() > 14 && k.compare(k.size() - 14, 14, ".calls_per_day") == 0)
        what.push_back(t("varies_callers", {{"param", esc(param_words(k))}}));
    if (!what.empty()) s += p(t("method_sweep_varies", {{"what", cli::join_list(what, t("and"))}}));
  }
  s += p(t("method_3"));
  if (d.contains("uncertainty") && d["uncertainty"].contains("inputs") && d["uncertainty"]["inputs"].is_array()) {
    std::string inputs;
    for (auto& in : d["uncertainty"]["inputs"])
      if (in.contains("input") && in["input"].is_string()) inputs += (inputs.empty() ? "" : ", ") + esc(in["input"].get<std::string>());
    s += p(t("method_range", {{"inputs", inputs}}));
  }
  return s;
}

// ---- a sweep ------------------------------------------------------------------

// The varied key in words: "hops.transit2-small" is the share of calls a
// hand-over passes; NETWORK: in front names the one network it was set in.
std::string Page::param_words(const std::string& full) const {
  std::string key = full, network;
  if (auto colon = key.find(':'); colon != std::string::npos) {
    std::string target = key.substr(0, colon);
    key = key.substr(colon + 1);
    network = target;
    for (size_t i = 0; i < m_.nets.size(); ++i)
      if (target == std::string(1, char('A' + i)) || target == std::to_string(i + 1)) network = m_.nets[i].name;
  }
  auto parts = [&] {
    std::vector<std::string> v;
    for (size_t at = 0; at <= key.size();) {
      size_t dot = std::min(key.find('.', at), key.size());
      v.push_back(key.substr(at, dot - at));
      at = dot + 1;
    }
    return v;
  }();
  std::string words;
  if (parts.size() == 2 && parts[0] == "hops") words = text(o_.lang, "param_hop", {{"name", parts[1]}});
  else if (parts.size() == 3 && parts[0] == "interconnects" && parts[2] == "channels")
    words = text(o_.lang, "param_channels", {{"name", parts[1]}});
  else if (parts.size() == 3 && parts[0] == "interconnects" && parts[2] == "completion")
    words = text(o_.lang, "param_completion", {{"name", parts[1]}});
  else if (parts.size() == 3 && parts[0] == "streams" && parts[2] == "calls_per_day")
    words = text(o_.lang, "param_calls_per_day", {{"name", parts[1]}});
  else if (parts.size() == 2 && parts[0] == "economics" &&
           (parts[1] == "calls_per_month" || parts[1] == "call_value" || parts[1] == "conversion_rate" ||
            parts[1] == "order_value" || parts[1] == "cost_per_lead"))
    words = text(o_.lang, "param_" + parts[1]);  // a price: the words of the assumptions
  else
    words = text(o_.lang, "param_other", {{"name", key}});
  return network.empty() ? words : text(o_.lang, "param_in_network", {{"param", words}, {"network", network}});
}

namespace {
bool ends_with(const std::string& key, std::string_view tail) {
  return key.size() >= tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0;
}
bool is_share(const std::string& key) {
  return key.find("hops.") != std::string::npos || ends_with(key, ".completion") || ends_with(key, "_ratio") ||
         ends_with(key, "_share") || ends_with(key, "economics.conversion_rate");
}
// A varied amount of money ([economics]): written with the currency.
bool is_price(const std::string& key) {
  return ends_with(key, "economics.order_value") || ends_with(key, "economics.call_value") ||
         ends_with(key, "economics.cost_per_lead");
}
}  // namespace

// A varied value as people write it: a share as a percentage (0.975 -> 97.5%).
std::string Page::param_value(const std::string& key, json& v, bool raw) const {
  if (v.is_number()) {
    double x = v.get<double>();
    if (is_share(key) && x >= 0 && x <= 1) return percent(x, decimals_of(100 * x), o_.lang);
    // Exactly, as other values: 12.5 and 17.5 must not both read "13".
    if (is_price(key) && !m_.currency.empty())
      return decimal(x, decimals_of(x), o_.lang) + "\u00a0" + (raw ? m_.currency : cur());
    return decimal(x, decimals_of(x), o_.lang);
  }
  std::string plain = v.is_string() ? v.get<std::string>() : v.dump();
  return raw ? plain : esc(plain);
}

// On the chart: x is the last key (it changes fastest in a grid) or, with
// --zip, all keys together; the other keys of a grid make the series.
std::string Page::point_label(size_t point, bool x, bool raw) const {
  json& values = (*sw_->points[point].doc)["parameters"];
  std::string s;
  size_t n = sw_->params.size();
  for (size_t k = 0; k < n; ++k) {
    bool on_x = sw_->zip || k + 1 == n;
    if (on_x != x) continue;
    const std::string& key = sw_->params[k];
    std::string v = param_value(key, values[key], raw);
    if (x) s += (s.empty() ? "" : " / ") + v;
    else s += (s.empty() ? "" : ", ") + (raw ? param_words(key) : esc(param_words(key))) + ": " + v;
  }
  return s;
}

void Page::lay_out() {
  for (size_t i = 0; i < sw_->points.size(); ++i) {
    std::string x = point_label(i, true), series = point_label(i, false);
    auto xi = std::find(xs_.begin(), xs_.end(), x);
    if (xi == xs_.end()) {
      xi = xs_.insert(xs_.end(), x);
      raw_xs_.push_back(point_label(i, true, true));
    }
    auto si = std::find(series_.begin(), series_.end(), series);
    if (si == series_.end()) {
      si = series_.insert(series_.end(), series);
      raw_series_.push_back(point_label(i, false, true));
    }
    x_of_.push_back(static_cast<size_t>(xi - xs_.begin()));
    series_of_.push_back(static_cast<size_t>(si - series_.begin()));
  }
  grid_.assign(series_.size(), std::vector<long>(xs_.size(), -1));
  for (size_t i = 0; i < sw_->points.size(); ++i) grid_[series_of_[i]][x_of_[i]] = static_cast<long>(i);
}

std::string Page::sweep_headline() const {
  // Along the first series, from its first value to its last.
  const auto& row = grid_[0];
  long first = -1, last = -1;
  for (long p : row)
    if (p >= 0) {
      if (first < 0) first = p;
      last = p;
    }
  const Model& a = sw_->points[static_cast<size_t>(first)];
  const Model& b = sw_->points[static_cast<size_t>(last)];
  std::string params;
  int params_on_x = 0;
  for (size_t k = 0; k < sw_->params.size(); ++k)
    if (sw_->zip || k + 1 == sw_->params.size()) {
      params += (params.empty() ? "" : o_.lang == Lang::kRu ? " и " : " and ") + esc(param_words(sw_->params[k]));
      ++params_on_x;
    }
  std::string s;
  for (size_t i = 0; i < m_.nets.size(); ++i) {
    json& ea = (*a.nets[i].econ)["lost_calls_per_month"];
    json& eb = (*b.nets[i].econ)["lost_calls_per_month"];
    std::map<std::string, std::string> args = {
        {"name", name(i)}, {"param", params}, {"goes", t(params_on_x > 1 ? "goes_many" : "goes_one")},
        {"a", point_label(static_cast<size_t>(first), true)},
        {"b", point_label(static_cast<size_t>(last), true)},
        {"from", mean(*a.nets[i].econ, "lost_calls_per_month", a.nets[i].econ_path, "int")},
        {"to", mean(*b.nets[i].econ, "lost_calls_per_month", b.nets[i].econ_path, "int")}};
    // Up or down as the figures shown say. The ends' 95% intervals may
    // overlap, yet every point has the same callers (common random numbers),
    // so the change is the varied value's: no marginal test is made here.
    double x = std::round(ea["mean"].get<double>()), y = std::round(eb["mean"].get<double>());
    std::string how = x == y ? "flat" : y > x ? "grow" : "fall";
    if (how == "flat") args["calls"] = args["from"];
    s += t(std::string(i == 0 ? "sweep_first_" : "sweep_next_") + how, args);
  }
  s += t("headline_end");
  if (m_.compare && !m_.currency.empty()) {
    const Diff& da = a.diffs.at(0);
    const Diff& db = b.diffs.at(0);
    double x = (*da.econ)["lost_revenue_per_month"]["mean"].get<double>();
    double y = (*db.econ)["lost_revenue_per_month"]["mean"].get<double>();
    bool same_sign = (x < 0 && y < 0) || (x > 0 && y > 0);
    std::string f = same_sign ? "absmoney" : "money";
    s += " " + t(!same_sign ? "sweep_money_mixed" : x < 0 ? "sweep_money_saved" : "sweep_money_extra",
                 {{"a", name(0)}, {"b", name(da.net)},
                  {"from", mean(*da.econ, "lost_revenue_per_month", da.econ_path, f)},
                  {"to", mean(*db.econ, "lost_revenue_per_month", db.econ_path, f)}});
  }
  if (series_.size() > 1) s += " " + t("sweep_grid_note", {{"series", series_[0]}});
  return s;
}

std::string Page::sweep_big_numbers() const {
  std::vector<std::pair<std::string, std::string>> big;
  const auto& row = grid_[0];
  long first = -1, last = -1;
  for (long p : row)
    if (p >= 0) {
      if (first < 0) first = p;
      last = p;
    }
  const Model& a = sw_->points[static_cast<size_t>(first)];
  const Model& b = sw_->points[static_cast<size_t>(last)];
  std::string arrow = " \u2192 ";
  std::map<std::string, std::string> range = {{"a", point_label(static_cast<size_t>(first), true)},
                                               {"b", point_label(static_cast<size_t>(last), true)}};
  for (size_t i = 0; i < m_.nets.size() && i < 2; ++i) {
    std::string to = mean(*b.nets[i].econ, "lost_calls_per_month", b.nets[i].econ_path, "int");
    auto args = range;
    args["name"] = name(i);
    args["to"] = to;
    big.push_back({mean(*a.nets[i].econ, "lost_calls_per_month", a.nets[i].econ_path, "int") + arrow + to,
                   t("big_sweep_lost", args)});
  }
  if (m_.compare && !m_.currency.empty()) {
    const Diff& da = a.diffs.at(0);
    const Diff& db = b.diffs.at(0);
    double x = (*da.econ)["lost_revenue_per_month"]["mean"].get<double>();
    double y = (*db.econ)["lost_revenue_per_month"]["mean"].get<double>();
    bool same_sign = (x < 0 && y < 0) || (x > 0 && y > 0);
    std::string f = same_sign ? "absmoney" : "money";
    auto args = range;
    args["b"] = name(da.net);
    args["x"] = range["b"];
    args["x0"] = range["a"];
    args["a"] = name(0);
    big.push_back({mean(*da.econ, "lost_revenue_per_month", da.econ_path, f) + arrow +
                       mean(*db.econ, "lost_revenue_per_month", db.econ_path, f),
                   t(!same_sign ? "big_sweep_money_mixed" : x < 0 ? "big_sweep_saved" : "big_sweep_extra", args)});
  } else if (!m_.compare && !m_.currency.empty()) {
    big.push_back({mean(*a.nets[0].econ, "lost_revenue_per_month", a.nets[0].econ_path, "money") + arrow +
                       mean(*b.nets[0].econ, "lost_revenue_per_month", b.nets[0].econ_path, "money"),
                   t("big_sweep_money", range)});
  }
  std::string s;
  if (md_) {
    for (auto& [v, l] : big) s += "- **" + v + "** " + l + "\n";
    return s + "\n";
  }
  // Two figures and an arrow: smaller, and wrapped where a box is too narrow
  // (an inline style: the other pages keep their bytes).
  s = "<section class=\"big\">\n";
  for (auto& [v, l] : big)
    s += "<div class=\"big-number\"><div class=\"value\" style=\"font-size: 19px; white-space: normal\">" + v +
         "</div><div class=\"label\">" + l + "</div></div>\n";
  return s + "</section>\n";
}

std::string Page::sweep_charts(json& specs) const {
  if (md_) return "";
  std::string x_title;
  for (size_t k = 0; k < sw_->params.size(); ++k)
    if (sw_->zip || k + 1 == sw_->params.size())
      x_title += (x_title.empty() ? "" : " / ") + param_words(sw_->params[k]);
  json labels = json::array();
  for (auto& x : raw_xs_) labels.push_back(x);  // JSON: escaped for the script element
  // One line per network (and series of a grid) with its 95% band.
  auto chart = [&](const std::string& id, const std::string& y, const std::string& title, const std::string& note,
                   const std::function<json*(const Model&, size_t)>& pick, size_t lines) {
    json c{{"id", id}, {"labels", labels}, {"x", x_title}, {"y", y}, {"datasets", json::array()}};
    bool difference = id == "chart-sweep-difference";
    for (size_t i = 0; i < lines; ++i)
      for (size_t sr = 0; sr < series_.size(); ++sr) {
        // A network keeps its colour on every chart (a difference: the later network's).
        size_t colour = ((difference ? i + 1 : i) * series_.size() + sr);
        json mean = json::array(), low = json::array(), high = json::array();
        for (long p : grid_[sr]) {
          json* e = p >= 0 ? pick(sw_->points[static_cast<size_t>(p)], i) : nullptr;
          auto get = [&](const char* k) { return e && e->contains(k) ? (*e)[k] : json(nullptr); };
          mean.push_back(get("mean"));
          // A network's band stops at zero, as its interval in the table does.
          json lo = get("low");
          if (!difference && lo.is_number() && lo.get<double>() < 0) lo = 0;
          low.push_back(lo);
          high.push_back(get("high"));
        }
        std::string colour_hex = kNetworkColours[colour % 6];
        std::string name = difference
                               ? text(o_.lang, "difference", {{"a", raw_label(0)}, {"b", raw_label(i + 1)}})
                               : raw_label(i);
        if (series_.size() > 1) name += ", " + raw_series_[sr];
        c["datasets"].push_back({{"label", name}, {"band", true}, {"data", low}, {"borderWidth", 0},
                                 {"pointRadius", 0}, {"fill", false}});
        c["datasets"].push_back({{"label", name}, {"band", true}, {"data", high}, {"borderWidth", 0},
                                 {"pointRadius", 0}, {"fill", "-1"}, {"backgroundColor", colour_hex + "33"}});
        c["datasets"].push_back({{"label", name}, {"data", mean}, {"borderColor", colour_hex},
                                 {"backgroundColor", colour_hex}, {"fill", false}});
      }
    specs.push_back(c);
    return "<figure class=\"chart\">\n" + h(3, title) + "<canvas id=\"" + id + "\" width=\"680\" height=\"300\"></canvas>\n" +
           "<figcaption>" + note + "</figcaption>\n</figure>\n";
  };
  std::string s = h(2, t("sweep_charts"));
  s += chart("chart-sweep-calls", text(o_.lang, "axis_calls"), t("chart_sweep_calls"), t("chart_sweep_note"),
             [](const Model& m, size_t i) { return &(*m.nets[i].econ)["lost_calls_per_month"]; }, m_.nets.size());
  if (!m_.currency.empty())
    s += chart("chart-sweep-money", text(o_.lang, "axis_money", {{"currency", m_.currency}}), t("chart_sweep_money"),
               t("chart_money_note", {{"value", sweep_value_text()}}),
               [](const Model& m, size_t i) { return &(*m.nets[i].econ)["lost_revenue_per_month"]; }, m_.nets.size());
  if (m_.compare)
    s += chart("chart-sweep-difference", text(o_.lang, "axis_calls"), t("chart_sweep_difference"),
               t("chart_sweep_difference_note", {{"a", name(0)}}),
               [](const Model& m, size_t i) { return &(*m.diffs[i].econ)["lost_calls_per_month"]; }, m_.diffs.size());
  return s;
}

std::string Page::sweep_table() const {
  std::vector<std::string> head;
  // One key: named in the subtitle and on the charts' axis, so the column is just "Value".
  for (auto& k : sw_->params) head.push_back(sw_->params.size() == 1 ? t("value") : esc(param_words(k)));
  for (size_t i = 0; i < m_.nets.size(); ++i) head.push_back(t("col_lost", {{"name", label(i)}}));
  if (!m_.currency.empty())
    for (size_t i = 0; i < m_.nets.size(); ++i) head.push_back(t("col_money", {{"name", label(i)}}));
  for (auto& d : m_.diffs) {
    std::string who = t("difference", {{"a", label(0)}, {"b", label(d.net)}});
    head.push_back(t("col_diff_lost", {{"who", who}}));
    if (!m_.currency.empty()) head.push_back(t("col_diff_money", {{"who", who}}));
  }
  std::vector<std::vector<std::string>> rows;
  for (auto& pt : sw_->points) {
    std::vector<std::string> row;
    for (auto& k : sw_->params) row.push_back(param_value(k, (*pt.doc)["parameters"][k]));
    for (auto& n : pt.nets) row.push_back(cell(*n.econ, "lost_calls_per_month", n.econ_path, "int", own("int")));
    if (!m_.currency.empty())
      for (auto& n : pt.nets)
        row.push_back(cell(*n.econ, "lost_revenue_per_month", n.econ_path, "money", own("money")));
    for (auto& d : pt.diffs) {
      row.push_back(cell(*d.econ, "lost_calls_per_month", d.econ_path, "int"));
      if (!m_.currency.empty()) row.push_back(cell(*d.econ, "lost_revenue_per_month", d.econ_path, "money"));
    }
    rows.push_back(row);
  }
  return h(2, t("sweep_table")) + p(t("sweep_table_note")) + table(head, rows);
}

const char* kStyle = R"CSS(
:root { --ink: #1b1b1b; --muted: #5a5a5a; --line: #d0d0d0; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 760px; padding: 24px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 2px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 14px; }
.headline { font-size: 19px; font-weight: bold; margin: 12px 0 16px; }
.big { display: flex; gap: 12px; margin: 8px 0 12px; }
.big-number { flex: 1; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.big-number .value { font-size: 26px; font-weight: bold; color: var(--accent); white-space: nowrap; }
.big-number .label { color: var(--muted); font-size: 13px; }
.network { border-left: 4px solid var(--line); padding-left: 10px; margin: 8px 0; }
.picture svg { max-width: 100%; height: auto; }
.missing { color: var(--muted); font-style: italic; border: 1px dashed var(--line); padding: 6px; }
figure { margin: 12px 0 18px; }
figcaption { color: var(--muted); font-size: 13px; }
canvas { max-width: 100%; height: auto !important; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; vertical-align: top; }
th:first-child, td:first-child, th[scope=row] { text-align: left; }
table.small { width: auto; }
table.assumptions td { text-align: left; }
small { color: var(--muted); }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, table, .big, .network { break-inside: avoid; }
  .big-number .value { font-size: 20pt; }
  canvas { height: 56mm !important; width: auto !important; }
  figure { margin: 6px 0 10px; }
}
)CSS";

const char* kChartCode = R"JS(
(function () {
  var data = JSON.parse(document.getElementById("telsim-data").textContent);
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
  data.charts.forEach(function (c) {
    var canvas = document.getElementById(c.id);
    if (!canvas) return;
    var scales = {
      x: { stacked: c.stacked, title: { display: !!c.x, text: c.x || "" } },
      y: { stacked: c.stacked, beginAtZero: true, title: { display: true, text: c.y } }
    };
    new Chart(canvas, {
      type: c.type,
      data: { labels: c.labels, datasets: c.datasets },
      options: { responsive: false, animation: false, devicePixelRatio: 2, locale: data.locale,
                 plugins: { legend: { display: c.legend } }, scales: scales }
    });
  });
})();
)JS";

// Stacked horizontal bars (the funnel: each bar is 100 callers). A script of
// its own, written only when the page has such a chart, so that pages without
// a funnel keep their bytes.
const char* kHorizontalChartCode = R"JS(
(function () {
  var data = JSON.parse(document.getElementById("telsim-data").textContent);
  if (typeof Chart === "undefined" || !data.horizontal_charts) return;
  data.horizontal_charts.forEach(function (c) {
    var canvas = document.getElementById(c.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: c.labels, datasets: c.datasets },
      options: { indexAxis: "y", responsive: false, animation: false, devicePixelRatio: 2, locale: data.locale,
                 plugins: { legend: { display: true } },
                 scales: { x: { stacked: true, beginAtZero: true, max: 100, title: { display: true, text: c.x } },
                           y: { stacked: true } } }
    });
  });
})();
)JS";

// Lines against the varied value, each with its 95% interval as a band (two
// datasets marked `band`, kept out of the legend). A script of its own, written
// only on a sweep's page, so that other pages keep their bytes.
const char* kSweepChartCode = R"JS(
(function () {
  var data = JSON.parse(document.getElementById("telsim-data").textContent);
  if (typeof Chart === "undefined" || !data.sweep_charts) return;
  data.sweep_charts.forEach(function (c) {
    var canvas = document.getElementById(c.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: { labels: c.labels, datasets: c.datasets },
      options: { responsive: false, animation: false, devicePixelRatio: 2, locale: data.locale,
                 plugins: { legend: { display: true, labels: { filter: function (item, d) {
                   return !d.datasets[item.datasetIndex].band; } } } },
                 scales: { x: { title: { display: true, text: c.x } },
                           y: { beginAtZero: true, title: { display: true, text: c.y } } } }
    });
  });
})();
)JS";

std::string Page::render() {
  std::vector<std::string> names;
  std::string list;
  for (size_t i = 0; i < m_.nets.size(); ++i) list += (i ? (i + 1 == m_.nets.size() ? (o_.lang == Lang::kRu ? " и " : " and ") : ", ") : "") + name(i);
  std::string subtitle = m_.compare ? t("subtitle_compare", {{"networks", list}}) : t("subtitle_run", {{"network", list}});
  json specs = json::array();
  json funnel_specs = json::array(), sweep_specs = json::array();
  std::string body;
  body += h(1, t("title"));
  if (sw_) {
    lay_out();
    std::string params;
    for (auto& k : sw_->params) params += (params.empty() ? "" : o_.lang == Lang::kRu ? " и " : " and ") + esc(param_words(k));
    body += p(t(m_.compare ? (different_traffic() ? "subtitle_sweep_compare_traffic" : "subtitle_sweep_compare")
                           : "subtitle_sweep_run", {{"networks", list}, {"params", params}}),
              "subtitle");
    body += p(sweep_headline(), "headline");
    body += sweep_big_numbers();
    body += networks();
    body += sweep_charts(sweep_specs);
    body += sweep_table();
  } else {
    body += p(subtitle, "subtitle");
    body += p(headline(), "headline");
    body += big_numbers();
    body += networks();
    body += charts(specs);
    body += funnel(funnel_specs);
    body += figures();
  }
  body += assumptions();
  body += method();
  // The HTML page's footer says that its charts' data is in the file; a
  // Markdown report has no charts, so it says only what made it.
  std::string footer = t(md_ ? "footer_md" : "footer", {{"version", esc(m_.version)}});
  if (md_) return body + "---\n\n" + footer + "\n";

  json data;
  data["lang"] = lang_code(o_.lang);
  data["locale"] = o_.lang == Lang::kRu ? "ru-RU" : "en-US";
  data["charts"] = specs;
  if (!funnel_specs.empty()) data["horizontal_charts"] = funnel_specs;
  if (!sweep_specs.empty()) data["sweep_charts"] = sweep_specs;
  data["input"] = sw_ ? *sw_->doc : *m_.doc;
  std::string s;
  s += "<!DOCTYPE html>\n<html lang=\"" + std::string(lang_code(o_.lang)) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing outside this file is ever loaded: no fetch, no font, no image.
  s += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
       "style-src 'unsafe-inline'; img-src data:\">\n";
  s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  s += "<title>" + t("title") + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  s += body;
  s += "<footer>" + footer + "</footer>\n";
  s += "<script type=\"application/json\" id=\"telsim-data\">" + script_json(data) + "</script>\n";
  s += "<script>\n" + o_.chart_js + "\n</script>\n";
  s += "<script>" + std::string(kChartCode) + "</script>\n";
  if (!funnel_specs.empty()) s += "<script>" + std::string(kHorizontalChartCode) + "</script>\n";
  if (!sweep_specs.empty()) s += "<script>" + std::string(kSweepChartCode) + "</script>\n";
  s += "</body>\n</html>\n";
  return s;
}

// `sim compare --uncertain` reports, per difference metric, its range over
// runs with inputs at the ends of their ranges (the `uncertainty` object).
// The same callers feed every run, so each month's figure scales from the
// simulated difference as the nominal run's does: the economics differences
// get a `range` {low, high} scaled by that factor.
void add_ranges(json& doc) {
  if (!doc.contains("uncertainty") || !doc.contains("economics") || !doc.contains("differences")) return;
  json& u = doc["uncertainty"];
  if (!u.contains("differences") || !u["differences"].is_array()) return;
  json& ed = doc["economics"]["differences"];
  json& dd = doc["differences"];
  for (size_t i = 0; i < u["differences"].size() && i < ed.size() && i < dd.size(); ++i) {
    json metrics = u["differences"][i].value("metrics", json::object());
    auto ranged = [&](const char* econ_key, const char* metric) {
      if (!metrics.contains(metric) || !ed[i].contains(econ_key) || !dd[i].contains(metric)) return;
      json& m = metrics[metric];
      json& nominal = dd[i][metric]["mean"];
      json& econ = ed[i][econ_key]["mean"];
      if (!m.contains("low") || !m["low"].is_number() || !m.contains("high") || !m["high"].is_number() ||
          !nominal.is_number() || !econ.is_number() || nominal.get<double>() == 0)
        return;
      double k = econ.get<double>() / nominal.get<double>();
      double a = m["low"].get<double>() * k, b = m["high"].get<double>() * k;
      ed[i][econ_key]["range"] = {{"low", std::min(a, b)}, {"high", std::max(a, b)}};
    };
    ranged("lost_calls_per_month", "lost");
    ranged("lost_leads_per_month", "callers_lost");
    ranged("lost_revenue_per_month", "callers_lost");
    ranged("lost_revenue_per_year", "callers_lost");
  }
}

// `sim sweep` writes each point's figures but no `economics`: the month's
// figures of each point are worked out here from the point's averages, with
// the pricing in the document's top-level `economics` (telsim report puts the
// scenarios' [economics] and the options there). Each count is scaled by the
// prospect's calls a month over the point's simulated callers (the first
// network's: every network gets the same callers), its interval with it;
// money is the lost leads times the value of a lead. A point that has its
// own `economics` keeps it. Returns whether any point was worked out here.
bool derive_sweep_economics(json& doc, const std::string& input) {
  if (!doc.contains("points") || !doc["points"].is_array()) return false;
  bool derived = false;
  Reader r(input);
  for (size_t i = 0; i < doc["points"].size(); ++i) {
    json& pt = doc["points"][i];
    if (!pt.is_object()) r.fail(fmt::format("points.{}", i), "expected an object");
    if (pt.contains("economics")) continue;
    if (!doc.contains("economics") || !doc["economics"].is_object())
      throw InputError(fmt::format("{}: a sweep without prices: telsim report gives it the scenarios' [economics] or "
                                   "the options (--calls-per-month, --call-value, --currency, ...)", input));
    json& pricing = doc["economics"];
    std::string pre = fmt::format("points.{}", i);
    bool compare = pt.contains("networks");
    std::vector<json*> nets;
    if (compare) {
      if (!pt["networks"].is_array() || pt["networks"].size() < 2)
        r.fail(pre + ".networks", "expected an array of two networks or more");
      for (size_t n = 0; n < pt["networks"].size(); ++n) {
        if (!pt["networks"][n].is_object()) r.fail(fmt::format("{}.networks.{}", pre, n), "expected an object");
        nets.push_back(&pt["networks"][n]);
      }
    } else {
      nets.push_back(&pt);
    }
    auto callers = [&](json& n, const std::string& path) {
      return r.number(r.at(r.at(r.at(n, "overall", path), "callers", path + ".overall"), "offered", path + ".overall.callers"),
                      "mean", path + ".overall.callers.offered");
    };
    double base = callers(*nets[0], compare ? pre + ".networks.0" : pre);
    double days = r.number(pt, "days", pre);
    double volume = pricing.contains("calls_per_month") && pricing["calls_per_month"].is_number()
                        ? pricing["calls_per_month"].get<double>()
                        : (days > 0 ? base / days * 30 : 0);
    std::optional<double> value;
    if (pricing.contains("value_per_lead") && pricing["value_per_lead"].is_number())
      value = pricing["value_per_lead"].get<double>();
    auto scale = [](const json& est, double k) {
      json out = json::object();
      for (const char* key : {"mean", "ci95", "low", "high"})
        out[key] = est.is_object() && est.contains(key) && est[key].is_number() ? json(est[key].get<double>() * k)
                                                                                : json(nullptr);
      return out;
    };
    auto money = [&](json& j, json leads) {  // a copy: j grows
      j["lost_revenue_per_month"] = scale(leads, value ? *value : 0);
      j["lost_revenue_per_year"] = scale(leads, value ? *value * 12 : 0);
      if (!value) j["lost_revenue_per_month"] = j["lost_revenue_per_year"] = scale(json(nullptr), 0);
    };
    auto figures = [&](json& n, const std::string& path, double k) {
      json& o = r.at(n, "overall", path);
      json j;
      j["lost_calls_per_month"] = scale(r.at(o, "lost", path + ".overall"), k);
      j["lost_calls_per_month_by_cause"] = json::object();
      for (const char* c : kCauses)
        j["lost_calls_per_month_by_cause"][c] =
            scale(o.contains("lost_by_cause") && o["lost_by_cause"].contains(c) ? o["lost_by_cause"][c] : json(nullptr), k);
      j["lost_leads_per_month"] = scale(r.at(o["callers"], "lost", path + ".overall.callers"), k);
      money(j, j["lost_leads_per_month"]);
      return j;
    };
    json e = pricing;
    e["calls_per_month"] = volume;
    // Networks with their own traffic (--allow-different-traffic) have
    // their own callers, hence their own scale factors.
    const bool different_traffic = compare && doc.contains("inputs") && doc["inputs"].is_object() &&
                                   doc["inputs"].contains("allow_different_traffic") &&
                                   doc["inputs"]["allow_different_traffic"] == true;
    double k0 = base > 0 ? volume / base : 0;
    if (compare) {
      e["networks"] = json::array();
      for (size_t n = 0; n < nets.size(); ++n) {
        std::string path = fmt::format("{}.networks.{}", pre, n);
        double c = callers(*nets[n], path);
        json j = {{"label", nets[n]->value("label", std::string(1, char('A' + n)))}, {"name", nets[n]->value("name", "")}};
        json f = figures(*nets[n], path, c > 0 ? volume / c : 0);
        for (auto& [k, v] : f.items()) j[k] = v;
        e["networks"].push_back(j);
      }
      e["differences"] = json::array();
      json& diffs = r.at(pt, "differences", pre);
      check_differences(r, diffs, nets.size(), pre + ".differences");
      for (size_t d = 0; d < diffs.size(); ++d) {
        std::string path = fmt::format("{}.differences.{}", pre, d);
        json j = {{"label", diffs[d].value("label", "")}, {"name", diffs[d].value("name", "")},
                  {"baseline", diffs[d].value("baseline", "")}};
        if (different_traffic) {
          // Each network scaled by its own callers: the mean is k_B lost_B -
          // k_A lost_A. The paired interval of the document does not scale
          // to that; the networks' own scaled intervals, added as if
          // independent, stand in for it (marked approximate).
          for (const char* key : {"lost_calls_per_month", "lost_leads_per_month"}) {
            json& a = e["networks"][0][key];
            json& b = e["networks"][d + 1][key];
            json x = {{"mean", nullptr}, {"ci95", nullptr}, {"low", nullptr}, {"high", nullptr}};
            if (a["mean"].is_number() && b["mean"].is_number()) {
              double mean = b["mean"].get<double>() - a["mean"].get<double>();
              x["mean"] = mean;
              if (a["ci95"].is_number() && b["ci95"].is_number()) {
                double ci = std::hypot(a["ci95"].get<double>(), b["ci95"].get<double>());
                x = {{"mean", mean}, {"ci95", ci}, {"low", mean - ci}, {"high", mean + ci}};
              }
            }
            j[key] = x;
          }
          j["interval"] = "approximate";
        } else {
          j["lost_calls_per_month"] = scale(r.at(diffs[d], "lost", path), k0);
          j["lost_leads_per_month"] = scale(r.at(diffs[d], "callers_lost", path), k0);
        }
        money(j, j["lost_leads_per_month"]);
        e["differences"].push_back(j);
      }
    } else {
      json f = figures(pt, pre, k0);
      for (auto& [k, v] : f.items()) e[k] = v;
    }
    pt["economics"] = e;
    derived = true;
  }
  return derived;
}

}  // namespace

bool is_sweep(const json& doc) {
  if (!doc.is_object() || !doc.contains("schema") || !doc["schema"].is_string()) return false;
  std::string schema = doc["schema"].get<std::string>();
  return schema.rfind("telsim.sim-sweep/", 0) == 0 || schema.rfind("telsim.sim-sweep-compare/", 0) == 0;
}

std::string render(const nlohmann::ordered_json& input_doc, const std::string& input, const Options& options) {
  json doc = input_doc;
  if (is_sweep(doc)) {
    Sweep sw;
    sw.doc = &doc;
    sw.derived = derive_sweep_economics(doc, input);
    Reader r(input);
    json& params = r.at(doc, "parameters", "");
    json& points = r.at(doc, "points", "");
    if (!params.is_array() || !points.is_array() || points.empty()) r.fail("points", "expected one entry per point");
    for (auto& k : params)
      if (k.is_string()) sw.params.push_back(k.get<std::string>());
    sw.zip = doc.contains("inputs") && doc["inputs"].is_object() && doc["inputs"].value("zip", false);
    for (size_t i = 0; i < points.size(); ++i) {
      std::string pre = fmt::format("points.{}.", i);
      if (!points[i].contains("parameters") || !points[i]["parameters"].is_object())
        r.fail(pre + "parameters", "missing");
      for (auto& k : sw.params)
        if (!points[i]["parameters"].contains(k)) r.fail(pre + "parameters." + cut_field(k), "missing");
      sw.points.push_back(read_model(points[i], input, pre));
      sw.points.back().version = doc.value("telsim_version", "");
      if (sw.points.back().nets.size() != sw.points[0].nets.size()) r.fail(pre + "networks", "not the networks of the first point");
    }
    Page page(sw.points[0], sw, options);
    return page.render();
  }
  add_ranges(doc);
  Model m = read_model(doc, input);
  Page page(m, options);
  return page.render();
}

}  // namespace telsim::report
