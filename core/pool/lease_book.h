#pragma once
// Dynamic number insertion in memory: the lease and attribution rules of
// PoolDb::lease and Attributor::attribute for one dynamic pool, without a
// database, for the simulator. tests/lease_book_test.cc drives the same
// random visits and calls through this and through a real pool database and
// requires the same numbers, leases and attributions.
#include <cstdint>
#include <string>
#include <vector>

#include "core/pool/pool.h"

namespace telsim {

/// What a session was last shown, kept by whoever keeps the session (the
/// book does not store sessions, so its memory is the pool's numbers only).
struct SessionLease {
  static constexpr int32_t kNone = -2, kOverflow = -1;
  int32_t number = kNone;  // index of the number in the pool, kOverflow, or kNone before the first lease
  double started = 0, expires = 0;
};

/// The answer to one lease request, as PoolDb::lease gives it.
struct BookLease {
  int32_t number = SessionLease::kOverflow;  // index, or kOverflow: the pool was exhausted
  bool renewed = false;                      // the session's live lease was extended
  double started = 0, expires = 0;
};

/// Who a call is credited to, seen from the caller's side: their own
/// session, or why not. The reasons are those of `telsim calls` attribution:
/// the caller was shown the overflow number (kReasonOverflow), the lease of
/// the number they call has ended and nobody holds it (kReasonNoLease), or
/// another session holds it now and gets the call (reused).
enum class Credit { kOwnSession = 0, kOverflow = 1, kExpired = 2, kReused = 3 };
const char* to_string(Credit c);
/// The credit of a call the pool database attributed as `a`, made by the
/// visitor of `caller_session`. A static attribution counts as their own.
Credit credit_of(const Attribution& a, const std::string& caller_session);

/// One dynamic pool of `numbers` numbers in rotation (indices 0..n-1, in the
/// order of their ids in the database) and an overflow number.
///
/// Promises, given requests in time order (as the database requires):
/// - lease(): a session whose lease is live (expires after `at`) keeps its
///   number (or the overflow) and the lease runs to max(old end, at + hold);
///   otherwise the least recently used free number is leased for the hold
///   time, else the overflow is shown. "Least recently used" is the
///   database's order: by the end of the number's lease as last recorded on
///   the number (a renewal records it lazily, when the number is next looked
///   at as a candidate), then by index;
/// - holder(): the session holding a number at `at` (its lease started at or
///   before `at` and ends after it), as attribution finds it;
/// - memory is O(numbers); a request costs O(1) for numbers whose recorded
///   end is that of a fresh lease (they come in time order), O(log numbers)
///   for one whose end was re-recorded after a renewal.
class LeaseBook {
 public:
  LeaseBook(int numbers, double hold_seconds);

  BookLease lease(uint64_t session, SessionLease& held, double at);
  /// True and `*session` set when a lease of `number` is live at `at`.
  bool holder(int32_t number, double at, uint64_t* session) const;
  /// The credit of a call at `at` to the number `held` shows, by `session`.
  Credit credit(uint64_t session, const SessionLease& held, double at) const;

  int numbers() const { return static_cast<int>(current_.size()); }
  double hold_seconds() const { return hold_; }

 private:
  struct Current {
    uint64_t session = 0;
    double started = 0, expires = 0;  // expires 0: never leased
  };
  struct Entry {
    double recorded;  // numbers.lease_until: the lease end last recorded on the number
    int32_t number;
    bool operator>(const Entry& o) const { return recorded != o.recorded ? recorded > o.recorded : number > o.number; }
  };
  // Every number is in one of two queues, both ordered by (recorded,
  // number); the candidate is the smaller of their fronts. A fresh lease
  // records at + hold, which only grows with requests in time order, so
  // those go to the back of a sorted ring (a step back past equal ends with
  // a higher index; any order stays correct, only slower). An end re-recorded
  // from a renewal can fall anywhere: those go to a heap.
  bool pop_candidate(double at, Entry* e);
  void push_fresh(const Entry& e);
  double hold_;
  std::vector<Current> current_;  // the latest lease of each number
  std::vector<Entry> ring_;       // capacity: the numbers; sorted from head_ on, size_ entries
  size_t head_ = 0, size_ = 0;
  std::vector<Entry> heap_;  // min-heap on (recorded, number)
};

}  // namespace telsim
