// The in-memory pool of the simulator (core/pool/lease_book.h) against the
// pool database: the same random visits and calls through both give the same
// numbers, leases and attributions.
#include "core/pool/lease_book.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/random.h"
#include "core/pool/pool_db.h"
#include "tests/test_util.h"

using namespace telsim;

TEST_CASE("lease book: least recently used number, renewal, overflow, attribution reasons") {
  LeaseBook book(2, 100);
  SessionLease a, b, c, d;
  BookLease r = book.lease(1, a, 0);
  CHECK(r.number == 0);
  CHECK(!r.renewed);
  CHECK(r.expires == 100);
  CHECK(book.lease(2, b, 10).number == 1);
  CHECK(book.lease(3, c, 20).number == SessionLease::kOverflow);  // exhausted
  // A returning visitor keeps the number; the lease runs from the last activity.
  r = book.lease(1, a, 50);
  CHECK(r.renewed);
  CHECK(r.number == 0);
  CHECK(r.started == 0);
  CHECK(r.expires == 150);
  CHECK(book.credit(1, a, 120) == Credit::kOwnSession);
  CHECK(book.credit(3, c, 30) == Credit::kOverflow);
  // Number 1 frees at 110, number 0 at 150: the next visitor at 120 gets 1.
  CHECK(book.lease(4, d, 120).number == 1);
  CHECK(book.credit(2, b, 130) == Credit::kReused);  // session 2's number went to session 4
  CHECK(book.credit(1, a, 150) == Credit::kExpired);  // [started, expires): over at 150
  uint64_t who = 0;
  CHECK(book.holder(1, 130, &who));
  CHECK(who == 4);
  CHECK(!book.holder(0, 150, &who));
}

namespace {

// One step of a random history: a lease request (visit start or end) or a call.
struct Step {
  int64_t at;
  int kind;  // 0 lease, 1 call
  int visitor;
  int order;  // ties: in the order generated
};

}  // namespace

TEST_CASE("lease book: the same random visits and calls as the pool database give the same leases and credits") {
  // Small pools under heavy load, so every rule is exercised: exhaustion,
  // renewals of live and of expired leases (visits longer than the hold),
  // overflow renewals, calls during and after visits, numbers reused.
  for (int trial = 0; trial < 3; ++trial) {
    CAPTURE(trial);
    const int numbers = 3 + 2 * trial;
    const int64_t hold = 600;
    test::TempDir dir;
    auto store = PoolStore::open(dir.file("diff.db"), PoolAccess::kCreate);
    PoolDb db(*store);
    const UnixTime t0 = 1767225600;  // 2026-01-01
    std::vector<std::string> e164;
    for (int i = 0; i <= numbers; ++i) e164.push_back(fmt::format("+7495123{:04d}", i));
    db.add_numbers(e164, t0);
    PoolSpec spec;
    spec.name = "shop";
    spec.hold_seconds = hold;
    spec.overflow_number = e164.back();
    db.create_pool(spec, t0);
    std::vector<std::string> rotation(e164.begin(), e164.end() - 1);
    db.allocate("shop", rotation, 0, {}, t0);

    Rng rng(42, static_cast<uint64_t>(trial), "lease-book-diff");
    std::vector<Step> steps;
    const int visitors = 400;
    for (int v = 0; v < visitors; ++v) {
      int64_t start = 3600 + static_cast<int64_t>(rng.uniform() * 6 * 3600);
      int64_t length = static_cast<int64_t>(rng.exponential(240));  // some visits outlast the hold
      steps.push_back({start, 0, v, 0});
      if (length > 0) steps.push_back({start + length, 0, v, 0});
      if (rng.bernoulli(0.5)) steps.push_back({start + static_cast<int64_t>(rng.exponential(900)), 1, v, 0});
    }
    for (size_t i = 0; i < steps.size(); ++i) steps[i].order = static_cast<int>(i);
    std::sort(steps.begin(), steps.end(),
              [](const Step& a, const Step& b) { return a.at != b.at ? a.at < b.at : a.order < b.order; });

    LeaseBook book(numbers, static_cast<double>(hold));
    std::vector<SessionLease> held(visitors);
    std::map<Credit, int> credits;
    int renewals = 0;
    for (const Step& s : steps) {
      const std::string session = fmt::format("v{}", s.visitor);
      const double at = static_cast<double>(s.at);
      CAPTURE(s.at);
      CAPTURE(session);
      if (s.kind == 0) {
        LeaseResult dbr = db.lease("shop", session, {}, t0 + s.at);
        BookLease mem = book.lease(static_cast<uint64_t>(s.visitor), held[s.visitor], at);
        REQUIRE(dbr.overflow == (mem.number == SessionLease::kOverflow));
        if (!dbr.overflow) REQUIRE(dbr.number == rotation[mem.number]);
        else REQUIRE(dbr.number == spec.overflow_number);
        REQUIRE(dbr.renewed == mem.renewed);
        REQUIRE(dbr.started == t0 + static_cast<int64_t>(mem.started));
        REQUIRE(dbr.expires == t0 + static_cast<int64_t>(mem.expires));
        renewals += mem.renewed;
      } else {
        if (held[s.visitor].number == SessionLease::kNone) continue;  // called before the visit: not generated
        const SessionLease& h = held[s.visitor];
        const std::string called = h.number == SessionLease::kOverflow ? spec.overflow_number : rotation[h.number];
        Attribution a = db.attribute(called, t0 + s.at);
        Credit mem = book.credit(static_cast<uint64_t>(s.visitor), h, at);
        REQUIRE(credit_of(a, session) == mem);
        if (a.kind == Attribution::Kind::kSession) {
          uint64_t who = 0;
          REQUIRE(book.holder(h.number, at, &who));
          CHECK(a.session == fmt::format("v{}", who));
        }
        ++credits[mem];
      }
    }
    // The history covered every case, or the comparison proved little.
    CHECK(renewals > 0);
    for (Credit c : {Credit::kOwnSession, Credit::kOverflow, Credit::kExpired, Credit::kReused}) {
      CAPTURE(to_string(c));
      CHECK(credits[c] > 0);
    }
  }
}

