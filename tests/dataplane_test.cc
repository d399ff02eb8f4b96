// The call data plane on its own, without SimGrid: this file is its own
// binary (dataplane_tests), linked with the data plane and core only. The
// checks are analytic: Erlang B for a trunk, p^k for k junctions, exact
// counts for replayed calls and for state changes, and the identities every
// run must keep.
#include "sim/dataplane.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/base/erlang.h"
#include "core/base/stats.h"
#include "core/net/scenario.h"

using namespace telsim;

namespace {

constexpr double kDay = 86400;

Operator op(const std::string& name) {
  Operator o;
  o.name = name;
  o.kind = "fixed";
  return o;
}

Interconnect trunk(const std::string& name, const std::string& a, const std::string& b, int channels,
                   double completion = 1.0) {
  Interconnect ic;
  ic.name = name;
  ic.a = a;
  ic.b = b;
  ic.channels = channels;
  ic.completion = completion;
  return ic;
}

// Flat Poisson traffic of `erlangs` from a to b over route 0, exponential holding.
Stream traffic(double erlangs, double mean_hold = 180) {
  Stream s;
  s.name = "s";
  s.from = "a";
  s.to = "b";
  s.calls_per_day = erlangs * kDay / mean_hold;
  s.profile.assign(24, 1.0);
  s.holding = Duration{Duration::Kind::kExponential, mean_hold, 0};
  s.route = 0;
  return s;
}

// a and b joined by one trunk of `channels`.
Scenario one_trunk(int channels, double erlangs) {
  Scenario sc;
  sc.operators = {op("a"), op("b")};
  sc.interconnects = {trunk("t", "a", "b", channels)};
  Route r;
  r.name = "r";
  r.from = "a";
  r.to = "b";
  r.paths = {{0}};
  sc.routes = {r};
  sc.streams = {traffic(erlangs)};
  return sc;
}

// a to b directly (interconnect 0) or through transit c (1 then 2), in that order.
Scenario with_backup(double erlangs) {
  Scenario sc;
  sc.operators = {op("a"), op("b"), op("c")};
  sc.interconnects = {trunk("ab", "a", "b", 100000), trunk("ac", "a", "c", 100000), trunk("cb", "c", "b", 100000)};
  Route r;
  r.name = "r";
  r.from = "a";
  r.to = "b";
  r.paths = {{0}, {1, 2}};
  sc.routes = {r};
  sc.streams = {traffic(erlangs)};
  return sc;
}

Counters run(const Scenario& sc, uint64_t rep, double warmup, double end) {
  DataPlane dp(sc, 7, rep, warmup, end);
  dp.advance_to(end);
  dp.commit_state(end);
  return dp.stream_counters().at(0);
}

void check_identities(const Counters& c) {
  CHECK(c.offered == c.completed + c.lost_total());
  CHECK(c.completed == c.answered + c.busy + c.no_answer);
  CHECK(c.callers == c.callers_completed + c.callers_lost);
  CHECK(c.callers_answered <= c.callers_completed);
  CHECK(c.direct <= c.completed);
}

}  // namespace

TEST_CASE("one trunk fed by Poisson traffic blocks as Erlang B says") {
  const double a = 20;
  const int c = 22;
  const double expected = erlang_b(a, c);  // about 0.10
  std::vector<double> blocking;
  for (uint64_t rep = 0; rep < 10; ++rep) {
    Counters k = run(one_trunk(c, a), rep, 0.2 * kDay, 5.2 * kDay);
    check_identities(k);
    CHECK(k.lost_total() == k.lost[kBlocked]);  // nothing else can lose a call here
    blocking.push_back(static_cast<double>(k.lost[kBlocked]) / k.offered);
  }
  Summary s = summarize(blocking);
  INFO("mean ", s.mean, " ci95 ", s.ci95, " Erlang B ", expected);
  CHECK(s.ci95 < 0.1 * expected);  // precise enough for the check below to mean something
  // 1.5 half-widths (about 3.5 standard errors): a fixed seed, yet robust to a change of seed.
  CHECK(std::abs(s.mean - expected) < 1.5 * s.ci95);
}

