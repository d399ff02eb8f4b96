#include "core/cdr/cdr_calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/stats.h"

namespace telsim {

namespace {

constexpr double kZ = 1.959963984540054;

// Wilson's interval for k successes in n trials: it stays inside [0, 1]
// and is honest for shares near 0 or 1 (completion 0.99x), where the
// normal approximation is not.
Estimate share(int64_t k, int64_t n, std::string how) {
  Estimate e;
  e.n = n;
  e.how = std::move(how);
  if (n <= 0) return e;
  e.known = true;
  const double p = static_cast<double>(k) / n, nn = static_cast<double>(n);
  const double z2 = kZ * kZ, den = 1 + z2 / nn;
  const double mid = (p + z2 / (2 * nn)) / den;
  const double half = kZ * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / den;
  e.value = p;
  e.low = std::max(0.0, mid - half);
  e.high = std::min(1.0, mid + half);
  return e;
}

// Mean with a Student t interval.
Estimate mean_of(const std::vector<double>& xs, std::string how) {
  Estimate e;
  e.n = static_cast<int64_t>(xs.size());
  e.how = std::move(how);
  if (xs.empty()) return e;
  Summary s = summarize(xs);
  e.known = true;
  e.value = s.mean;
  e.interval = xs.size() >= 2;
  e.low = s.mean - s.ci95;
  e.high = s.mean + s.ci95;
  return e;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// The standard deviation with a large-sample interval that does not assume
// normal data: var(s^2) ~ (m4 - s^4) / n, so se(s) ~ sqrt((m4 - s^4) / n) / (2 s).
Estimate sd_of(const std::vector<double>& xs, std::string how) {
  Estimate e;
  e.n = static_cast<int64_t>(xs.size());
  e.how = std::move(how);
  if (xs.size() < 2) return e;
  Summary s = summarize(xs);
  double m4 = 0;
  for (double x : xs) m4 += std::pow(x - s.mean, 4);
  m4 /= xs.size();
  e.known = true;
  e.value = s.sd;
  const double v = s.sd * s.sd;
  const double se = s.sd > 0 ? std::sqrt(std::max(0.0, m4 - v * v) / xs.size()) / (2 * s.sd) : 0;
  e.low = std::max(0.0, s.sd - kZ * se);
  e.high = s.sd + kZ * se;
  e.interval = xs.size() >= 30;  // the fourth moment of fewer calls says little
  return e;
}

// Kolmogorov-Smirnov distance between whole seconds `xs` (sorted) and the
// lognormal with this mean and sd; a value v stands for [v - 0.5, v + 0.5).
double ks_lognormal(const std::vector<double>& xs, double mean, double sd) {
  if (xs.empty() || mean <= 0 || sd <= 0) return 0;
  const double s2 = std::log(1 + sd * sd / (mean * mean)), sigma = std::sqrt(s2), mu = std::log(mean) - s2 / 2;
  auto cdf = [&](double x) { return x <= 0 ? 0.0 : normal_cdf((std::log(x) - mu) / sigma); };
  const double n = static_cast<double>(xs.size());
  double d = 0;
  for (size_t i = 0; i < xs.size();) {
    size_t j = i;
    while (j < xs.size() && xs[j] == xs[i]) ++j;
    d = std::max(d, std::abs(i / n - cdf(xs[i] - 0.5)));
    d = std::max(d, std::abs(j / n - cdf(xs[i] + 0.5)));
    i = j;
  }
  return d;
}

std::string slug(std::string_view s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch)) out += static_cast<char>(std::tolower(ch));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// "SIP/mts-t1" -> "mts-t1": the peer without its technology.
std::string peer_name(std::string_view channel) {
  size_t slash = channel.find('/');
  return std::string(slash == std::string_view::npos ? channel : channel.substr(slash + 1));
}

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::string local_date(int64_t local_day) { return format_time(local_day * 86400).substr(0, 10); }

}  // namespace

CauseClass cause_class(const CdrCall& c, const OutcomeMap& outcomes) {
  if (c.outcome == Outcome::kAnswered || outcomes.delivered(c.q850)) return CauseClass::kDelivered;
  const int q = c.q850;
  if (q == 27 || q == 38) return CauseClass::kOutage;
  if (q == 34) return CauseClass::kCapacity;
  if (q == 2 || q == 3 || q == 41 || q == 42 || q == 44 || q == 47 || q >= 48) return CauseClass::kJunction;
  return CauseClass::kOther;
}

uint32_t CalibrationSink::intern(std::string_view s) {
  if (strings.empty()) {
    strings.emplace_back();
    index.emplace(std::string_view(strings.back()), 0);
  }
  auto it = index.find(s);
  if (it != index.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(strings.size());
  strings.emplace_back(s);
  index.emplace(std::string_view(strings.back()), id);
  return id;
}

void CalibrationSink::add(const CdrCall& c) {
  Call k;
  k.start = c.start;
  k.local_start = c.start + c.utc_offset;
  k.duration = c.duration;
  k.billsec = c.billsec;
  k.outcome = c.outcome;
  k.q850 = static_cast<int16_t>(c.q850);
  k.seized = c.seized;
  k.caller = intern(c.caller);
  k.called = intern(c.called);
  k.trunk = intern(c.trunk);
  k.channel = intern(c.channel);
  calls.push_back(k);
}

Calibration calibrate(const std::vector<const CalibrationSink*>& sinks, const CalibrateOptions& o) {
  static const OutcomeMap kDefault;
  const OutcomeMap& outcomes = o.outcomes ? *o.outcomes : kDefault;
  // One call table with its strings, sorted so that the result does not
  // depend on which thread read which call.
  struct Row {
    CalibrationSink::Call c;
    std::string_view caller, called, trunk, channel;  // into the sinks' strings (no copy per call)
    const std::string* origin = nullptr;              // into origin_keys
    int attempt = 1;
    bool redialled = false;  // the same caller called the same number again within the window
    double redial_gap = 0;
    CauseClass cls = CauseClass::kOther;
  };
  std::vector<Row> rows;
  for (auto* s : sinks)
    for (auto& c : s->calls) {
      Row r;
      r.c = c;
      auto str = [&](uint32_t i) { return i < s->strings.size() ? std::string_view(s->strings[i]) : std::string_view(); };
      r.caller = str(c.caller);
      r.called = str(c.called);
      r.trunk = str(c.trunk);
      r.channel = str(c.channel);
      rows.push_back(std::move(r));
    }
  if (rows.empty()) throw InputError("no call to calibrate from");
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.c.start, a.caller, a.called, a.c.duration, a.c.billsec, a.trunk, a.channel, a.c.q850) <
           std::tie(b.c.start, b.caller, b.called, b.c.duration, b.c.billsec, b.trunk, b.channel, b.c.q850);
  });

  // Origins.
  std::map<std::string, std::string> source_of;  // key -> what it was recognised by
  std::set<std::string> origin_keys;
  auto origin_key = [&](const std::string& k) { return &*origin_keys.insert(k).first; };
  {
    std::map<std::string, int64_t> by_name;  // registry names, for keys in order of calls
    std::vector<std::string_view> names(rows.size());  // into the registry
    for (size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      if (o.origin == OriginBy::kNone) {
        r.origin = origin_key("all");
      } else if (o.origin == OriginBy::kChannel) {
        std::string p = slug(peer_name(r.channel));
        r.origin = origin_key(p.empty() ? "unknown" : p);
        if (!p.empty() && !source_of.count(p)) source_of[p] = "incoming channel " + std::string(r.channel);
      } else {
        RangeInfo info;
        if (!r.caller.empty() && o.numbering && o.numbering->lookup(r.caller, &info)) {
          names[i] = info.op;
          ++by_name[std::string(info.op)];
        } else {
          r.origin = origin_key("unknown");
        }
      }
    }
    if (o.origin == OriginBy::kRegistry) {
      std::vector<std::pair<int64_t, std::string>> order;
      for (auto& [n, k] : by_name) order.push_back({-k, n});
      std::sort(order.begin(), order.end());
      std::map<std::string, std::string> key_of;
      std::set<std::string> used;
      int unnamed = 0;
      for (auto& [neg, name] : order) {
        std::string key;
        for (auto& [part, k] : o.operator_keys)
          if (name.find(part) != std::string::npos) {
            key = k;
            break;
          }
        if (key.empty()) key = slug(name);
        while (key.empty() || used.count(key)) key = fmt::format("operator-{}", ++unnamed);
        used.insert(key);
        key_of[name] = key;
        source_of[key] = "caller's range holder in the numbering registry: " + name;
      }
      for (size_t i = 0; i < rows.size(); ++i)
        if (!names[i].empty()) rows[i].origin = origin_key(key_of[std::string(names[i])]);
    }
    source_of["unknown"] = o.origin == OriginBy::kChannel ? "calls without an incoming channel"
                                                          : "callers not in the numbering registry (or not E.164)";
    source_of["all"] = "every call (no origin asked for)";
  }

  // Redials: chains of calls from one caller to one number, each within the
  // window of the previous one's start, the previous one not answered.
  const int64_t last_start = rows.back().c.start;
  {
    std::unordered_map<std::string, size_t> last;  // caller + '\n' + called -> row
    for (size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      if (r.caller.empty()) continue;
      std::string key = std::string(r.caller) + '\n' + std::string(r.called);
      auto it = last.find(key);
      if (it != last.end()) {
        Row& p = rows[it->second];
        if (p.c.outcome != Outcome::kAnswered && r.c.start - p.c.start <= o.redial_window) {
          r.attempt = p.attempt + 1;
          p.redialled = true;
          p.redial_gap = static_cast<double>(r.c.start - p.c.start);
        }
        it->second = i;
      } else {
        last.emplace(std::move(key), i);
      }
    }
  }
  for (Row& r : rows) {
    CdrCall c;
    c.outcome = r.c.outcome;
    c.q850 = r.c.q850;
    r.cls = cause_class(c, outcomes);
  }

  Calibration cal;
  cal.calls = static_cast<int64_t>(rows.size());
  int64_t first_day = INT64_MAX, last_day = INT64_MIN;
  for (auto& r : rows) {
    first_day = std::min(first_day, floor_div(r.c.local_start, 86400));
    last_day = std::max(last_day, floor_div(r.c.local_start, 86400));
  }
  const int64_t ndays = last_day - first_day + 1;
  cal.days = o.days > 0 ? o.days : static_cast<double>(ndays);
  cal.first_day = local_date(first_day);
  cal.last_day = local_date(last_day);

  std::map<std::string, std::vector<const Row*>> by_origin;
  for (auto& r : rows) by_origin[*r.origin].push_back(&r);
  for (auto& [key, list] : by_origin) {
    OriginCalibration oc;
    oc.key = key;
    oc.source = source_of[key];
    oc.calls = static_cast<int64_t>(list.size());
    std::vector<double> daily(static_cast<size_t>(ndays), 0.0);
    std::array<int64_t, 24> hours{};
    std::vector<double> bills, rings, gaps;
    int64_t delivered = 0, answered = 0, busy = 0, no_answer = 0, failed_eligible = 0, redialled = 0;
    for (const Row* r : list) {
      ++oc.by_class[static_cast<int>(r->cls)];
      oc.max_attempts = std::max(oc.max_attempts, r->attempt);
      if (r->attempt == 1) {
        ++oc.first_attempts;
        daily[static_cast<size_t>(floor_div(r->c.local_start, 86400) - first_day)] += 1;
        ++hours[static_cast<size_t>(floor_div(r->c.local_start, 3600) - floor_div(r->c.local_start, 86400) * 24)];
      }
      switch (r->c.outcome) {
        case Outcome::kAnswered:
          ++answered;
          bills.push_back(static_cast<double>(r->c.billsec));
          break;
        case Outcome::kBusy: ++busy; break;
        case Outcome::kNoAnswer:
          ++no_answer;
          rings.push_back(static_cast<double>(r->c.duration));
          break;
        default: break;
      }
    }
    delivered = answered + busy + no_answer;
    // The longest chain seen is the cap; a failed call at the cap could not
    // have been redialled, nor one too close to the end of the data to see
    // its redial.
    for (const Row* r : list) {
      if (r->c.outcome == Outcome::kAnswered || r->caller.empty()) continue;
      if (r->attempt >= oc.max_attempts && oc.max_attempts > 1) continue;
      if (r->c.start > last_start - o.redial_window) continue;
      ++failed_eligible;
      if (r->redialled) {
        ++redialled;
        gaps.push_back(r->redial_gap / 60.0);
      }
    }
    const double N = static_cast<double>(oc.first_attempts);
    if (o.days > 0 || ndays < 2) {
      Estimate e;
      e.known = true;
      e.n = oc.first_attempts;
      e.value = N / cal.days;
      e.low = std::max(0.0, (N - kZ * std::sqrt(N)) / cal.days);
      e.high = (N + kZ * std::sqrt(N)) / cal.days;
      e.how = fmt::format("first attempts (calls that are not redials) over {:g} days; Poisson interval", cal.days);
      oc.calls_per_day = e;
    } else {
      oc.calls_per_day = mean_of(daily, fmt::format("first attempts (calls that are not redials) per day over {} "
                                                    "days; t interval over the daily counts",
                                                    ndays));
      oc.calls_per_day.n = oc.first_attempts;
      oc.calls_per_day.low = std::max(0.0, oc.calls_per_day.low);
    }
    for (int h = 0; h < 24; ++h) {
      Estimate e = share(hours[h], oc.first_attempts, "");
      e.value *= 24;
      e.low *= 24;
      e.high *= 24;
      e.n = hours[h];
      oc.profile[h] = e;
    }
    oc.answered = answered;
    oc.holding_mean = mean_of(bills, "mean billed seconds of answered calls; t interval");
    oc.holding_mean.low = std::max(0.0, oc.holding_mean.low);
    oc.holding_sd = sd_of(bills, "sd of billed seconds of answered calls; large-sample interval");
    std::sort(bills.begin(), bills.end());
    if (oc.holding_mean.known && oc.holding_sd.known)
      oc.ks_distance = ks_lognormal(bills, oc.holding_mean.value, oc.holding_sd.value);
    const std::string of_delivered = "of delivered calls (answered, busy, no answer); Wilson interval";
    oc.answer = share(answered, delivered, "answered " + of_delivered);
    oc.busy = share(busy, delivered, "busy " + of_delivered);
    oc.no_answer = share(no_answer, delivered, "unanswered " + of_delivered);
    oc.ring_seconds = mean_of(rings, "mean duration of unanswered calls; t interval");
    oc.ring_seconds.low = std::max(0.0, oc.ring_seconds.low);
    oc.redial_share = share(redialled, failed_eligible,
                            fmt::format("unanswered calls followed by the same caller calling the same number within "
                                        "{} s (calls at the longest chain and in the last {} s left out); Wilson interval",
                                        o.redial_window, o.redial_window));
    oc.redial_delay_minutes = mean_of(gaps, "mean time from a failed call's start to the redial's start; t interval");
    oc.redial_delay_minutes.low = std::max(0.0, oc.redial_delay_minutes.low);
    const int64_t d = oc.by_class[static_cast<int>(CauseClass::kDelivered)];
    const int64_t j = oc.by_class[static_cast<int>(CauseClass::kJunction)];
    oc.completion = share(d, d + j, "delivered / (delivered + lost to junction-class causes); Wilson interval");
    cal.origins.push_back(std::move(oc));
  }

  std::map<std::string, TrunkCalibration> trunks;
  for (auto& r : rows) {
    if (r.trunk.empty()) continue;
    auto& t = trunks[std::string(r.trunk)];
    t.trunk = std::string(r.trunk);
    ++t.by_class[static_cast<int>(r.cls)];
  }
  for (auto& [name, t] : trunks) {
    std::string s = slug(peer_name(name));
    t.key = "cdr-trunk-" + (s.empty() ? std::string("unnamed") : s);
    const int64_t d = t.by_class[static_cast<int>(CauseClass::kDelivered)];
    const int64_t j = t.by_class[static_cast<int>(CauseClass::kJunction)];
    t.completion = share(d, d + j, "delivered / (delivered + lost to junction-class causes); Wilson interval");
    cal.trunks.push_back(t);
  }
  return cal;
}

