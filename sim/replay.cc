#include "sim/replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/random.h"

namespace telsim {
namespace {

int registry_operator(const Scenario& sc, const Numbering* numbering, const std::string& number) {
  if (!numbering) return -1;
  RangeInfo info;
  if (!numbering->lookup(number, &info)) return -1;
  for (size_t i = 0; i < sc.operators.size(); ++i) {
    const std::string& key = sc.operators[i].registry;
    if (!key.empty() && info.op.find(key) != std::string_view::npos) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

Replay load_replay(const Scenario& sc, const std::vector<std::string>& files, const CdrReadOptions& opts,
                   const Numbering* numbering, std::FILE* diag) {
  struct Raw {
    UnixTime start;
    int32_t offset;
    ReplayCall call;
  };
  std::vector<Raw> raw;
  Replay out;
  int64_t reported = 0;
  out.summary = for_each_call(files, opts, [&](const CdrCall& c) {
    int from = registry_operator(sc, numbering, c.caller);
    int to = registry_operator(sc, numbering, c.called);
    // Candidates: streams whose operators agree with what the registry says
    // and whose prefix matches the called number; the longest prefix wins.
    std::vector<int> cand;
    size_t best = 0;
    for (size_t i = 0; i < sc.streams.size(); ++i) {
      const Stream& s = sc.streams[i];
      if (from >= 0 && s.from != sc.operators[from].name) continue;
      if (to >= 0 && s.to != sc.operators[to].name) continue;
      if (c.called.compare(0, s.prefix.size(), s.prefix) != 0) continue;
      if (cand.empty() || s.prefix.size() > best) {
        cand.clear();
        best = s.prefix.size();
      }
      if (s.prefix.size() == best) cand.push_back(static_cast<int>(i));
    }
    if (cand.empty()) {
      ++out.unmatched;
      std::string why =
          fmt::format("{}: call from {} to {} at line {} fits no stream of {}", files.empty() ? "-" : files[0],
                      cut_field(c.caller), cut_field(c.called), c.line, sc.file);
      if (opts.strict) throw InputError(why);
      if (reported++ < 10 && diag) fmt::print(diag, "telsim: {}\n", why);
      return;
    }
    int stream = cand[0];
    if (cand.size() > 1) {
      double total = 0;
      for (int i : cand) total += sc.streams[i].calls_per_day;
      Rng pick(hash_name(c.caller));
      double u = pick.uniform() * total;
      for (int i : cand) {
        stream = i;
        u -= sc.streams[i].calls_per_day;
        if (u < 0) break;
      }
    }
    ReplayCall rc{0, 0, stream, -1};
    switch (c.outcome) {
      case Outcome::kAnswered:
        rc.callee = 0;
        rc.holding = static_cast<double>(c.billsec);
        break;
      case Outcome::kBusy: rc.callee = 1; break;
      case Outcome::kNoAnswer:
        rc.callee = 2;
        rc.holding = static_cast<double>(c.duration);
        break;
      default: rc.callee = -1; break;  // the real network failed it: the callee is unknown
    }
    raw.push_back({c.start, c.utc_offset, rc});
  });
  if (out.unmatched > 0 && diag)
    fmt::print(diag, "telsim: {} of {} CDR calls fit no stream and are not simulated\n", out.unmatched,
               out.unmatched + static_cast<int64_t>(raw.size()));
  if (raw.empty()) throw InputError(fmt::format("{}: no call in the CDR fits a stream of {}", files.empty() ? "-" : files[0], sc.file));
  std::stable_sort(raw.begin(), raw.end(), [](const Raw& a, const Raw& b) { return a.start < b.start; });
  // Simulation time 0 is local midnight of the first call's day, so that
  // hours in the results are the file's local hours.
  const UnixTime local0 = raw.front().start + raw.front().offset;
  const UnixTime midnight_local = local0 - ((local0 % 86400) + 86400) % 86400;
  out.origin = midnight_local - raw.front().offset;
  double last = 0;
  for (const Raw& r : raw) {
    ReplayCall c = r.call;
    c.time = static_cast<double>(r.start - out.origin);
    last = std::max(last, c.time);
    out.calls.push_back(c);
  }
  out.days = std::floor(last / 86400) + 1;
  return out;
}

}  // namespace telsim