TEST_CASE("k junctions of completion p deliver a share p^k of the calls") {
  Scenario sc;
  sc.operators = {op("a"), op("x"), op("y"), op("b")};
  const double p = 0.9;
  sc.interconnects = {trunk("ax", "a", "x", 100000, p), trunk("xy", "x", "y", 100000, p),
                      trunk("yb", "y", "b", 100000, p)};
  Route r;
  r.name = "r";
  r.from = "a";
  r.to = "b";
  r.paths = {{0, 1, 2}};
  sc.routes = {r};
  sc.streams = {traffic(50)};
  Counters k = run(sc, 0, 0, 10 * kDay);
  check_identities(k);
  CHECK(k.lost_total() == k.lost[kJunction]);
  CHECK(k.direct == 0);  // three hops
  const double share = std::pow(p, 3), n = static_cast<double>(k.offered);
  REQUIRE(n > 200000);
  CHECK(std::abs(k.completed / n - share) < 4 * std::sqrt(share * (1 - share) / n));
}

TEST_CASE("a link down loses calls as outage from the commit, until the switch is told and reroutes") {
  Scenario sc = with_backup(50);
  const double end = 4000;
  DataPlane dp(sc, 7, 0, 0, end);
  dp.advance_to(1000);
  Counters before = dp.stream_counters()[0];
  CHECK(before.offered > 0);
  CHECK(before.lost_total() == 0);
  CHECK(before.direct == before.completed);  // the direct path is first and has room

  // Down, but the control plane still believes it up: every call goes into it.
  dp.set_link_up(0, false);
  dp.commit_state(1000);
  dp.advance_to(2000);
  Counters down = dp.stream_counters()[0];
  CHECK(down.offered > before.offered);
  CHECK(down.lost[kOutage] == down.offered - before.offered);
  CHECK(down.completed == before.completed);

  // Believed down: calls take the backup through c, none is lost.
  dp.set_link_believed_up(0, false);
  dp.commit_state(2000);
  dp.advance_to(3000);
  Counters rerouted = dp.stream_counters()[0];
  CHECK(rerouted.offered > down.offered);
  CHECK(rerouted.lost_total() == down.lost_total());
  CHECK(rerouted.direct == down.direct);

  // Back up and believed up: direct again.
  dp.set_link_up(0, true);
  dp.set_link_believed_up(0, true);
  dp.commit_state(3000);
  dp.advance_to(end);
  dp.commit_state(end);
  Counters after = dp.stream_counters()[0];
  CHECK(after.direct - rerouted.direct == after.completed - rerouted.completed);
  check_identities(after);
  // The destination was unreachable exactly while calls went into the dead link.
  CHECK(dp.stream_reachable_seconds()[0] == doctest::Approx(end - 1000));
}

TEST_CASE("a node down loses every call through it as node") {
  Scenario sc = one_trunk(1000, 50);
  sc.operators[1].node.components = 2;  // only a node that can fail is checked
  DataPlane dp(sc, 7, 0, 0, 2000);
  dp.advance_to(1000);
  uint64_t before = dp.stream_counters()[0].offered;
  dp.set_operator_up(1, false);
  dp.commit_state(1000);
  dp.advance_to(2000);
  dp.commit_state(2000);
  const Counters& k = dp.stream_counters()[0];
  CHECK(k.lost[kNode] == k.offered - before);
  CHECK(k.lost[kNode] > 0);
  CHECK(dp.stream_reachable_seconds()[0] == doctest::Approx(1000));
}

