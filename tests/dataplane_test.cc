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
