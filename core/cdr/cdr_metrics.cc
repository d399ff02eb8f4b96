#include "core/cdr/cdr_metrics.h"

#include <fmt/format.h>

#include "core/base/error.h"

namespace telsim {

bool parse_group_by(const std::string& s, GroupBy* out) {
  static const std::pair<const char*, GroupBy> kNames[] = {
      {"hour", GroupBy::kHour},       {"day", GroupBy::kDay},         {"operator", GroupBy::kOperator},
      {"prefix", GroupBy::kPrefix},   {"trunk", GroupBy::kTrunk},     {"channel", GroupBy::kChannel},
      {"called", GroupBy::kCalled},   {"outcome", GroupBy::kOutcome},
  };
  for (auto& [n, g] : kNames)
    if (s == n) {
      *out = g;
      return true;
    }
  return false;
}

const char* to_string(GroupBy g) {
  switch (g) {
    case GroupBy::kHour: return "hour";
    case GroupBy::kDay: return "day";
    case GroupBy::kOperator: return "operator";
    case GroupBy::kPrefix: return "prefix";
    case GroupBy::kTrunk: return "trunk";
    case GroupBy::kChannel: return "channel";
    case GroupBy::kCalled: return "called";
    case GroupBy::kOutcome: return "outcome";
  }
  return "?";
}

void CallCounts::merge(const CallCounts& o) {
  calls += o.calls;
  seized += o.seized;
  delivered += o.delivered;
  short_calls += o.short_calls;
  billsec += o.billsec;
  pdd_sum += o.pdd_sum;
  pdd_calls += o.pdd_calls;
  for (int i = 0; i < kOutcomeCount; ++i) outcome[i] += o.outcome[i];
}

CallMetrics metrics(const CallCounts& c) {
  CallMetrics m;
  auto ratio = [](int64_t a, int64_t b) -> std::optional<double> {
    if (b == 0) return std::nullopt;
    return static_cast<double>(a) / static_cast<double>(b);
  };
  m.asr = ratio(c.answered(), c.seized);
  m.ner = ratio(c.delivered, c.seized);
  m.abr = ratio(c.answered(), c.calls);
  m.acd = ratio(c.billsec, c.answered());
  m.sdr = ratio(c.short_calls, c.answered());
  m.pdd = ratio(c.pdd_sum, c.pdd_calls);
  return m;
}

MetricsSink::MetricsSink(const MetricsOptions& o) : o_(o), outcomes_(o.outcomes ? o.outcomes : &defaults_) {
  if (o.by.size() > 4) throw InputError("at most 4 group keys", Topic::kGroupBy);
  for (GroupBy g : o.by)
    if (g == GroupBy::kOperator && !o.numbering)
      throw InputError("grouping by operator needs a numbering registry (made by `telsim numbering import`)",
                       Topic::kRegistry);
}

int64_t MetricsSink::intern(std::string_view s) {
  buf_.assign(s.data(), s.size());
  auto it = ids_.find(buf_);
  if (it != ids_.end()) return it->second;
  int64_t id = static_cast<int64_t>(names_.size());
  names_.push_back(buf_);
  ids_.emplace(buf_, id);
  return id;
}

void MetricsSink::add(const CdrCall& c) {
  CallCounts* targets[2] = {&overall_, nullptr};
  if (!o_.by.empty()) {
    Key k;
    for (size_t i = 0; i < o_.by.size(); ++i) {
      int64_t local = c.start + c.utc_offset;
      switch (o_.by[i]) {
        case GroupBy::kHour: k.v[i] = local >= 0 ? local / 3600 : (local - 3599) / 3600; break;
        case GroupBy::kDay: k.v[i] = local >= 0 ? local / 86400 : (local - 86399) / 86400; break;
        case GroupBy::kOutcome: k.v[i] = static_cast<int64_t>(c.outcome); break;
        case GroupBy::kOperator: {
          RangeInfo info;
          k.v[i] = c.called_e164 && o_.numbering->lookup(c.called, &info) ? static_cast<int64_t>(info.op_index) : -1;
          break;
        }
        case GroupBy::kPrefix: {
          std::string_view n = c.called;
          if (c.called_e164 && !n.empty() && n[0] == '+') n.remove_prefix(1);
          else if (!c.called_e164) n = "";  // not a full number: no prefix to speak of
          k.v[i] = n.empty() ? -1 : intern(n.substr(0, static_cast<size_t>(o_.prefix_digits)));
          break;
        }
        case GroupBy::kTrunk: k.v[i] = intern(c.trunk); break;
        case GroupBy::kChannel: k.v[i] = intern(c.channel); break;
        case GroupBy::kCalled: k.v[i] = intern(c.called); break;
      }
    }
    targets[1] = &groups_[k];
  }
  bool answered = c.outcome == Outcome::kAnswered;
  for (CallCounts* t : targets) {
    if (!t) continue;
    t->calls++;
    t->outcome[static_cast<int>(c.outcome)]++;
    if (c.seized) {
      t->seized++;
      if (answered || outcomes_->delivered(c.q850)) t->delivered++;
    }
    if (answered) {
      t->billsec += c.billsec;
      if (c.billsec < o_.short_call_seconds) t->short_calls++;
      if (c.answer != kNoTime && c.answer >= c.start) {
        t->pdd_sum += c.answer - c.start;
        t->pdd_calls++;
      }
    }
  }
}

std::string MetricsSink::label(size_t dim, int64_t code) const {
  switch (o_.by[dim]) {
    case GroupBy::kHour: return format_time(code * 3600).substr(0, 16);
    case GroupBy::kDay: return format_time(code * 86400).substr(0, 10);
    case GroupBy::kOutcome: return to_string(static_cast<Outcome>(code));
    case GroupBy::kOperator: return code < 0 ? "(unknown)" : o_.numbering->op_name(static_cast<uint32_t>(code));
    case GroupBy::kPrefix: return code < 0 ? "(none)" : names_[static_cast<size_t>(code)];
    default: {
      const std::string& s = names_[static_cast<size_t>(code)];
      return s.empty() ? "(none)" : s;
    }
  }
}

MetricsReport MetricsReport::merge(const MetricsOptions& o, const std::vector<const MetricsSink*>& sinks) {
  MetricsReport r;
  r.by = o.by;
  for (const MetricsSink* s : sinks) {
    r.overall.merge(s->overall_);
    for (auto& [k, c] : s->groups_) {
      std::vector<std::string> labels;
      for (size_t i = 0; i < o.by.size(); ++i) labels.push_back(s->label(i, k.v[i]));
      r.groups[labels].merge(c);
    }
  }
  return r;
}

}  // namespace telsim