TEST_CASE("replayed calls: known callees and holding times, counted exactly") {
  Scenario sc = one_trunk(1, 1);
  sc.streams[0].holding = Duration{Duration::Kind::kDeterministic, 7, 0};
  DataPlane dp(sc, 7, 0, 0, 1000);
  dp.set_replay({
      {10, 100, 0, 0},    // answered, holds the only channel until 110
      {50, 10, 0, 0},     // blocked
      {120, 5, 0, 1},     // busy: delivered, holds nothing
      {121, 30, 0, 2},    // no answer: rings 30 s, until 151
      {130, 9, 0, 0},     // blocked
      {200, 60, 0, -1},   // unknown callee: drawn from the stream (answer = 1), holding too (7 s)
  });
  dp.advance_to(1000);
  const Counters& k = dp.stream_counters()[0];
  CHECK(k.offered == 6);
  CHECK(k.completed == 4);
  CHECK(k.lost[kBlocked] == 2);
  CHECK(k.answered == 2);
  CHECK(k.busy == 1);
  CHECK(k.no_answer == 1);
  CHECK(k.answered_seconds == 107);
  CHECK(k.callers == 6);
  check_identities(k);
}

TEST_CASE("every loss cause and redials at once: the counts add up") {
  Scenario sc = with_backup(40);
  sc.interconnects[0].channels = 35;  // blocks, then overflows to the backup
  sc.interconnects[1].channels = 5;
  sc.interconnects[2].completion = 0.9;
  sc.operators[1].node.components = 1;
  Stream& s = sc.streams[0];
  s.callee = Callee{0.7, 0.2, 0.1, 25};
  s.redial = Redial{0.6, 120, 3};
  const double warmup = 0.1 * kDay, end = 2 * kDay;
  DataPlane dp(sc, 7, 0, warmup, end);
  dp.advance_to(kDay);
  dp.set_link_up(0, false);  // an outage nobody has noticed
  dp.commit_state(kDay);
  dp.advance_to(kDay + 600);
  dp.set_link_believed_up(0, false);
  dp.commit_state(kDay + 600);
  dp.advance_to(kDay + 3600);
  dp.set_link_up(0, true);
  dp.set_link_believed_up(0, true);
  dp.set_operator_up(1, false);
  dp.commit_state(kDay + 3600);
  dp.advance_to(kDay + 4200);
  dp.set_operator_up(1, true);
  dp.commit_state(kDay + 4200);
  dp.advance_to(end);
  dp.commit_state(end);
  const Counters& k = dp.stream_counters()[0];
  for (int cause = 0; cause < kCauses; ++cause) {
    INFO("cause ", cause);
    CHECK(k.lost[cause] > 0);
  }
  CHECK(k.busy > 0);
  CHECK(k.no_answer > 0);
  CHECK(k.offered > k.callers);  // redials are attempts of the same callers
  CHECK(k.direct < k.completed);
  check_identities(k);
}

TEST_CASE("the same seed and replication give the same counts; another replication other ones") {
  Scenario sc = one_trunk(22, 20);
  Counters a = run(sc, 3, 0, kDay), b = run(sc, 3, 0, kDay), c = run(sc, 4, 0, kDay);
  CHECK(a.offered == b.offered);
  CHECK(a.lost[kBlocked] == b.lost[kBlocked]);
  CHECK(a.answered_seconds == b.answered_seconds);
  CHECK(a.offered != c.offered);
}