namespace {

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      out += fmt::format("\\u{:04X}", ch);
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

std::string toml_key(std::string_view s) {
  bool bare = !s.empty();
  for (unsigned char ch : s)
    if (!(std::isalnum(ch) || ch == '-' || ch == '_')) bare = false;
  return bare ? std::string(s) : toml_string(s);
}

// One line of a comment: never a raw newline (a registry name cannot break
// the file).
std::string comment_text(std::string_view s) {
  std::string out;
  for (char ch : s) out += (ch == '\n' || ch == '\r') ? ' ' : ch;
  return out;
}

std::string ci(const Estimate& e, int digits) {
  if (!e.interval) return "95% interval: too few calls";
  return fmt::format("95% {:.{}f}-{:.{}f}", e.low, digits, e.high, digits);
}

std::string value_line(const std::string& key, const std::string& value, const Estimate& e, int digits,
                       const std::string& what) {
  return fmt::format("{} = {}  # {}; calls: {}; {}\n", key, value, comment_text(what), e.n, ci(e, digits));
}

std::string fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

const char* kClassNames[5] = {"delivered", "junction", "outage", "capacity", "other"};

std::string class_counts(const std::array<int64_t, 5>& k) {
  std::string s;
  for (int i = 0; i < 5; ++i) s += fmt::format("{}{} {}", i ? ", " : "", kClassNames[i], k[i]);
  return s;
}

}  // namespace

