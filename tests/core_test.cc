// Small core units: statistics, random streams, timelines, availability,
// phone numbers and time parsing.
#include <doctest/doctest.h>

#include <cmath>

#include "core/net/availability.h"
#include "core/base/clock.h"
#include "core/phone/phone.h"
#include "core/base/random.h"
#include "core/base/stats.h"
#include "core/base/table.h"
#include "core/net/timeline.h"

using namespace telsim;

TEST_CASE("student t quantiles and confidence intervals") {
  CHECK(student_t975(1) == doctest::Approx(12.7062));
  CHECK(student_t975(9) == doctest::Approx(2.2622));
  CHECK(student_t975(60) == doctest::Approx(2.0003).epsilon(1e-4));
  CHECK(student_t975(120) == doctest::Approx(1.9799).epsilon(1e-4));
  Summary s = summarize({1, 2, 3, 4, 5});
  CHECK(s.mean == 3);
  CHECK(s.sd == doctest::Approx(std::sqrt(2.5)));
  CHECK(s.ci95 == doctest::Approx(2.7764 * std::sqrt(2.5) / std::sqrt(5.0)));
  CHECK(summarize({7}).ci95 == 0);
}

TEST_CASE("random streams are named, reproducible and independent") {
  Rng a(1, 0, "arrivals/x"), b(1, 0, "arrivals/x"), c(1, 0, "arrivals/y"), d(1, 1, "arrivals/x");
  for (int i = 0; i < 5; ++i) {
    uint64_t x = a.next();
    CHECK(x == b.next());
    CHECK(x != c.next());
    CHECK(x != d.next());
  }
  // Distribution means over many draws (fixed seed, bounds of ~5 standard errors).
  Rng r(42);
  const int n = 200000;
  double se = 0, sl = 0, sl2 = 0;
  Duration logn{Duration::Kind::kLognormal, 150, 120};
  for (int i = 0; i < n; ++i) {
    se += r.exponential(180);
    double x = logn.sample(r);
    sl += x;
    sl2 += x * x;
  }
  CHECK(se / n == doctest::Approx(180).epsilon(5 * 180 / std::sqrt(n) / 180));
  double m = sl / n, sd = std::sqrt(sl2 / n - m * m);
  CHECK(m == doctest::Approx(150).epsilon(0.01));
  CHECK(sd == doctest::Approx(120).epsilon(0.05));
  Duration det{Duration::Kind::kDeterministic, 60, 0};
  CHECK(det.sample(r) == 60);
}

TEST_CASE("timelines merge overlaps and count node outages") {
  auto v = normalise({{10, 20}, {15, 30}, {40, 50}, {45, 45}, {90, 120}}, 100);
  REQUIRE(v.size() == 3);
  CHECK(v[0].start == 10);
  CHECK(v[0].end == 30);
  CHECK(v[2].end == 100);  // cut at the horizon
  CHECK(down_time(v, 0, 100) == 20 + 10 + 10);
  CHECK(down_time(v, 25, 45) == 5 + 5);
  // Two components: the node (1 required) is down only when both are.
  std::vector<std::vector<Down>> comps = {{{10, 30}}, {{20, 40}}};
  auto both = node_down_timeline(comps, 1, 100);
  REQUIRE(both.size() == 1);
  CHECK(both[0].start == 20);
  CHECK(both[0].end == 30);
  auto any = node_down_timeline(comps, 2, 100);
  REQUIRE(any.size() == 1);
  CHECK(any[0].start == 10);
  CHECK(any[0].end == 40);
  // Random incidents: about horizon / mean gap of them.
  Interconnect ic;
  ic.name = "x";
  ic.incidents.mean_between_hours = 10;
  ic.incidents.duration = {Duration::Kind::kDeterministic, 60, 0};
  auto inc = incident_timeline(ic, 1, 0, 3600.0 * 10 * 1000);
  CHECK(inc.size() == doctest::Approx(1000).epsilon(0.1));
  auto again = incident_timeline(ic, 1, 0, 3600.0 * 10 * 1000);
  REQUIRE(again.size() == inc.size());
  for (size_t i = 0; i < inc.size(); ++i) CHECK(again[i].start == inc[i].start);
}

TEST_CASE("availability formulas") {
  CHECK(availability(999, 1) == doctest::Approx(0.999));
  CHECK(availability_series({0.9, 0.9}) == doctest::Approx(0.81));
  CHECK(availability_parallel({0.9, 0.9}) == doctest::Approx(0.99));
  CHECK(availability_k_of_n(1, 2, 0.9) == doctest::Approx(0.99));
  CHECK(availability_k_of_n(2, 2, 0.9) == doctest::Approx(0.81));
  CHECK(availability_k_of_n(2, 3, 0.9) == doctest::Approx(0.972));
}

TEST_CASE("phone numbers to E.164 (region RU)") {
  PhoneNormaliser p("RU");
  CHECK(p.normalise("89245555937").text == "+79245555937");
  CHECK(p.normalise("79245555937").text == "+79245555937");
  CHECK(p.normalise("+7 (495) 123-45-67").text == "+74951234567");
  CHECK(p.normalise("81079246516548").text == "+79246516548");
  CHECK(p.normalise("8 800 555 35 35").text == "+78005553535");
  CHECK(p.normalise("+442079460000").text == "+442079460000");
  PhoneNumber local = p.normalise("214943");
  CHECK(local.kind == PhoneNumber::Kind::kLocal);
  CHECK(local.text == "214943");
  CHECK(p.normalise("anonymous").kind == PhoneNumber::Kind::kInvalid);
  CHECK(p.normalise("").kind == PhoneNumber::Kind::kInvalid);
  CHECK(p.is_valid("+79245555937"));
  CHECK(!p.is_valid("+7214943"));
}

TEST_CASE("tables align numbers right and measure UTF-8 by code points") {
  Table t({"name", "value"});
  t.add({"a", "1.5% ±0.2"});
  t.add({"bb", "10"});
  t.add({"c", "3 calls in window"});
  CHECK(t.text() ==
        "name  value\n"
        "-----------------------\n"
        "a             1.5% ±0.2\n"
        "bb                   10\n"
        "c     3 calls in window\n");
  CHECK(t.csv() == "name,value\na,1.5% ±0.2\nbb,10\nc,3 calls in window\n");
  Table q({"x"});
  q.add({"say \"hi\", ok"});
  CHECK(q.csv() == "x\n\"say \"\"hi\"\", ok\"\n");
}