TEST_CASE("a node down on the backup path loses nothing while the primary carries the calls") {
  Scenario sc = with_backup(50);
  sc.operators[2].node.components = 1;  // c, the transit on the backup path only
  DataPlane dp(sc, 7, 0, 0, 4000);
  dp.advance_to(500);
  dp.set_operator_up(2, false);
  dp.commit_state(500);
  dp.advance_to(3500);
  dp.set_operator_up(2, true);
  dp.commit_state(3500);
  dp.advance_to(4000);
  dp.commit_state(4000);
  const Counters& k = dp.stream_counters()[0];
  REQUIRE(k.offered > 1000);
  CHECK(static_cast<double>(k.completed) / k.offered >= 0.999);
  CHECK(k.lost[kNode] == 0);
  CHECK(dp.stream_reachable_seconds()[0] == doctest::Approx(4000));

  // Once the primary is down and rerouted around, the backup's node matters.
  DataPlane dp2(sc, 7, 0, 0, 4000);
  dp2.advance_to(500);
  dp2.set_link_up(0, false);
  dp2.set_link_believed_up(0, false);
  dp2.set_operator_up(2, false);
  dp2.commit_state(500);
  dp2.advance_to(4000);
  dp2.commit_state(4000);
  const Counters& k2 = dp2.stream_counters()[0];
  CHECK(k2.lost[kNode] == k2.offered - k2.completed);
  CHECK(k2.lost[kNode] > 0);
  CHECK(dp2.node_counters()[2].lost == k2.lost[kNode]);  // attributed to c's node
  CHECK(dp2.stream_reachable_seconds()[0] == doctest::Approx(500));
}

TEST_CASE("every path believed down: the first path really up carries the call; lost only while none is up") {
  Scenario sc = with_backup(1);
  // A call every 10 s, each holding 1 s: exact counts per interval.
  std::vector<ReplayCall> calls;
  for (int i = 0; i < 400; ++i) calls.push_back({5.0 + 10 * i, 1, 0, 0});
  DataPlane dp(sc, 7, 0, 0, 4000);
  dp.set_replay(calls);
  dp.advance_to(1000);
  for (int ic : {0, 1}) {  // both paths down, and the switch knows it
    dp.set_link_up(ic, false);
    dp.set_link_believed_up(ic, false);
  }
  dp.commit_state(1000);
  dp.advance_to(2000);
  dp.set_link_up(1, true);  // the backup is back; the switch still believes it down
  dp.commit_state(2000);
  dp.advance_to(3000);
  dp.set_link_up(0, true);  // the primary is back, believed down: tried first, it carries
  dp.commit_state(3000);
  dp.advance_to(4000);
  dp.commit_state(4000);
  const Counters& k = dp.stream_counters()[0];
  CHECK(k.offered == 400);
  CHECK(k.lost[kOutage] == 100);  // exactly the calls of [1000, 2000), when no path was up
  CHECK(k.lost_total() == 100);
  CHECK(k.direct == 200);  // [0, 1000) and [3000, 4000): the primary; [2000, 3000): the backup
  CHECK(dp.stream_reachable_seconds()[0] == doctest::Approx(3000));
  CHECK(dp.trunk_counters()[0].outage == 100);  // the first path tried, its first interconnect down
  check_identities(k);
}

TEST_CASE("calls in progress on a trunk that fails are dropped at the failure, their channels freed") {
  Scenario sc = one_trunk(5, 1);
  std::vector<ReplayCall> calls = {
      {10, 50, 0, 0},  // ends at 60, before the failure: not dropped
  };
  for (int i = 0; i < 5; ++i) calls.push_back({100.0 + i, 1000, 0, 0});  // answered, until 1100..1104
  calls.push_back({105, 1000, 0, 0});  // blocked: the trunk is full
  for (int i = 0; i < 5; ++i) calls.push_back({520.0 + i, 10, 0, 0});  // after the failure: room again
  auto run_with = [&](bool drop) {
    sc.control.drop_calls_on_failure = drop;
    DataPlane dp(sc, 7, 0, 0, 2000);
    dp.set_replay(calls);
    dp.advance_to(500);
    dp.set_link_up(0, false);
    dp.commit_state(500);
    dp.advance_to(510);
    dp.set_link_up(0, true);
    dp.commit_state(510);
    dp.advance_to(2000);
    dp.commit_state(2000);
    return std::make_pair(dp.stream_counters()[0], dp.trunk_counters()[0]);
  };
  auto [k, t] = run_with(true);
  CHECK(k.offered == 12);
  CHECK(k.dropped == 5);
  CHECK(k.completed == 11);  // dropped calls were delivered: still completed and answered
  CHECK(k.answered == 11);
  CHECK(k.lost[kBlocked] == 1);
  // 50 s, then 400..396 s until the cut at 500, then 5 x 10 s.
  CHECK(k.answered_seconds == doctest::Approx(50 + (400 + 399 + 398 + 397 + 396) + 50));
  CHECK(t.dropped == 5);
  CHECK(t.carried == 11);
  CHECK(t.channel_seconds == doctest::Approx(k.answered_seconds));
  CHECK(t.peak_busy == 5);
  check_identities(k);

  auto [kk, tt] = run_with(false);  // the old model: calls keep their channels to the end
  CHECK(kk.dropped == 0);
  CHECK(kk.lost[kBlocked] == 6);  // the five after the failure find the trunk still full
  CHECK(tt.dropped == 0);
}

