#include "core/net/forwarding_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/quote.h"
#include "core/base/toml_reader.h"

namespace telsim {

namespace {

constexpr double kDay = 86400;
constexpr int64_t kMaxLines = 100;
const char* const kWeekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "HH:MM" (00:00 .. 24:00) to seconds since midnight; -1 when malformed.
double parse_clock(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return -1;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 3600.0 + m * 60.0;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// `key` as one value for every line or an array of one value per line;
// `check` returns "" or what is wrong with a value.
template <typename Check>
std::vector<double> per_line(TomlReader& r, const std::string& key, size_t n, std::optional<double> def,
                             Check check) {
  std::vector<double> out;
  const toml::node* node = r.has(key) ? r.node(key) : nullptr;
  if (node && node->is_array()) {
    for (auto& e : *node->as_array()) {
      if (auto v = e.value_exact<double>()) out.push_back(*v);
      else if (auto i = e.value_exact<int64_t>()) out.push_back(static_cast<double>(*i));
      else r.fail(key, "expected a number or an array of numbers, one per line");
    }
    if (out.size() != n)
      r.fail(key, fmt::format("an array needs one value per line ({}), got {}", n, out.size()));
  } else {
    out.assign(n, r.number(key, def));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    std::string what = check(out[i]);
    if (!what.empty()) r.fail(key, n > 1 && node && node->is_array() ? fmt::format("line {}: {}", i + 1, what) : what);
  }
  return out;
}

std::string probability(double v) {
  return v >= 0 && v <= 1 ? "" : fmt::format("probability {} is outside [0, 1]", v);
}

std::string seconds_up_to_a_day(double v) {
  if (!(v > 0)) return fmt::format("must be positive, got {}", v);
  if (v > kDay) return fmt::format("at most {:g} seconds (a day), got {:g}", kDay, v);
  return "";
}

double seconds(TomlReader& r, const std::string& key, double def) {
  double v = r.number(key, def);
  std::string what = seconds_up_to_a_day(v);
  if (!what.empty()) r.fail(key, what);
  return v;
}

Duration::Kind distribution(TomlReader& r) {
  std::string d = r.choice("answer_distribution", {"exponential", "lognormal", "deterministic"}, "exponential");
  if (d == "lognormal") return Duration::Kind::kLognormal;
  if (d == "deterministic") return Duration::Kind::kDeterministic;
  return Duration::Kind::kExponential;
}

OfficeHours read_hours(TomlReader& r) {
  OfficeHours h;
  const std::string day = r.choice("first_weekday", {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "thu");
  h.first_weekday = static_cast<int>(std::find(kWeekdays, kWeekdays + 7, day) - kWeekdays);
  const toml::table* t = r.table("hours");
  if (!t) return h;
  h.always_open = false;
  TomlReader hr(*t, r.key_path("hours"), r.file());
  for (int d = 0; d < 7; ++d) {
    if (!hr.has(kWeekdays[d])) continue;  // a day not listed is closed
    std::string why;
    if (!parse_day_hours(hr.string(kWeekdays[d]), &h.open[d], &why)) hr.fail(kWeekdays[d], why);
  }
  hr.finish();
  return h;
}

ForwardingFallback read_fallback(TomlReader& r) {
  ForwardingFallback f;
  std::string kind = r.choice("kind", {"voicemail", "mobile"});
  if (kind == "voicemail") {
    f.kind = ForwardingFallback::Kind::kVoicemail;
    f.answer = r.probability("answer", 1.0);
    for (const char* k : {"mean_answer_seconds", "ring_seconds"})
      if (r.has(k)) r.fail(k, "a voicemail picks up at once: only a mobile fallback rings");
  } else {
    f.kind = ForwardingFallback::Kind::kMobile;
    f.answer = r.probability("answer");
    f.answer_time.kind = Duration::Kind::kExponential;
    f.answer_time.mean = seconds(r, "mean_answer_seconds", 10);
    f.ring_seconds = seconds(r, "ring_seconds", 30);
  }
  r.finish();
  return f;
}

}  // namespace

int OfficeHours::weekday(double t) const {
  const double day = std::floor(t / kDay);
  return static_cast<int>(std::fmod(first_weekday + std::fmod(day, 7.0) + 7.0, 7.0));
}

bool OfficeHours::is_open(double t) const {
  if (always_open) return true;
  const double s = t - std::floor(t / kDay) * kDay;
  for (auto& [from, to] : open[weekday(t)])
    if (s >= from && s < to) return true;
  return false;
}

bool parse_day_hours(const std::string& text, std::vector<std::pair<double, double>>* out, std::string* why) {
  out->clear();
  const std::string all = trim(text);
  if (all == "closed") return true;
  size_t start = 0;
  while (true) {
    size_t comma = all.find(',', start);
    std::string range = trim(all.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    size_t dash = range.find('-');
    double from = dash == std::string::npos ? -1 : parse_clock(trim(range.substr(0, dash)));
    double to = dash == std::string::npos ? -1 : parse_clock(trim(range.substr(dash + 1)));
    if (from < 0 || to < 0) {
      *why =
          fmt::format("expected \"closed\" or \"HH:MM-HH:MM\" ranges separated by commas, got {}", quote_field(text));
      return false;
    }
    if (to <= from) {
      *why = fmt::format("{} closes before it opens (a range past midnight is two ranges, one on each day)",
                         quote_field(range));
      return false;
    }
    out->emplace_back(from, to);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::sort(out->begin(), out->end());
  for (size_t i = 1; i < out->size(); ++i)
    if ((*out)[i].first < (*out)[i - 1].second) {
      *why = fmt::format("ranges overlap in {}", quote_field(text));
      return false;
    }
  return true;
}

ForwardingConfig read_forwarding(TomlReader& r) {
  ForwardingConfig c;
  c.scheme = r.choice("scheme", {"sequential", "parallel"}, "sequential") == "parallel"
                 ? ForwardingConfig::Scheme::kParallel
                 : ForwardingConfig::Scheme::kSequential;
  const int64_t n = r.integer("lines", 1);
  if (n < 1 || n > kMaxLines) r.fail("lines", fmt::format("must be between 1 and {}, got {}", kMaxLines, n));
  const size_t lines = static_cast<size_t>(n);
  const Duration::Kind kind = distribution(r);
  auto answer = per_line(r, "answer", lines, 1.0, probability);
  auto mean = per_line(r, "mean_answer_seconds", lines, 10.0, seconds_up_to_a_day);
  std::vector<double> sd(lines, 0);
  if (kind == Duration::Kind::kLognormal) sd = per_line(r, "sd_answer_seconds", lines, std::nullopt, seconds_up_to_a_day);
  else if (r.has("sd_answer_seconds"))
    r.fail("sd_answer_seconds", "only a lognormal answer_distribution takes a standard deviation");
  auto ring = per_line(r, "ring_seconds", lines, 20.0, seconds_up_to_a_day);
  c.lines.resize(lines);
  for (size_t i = 0; i < lines; ++i) {
    c.lines[i].answer = answer[i];
    c.lines[i].answer_time = Duration{kind, mean[i], sd[i]};
    c.lines[i].ring_seconds = ring[i];
  }
  c.total_ring_seconds = seconds(r, "total_ring_seconds", 60);
  c.hours = read_hours(r);
  if (const toml::table* f = r.table("fallback")) {
    TomlReader fr(*f, r.key_path("fallback"), r.file());
    c.fallback = read_fallback(fr);
  }
  r.finish();
  return c;
}

}  // namespace telsim
