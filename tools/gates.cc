#include "tools/gates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/base/error.h"
#include "core/base/quote.h"

namespace telsim::gates {
namespace {

using json = nlohmann::ordered_json;

const char* kOps[] = {"<=", ">=", "==", "!=", "<", ">"};  // two-character ones first

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Every path that names a number or null in `j`, for suggestions.
void leaf_paths(const json& j, const std::string& prefix, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) leaf_paths(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array() && j.size() == 1) {
    leaf_paths(j[0], prefix, out);  // resolve() steps into a one-element array by itself
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) leaf_paths(j[i], prefix + "." + std::to_string(i), out);
  } else if (j.is_number() || j.is_null()) {
    out.push_back(prefix);
  }
}

// The edit distance between `a` and `b` when it is below `cutoff`;
// otherwise some value >= cutoff (the work stops as soon as every way on is
// that far). Two rows reused across calls through `prev` and `cur`.
size_t distance(const std::string& a, const std::string& b, size_t cutoff, std::vector<size_t>& prev,
                std::vector<size_t>& cur) {
  size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap >= cutoff) return gap;  // it takes at least that many insertions
  prev.resize(b.size() + 1);
  cur.resize(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t d = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      if (prev[j] + 1 < d) d = prev[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      cur[j] = d;
      if (d < row_min) row_min = d;
    }
    if (row_min >= cutoff) return row_min;  // no later row gets below its row's minimum
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The edit distance between `p` (at most 64 bytes) and `t`, computed a
// column of the table at a time in the bits of two words (Myers 1999, in
// Hyyrö's form for the distance between whole strings): the same figure as
// distance(), without the table (a misspelt gate is compared with every path
// of the output, and a long one made that quadratic cost noticeable).
size_t distance_bits(const std::string& p, const std::string& t) {
  const size_t m = p.size();
  if (m == 0) return t.size();
  uint64_t peq[256] = {};
  for (size_t i = 0; i < m; ++i) peq[static_cast<unsigned char>(p[i])] |= uint64_t{1} << i;
  const uint64_t top = uint64_t{1} << (m - 1);
  uint64_t pv = m == 64 ? ~uint64_t{0} : (uint64_t{1} << m) - 1, mv = 0;
  size_t score = m;
  for (unsigned char c : t) {
    uint64_t eq = peq[c];
    uint64_t xv = eq | mv;
    uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    if (ph & top) ++score;
    else if (mh & top) --score;
    ph = (ph << 1) | 1;  // the first row of the table grows by one a column
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

std::string nearest(const std::string& path, const json& doc) {
  std::vector<std::string> all;
  leaf_paths(doc, "", all);
  // The five nearest, ties in the document's order: a path is kept when it
  // is strictly nearer than the fifth kept so far (an equal one comes later
  // in the document, so the kept one wins the tie), which is also the cutoff
  // that lets distance() stop early on paths that cannot make it.
  constexpr size_t kShown = 5;
  std::vector<std::pair<size_t, size_t>> by_distance;  // (distance, index in all), nearest first
  std::vector<size_t> prev, cur;
  for (size_t i = 0; i < all.size(); ++i) {
    size_t cutoff = by_distance.size() < kShown ? SIZE_MAX : by_distance.back().first;
    const std::string& other = all[i];
    size_t d = path.size() <= 64    ? distance_bits(path, other)
               : other.size() <= 64 ? distance_bits(other, path)
                                    : distance(path, other, cutoff, prev, cur);
    if (d >= cutoff) continue;
    auto at = std::upper_bound(by_distance.begin(), by_distance.end(), d,
                               [](size_t x, const std::pair<size_t, size_t>& e) { return x < e.first; });
    by_distance.insert(at, {d, i});
    if (by_distance.size() > kShown) by_distance.pop_back();
  }
  std::string out;
  for (size_t i = 0; i < by_distance.size() && i < 5; ++i) out += "\n  " + all[by_distance[i].second];
  return out;
}

// The node `path` names; a non-numeric step into an array of one element
// goes into that element (`differences.completed.mean` with two networks).
const json* resolve(const json& doc, const std::string& path) {
  const json* at = &doc;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (at->is_array() && is_index(part)) {
      size_t i = std::strtoul(part.c_str(), nullptr, 10);
      if (i >= at->size()) return nullptr;
      at = &(*at)[i];
    } else {
      if (at->is_array() && at->size() == 1) at = &(*at)[0];
      if (!at->is_object() || !at->contains(part)) return nullptr;
      at = &(*at)[part];
    }
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
}

bool holds(double v, const std::string& op, double t) {
  if (op == "<") return v < t;
  if (op == "<=") return v <= t;
  if (op == ">") return v > t;
  if (op == ">=") return v >= t;
  if (op == "==") return v == t;
  return v != t;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string value_text(const Result& r) { return r.value ? fmt::format("{:.6g}", *r.value) : "null (not estimated)"; }

}  // namespace

Gate parse(const std::string& text, const std::string& origin) {
  // A TOML string can hold a NUL byte ("\u0000"); a message quoting it
  // would end there, so say so before anything else.
  if (size_t nul = text.find('\0'); nul != std::string::npos)
    throw InputError(fmt::format("{} {}: a NUL byte at byte {} (expected PATH OP NUMBER)", origin,
                                 quote_field(text.substr(0, nul)), nul + 1));
  for (const char* op : kOps) {
    size_t at = text.find(op);
    if (at == std::string::npos) continue;
    Gate g;
    g.text = text;
    g.origin = origin;
    g.op = op;
    g.path = trim(text.substr(0, at));
    std::string num = trim(text.substr(at + std::string(op).size()));
    char* end = nullptr;
    g.threshold = std::strtod(num.c_str(), &end);
    if (g.path.empty() || g.path.find(' ') != std::string::npos)
      throw InputError(
          fmt::format("{} {}: expected PATH OP NUMBER, with PATH a dotted path such as "
                      "overall.completion_ratio.mean",
                      origin, quote_field(text)));
    // The whole text must be the number: strtod stops at a NUL byte, which a
    // TOML string can hold ("\u0000"), and what follows it must not be ignored.
    if (num.empty() || end != num.c_str() + num.size() || !std::isfinite(g.threshold))
      throw InputError(fmt::format("{} {}: {} is not a finite number", origin, quote_field(text), quote_field(num)));
    return g;
  }
  throw InputError(
      fmt::format("{} {}: expected PATH OP NUMBER with OP one of < <= > >= == !=", origin, quote_field(text)));
}

std::vector<Result> evaluate(const std::vector<Gate>& gates, const nlohmann::ordered_json& doc) {
  std::vector<Result> out;
  for (auto& g : gates) {
    const json* v = resolve(doc, g.path);
    if (!v || !(v->is_number() || v->is_null()))
      throw InputError(fmt::format("{} {}: {} in the output; nearest paths:{}", g.origin, quote_field(g.text),
                                   v ? quote_field(g.path) + " is not a number" : "no " + quote_field(g.path),
                                   nearest(g.path, doc)));
    Result r;
    r.gate = g;
    if (v->is_number()) r.value = v->get<double>();
    // The gate states the failing condition; an unknown value cannot show it does not hold.
    r.failed = !r.value || holds(*r.value, g.op, g.threshold);
    out.push_back(r);
  }
  return out;
}

nlohmann::ordered_json to_json(const std::vector<Result>& results) {
  json a = json::array();
  for (auto& r : results) {
    json g;
    g["fail_if"] = r.gate.text;
    g["path"] = r.gate.path;
    g["op"] = r.gate.op;
    g["threshold"] = r.gate.threshold;
    g["value"] = r.value ? json(*r.value) : json(nullptr);
    g["passed"] = !r.failed;
    g["origin"] = r.gate.origin;
    a.push_back(g);
  }
  return a;
}

std::string to_text(const std::vector<Result>& results) {
  std::string out;
  for (auto& r : results)
    out += fmt::format("telsim: gate {} fail if {}: {} is {}\n", r.failed ? "✗ FAILED" : "✓ passed",
                       cut_field(r.gate.text), cut_field(r.gate.path), value_text(r));
  return out;
}

std::string to_junit(const std::vector<Result>& results, const std::string& suite) {
  size_t failures = std::count_if(results.begin(), results.end(), [](const Result& r) { return r.failed; });
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites tests=\"{}\" failures=\"{}\">\n", results.size(), failures);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", xml_escape(suite),
                     results.size(), failures);
  for (auto& r : results) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"fail if {}\">", xml_escape(suite), xml_escape(r.gate.text));
    if (r.failed)
      out += fmt::format("\n      <failure message=\"{} is {}\">{} ({}): {} is {}</failure>\n    ",
                         xml_escape(r.gate.path), xml_escape(value_text(r)), xml_escape(r.gate.text),
                         xml_escape(r.gate.origin), xml_escape(r.gate.path), xml_escape(value_text(r)));
    out += "</testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

bool any_failed(const std::vector<Result>& results) {
  return std::any_of(results.begin(), results.end(), [](const Result& r) { return r.failed; });
}

}  // namespace telsim::gates