TEST_CASE("a node that fails cuts the calls through it, counted at the node") {
  Scenario sc = with_backup(30);
  sc.operators[1].node.components = 1;  // b, the destination
  DataPlane dp(sc, 7, 0, 0, 4000);
  dp.advance_to(2000);
  dp.set_operator_up(1, false);
  dp.commit_state(2000);
  dp.advance_to(2100);
  dp.set_operator_up(1, true);
  dp.commit_state(2100);
  dp.advance_to(4000);
  dp.commit_state(4000);
  const Counters& k = dp.stream_counters()[0];
  CHECK(k.dropped > 10);  // about 30 erlangs in progress
  CHECK(dp.node_counters()[1].dropped == k.dropped);
  CHECK(dp.node_counters()[1].lost == k.lost[kNode]);
  CHECK(dp.trunk_counters()[0].dropped == 0);
  check_identities(k);
}

TEST_CASE("per-interconnect counts add up to the route totals") {
  Scenario sc = with_backup(40);
  sc.interconnects[0].channels = 35;
  sc.interconnects[0].completion = 0.95;
  sc.interconnects[1].channels = 8;
  sc.interconnects[2].completion = 0.9;
  sc.operators[2].node.components = 1;
  const double warmup = 0.1 * kDay, end = 2 * kDay;
  DataPlane dp(sc, 7, 0, warmup, end);
  dp.advance_to(kDay);
  dp.set_link_up(0, false);
  dp.commit_state(kDay);
  dp.advance_to(kDay + 600);
  dp.set_link_believed_up(0, false);
  dp.commit_state(kDay + 600);
  dp.advance_to(kDay + 1800);
  dp.set_operator_up(2, false);
  dp.commit_state(kDay + 1800);
  dp.advance_to(kDay + 3600);
  dp.set_link_up(0, true);
  dp.set_link_believed_up(0, true);
  dp.set_operator_up(2, true);
  dp.commit_state(kDay + 3600);
  dp.advance_to(end);
  dp.commit_state(end);
  const Counters& k = dp.stream_counters()[0];
  const auto& t = dp.trunk_counters();
  const auto& n = dp.node_counters();
  for (int cause = 0; cause < kCauses; ++cause) {
    INFO("cause ", cause);
    CHECK(k.lost[cause] > 0);
  }
  CHECK(k.dropped > 0);
  CHECK(t[0].junction + t[1].junction + t[2].junction == k.lost[kJunction]);
  CHECK(t[0].outage + t[1].outage + t[2].outage == k.lost[kOutage]);
  CHECK(n[0].lost + n[1].lost + n[2].lost == k.lost[kNode]);
  CHECK(t[0].dropped + t[1].dropped + t[2].dropped + n[0].dropped + n[1].dropped + n[2].dropped == k.dropped);
  CHECK(t[0].carried + t[1].carried == k.completed);  // each path's first hop
  CHECK(t[1].carried == t[2].carried);               // the two hops of the backup
  CHECK(t[0].carried == k.direct);
  // Offered to the primary: every attempt while it is believed up.
  CHECK(t[0].offered == t[0].carried + t[0].blocked + t[0].junction + t[0].outage);
  // A blocked attempt was turned away by a full trunk on every path it was offered.
  CHECK(k.lost[kBlocked] <= t[1].blocked + t[2].blocked);
  CHECK(t[0].blocked > k.lost[kBlocked]);  // most overflow to the backup and get through
  check_identities(k);
}

