#include "core/pool/pool.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/erlang.h"
#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/text.h"
#include "core/base/timestamp.h"

namespace telsim {

namespace {
const char* const kStateNames[] = {"available", "allocated", "quarantine", "blocked", "retired"};
const char* const kMoveNames[] = {"allocate", "return", "release", "block", "retire"};
const Move kAllMoves[] = {Move::kAllocate, Move::kReturn, Move::kRelease, Move::kBlock, Move::kRetire};
}  // namespace

const char* to_string(NumberState s) { return kStateNames[static_cast<int>(s)]; }

bool parse_state(const std::string& s, NumberState* out) {
  for (int i = 0; i < 5; ++i)
    if (s == kStateNames[i]) {
      *out = static_cast<NumberState>(i);
      return true;
    }
  return false;
}

NumberState target(Move m) {
  switch (m) {
    case Move::kAllocate: return NumberState::kAllocated;
    case Move::kReturn: return NumberState::kQuarantine;
    case Move::kRelease: return NumberState::kAvailable;
    case Move::kBlock: return NumberState::kBlocked;
    case Move::kRetire: return NumberState::kRetired;
  }
  return NumberState::kAvailable;
}

bool allowed(NumberState from, Move move) {
  switch (move) {
    case Move::kAllocate: return from == NumberState::kAvailable;
    case Move::kReturn: return from == NumberState::kAllocated;
    case Move::kRelease: return from == NumberState::kQuarantine;
    case Move::kBlock: return from != NumberState::kBlocked && from != NumberState::kRetired;
    case Move::kRetire: return from != NumberState::kRetired;
  }
  return false;
}

void check_move(const std::string& number, NumberState from, Move move) {
  if (allowed(from, move)) return;
  std::string moves;
  for (Move m : kAllMoves)
    if (allowed(from, m)) {
      if (!moves.empty()) moves += ", ";
      moves += fmt::format("{} (-> {})", kMoveNames[static_cast<int>(m)], to_string(target(m)));
    }
  if (moves.empty()) moves = "none, retired is final";
  throw InputError(fmt::format("number {} is in state {}: cannot {} it; allowed moves: {}", number, to_string(from),
                               kMoveNames[static_cast<int>(move)], moves));
}

bool parse_pool_time(std::string_view s, UnixTime* out) {
  // "@SECONDS" (Unix time, as `date +@%s` prints it) suits scripts and replays.
  if (s.size() > 1 && s[0] == '@') return parse_unix_seconds(s.substr(1), out);
  return parse_time(s, out);
}

std::string not_utf8(std::string_view what, std::string_view text) {
  if (valid_utf8(text)) return "";
  return fmt::format("{} {} is not UTF-8 text ('?' marks the bytes that are not): convert it to UTF-8", what,
                     quote_field(printable_utf8(text)));
}

const char* to_string(PoolKind k) { return k == PoolKind::kStatic ? "static" : "dynamic"; }

bool parse_pool_kind(const std::string& s, PoolKind* out) {
  if (s == "static") *out = PoolKind::kStatic;
  else if (s == "dynamic") *out = PoolKind::kDynamic;
  else return false;
  return true;
}

const char* to_string(Attribution::Kind k) {
  switch (k) {
    case Attribution::Kind::kSession: return "session";
    case Attribution::Kind::kStatic: return "static";
    case Attribution::Kind::kUnattributed: return "unattributed";
  }
  return "";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::kDirty: return "dirty";
    case Verdict::kWaiting: return "waiting";
    case Verdict::kReleasable: return "releasable";
  }
  return "";
}

int64_t days_between(UnixTime since, UnixTime now) {
  return now >= since ? (now - since) / 86400 : -((since - now + 86399) / 86400);
}

QuarantineVerdict quarantine_verdict(const QuarantineRules& r, int64_t calls, UnixTime since, UnixTime now) {
  int64_t days = days_between(since, now);
  // Sentences start with a word: tables right-align cells that start with a digit.
  const char* times = calls == 1 ? "time" : "times";
  if (calls >= r.max_calls)
    return {Verdict::kDirty, fmt::format("rang {} {} in the last {} days (releasable below {})", calls, times,
                                         r.window_days, r.max_calls)};
  if (days < r.min_days)
    return {Verdict::kWaiting, fmt::format("served {} of {} days in quarantine", days, r.min_days)};
  return {Verdict::kReleasable, fmt::format("rang {} {} in the last {} days, {} days in quarantine", calls, times,
                                            r.window_days, days)};
}

PoolSizing size_pool(double v, double m, double h, double max_overflow) {
  if (!(v >= 0) || !(m >= 0) || !(h >= 0))
    throw InputError("pool size: visitors, visit and hold minutes must be non-negative");
  if (!(max_overflow > 0 && max_overflow < 1))
    throw InputError(fmt::format("pool size: the overflow target {} must be between 0 and 1 (exclusive)", max_overflow),
                     Topic::kOverflowTarget);
  PoolSizing s;
  s.offered_load = v * (m + h) / 60.0;
  s.numbers = erlang_b_channels(s.offered_load, max_overflow);
  s.overflow = erlang_b(s.offered_load, s.numbers);
  s.utilisation = s.numbers > 0 ? s.offered_load * (1 - s.overflow) / s.numbers : 0;
  return s;
}

PoolCheck check_pool(int numbers, int peak, double load, double max_overflow) {
  PoolCheck c;
  c.numbers = numbers;
  c.peak = peak;
  c.load = load;
  int by_peak = static_cast<int>(std::ceil(peak / 0.75 - 1e-9));
  int by_load = erlang_b_channels(load, max_overflow);
  c.recommended = std::max({by_peak, by_load, 1});
  if (numbers < c.recommended) {
    c.verdict = "too small";
    c.why = fmt::format("peak {} concurrent sessions on {} numbers; add {} to reach {}", peak, numbers,
                        c.recommended - numbers, c.recommended);
  } else if (numbers > 2 * c.recommended) {
    c.verdict = "wastefully large";
    c.why = fmt::format("peak {} concurrent sessions on {} numbers; {} would do, {} could go back", peak, numbers,
                        c.recommended, numbers - c.recommended);
  } else {
    c.verdict = "about right";
    c.why = fmt::format("peak {} concurrent sessions on {} numbers (recommended {})", peak, numbers, c.recommended);
  }
  return c;
}

int peak_concurrency(std::vector<std::pair<UnixTime, UnixTime>> intervals) {
  std::vector<std::pair<UnixTime, int>> ev;
  ev.reserve(intervals.size() * 2);
  for (auto& [a, b] : intervals) {
    if (b <= a) continue;
    ev.emplace_back(a, +1);
    ev.emplace_back(b, -1);
  }
  // Ends sort before starts at the same instant: [a,b) and [b,c) never overlap.
  std::sort(ev.begin(), ev.end());
  int cur = 0, peak = 0;
  for (auto& e : ev) {
    cur += e.second;
    peak = std::max(peak, cur);
  }
  return peak;
}

}  // namespace telsim
