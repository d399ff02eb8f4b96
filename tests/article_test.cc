// scenarios/article-operator.toml reproduces the figures it is calibrated to
// (docs/domain.md); the tolerances are stated here and in the scenario.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using json = nlohmann::json;

TEST_CASE("article-operator reproduces the published figures") {
  // 10 days x 3 replications keeps the test short; the figures are rates.
  auto r = telsim::test::telsim("sim run " + telsim::test::source("scenarios/article-operator.toml") +
                                " --days 10 --replications 3 --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  const json& o = j["overall"];
  auto mean = [](const json& v) { return v["mean"].get<double>(); };

  // About 90% of traffic over direct interconnects: 0.90 +- 0.03.
  CHECK(mean(o["direct_share"]) == doctest::Approx(0.90).epsilon(0.034));
  // About 5 incidents a day with upstream carriers: 5 +- 1.5 (Poisson noise
  // over 10 days: about 0.4 per day for the mean of 3 replications).
  CHECK(mean(j["network"]["incidents_per_day"]) == doctest::Approx(5.0).epsilon(0.3));
  // Node: three nines or better (the article's "rarely over 15 minutes a month").
  CHECK(mean(j["network"]["node_availability"]["ours"]) >= 0.999);
  // More than 20 million minutes a month: at least 19.5M per 30 days.
  CHECK(mean(o["answered_minutes"]) / 10 * 30 >= 19.5e6);
  // 8 million calls a month (first attempts): 266,700 a day, +- 1%.
  CHECK(mean(o["offered"]) / 10 == doctest::Approx(266700).epsilon(0.01));
  // With live monitoring and a 5-10 minute reroute, outages cost well under
  // 1% of calls: ~5 incidents/day x 9.5 minutes on 1/7 of the traffic.
  CHECK(mean(o["call_availability"]) > 0.995);
  CHECK(mean(o["lost_by_cause"]["outage"]) > 0);
}
