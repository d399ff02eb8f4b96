#pragma once
// The operator's number capacity, its clients' pools, leases and the call log
// in one SQLite database (opened, checked and migrated by PoolStore; calls
// are written by CallLog, core/pool/call_log.h, on the same store).
// The schema is described in docs/pool.md.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/pool/pool.h"
#include "core/pool/pool_store.h"

namespace telsim {

/// One tracking number as it is now (number list/show).
struct NumberInfo {
  std::string e164;
  NumberState state = NumberState::kAvailable;
  std::string pool;  // allocated: its pool; quarantine: the pool that gave it back
  Channel channel;   // static pools: the channel the number is bound to
  bool overflow = false;  // the overflow number of its pool
  UnixTime since = 0;     // last state change
  UnixTime added = 0;
  int64_t leases = 0, calls = 0;
};

/// One state change of a number; a number's history is in time order.
struct HistoryEntry {
  UnixTime at = 0;
  std::string from, to, pool, reason;
};

/// What a client's pool is made with (pool create).
struct PoolSpec {
  std::string name, client;
  PoolKind kind = PoolKind::kDynamic;
  int64_t hold_seconds = kDefaultHoldSeconds;
  std::string overflow_number;  // E.164; allocated to the pool, never leased
};

/// A pool and its counts as of a time.
struct PoolInfo {
  PoolSpec spec;
  UnixTime created = 0;
  int64_t numbers = 0;      // allocated, in rotation (overflow number excluded)
  int64_t live_leases = 0;  // leases live at the time asked
  int64_t leases = 0;       // leases given with a number, up to the time asked
  int64_t overflows = 0;    // sessions that got the overflow number, up to the time asked
};

/// What dynamic number insertion showed a session.
struct LeaseResult {
  std::string number;  // the number to show the visitor
  bool overflow = false;  // the pool was exhausted: this is the overflow number
  bool renewed = false;   // the session already held it; its lease was extended
  UnixTime started = 0, expires = 0;
};

/// One lease request of a batch (PoolDb::lease_many).
struct LeaseRequest {
  std::string pool, session;
  Channel channel;
  UnixTime at = 0;
};

/// A number in quarantine with its calls in the window and its verdict.
struct QuarantineRow {
  std::string number, pool;
  UnixTime since = 0;
  int64_t days = 0, calls = 0;
  QuarantineVerdict verdict;
};

/// A call read back from the log, with the attribution it was logged with.
struct CallRow {
  UnixTime at = 0;
  std::string caller, called;
  int64_t duration = 0;
  std::string disposition;
  Attribution attribution;
};

/// Which calls PoolDb::calls returns: [from, to), in time order.
struct CallFilter {
  std::string number;  // E.164, empty for all
  UnixTime from = INT64_MIN, to = INT64_MAX;
  int64_t limit = -1;
};

/// Pool figures over a period [from, to).
struct PoolReportRow {
  std::string pool, client, kind;
  int64_t numbers = 0, leases = 0, overflows = 0, calls = 0, attributed = 0;
  double overflow_rate = 0, utilisation = 0, leases_per_number = 0, calls_per_number_month = 0;
};

struct PoolReport {
  UnixTime from = 0, to = 0;
  std::vector<std::pair<std::string, int64_t>> states;  // every state, in life order
  std::vector<PoolReportRow> pools;
  int64_t dirty = 0, waiting = 0, releasable = 0;
  std::vector<std::string> dirty_numbers;
};

/// Lease history of one pool, for sizing against what happened.
struct PoolUsage {
  int numbers = 0;      // in rotation now
  int peak = 0;         // most sessions (leased or overflowed) live at once
  double load = 0;      // mean live sessions over the period
  int64_t sessions = 0; // leases + overflows in the period
  UnixTime from = 0, to = 0;
};

/// The number pool of one operator: its numbers and their life (available,
/// allocated, quarantine, blocked, retired), its clients' pools, the leases
/// of dynamic number insertion, the quarantine rules, and reports over the
/// call log.
///
/// Promises:
/// - Every public method that writes is one write transaction (BEGIN
///   IMMEDIATE): it happens whole or not at all, and processes that read then
///   write (pick a free number, lease it) are serialised, so a number is never
///   leased to two sessions at once, whatever number of processes lease.
/// - History only grows forward: a state change dated before the number's
///   last one is refused, and so is a lease renewal that would overlap another
///   session's later lease of the number. Reports and attribution as of a past
///   time are therefore the same whenever they are run.
/// - Bad input is InputError and leaves the database as it was.
/// - One PoolDb per thread; readers in other processes see only committed
///   transactions (WAL) and never block a writer.
class PoolDb {
 public:
  /// Works on `store`, which must outlive it.
  explicit PoolDb(PoolStore& store);
  /// Opens the database at `path` (PoolStore::open) and owns the store.
  static std::unique_ptr<PoolDb> open(const std::string& path, PoolAccess access = PoolAccess::kWrite);
  ~PoolDb();

