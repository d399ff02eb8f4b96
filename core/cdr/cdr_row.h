#pragma once
// The interface every CDR format implements: one split CSV row in, one leg
// (or the reason the row is skipped) out. Shared helpers for the checks all
// formats make the same way.
#include <memory>
#include <string>

#include "core/cdr/cdr.h"
#include "core/cdr/cdr_outcome.h"
#include "core/base/csv.h"
#include "core/base/quote.h"
#include "core/base/timezone.h"

namespace telsim {

/// Result of parsing one row. `detail` is only written for skipped rows, so
/// good rows never allocate.
struct RowStatus {
  SkipReason reason = SkipReason::kBrokenQuoting;
  std::string detail;
  unsigned warnings = 0;  // bit (1 << Warning)
  void warn(Warning w) { warnings |= 1u << static_cast<unsigned>(w); }
};

/// Converts rows of one format into legs: the seam between the reader (lines,
/// threads, grouping) and a format (what its columns mean). One per thread
/// (it holds a time zone cache); it never throws for a bad row, it says why.
class RowParser {
 public:
  virtual ~RowParser() = default;
  /// False: the row is skipped for `st->reason`, explained in `st->detail`.
  virtual bool parse(const CsvSplitter& row, Leg* leg, RowStatus* st) = 0;
};


namespace cdr_detail {

/// Parses a non-negative or negative decimal integer; false if not one.
inline bool parse_int(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  *out = neg ? -v : v;
  return true;
}

/// Reads a column holding seconds; skips the row with a reason when absent,
/// not an integer or negative.
inline bool seconds_field(std::string_view s, const char* name, int64_t* out, RowStatus* st) {
  // Some exports write "12.0": accept a zero fraction.
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.remove_suffix(2);
  if (!parse_int(s, out)) {
    st->reason = SkipReason::kBadNumber;
    st->detail = std::string(name) + " is not an integer: " + quote_field(s);
    return false;
  }
  if (*out < 0) {
    st->reason = SkipReason::kNegativeDuration;
    st->detail = std::string(name) + " is negative: " + std::string(s);  // an integer: short
    return false;
  }
  return true;
}

/// Parses a local time column into UTC. `required`: an empty value skips the row.
inline bool time_field(std::string_view s, const char* name, bool required, const TimeFormat& fmt, TzCache& tz,
                       UnixTime* out, int32_t* offset, RowStatus* st) {
  if (s.empty()) {
    if (!required) {
      *out = kNoTime;
      return true;
    }
    st->reason = SkipReason::kMissingDate;
    st->detail = std::string(name) + " time is empty";
    return false;
  }
  int64_t t;
  if (!fmt.parse(s, &t)) {
    st->reason = SkipReason::kBadDate;
    st->detail = std::string(name) + " time " + quote_field(s) + " does not match " +
                 (fmt.is_unix() ? std::string("unix seconds") : fmt.pattern());
    return false;
  }
  *out = fmt.is_unix() ? t : tz.to_utc(t, offset);
  return true;
}

/// Skips a row whose call ends before it starts.
inline bool check_order(const Leg& leg, RowStatus* st) {
  if (leg.end < leg.start) {
    st->reason = SkipReason::kEndBeforeStart;
    st->detail = "end time is before start time";
    return false;
  }
  return true;
}

/// Billed seconds beyond the leg's duration: a writer's error, kept as
/// written but warned.
inline void check_billsec(const Leg& leg, RowStatus* st) {
  if (leg.billsec > leg.duration) st->warn(Warning::kBillsecOverDuration);
}

/// Where a fixed-layout format (Asterisk, FreeSWITCH) keeps its times.
struct TimeColumns {
  int start, answer, end, duration, billsec;
};

/// Reads the start, answer and end times, the duration and the billed
/// seconds of a fixed-layout row, and checks that the call ends after it
/// starts; false (with the reason) at the first that is wrong.
inline bool time_columns(const CsvSplitter& f, TimeColumns c, const TimeFormat& fmt, TzCache& tz, Leg* leg,
                         RowStatus* st) {
  int32_t unused;
  return time_field(f[c.start], "start", true, fmt, tz, &leg->start, &leg->utc_offset, st) &&
         time_field(f[c.answer], "answer", false, fmt, tz, &leg->answer, &unused, st) &&
         time_field(f[c.end], "end", true, fmt, tz, &leg->end, &unused, st) &&
         seconds_field(f[c.duration], "duration", &leg->duration, st) &&
         seconds_field(f[c.billsec], "billsec", &leg->billsec, st) && check_order(*leg, st) &&
         (check_billsec(*leg, st), true);
}

/// Answer-time rules shared by the formats: an answered leg without an answer
/// time gets end - billsec (warned); an unanswered one keeps none.
inline void settle_answer(Leg* leg, bool answered, RowStatus* st) {
  if (answered) {
    if (leg->answer == kNoTime) {
      leg->answer = leg->end - leg->billsec;
      st->warn(Warning::kAnswerDerived);
    }
  } else if (leg->answer != kNoTime) {
    // Old Asterisk versions write answer = start on unanswered rows: normal.
    if (leg->answer != leg->start) st->warn(Warning::kAnswerIgnored);
    leg->answer = kNoTime;
  }
}

}  // namespace cdr_detail
}  // namespace telsim