TEST_CASE("series: attempts counted in their hour of the day and measured day; drops at the failure") {
  Scenario sc = one_trunk(100, 1);
  const double warmup = 1800, end = warmup + 2 * kDay;  // days start at 00:30
  std::vector<ReplayCall> calls = {
      {1000, 10, 0, 0},              // warm-up: not counted
      {3600 + 5, 10, 0, 0},          // day 0, hour 1
      {warmup + kDay - 1, 10, 0, 0},  // day 0, hour 0 (00:29:59 of the next day)
      {warmup + kDay, 20000, 0, 0},   // day 1, hour 0; cut at 02:00 of that day
      {warmup + kDay + 1, 10, 0, 1},  // day 1, hour 0, busy
  };
  DataPlane dp(sc, 7, 0, warmup, end);
  dp.set_replay(calls);
  dp.advance_to(kDay + 7200);
  dp.set_link_up(0, false);
  dp.commit_state(kDay + 7200);
  dp.advance_to(end);
  dp.commit_state(end);
  const auto& h = dp.hour_of_day_counters();
  const auto& d = dp.day_counters();
  REQUIRE(h.size() == 24);
  REQUIRE(d.size() == 2);
  CHECK(h[0].offered == 3);
  CHECK(h[1].offered == 1);
  CHECK(h[2].dropped == 1);
  CHECK(d[0].offered == 2);
  CHECK(d[1].offered == 2);
  CHECK(d[1].dropped == 1);
  uint64_t offered = 0, completed = 0;
  for (auto& p : h) {
    offered += p.offered;
    completed += p.completed;
  }
  const Counters& k = dp.stream_counters()[0];
  CHECK(offered == k.offered);
  CHECK(completed == k.completed);
  CHECK(k.dropped == 1);
}

TEST_CASE("attempt records (for a simulated CDR): one per counted attempt, summing to the counters; none changes a count") {
  Scenario sc = with_backup(40);
  sc.interconnects[0].channels = 35;
  sc.interconnects[1].channels = 5;
  sc.interconnects[2].completion = 0.9;
  sc.operators[1].node.components = 1;
  Stream& s = sc.streams[0];
  s.callee = Callee{0.7, 0.2, 0.1, 25};
  s.redial = Redial{0.6, 120, 3};
  const double warmup = 0.1 * kDay, end = 2 * kDay;
  auto run_with = [&](std::vector<AttemptRecord>* sink) {
    DataPlane dp(sc, 7, 0, warmup, end);
    dp.record_attempts(sink);
    dp.advance_to(kDay);
    dp.set_link_up(0, false);
    dp.commit_state(kDay);
    dp.advance_to(kDay + 600);
    dp.set_link_believed_up(0, false);
    dp.commit_state(kDay + 600);
    dp.advance_to(kDay + 3600);
    dp.set_link_up(0, true);
    dp.set_link_believed_up(0, true);
    dp.set_operator_up(1, false);
    dp.commit_state(kDay + 3600);
    dp.advance_to(kDay + 4200);
    dp.set_operator_up(1, true);
    dp.commit_state(kDay + 4200);
    dp.advance_to(end);
    dp.commit_state(end);
    return dp.stream_counters()[0];
  };
  std::vector<AttemptRecord> recs;
  const Counters with = run_with(&recs), without = run_with(nullptr);
  CHECK(with.offered == without.offered);
  CHECK(with.answered == without.answered);
  CHECK(with.dropped == without.dropped);
  CHECK(with.answered_seconds == without.answered_seconds);
  for (int c = 0; c < kCauses; ++c) CHECK(with.lost[c] == without.lost[c]);

  REQUIRE(recs.size() == with.offered);
  Counters sum;
  double previous = 0, answered_seconds = 0;
  for (const AttemptRecord& a : recs) {
    CHECK(a.time >= previous);  // arrival order
    CHECK(a.time >= warmup);
    previous = a.time;
    ++sum.offered;
    if (a.attempt == 1) ++sum.callers;
    if (a.outcome >= 0) {
      ++sum.lost[a.outcome];
      CHECK((a.outcome == kBlocked) == (a.path == UINT32_MAX));
    } else if (a.callee == 0) {
      ++sum.answered;
      answered_seconds += a.held;
      sum.dropped += a.dropped;
    } else {
      a.callee == 1 ? ++sum.busy : ++sum.no_answer;
    }
  }
  CHECK(sum.callers == with.callers);
  CHECK(sum.answered == with.answered);
  CHECK(sum.busy == with.busy);
  CHECK(sum.no_answer == with.no_answer);
  CHECK(sum.dropped == with.dropped);
  CHECK(with.dropped > 0);
  CHECK(answered_seconds == doctest::Approx(with.answered_seconds));  // dropped calls held until the cut
  for (int c = 0; c < kCauses; ++c) CHECK(sum.lost[c] == with.lost[c]);
}