std::string calibration_toml(const Calibration& c, const std::string& to, const std::vector<std::string>& header) {
  std::string out;
  out += "# Scenario traffic calibrated from CDRs by `telsim cdr calibrate`.\n";
  for (auto& h : header) out += "# " + comment_text(h) + "\n";
  out += fmt::format("# {} calls from {} to {} ({:g} days).\n", c.calls, c.first_day, c.last_day, c.days);
  out += "#\n"
         "# Include it in a scenario (include = [\"this file\", ...]); the scenario\n"
         "# defines the operators named in `from` and `to` and a route for each.\n"
         "# Every value has a comment: how it was estimated, the number of calls\n"
         "# behind it and its 95% interval. Causes count for completion by Q.850\n"
         "# class: delivered (answered, 16-19, 21), junction (2, 3, 41, 42, 44, 47,\n"
         "# 48 and up), outage (27, 38: the model's incidents), capacity (34: the\n"
         "# model's channels), other (number problems such as 1, 28): completion\n"
         "# = delivered / (delivered + junction), the model's `completion` of the\n"
         "# whole path behind the trunk (the product of its hops).\n";

  out += "\n[hops]\n";
  out += "# Per origin operator: the completion of its calls' paths.\n";
  for (auto& o : c.origins) {
    out += fmt::format("# from-{}: {}\n", o.key, class_counts(o.by_class));
    if (!o.completion.known) {
      out += fmt::format("# cdr-from-{}: no delivered or junction-lost call, not estimated\n", o.key);
      continue;
    }
    out += value_line(toml_key("cdr-from-" + o.key), fixed(o.completion.value, 4), o.completion, 4,
                      o.completion.how);
  }
  out += "# Per trunk the calls went out on (the CDR's outgoing channel).\n";
  for (auto& t : c.trunks) {
    out += fmt::format("# {}: {}\n", comment_text(t.trunk), class_counts(t.by_class));
    if (!t.completion.known) {
      out += fmt::format("# {}: no delivered or junction-lost call, not estimated\n", t.key);
      continue;
    }
    out += value_line(toml_key(t.key), fixed(t.completion.value, 4), t.completion, 4, t.completion.how);
  }

  for (auto& o : c.origins) {
    out += fmt::format("\n[streams.{}]\n", toml_key("from-" + o.key));
    out += fmt::format("# origin {}: {}; calls: {}, first attempts: {}\n", o.key, comment_text(o.source), o.calls,
                       o.first_attempts);
    out += fmt::format("from = {}\n", toml_string(o.key));
    out += fmt::format("to = {}\n", toml_string(to));
    const int cd = o.calls_per_day.value < 10 ? 4 : 1;
    out += value_line("calls_per_day", fixed(o.calls_per_day.value, cd), o.calls_per_day, cd, o.calls_per_day.how);
    out += fmt::format("# profile: first attempts by hour of the day (the file's zone), weights of mean 1;\n"
                       "# per hour its calls and Wilson 95% interval\n");
    out += "profile = [\n";
    for (int h = 0; h < 24; ++h)
      out += fmt::format("  {},  # {:02d}h: calls: {}; {}\n", fixed(o.profile[h].value, 3), h, o.profile[h].n,
                         ci(o.profile[h], 3));
    out += "]\n";
    if (o.holding_mean.known && o.holding_sd.known && o.holding_mean.value >= 1 && o.holding_sd.value > 0) {
      const double crit = 1.358 / std::sqrt(static_cast<double>(o.answered));
      out += fmt::format("# holding: lognormal with the answered calls' mean and sd (moments). Fit: KS distance\n"
                         "# {:.4f} over {} answered calls; a fully specified distribution would be refused\n"
                         "# at 5% above {:.4f} (1.358/sqrt(n); with fitted moments the true bound is lower):\n"
                         "# {}\n",
                         o.ks_distance, o.answered, crit,
                         o.ks_distance <= crit ? "the data do not contradict a lognormal"
                                               : "the lognormal is only an approximation of these data");
      out += "holding.distribution = \"lognormal\"\n";
      out += value_line("holding.mean_seconds", fixed(o.holding_mean.value, 1), o.holding_mean, 1, o.holding_mean.how);
      out += value_line("holding.sd_seconds", fixed(o.holding_sd.value, 1), o.holding_sd, 1, o.holding_sd.how);
    } else {
      out += fmt::format("# holding: not estimated (answered calls: {}; needs 2 and a mean of 1 s or more)\n",
                         o.answered);
    }
    if (o.answer.known) {
      // Written in ten-thousandths so that the three shares sum to exactly 1.
      const int64_t a = std::llround(o.answer.value * 10000), b = std::llround(o.busy.value * 10000);
      const int64_t n = std::max<int64_t>(0, 10000 - a - b);
      out += value_line("callee.answer", fixed(a / 10000.0, 4), o.answer, 4, o.answer.how);
      out += value_line("callee.busy", fixed(b / 10000.0, 4), o.busy, 4, o.busy.how);
      out += value_line("callee.no_answer", fixed(n / 10000.0, 4), o.no_answer, 4,
                        o.no_answer.how + " (written as 1 - answer - busy)");
      if (o.ring_seconds.known)
        out += value_line("callee.ring_seconds", fixed(o.ring_seconds.value, 1), o.ring_seconds, 1,
                          o.ring_seconds.how);
    } else {
      out += "# callee: not estimated (no delivered call)\n";
    }
    if (o.max_attempts > 1 && o.redial_share.known && o.redial_delay_minutes.known) {
      out += value_line("redial.share", fixed(o.redial_share.value, 4), o.redial_share, 4, o.redial_share.how);
      out += value_line("redial.delay_minutes", fixed(o.redial_delay_minutes.value, 2), o.redial_delay_minutes, 2,
                        o.redial_delay_minutes.how);
      out += fmt::format("redial.max_attempts = {}  # the longest chain of calls seen (first attempt included); no "
                         "interval\n",
                         std::min(o.max_attempts, 100));
    } else {
      out += "# redial: none seen (no caller called the same number again after an unanswered call)\n";
    }
  }
  return out;
}

}  // namespace telsim
