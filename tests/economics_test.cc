// Money follows calls: the [economics] table of a scenario, the economics
// options of sim run and sim compare, and the `economics` object of their
// JSON (docs/output-format.md, "Economics").
#include "core/net/economics.h"

#include <doctest/doctest.h>

#include <regex>
#include <nlohmann/json.hpp>

#include <cmath>

#include "core/base/error.h"
#include "core/net/scenario.h"
#include "tests/test_util.h"

using namespace telsim;
using json = nlohmann::json;

namespace {

const char* kNetwork =
    "[simulation]\n"                          // 1
    "days = 0.5\n"                            // 2
    "replications = 3\n"                      // 3
    "[operators.a]\n"                         // 4
    "kind = \"mobile\"\n"                     // 5
    "[operators.b]\n"                         // 6
    "kind = \"ours\"\n"                       // 7
    "[interconnects.ab]\n"                    // 8
    "between = [\"a\", \"b\"]\n"              // 9
    "channels = 5\n"                          // 10
    "completion = 0.9\n"                      // 11
    "[routes.r]\n"                            // 12
    "from = \"a\"\n"                          // 13
    "to = \"b\"\n"                            // 14
    "paths = [[\"ab\"]]\n"                    // 15
    "[streams.s]\n"                           // 16
    "from = \"a\"\n"                          // 17
    "to = \"b\"\n"                            // 18
    "calls_per_day = 2000\n"                  // 19
    "[economics]\n";                          // 20, the economics lines follow

std::string load_error(const std::string& economics) {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, kNetwork + economics);
  try {
    load_scenario(f);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

double mean(const json& j, const char* key) { return j.at(key).at("mean").get<double>(); }

}  // namespace

TEST_CASE("[economics] is read strictly: file, line and key for every mistake") {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, std::string(kNetwork) + "conversion_rate = 0.25\norder_value = 8000\ncurrency = \"RUB\"\n"
                                              "calls_per_month = 90000\nsource = \"the client's CRM\"\n");
  Scenario sc = load_scenario(f);
  CHECK(sc.economics.given);
  CHECK(sc.economics.basis() == "conversion");
  CHECK(*sc.economics.value_per_lead() == doctest::Approx(2000));
  CHECK(*sc.economics.calls_per_month == 90000);
  CHECK(sc.economics.volume_from == "scenario");

  test::write_file(f, std::string(kNetwork).substr(0, std::string(kNetwork).rfind("[economics]")));
  CHECK_FALSE(load_scenario(f).economics.given);

  CHECK(load_error("call_valeu = 5\n").find("s.toml:21: economics.call_valeu: unknown key") != std::string::npos);
  CHECK(load_error("call_value = -5\ncurrency = \"EUR\"\n").find("s.toml:21: economics.call_value") != std::string::npos);
  CHECK(load_error("conversion_rate = 1.5\norder_value = 10\ncurrency = \"EUR\"\n").find("s.toml:21: economics.conversion_rate") !=
        std::string::npos);
  CHECK(load_error("conversion_rate = 0.5\ncurrency = \"EUR\"\n").find("conversion_rate and order_value go together") !=
        std::string::npos);
  CHECK(load_error("call_value = 5\ncost_per_lead = 3\ncurrency = \"EUR\"\n").find("give one value of a lead") !=
        std::string::npos);
  CHECK(load_error("call_value = 5\n").find("s.toml:21: economics.call_value: an amount needs its currency") !=
        std::string::npos);
  CHECK(load_error("calls_per_month = 0\n").find("s.toml:21: economics.calls_per_month") != std::string::npos);
  CHECK(load_error("currency = \"\"\n").find("s.toml:21: economics.currency") != std::string::npos);

  // As the user meets it: exit 2, the place on stderr, nothing on stdout.
  test::write_file(f, std::string(kNetwork) + "call_valeu = 5\n");
  auto r = test::telsim("sim run " + f);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("s.toml:21: economics.call_valeu: unknown key") != std::string::npos);
}

