#pragma once
// Number pools of a call-tracking operator, as pure logic: the states of a
// tracking number and the legal moves between them, lease rules of dynamic
// number insertion, the quarantine verdict on a number given back, and pool
// sizing as a loss system. No storage here: core/pool/pool_db.h keeps it in SQLite.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/clock.h"

namespace telsim {

/// Life of a tracking number: available -> allocated -> quarantine ->
/// available (only through the quarantine rule); any state but retired ->
/// blocked or retired by hand; retired is final (the number left the operator).
enum class NumberState { kAvailable, kAllocated, kQuarantine, kBlocked, kRetired };

const char* to_string(NumberState s);
/// Parses "available", "allocated", ...; false for anything else.
bool parse_state(const std::string& s, NumberState* out);

/// Why a state change happens: the same target state can be legal through
/// one door and not another (quarantine -> available only by the rule).
enum class Move { kAllocate, kReturn, kRelease, kBlock, kRetire };

/// Target state of a move.
NumberState target(Move m);
/// True when `move` is allowed from `from`.
bool allowed(NumberState from, Move move);
/// Throws InputError naming the number, its state and the allowed moves when
/// `move` is not allowed from `from`.
void check_move(const std::string& number, NumberState from, Move move);

/// A time as the pool commands read it, in `--at` and in a calls CSV's time
/// column alike: parse_time's forms (core/base/timestamp.h) or @UNIXSECONDS.
bool parse_pool_time(std::string_view s, UnixTime* out);
/// Those forms in words, for the message that refuses a time.
constexpr const char* kPoolTimeForms =
    "YYYY-MM-DD HH:MM:SS (or with T) or YYYY-MM-DD, in UTC unless +HH:MM or -HH:MM follows; or @UNIXSECONDS";

/// "WHAT 'TEXT' is not UTF-8 text ...": the message for a name or field the
/// pool database would store and print (every output is UTF-8), with the
/// bytes that are not UTF-8 shown as '?'. Empty when `text` is UTF-8.
std::string not_utf8(std::string_view what, std::string_view text);

/// A marketing channel: where the visitor or the call came from.
struct Channel {
  std::string source, medium, campaign;
  bool empty() const { return source.empty() && medium.empty() && campaign.empty(); }
};

enum class PoolKind { kStatic, kDynamic };
const char* to_string(PoolKind k);
bool parse_pool_kind(const std::string& s, PoolKind* out);

/// Default hold time of a dynamic pool: a lease lasts until the session's
/// last activity plus this (vendors use 2.5-20 minutes).
constexpr int64_t kDefaultHoldSeconds = 15 * 60;

/// The end of a lease whose session was last active at `last_activity`.
inline UnixTime lease_expiry(UnixTime last_activity, int64_t hold_seconds) { return last_activity + hold_seconds; }
/// A lease is live at `t` from its start up to (not including) its expiry.
inline bool lease_live(UnixTime started, UnixTime expires, UnixTime t) { return started <= t && t < expires; }

/// The result of attributing a call to a tracking number.
struct Attribution {
  enum class Kind { kSession, kStatic, kUnattributed };
  Kind kind = Kind::kUnattributed;
  std::string pool;     // the pool the number was in at call time, if any
  std::string session;  // kSession: the visitor session that held the number
  int64_t lease_id = 0;
  Channel channel;     // kSession/kStatic: the channel credited with the call
  std::string reason;  // kUnattributed: one of the kReason* strings
};
const char* to_string(Attribution::Kind k);

constexpr const char* kReasonNoLease = "no lease";
constexpr const char* kReasonOverflow = "overflow number";
constexpr const char* kReasonNotInPool = "number not in a pool";
constexpr const char* kReasonQuarantine = "number in quarantine";

/// The three settings of the dirty-number rule, kept in the database.
struct QuarantineRules {
  static constexpr int64_t kMaxDays = 36500;  // a century: min_days and window_days at most
  int64_t min_days = 90;     // least time a number given back stays in quarantine
  int64_t max_calls = 3;     // releasable only with fewer calls than this ...
  int64_t window_days = 90;  // ... during the last window_days
};

enum class Verdict { kDirty, kWaiting, kReleasable };
const char* to_string(Verdict v);

/// The verdict on one number in quarantine. Dirty wins over waiting: a
/// number that still rings is reported as dirty whatever its age.
struct QuarantineVerdict {
  Verdict verdict;
  std::string why;  // a sentence a person can act on
};
QuarantineVerdict quarantine_verdict(const QuarantineRules& rules, int64_t calls_in_window, UnixTime since,
                                     UnixTime now);
/// Whole days between `since` and `now`.
int64_t days_between(UnixTime since, UnixTime now);

/// Sizing a dynamic pool: visitors are calls, numbers are channels, holding
/// time is visit + hold time.
struct PoolSizing {
  double offered_load = 0;  // erlangs: V * (M + H) / 60
  int numbers = 0;          // smallest pool with overflow probability <= target
  double overflow = 0;      // Erlang B at that size
  double utilisation = 0;   // carried load / numbers
};
PoolSizing size_pool(double visitors_per_hour, double visit_minutes, double hold_minutes, double max_overflow);

/// Checking an existing pool against what the database saw.
struct PoolCheck {
  int numbers = 0;       // numbers in rotation now
  int peak = 0;          // peak concurrent sessions (leases + overflowed)
  double load = 0;       // mean concurrent sessions over the period, erlangs
  int recommended = 0;   // max(peak / 0.75, Erlang B size of `load`)
  std::string verdict;   // "too small", "about right", "wastefully large"
  std::string why;
};
/// Vendors add numbers above ~75% utilisation at peak; a pool more than twice
/// what is recommended holds numbers other clients could use.
PoolCheck check_pool(int numbers, int peak, double load, double max_overflow);

/// Peak number of intervals [start, end) open at once.
int peak_concurrency(std::vector<std::pair<UnixTime, UnixTime>> intervals);

}  // namespace telsim