  int schema_version();

  // --- numbers -------------------------------------------------------------
  /// Adds numbers (already E.164) as available. All or nothing: a number the
  /// database already has is refused by name.
  int64_t add_numbers(const std::vector<std::string>& e164, UnixTime at);
  /// Numbers ordered by E.164; `state`/`pool` empty mean all.
  std::vector<NumberInfo> numbers(const std::string& state = "", const std::string& pool = "");
  NumberInfo number(const std::string& e164);
  std::vector<HistoryEntry> history(const std::string& e164);
  /// Block or retire by hand (Move::kBlock / kRetire).
  void move_by_hand(const std::string& e164, Move move, UnixTime at, const std::string& reason);

  // --- pools ---------------------------------------------------------------
  void create_pool(const PoolSpec& spec, UnixTime at);
  /// The pools that existed at `at`, counted as of `at`: numbers and the
  /// overflow number from the history, leases started by then.
  std::vector<PoolInfo> pools(UnixTime at);
  /// The last activity of `session` in `pool` (its latest lease's last
  /// request), or nullopt when it never had a lease there.
  std::optional<UnixTime> session_activity(const std::string& pool, const std::string& session);
  /// One pool as of `at` (InputError when it was created later).
  PoolInfo pool(const std::string& name, UnixTime at);
  /// The numbers allocated to `pool` at `at`, from the history: the channel
  /// each was bound to then, `since` its allocation.
  std::vector<NumberInfo> members(const std::string& pool, UnixTime at);
  /// Allocates the listed numbers, or else `count` available numbers (lowest
  /// first), to `pool`; static pools bind them to `channel`.
  std::vector<std::string> allocate(const std::string& pool, const std::vector<std::string>& e164, int64_t count,
                                    const Channel& channel, UnixTime at);
  /// Gives numbers back (all of the pool's when `e164` is empty): they go to
  /// quarantine and their live leases end now.
  std::vector<std::string> give_back(const std::string& pool, const std::vector<std::string>& e164, UnixTime at,
                                     const std::string& reason);
  /// Dynamic number insertion: the session's live lease is extended, else the
  /// least recently used free number is leased, else the overflow number is
  /// shown and counted.
  LeaseResult lease(const std::string& pool, const std::string& session, const Channel& channel, UnixTime at);
  /// Many leases in one transaction (group commit): what a web front end
  /// collecting requests for a few milliseconds would do. All or none.
  std::vector<LeaseResult> lease_many(const std::vector<LeaseRequest>& requests);
  /// Who a call to `called` at `at` is credited to. Read only.
  Attribution attribute(const std::string& called, UnixTime at);

  // --- quarantine ----------------------------------------------------------
  QuarantineRules rules();
  void set_rules(const QuarantineRules& rules);
  std::vector<QuarantineRow> quarantine_check(UnixTime at);
  /// Verdicts as of `at`; with `apply` the releasable numbers become available.
  std::vector<QuarantineRow> quarantine_release(UnixTime at, bool apply);

  // --- calls and reports ---------------------------------------------------
  std::vector<CallRow> calls(const CallFilter& filter);
  int64_t call_count();
  PoolReport report(UnixTime from, UnixTime to, const std::string& pool = "");
  PoolUsage usage(const std::string& pool, UnixTime from, UnixTime to);

 private:
  struct PoolRow;
  PoolRow find_pool(const std::string& name);
  struct NumberRow;
  NumberRow find_number(const std::string& e164);
  /// SQL giving each number's last state change at or before ?1 (columns
  /// number_id, to_state, pool_id, overflow, at, source, medium, campaign).
  const char* states_as_of(UnixTime at);
  LeaseResult lease_locked(const LeaseRequest& request);
  void transition(const NumberRow& n, Move move, int64_t pool_id, const Channel& channel, bool overflow, UnixTime at,
                  const std::string& reason);
  std::vector<QuarantineRow> quarantine_rows(UnixTime at, const QuarantineRules& rules);

  std::unique_ptr<PoolStore> owned_;  // when opened by open()
  PoolStore& store_;
  sql::Db& db_;
  struct LeaseStmts;
  std::unique_ptr<LeaseStmts> lease_;
};

}  // namespace telsim
