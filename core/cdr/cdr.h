#pragma once
// Call detail records, whatever switch wrote them: one leg per CSV row, legs
// grouped into calls, outcomes and Q.850 causes in one vocabulary. The
// readers (core/cdr/cdr_asterisk.h, core/cdr/cdr_freeswitch.h, core/cdr/cdr_mapped.h)
// turn rows into legs; core/cdr/cdr_reader.h drives them over files.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/clock.h"
#include "core/base/disposition.h"  // Outcome
#include "core/base/text.h"

namespace telsim {

/// Marks a time that the record does not have (no answer).
constexpr UnixTime kNoTime = INT64_MIN;

/// One row of a CDR file after parsing. Strings are views into the reader's
/// buffer: valid only during the call that hands the leg over.
struct Leg {
  UnixTime start = kNoTime, answer = kNoTime, end = kNoTime;  // UTC
  int32_t utc_offset = 0;  // local - UTC at `start`, seconds (for local hours)
  int64_t duration = 0, billsec = 0;
  Outcome outcome = Outcome::kFailed;
  int16_t q850 = 0;     // Q.850 cause (0 when unknown)
  bool seized = false;  // an outgoing channel was taken (or the call answered)
  std::string_view caller, called, channel, dstchannel;
  std::string_view id, other_id;  // grouping keys: linkedid/uniqueid, uuid/bleg_uuid, call id
};

/// A call: the legs that share an id, folded. This is what metrics count and
/// what the simulator replays.
struct CdrCall {
  UnixTime start = 0;         // UTC, earliest leg start
  UnixTime answer = kNoTime;  // UTC, earliest answer, kNoTime if unanswered
  UnixTime end = 0;           // UTC, latest leg end
  int32_t utc_offset = 0;     // local - UTC at start in the file's zone
  int64_t duration = 0;       // end - start, seconds
  int64_t billsec = 0;        // longest billed leg, seconds
  Outcome outcome = Outcome::kFailed;
  int q850 = 0;
  bool seized = false;
  int legs = 0;
  std::string caller, called;  // E.164 (+7...) when normalised, else as written
  bool caller_e164 = false, called_e164 = false;
  std::string trunk;    // outgoing trunk: dstchannel without its per-call suffix
  std::string channel;  // incoming channel, same treatment
  std::string id;       // the grouping key of its first leg (empty for lone rows)
  int64_t line = 0;     // file line of its first leg (read_cdr() with several threads:
                        // counted from the start of the thread's chunk)
};

/// "SIP/provider-0000001a" -> "SIP/provider", "Local/100@ctx-00000001;2" ->
/// "Local/100@ctx": the trunk or peer without the per-call channel suffix.
std::string_view channel_peer(std::string_view channel);

/// Why a row was skipped. Every skipped row has exactly one reason.
enum class SkipReason : uint8_t {
  kBrokenQuoting,
  kTooFewColumns,
  kTooManyColumns,
  kBadDate,
  kMissingDate,
  kBadNumber,
  kNegativeDuration,
  kEndBeforeStart,
  kUnknownDisposition,
};
constexpr int kSkipReasonCount = 9;
/// Stable names used in summaries and JSON: "broken_quoting", ...
const char* to_string(SkipReason r);

/// Something odd in a row that was kept anyway.
enum class Warning : uint8_t {
  kNonUtf8,           // bytes that are not UTF-8 (caller names): kept as bytes, not used
  kAnswerDerived,     // answered but no answer time: taken as end - billsec
  kAnswerIgnored,     // an answer time on a row that was not answered: ignored
  kBillsecOverDuration,  // more billed seconds than the leg lasted: kept as written
  kQuotingRepaired,      // bare quotes inside a quoted field, read as characters
};
constexpr int kWarningCount = 5;
const char* to_string(Warning w);

}  // namespace telsim