TEST_CASE("sim compare prices losses per month, per network and as the paired difference") {
  const std::string nets = test::source("scenarios/transit-vs-direct-transit.toml") + " " +
                           test::source("scenarios/transit-vs-direct-direct.toml") +
                           " --days 0.5 --replications 3 --format json";
  auto r = test::telsim("sim compare " + nets + " --call-value 700 --currency EUR --calls-per-month 1000");
  REQUIRE(r.exit_code == 0);
  json e = json::parse(r.out).at("economics");
  CHECK(e["currency"] == "EUR");
  CHECK(e["calls_per_month_from"] == "option");
  CHECK(e["value_basis"] == "call_value");
  const json& a = e["networks"][0];
  const json& b = e["networks"][1];
  const json& d = e["differences"][0];
  for (const json* n : {&a, &b}) {
    CHECK(mean(*n, "lost_revenue_per_month") == doctest::Approx(mean(*n, "lost_leads_per_month") * 700));
    CHECK(mean(*n, "lost_revenue_per_year") == doctest::Approx(mean(*n, "lost_revenue_per_month") * 12));
    double causes = 0;
    for (auto& [k, v] : (*n)["lost_calls_per_month_by_cause"].items()) causes += v["mean"].get<double>();
    CHECK(causes == doctest::Approx(mean(*n, "lost_calls_per_month")));
    double hours = 0;
    for (auto& h : (*n)["lost_calls_per_month_by_hour"]) hours += h["mean"].get<double>();
    CHECK((*n)["lost_calls_per_month_by_hour"].size() == 24);
    CHECK(hours == doctest::Approx(mean(*n, "lost_calls_per_month")));
    CHECK(mean(*n, "lost_leads_per_month") <= mean(*n, "lost_calls_per_month"));
    CHECK((*n)["lost_calls_per_month"]["ci95"].is_number());
  }
  // The transit chain loses more than the direct network; the difference is B - A.
  CHECK(mean(a, "lost_calls_per_month") > mean(b, "lost_calls_per_month"));
  CHECK(mean(d, "lost_calls_per_month") ==
        doctest::Approx(mean(b, "lost_calls_per_month") - mean(a, "lost_calls_per_month")));
  CHECK(mean(d, "lost_revenue_per_month") ==
        doctest::Approx(mean(b, "lost_revenue_per_month") - mean(a, "lost_revenue_per_month")));

  // The prospect's volume scales every figure, whatever the simulated days.
  auto twice = test::telsim("sim compare " + nets + " --call-value 700 --currency EUR --calls-per-month 2000");
  REQUIRE(twice.exit_code == 0);
  json e2 = json::parse(twice.out).at("economics");
  CHECK(mean(e2["networks"][0], "lost_calls_per_month") == doctest::Approx(2 * mean(a, "lost_calls_per_month")));
  CHECK(mean(e2["differences"][0], "lost_revenue_per_year") == doctest::Approx(2 * mean(d, "lost_revenue_per_year")));

  // CI gates on the money.
  auto gate = test::telsim("sim compare " + nets +
                           " --call-value 700 --currency EUR --fail-if 'economics.differences.0.lost_revenue_per_month.mean > 0'");
  CHECK(gate.exit_code == 0);
  auto held = test::telsim("sim compare " + nets +
                           " --call-value 700 --currency EUR --fail-if 'economics.networks.0.lost_revenue_per_month.mean > 0'");
  CHECK(held.exit_code == 3);
}