namespace {

// The book as first written, one heap of every number on (recorded, number):
// the reference for the two queues that replaced it (same rules, faster).
class HeapBook {
 public:
  HeapBook(int numbers, double hold) : hold_(hold), current_(numbers) {
    for (int32_t i = 0; i < numbers; ++i) heap_.push_back({0, i});
    std::make_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
  }
  BookLease lease(uint64_t session, SessionLease& held, double at) {
    BookLease r;
    const double expires = at + hold_;
    if (held.number != SessionLease::kNone && held.expires > at) {
      held.expires = std::max(held.expires, expires);
      if (held.number >= 0) current_[held.number].expires = held.expires;
      return {held.number, true, held.started, held.expires};
    }
    auto greater = std::greater<Entry>();
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
    held = {r.number, at, expires};
    return r;
  }

 private:
  struct Current {
    uint64_t session = 0;
    double started = 0, expires = 0;
  };
  struct Entry {
    double recorded;
    int32_t number;
    bool operator>(const Entry& o) const { return recorded != o.recorded ? recorded > o.recorded : number > o.number; }
  };
  double hold_;
  std::vector<Current> current_;
  std::vector<Entry> heap_;
};

}  // namespace

TEST_CASE("lease book: the same leases as one heap of every number, over long random histories") {
  // Many more requests than the database test can afford, with whole-second
  // times (many ties, which the ring must order by index), loads from idle to
  // exhausted, and the simulator's renewal at a visit's future end made when
  // the visit starts.
  int overflows = 0, numbered = 0;
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    Rng rng(5, static_cast<uint64_t>(trial), "lease-book-heap");
    const int numbers = 1 + static_cast<int>(rng.uniform() * 60);
    const double hold = 1 + std::floor(rng.uniform() * 900);
    const double gap = hold / numbers * (0.2 + 3 * rng.uniform());  // mean time between visitors
    LeaseBook book(numbers, hold);
    HeapBook ref(numbers, hold);
    struct Visit {
      SessionLease a, b;
      uint64_t session;
      double end;
    };
    std::vector<Visit> live;  // visits whose end is still to come, in no order
    double t = 0;
    for (uint64_t session = 0; session < 30000; ++session) {
      t += std::floor(rng.exponential(gap));
      // Visits that ended by now renew (or re-lease) at their end, in time order.
      std::sort(live.begin(), live.end(), [](const Visit& x, const Visit& y) { return x.end > y.end; });
      while (!live.empty() && live.back().end <= t) {
        Visit& v = live.back();
        const BookLease m = book.lease(v.session, v.a, v.end), r = ref.lease(v.session, v.b, v.end);
        REQUIRE(m.number == r.number);
        REQUIRE(m.renewed == r.renewed);
        REQUIRE(m.expires == r.expires);
        live.pop_back();
      }
      Visit v;
      v.session = session;
      const BookLease m = book.lease(session, v.a, t), r = ref.lease(session, v.b, t);
      REQUIRE(m.number == r.number);
      REQUIRE(m.started == r.started);
      REQUIRE(m.expires == r.expires);
      (m.number == SessionLease::kOverflow ? overflows : numbered) += 1;
      const double length = std::floor(rng.exponential(hold / 3));
      if (v.a.expires > t + length) {
        // Renewed now for the visit's end, as the funnel does.
        REQUIRE(book.lease(session, v.a, t + length).expires == ref.lease(session, v.b, t + length).expires);
      } else {
        v.end = t + length;
        live.push_back(v);
      }
    }
  }
  // Both idle and exhausted pools were covered.
  CHECK(overflows > 1000);
  CHECK(numbered > 1000);
}
