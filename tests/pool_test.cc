// Pure pool logic: states and moves, quarantine verdicts, sizing.
#include "core/pool/pool.h"

#include <doctest/doctest.h>

#include "core/base/erlang.h"
#include "core/base/error.h"

using namespace telsim;

TEST_CASE("pool: the life of a number allows only the documented moves") {
  CHECK(allowed(NumberState::kAvailable, Move::kAllocate));
  CHECK(allowed(NumberState::kAllocated, Move::kReturn));
  CHECK(allowed(NumberState::kQuarantine, Move::kRelease));
  // Quarantine is the only way back to available; no shortcut from allocated.
  CHECK_FALSE(allowed(NumberState::kAllocated, Move::kRelease));
  CHECK_FALSE(allowed(NumberState::kAvailable, Move::kReturn));
  CHECK_FALSE(allowed(NumberState::kQuarantine, Move::kAllocate));
  CHECK_FALSE(allowed(NumberState::kAllocated, Move::kAllocate));
  for (NumberState s : {NumberState::kAvailable, NumberState::kAllocated, NumberState::kQuarantine}) {
    CHECK(allowed(s, Move::kBlock));
    CHECK(allowed(s, Move::kRetire));
  }
  CHECK(allowed(NumberState::kBlocked, Move::kRetire));
  CHECK_FALSE(allowed(NumberState::kBlocked, Move::kBlock));
  for (Move m : {Move::kAllocate, Move::kReturn, Move::kRelease, Move::kBlock, Move::kRetire})
    CHECK_FALSE(allowed(NumberState::kRetired, m));
}

TEST_CASE("pool: an illegal move names the number, its state and the allowed moves") {
  try {
    check_move("+74951234500", NumberState::kQuarantine, Move::kAllocate);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "number +74951234500 is in state quarantine: cannot allocate it; allowed moves: release (-> available), "
          "block (-> blocked), retire (-> retired)");
  }
  CHECK_NOTHROW(check_move("+74951234500", NumberState::kAvailable, Move::kAllocate));
  CHECK_THROWS_WITH_AS(check_move("+7", NumberState::kRetired, Move::kBlock),
                       doctest::Contains("none, retired is final"), InputError);
}

TEST_CASE("pool: state and kind names round-trip") {
  for (NumberState s : {NumberState::kAvailable, NumberState::kAllocated, NumberState::kQuarantine,
                        NumberState::kBlocked, NumberState::kRetired}) {
    NumberState back;
    REQUIRE(parse_state(to_string(s), &back));
    CHECK(back == s);
  }
  NumberState x;
  CHECK_FALSE(parse_state("free", &x));
  PoolKind k;
  CHECK(parse_pool_kind("static", &k));
  CHECK(k == PoolKind::kStatic);
  CHECK_FALSE(parse_pool_kind("Dynamic", &k));
}

TEST_CASE("pool: a lease is live from its start up to its expiry, exclusive") {
  UnixTime start = 1000;
  UnixTime end = lease_expiry(start, kDefaultHoldSeconds);
  CHECK(end == 1000 + 900);
  CHECK(lease_live(start, end, 1000));
  CHECK(lease_live(start, end, 1899));
  CHECK_FALSE(lease_live(start, end, 1900));
  CHECK_FALSE(lease_live(start, end, 999));
}

TEST_CASE("pool: quarantine verdicts follow min_days, max_calls and window") {
  QuarantineRules r;  // 90 days, < 3 calls, 90-day window
  UnixTime since = 0, day = 86400;
  CHECK(quarantine_verdict(r, 0, since, 89 * day).verdict == Verdict::kWaiting);
  CHECK(quarantine_verdict(r, 0, since, 90 * day).verdict == Verdict::kReleasable);
  CHECK(quarantine_verdict(r, 2, since, 200 * day).verdict == Verdict::kReleasable);
  CHECK(quarantine_verdict(r, 3, since, 200 * day).verdict == Verdict::kDirty);
  // A number still ringing is reported dirty even before min_days.
  auto v = quarantine_verdict(r, 7, since, 10 * day);
  CHECK(v.verdict == Verdict::kDirty);
  CHECK(v.why == "rang 7 times in the last 90 days (releasable below 3)");
  CHECK(quarantine_verdict(r, 1, since, 10 * day).why == "served 10 of 90 days in quarantine");
  CHECK(quarantine_verdict(r, 1, since, 100 * day).why == "rang 1 time in the last 90 days, 100 days in quarantine");
  r.max_calls = 1;  // "0 calls in 45 days" reclaim practice
  r.min_days = 45;
  CHECK(quarantine_verdict(r, 1, since, 60 * day).verdict == Verdict::kDirty);
  CHECK(quarantine_verdict(r, 0, since, 45 * day).verdict == Verdict::kReleasable);
}

TEST_CASE("pool: sizing a dynamic pool is Erlang B on visitors x holding time") {
  // The example: 200 visitors an hour, 3-minute visits, 15-minute
  // hold, at most 1% overflow: 60 erlangs.
  PoolSizing s = size_pool(200, 3, 15, 0.01);
  CHECK(s.offered_load == doctest::Approx(60.0));
  CHECK(s.numbers == erlang_b_channels(60, 0.01));
  CHECK(erlang_b(60, s.numbers) <= 0.01);
  CHECK(erlang_b(60, s.numbers - 1) > 0.01);
  CHECK(s.numbers == 75);
  CHECK(s.utilisation == doctest::Approx(60 * (1 - s.overflow) / 75));
  CHECK_THROWS_AS(size_pool(200, 3, 15, 0), InputError);
  CHECK_THROWS_AS(size_pool(200, 3, 15, 1.5), InputError);
  CHECK_THROWS_AS(size_pool(-1, 3, 15, 0.01), InputError);
}

TEST_CASE("pool: peak concurrency treats [a,b) and [b,c) as not overlapping") {
  CHECK(peak_concurrency({}) == 0);
  CHECK(peak_concurrency({{0, 10}, {10, 20}}) == 1);
  CHECK(peak_concurrency({{0, 10}, {5, 20}, {6, 7}}) == 3);
  CHECK(peak_concurrency({{0, 10}, {5, 5}}) == 1);  // empty interval ignored
}

TEST_CASE("pool: checking a pool against its peak") {
  CHECK(check_pool(10, 10, 5, 0.01).verdict == "too small");
  CHECK(check_pool(10, 10, 5, 0.01).recommended >= 14);  // 10 / 0.75 = 13.3
  CHECK(check_pool(100, 10, 3, 0.01).verdict == "wastefully large");
  PoolCheck ok = check_pool(16, 10, 4, 0.01);
  CHECK(ok.verdict == "about right");
  CHECK(ok.recommended == std::max(14, erlang_b_channels(4, 0.01)));
}
