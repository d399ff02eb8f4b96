#include "core/pool/lease_book.h"

#include <algorithm>
#include <functional>

namespace telsim {

const char* to_string(Credit c) {
  switch (c) {
    case Credit::kOwnSession: return "own session";
    case Credit::kOverflow: return "overflow";
    case Credit::kExpired: return "expired";
    case Credit::kReused: return "reused";
  }
  return "";
}

Credit credit_of(const Attribution& a, const std::string& caller_session) {
  switch (a.kind) {
    case Attribution::Kind::kSession: return a.session == caller_session ? Credit::kOwnSession : Credit::kReused;
    case Attribution::Kind::kStatic: return Credit::kOwnSession;
    case Attribution::Kind::kUnattributed: break;
  }
  return a.reason == kReasonOverflow ? Credit::kOverflow : Credit::kExpired;
}

LeaseBook::LeaseBook(int numbers, double hold_seconds) : hold_(hold_seconds), current_(numbers) {
  // Never leased: lease_until 0, so the lowest index goes first.
  for (int32_t i = 0; i < numbers; ++i) heap_.push_back({0, i});
  std::make_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
}

BookLease LeaseBook::lease(uint64_t session, SessionLease& held, double at) {
  BookLease r;
  const double expires = at + hold_;
  if (held.number != SessionLease::kNone && held.expires > at) {
    // A returning visitor keeps what they were shown; the number's recorded
    // end is not touched (the database updates it lazily too).
    held.expires = std::max(held.expires, expires);
    if (held.number >= 0) current_[held.number].expires = held.expires;
    r.number = held.number;
    r.renewed = true;
    r.started = held.started;
    r.expires = held.expires;
    return r;
  }
  // The least recently used number whose recorded end has passed; one whose
  // real lease runs longer (renewed since) gets its real end recorded and
  // goes back, as in PoolDb::lease.
  auto greater = std::greater<Entry>();
  r.number = SessionLease::kOverflow;
  while (!heap_.empty() && heap_.front().recorded <= at) {
    std::pop_heap(heap_.begin(), heap_.end(), greater);
    Entry& e = heap_.back();
    const Current& c = current_[e.number];
    if (c.expires <= at) {
      r.number = e.number;
      e.recorded = std::max(e.recorded, expires);
      std::push_heap(heap_.begin(), heap_.end(), greater);
      break;
    }
    e.recorded = std::max(e.recorded, c.expires);
    std::push_heap(heap_.begin(), heap_.end(), greater);
  }
  if (r.number >= 0) current_[r.number] = {session, at, expires};
  r.started = at;
  r.expires = expires;
  held.number = r.number;
  held.started = at;
  held.expires = expires;
  return r;
}

bool LeaseBook::holder(int32_t number, double at, uint64_t* session) const {
  const Current& c = current_[number];
  if (!(c.started <= at && at < c.expires)) return false;
  *session = c.session;
  return true;
}

Credit LeaseBook::credit(uint64_t session, const SessionLease& held, double at) const {
  if (held.number == SessionLease::kOverflow) return Credit::kOverflow;
  uint64_t who = 0;
  if (held.number < 0 || !holder(held.number, at, &who)) return Credit::kExpired;
  return who == session ? Credit::kOwnSession : Credit::kReused;
}

}  // namespace telsim
