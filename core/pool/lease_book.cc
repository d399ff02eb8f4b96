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

LeaseBook::LeaseBook(int numbers, double hold_seconds)
    : hold_(hold_seconds), current_(numbers), ring_(numbers) {
  // Never leased: lease_until 0, so the lowest index goes first.
  for (int32_t i = 0; i < numbers; ++i) ring_[i] = {0, i};
  size_ = ring_.size();
  heap_.reserve(ring_.size());
}

// The entry of smallest (recorded, number) when its recorded end has passed
// at `at`, taken out of its queue.
bool LeaseBook::pop_candidate(double at, Entry* e) {
  const bool ring = size_ > 0 && (heap_.empty() || heap_.front() > ring_[head_]);
  if (ring) {
    if (ring_[head_].recorded > at) return false;
    *e = ring_[head_];
    head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
    --size_;
    return true;
  }
  if (heap_.empty() || heap_.front().recorded > at) return false;
  std::pop_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
  *e = heap_.back();
  heap_.pop_back();
  return true;
}

void LeaseBook::push_fresh(const Entry& e) {
  const size_t n = ring_.size();
  size_t at = head_ + size_ >= n ? head_ + size_ - n : head_ + size_;
  // Back past greater entries: none with requests in time order but for
  // equal ends of higher index.
  for (size_t k = 0; k < size_; ++k) {
    const size_t prev = at == 0 ? n - 1 : at - 1;
    if (!(ring_[prev] > e)) break;
    ring_[at] = ring_[prev];
    at = prev;
  }
  ring_[at] = e;
  ++size_;
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
  r.number = SessionLease::kOverflow;
  Entry e;
  while (pop_candidate(at, &e)) {
    const Current& c = current_[e.number];
    if (c.expires <= at) {
      r.number = e.number;
      e.recorded = std::max(e.recorded, expires);
      push_fresh(e);
      break;
    }
    e.recorded = std::max(e.recorded, c.expires);
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
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