TEST_CASE("funnel: memory is bounded by the visits still to end or call, not by the visitors simulated") {
  // 20,000 visitors a day for 10 days; each visit lasts 3 minutes and a call
  // comes within minutes, so about 20000 / 1440 x (3 + a few) visits are live
  // at once, whatever the length of the run.
  Scenario sc = one_trunk(100000, 1);
  sc.streams.clear();
  PoolDef pool;
  pool.name = "p";
  pool.numbers = 50;
  sc.pools = {pool};
  Source src;
  src.name = "ads";
  src.label = "ads";
  src.visitors_per_day = 20000;
  src.profile.assign(24, 1.0);
  src.call_share = 0.3;
  src.pool = 0;
  src.stream = 0;
  sc.sources = {src};
  Stream calls = traffic(1);
  calls.name = "ads";
  calls.source = 0;
  sc.streams = {calls};
  DataPlane dp(sc, 7, 0, 0, 10 * kDay);
  size_t peak = 0;
  for (double t = 600; t <= 10 * kDay; t += 600) {
    dp.advance_to(t);
    peak = std::max(peak, dp.live_visits());
  }
  dp.commit_state(10 * kDay);
  const FunnelCounters f = dp.funnel_counters().at(0);
  CHECK(f.visitors > 190000);
  CHECK(peak > 20);
  CHECK(peak < 200);  // about 50 on average; 200000 visitors went through
  // The funnel's identity, and its calls counted in the network as the stream's.
  CHECK(f.callers == f.lost_total() + f.missed_total() + f.answered_attributed + f.answered_unattributed);
  CHECK(dp.stream_counters().at(0).offered == f.callers);
  CHECK(f.callers == doctest::Approx(0.3 * f.visitors).epsilon(0.02));
  // 50 numbers for about 20000 x 5 / 1440 = 69 erlangs of visitors: overflow.
  CHECK(f.shown_overflow > 0);
  CHECK(f.unattributed[kUnattributedOverflow] > 0);
}

TEST_CASE("funnel: a scenario without sources makes no funnel") {
  const Scenario sc = one_trunk(10, 5);  // outlives the data plane
  DataPlane dp(sc, 7, 0, 0, kDay);
  dp.advance_to(kDay);
  CHECK(dp.funnel_counters().empty());
  CHECK(dp.live_visits() == 0);
}