TEST_CASE("economics options: the table in plain words, and mistakes named by option") {
  const std::string run = "sim run " + test::source("scenarios/erlang-b.toml") + " --days 0.2 --replications 2";
  auto t = test::telsim(run + " --conversion-rate 0.1 --order-value 5000 --currency RUB --calls-per-month 30000");
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("Money: 30,000 calls a month (the prospect's), a lead is worth 500 RUB") != std::string::npos);
  CHECK(t.out.find("callers never get through") != std::string::npos);

  auto plain = test::telsim(run + " --format json");
  REQUIRE(plain.exit_code == 0);
  CHECK_FALSE(json::parse(plain.out).contains("economics"));  // nothing asked, nothing added

  auto no_currency = test::telsim(run + " --call-value 5");
  CHECK(no_currency.exit_code == 2);
  CHECK(no_currency.err.find("--call-value: an amount needs its currency") != std::string::npos);
  auto half = test::telsim(run + " --conversion-rate 0.2 --currency RUB");
  CHECK(half.exit_code == 2);
  CHECK(half.err.find("--order-value") != std::string::npos);
  auto rate = test::telsim(run + " --conversion-rate 2 --order-value 5 --currency RUB");
  CHECK(rate.exit_code == 2);
  CHECK(rate.err.find("--conversion-rate") != std::string::npos);
}

TEST_CASE("economics in plain words: a network's own interval stops at zero, a difference's does not") {
  // Two days of three runs: the direct network's losses come from a rare
  // outage, and mean - ci95 of its calls lost a month is below zero.
  const std::string cmp = "sim compare " + test::source("scenarios/transit-vs-direct-transit.toml") + " " +
                          test::source("scenarios/transit-vs-direct-direct.toml") + " --days 2 --replications 3";
  auto j = test::telsim(cmp + " --format json");
  REQUIRE(j.exit_code == 0);
  json doc = json::parse(j.out);
  const json& b = doc["economics"]["networks"][1];
  REQUIRE(b["lost_calls_per_month"]["low"].get<double>() < 0);  // the JSON keeps mean - ci95
  auto t = test::telsim(cmp);
  REQUIRE(t.exit_code == 0);
  size_t at = t.out.find("[B] direct loses ");
  REQUIRE(at != std::string::npos);
  std::string line = t.out.substr(at, t.out.find(" a year", at) - at);
  CHECK(line.find("(95% CI 0 to ") != std::string::npos);
  CHECK(line.find("CI -") == std::string::npos);
  // The difference's interval is as computed (here all of it below zero, shown as "fewer").
  CHECK(t.out.find("[B] direct instead of [A] transit: ") != std::string::npos);
  // A year's money has its interval as a month's has.
  CHECK(std::regex_search(t.out, std::regex("that is [0-9,]+ RUB a month \\(95% CI [0-9,]+ to [0-9,]+\\), [0-9,]+ RUB a "
                                            "year \\(95% CI [0-9,]+ to [0-9,]+\\)")));
  CHECK(t.out.find("might save") == std::string::npos);  // this difference is clear
}

TEST_CASE("economics in plain words: a difference whose interval holds zero says the run cannot tell") {
  // Half a day of two runs: the outages that make the transit network's
  // losses are too few for the difference to be sure.
  auto t = test::telsim("sim compare " + test::source("scenarios/transit-vs-direct-transit.toml") + " " +
                        test::source("scenarios/transit-vs-direct-direct.toml") + " --days 0.5 --replications 2");
  REQUIRE(t.exit_code == 0);
  CHECK(std::regex_search(t.out, std::regex("\\[B\\] direct instead of \\[A\\] transit: perhaps [0-9,]+ fewer calls lost a "
                                            "month \\(95% CI -[0-9,]+ to [0-9,]+\\);\n    might save [0-9,]+ RUB a month "
                                            "\\(95% CI -[0-9,]+ to [0-9,]+\\), [0-9,]+ RUB a year \\(95% CI -[0-9,]+ to [0-9,]+\\);"
                                            "\n    the intervals of the calls and the money hold no change: the run cannot tell which network "
                                            "loses less")));
  CHECK(t.out.find("no difference within the run's precision") != std::string::npos);  // as "In short" says
}
