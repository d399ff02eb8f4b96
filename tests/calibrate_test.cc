// `telsim cdr calibrate`: scenario inputs estimated from CDRs. The round
// trip: a network with known inputs (tests/fixtures/calibrate/known.toml) is
// simulated, its CDR written with `sim run --cdr-out`, calibrated, and every
// input recovered within its interval; the include written loads in a real
// scenario and runs. Bad input fails as the CDR readers fail, leaving no file.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "core/cdr/cdr_calibrate.h"
#include "core/cdr/cdr_reader.h"
#include "core/net/scenario.h"
#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

// The house rule of the statistical tests (docs/model.md, "Validation"): the
// truth may be at most 1.5 times the interval's half-width (on its side)
// from the estimate, and the interval is bounded, so a wrong estimator
// cannot hide behind a wide interval.
void check_recovers(const std::string& what, const Estimate& e, double truth, double max_half) {
  INFO(what << ": estimate " << e.value << " [" << e.low << ", " << e.high << "], truth " << truth);
  REQUIRE(e.known);
  const double half = truth >= e.value ? e.high - e.value : e.value - e.low;
  CHECK(std::abs(truth - e.value) <= 1.5 * half + 1e-12);
  CHECK((e.high - e.low) / 2 <= max_half);
}

Calibration calibrate_file(const std::string& cdr, OriginBy origin = OriginBy::kChannel) {
  CdrReadOptions ro;
  ro.threads = 1;
  CalibrationSink sink;
  read_cdr({cdr}, ro, {&sink});
  CalibrateOptions co;
  co.origin = origin;
  return calibrate({&sink}, co);
}

// The simulated CDR of known.toml and the run's own JSON, made once.
struct RoundTrip {
  test::TempDir dir;
  json run;
  Calibration cal;
  RoundTrip() {
    auto r = test::telsim(fmt::format("sim run {} --cdr-out {} --format json",
                                      test::source("tests/fixtures/calibrate/known.toml"), dir.file("cdr.csv")));
    REQUIRE(r.exit_code == 0);
    run = json::parse(r.out);
    cal = calibrate_file(dir.file("cdr.csv"));
  }
};

RoundTrip& round_trip() {
  static RoundTrip rt;
  return rt;
}

const OriginCalibration& origin(const Calibration& c, const std::string& key) {
  for (auto& o : c.origins)
    if (o.key == key) return o;
  FAIL("no origin " << key);
  return c.origins.front();
}

}  // namespace

TEST_CASE("calibrate: the simulated network's inputs are recovered within their intervals") {
  auto& rt = round_trip();
  const Scenario known = load_scenario(test::source("tests/fixtures/calibrate/known.toml"));
  const Calibration& cal = rt.cal;
  CHECK(cal.days == 20);
  REQUIRE(cal.origins.size() == 2);
  for (const Stream& s : known.streams) {
    const OriginCalibration& o = origin(cal, s.from);
    INFO("stream " << s.name);
    check_recovers("calls_per_day", o.calls_per_day, s.calls_per_day, 0.02 * s.calls_per_day);
    for (int h = 0; h < 24; ++h)  // the shape: weights of mean 1, as loaded
      check_recovers(fmt::format("profile {}h", h), o.profile[h], s.profile[h], 0.15);
    check_recovers("holding mean", o.holding_mean, s.holding.mean, 0.02 * s.holding.mean);
    check_recovers("holding sd", o.holding_sd, s.holding.sd, 0.05 * s.holding.sd);
    CHECK(o.ks_distance < 1.358 / std::sqrt(static_cast<double>(o.answered)));  // a lognormal: the fit holds
    check_recovers("answer", o.answer, s.callee.answer, 0.01);
    check_recovers("busy", o.busy, s.callee.busy, 0.01);
    check_recovers("no_answer", o.no_answer, s.callee.no_answer, 0.01);
    check_recovers("ring seconds", o.ring_seconds, s.callee.ring_seconds, 0.5);
    check_recovers("redial share", o.redial_share, s.redial.share, 0.02);
    check_recovers("redial delay", o.redial_delay_minutes, s.redial.delay_seconds / 60, 0.05 * s.redial.delay_seconds / 60);
    CHECK(o.max_attempts == s.redial.max_attempts);
    // One hop per path here: the path's completion is the interconnect's.
    const Interconnect& ic = known.interconnects[known.routes[s.route].paths[0][0]];
    check_recovers("completion", o.completion, ic.completion, 0.003);
  }
  for (auto& t : cal.trunks) {
    const Interconnect& ic = known.interconnects[known.interconnect_index(t.trunk.substr(4))];
    check_recovers("trunk " + t.trunk, t.completion, ic.completion, 0.003);
  }
}

TEST_CASE("calibrate: causes survive the round trip (outages are not junction losses)") {
  auto& rt = round_trip();
  int64_t junction = 0, outage = 0, capacity = 0, delivered = 0;
  for (auto& o : rt.cal.origins) {
    junction += o.by_class[static_cast<int>(CauseClass::kJunction)];
    outage += o.by_class[static_cast<int>(CauseClass::kOutage)];
    capacity += o.by_class[static_cast<int>(CauseClass::kCapacity)];
    delivered += o.by_class[static_cast<int>(CauseClass::kDelivered)];
  }
  const json& lost = rt.run["overall"]["lost_by_cause"];
  CHECK(junction == lost["junction"]["mean"].get<double>());
  CHECK(outage == lost["outage"]["mean"].get<double>() + lost["node"]["mean"].get<double>());
  CHECK(capacity == lost["blocked"]["mean"].get<double>());
  CHECK(delivered == rt.run["overall"]["completed"]["mean"].get<double>());
  CHECK(outage > 0);  // the beeline interconnect's incidents did lose calls
}

TEST_CASE("calibrate: the Asterisk userfield carries the cause when it is a Q.850 number") {
  test::TempDir dir;
  const std::string row =
      "\"\",\"+79161234567\",\"+74951000001\",\"telsim\",\"\",\"SIP/mts-1\",\"SIP/mts-ours-1\",\"Dial\",\"\","
      "\"2026-01-01 10:00:00\",,\"2026-01-01 10:00:00\",0,0,\"FAILED\",\"DOCUMENTATION\",\"1.{id}\",\"{uf}\",\"\","
      "\"1.{id}\",{id}\n";
  std::string text;
  int id = 0;
  for (const char* uf : {"38", "27", "41", "", "not a cause", "0", "200"})
    text += fmt::format(fmt::runtime(row), fmt::arg("id", ++id), fmt::arg("uf", uf));
  test::write_file(dir.file("m.csv"), text);
  std::vector<int> causes;
  CdrReadOptions ro;
  for_each_call({dir.file("m.csv")}, ro, [&](const CdrCall& c) { causes.push_back(c.q850); });
  // FAILED's own cause (41) when the userfield is not a cause.
  CHECK(causes == std::vector<int>{38, 27, 41, 41, 41, 41, 41});
}

TEST_CASE("calibrate: the include written loads in a real scenario, which runs") {
  auto& rt = round_trip();
  test::TempDir dir;
  const std::string traffic = dir.file("traffic.toml");
  auto r = test::telsim(fmt::format("cdr calibrate {} --out {}", rt.dir.file("cdr.csv"), traffic));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const std::string scenario = dir.file("calibrated.toml");
  test::write_file(scenario, fmt::format("include = [\"{}\", \"traffic.toml\"]\n",
                                         test::source("tests/fixtures/calibrate/network.toml")));
  const Scenario sc = load_scenario(scenario);
  REQUIRE(sc.streams.size() == 2);
  for (const Stream& s : sc.streams) {
    const OriginCalibration& o = origin(rt.cal, s.from);
    INFO(s.name);
    CHECK(s.name == "from-" + o.key);
    CHECK(s.to == "ours");
    CHECK(s.calls_per_day == doctest::Approx(o.calls_per_day.value).epsilon(1e-3));
    CHECK(s.holding.kind == Duration::Kind::kLognormal);
    CHECK(s.holding.mean == doctest::Approx(o.holding_mean.value).epsilon(1e-3));
    CHECK(s.callee.answer == doctest::Approx(o.answer.value).epsilon(1e-3));
    CHECK(s.redial.max_attempts == o.max_attempts);
  }
  // The hops: one per origin and one per trunk, each a completion.
  toml::table t = toml::parse_file(traffic);
  CHECK(t["hops"]["cdr-from-mts"].value<double>().value_or(-1) ==
        doctest::Approx(origin(rt.cal, "mts").completion.value).epsilon(1e-3));
  CHECK(t["hops"]["cdr-trunk-beeline-ours"].value<double>().value_or(-1) ==
        doctest::Approx(origin(rt.cal, "beeline").completion.value).epsilon(1e-3));
  // The calibrated network behaves as the known one: the same network fed
  // the estimated traffic offers and completes as many calls (within 3%,
  // several times the estimates' own uncertainty) and completes the same share.
  auto run = test::telsim(fmt::format("sim run {} --replications 4 --format json", scenario));
  REQUIRE(run.exit_code == 0);
  json j = json::parse(run.out);
  CHECK(j["streams"].size() == 2);
  auto known = test::telsim(fmt::format("sim run {} --replications 4 --format json",
                                        test::source("tests/fixtures/calibrate/known.toml")));
  REQUIRE(known.exit_code == 0);
  json k = json::parse(known.out);
  auto mean = [](const json& d, const char* what) { return d["overall"][what]["mean"].get<double>(); };
  CHECK(mean(j, "offered") == doctest::Approx(mean(k, "offered")).epsilon(0.03));
  CHECK(mean(j, "completed") == doctest::Approx(mean(k, "completed")).epsilon(0.03));
  CHECK(mean(j, "answered") == doctest::Approx(mean(k, "answered")).epsilon(0.03));
  CHECK(mean(j, "completion_ratio") == doctest::Approx(mean(k, "completion_ratio")).epsilon(0.003));
  // Byte-identical for the same input, whatever the number of threads.
  auto again = test::telsim(fmt::format("cdr calibrate {} --threads 1", rt.dir.file("cdr.csv")));
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == test::slurp(traffic));
}

TEST_CASE("calibrate: bad input is refused as by cdr stats, with exit 2 and no file written") {
  test::TempDir dir;
  const std::string out = dir.file("traffic.toml");
  auto missing = test::telsim(fmt::format("cdr calibrate {} --out {}", dir.file("nope.csv"), out));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.csv") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));

  test::write_file(dir.file("junk.csv"), "not,a,cdr\nat,all,\n");
  test::write_file(out, "# an older calibration\n");
  auto junk = test::telsim(fmt::format("cdr calibrate {} --input asterisk --out {}", dir.file("junk.csv"), out));
  CHECK(junk.exit_code == 2);
  CHECK(junk.err.find("no row could be read: 2 of 2 rows skipped") != std::string::npos);
  CHECK(test::slurp(out) == "# an older calibration\n");  // untouched
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 2);  // no temporary left

  auto no_registry = test::telsim(
      fmt::format("cdr calibrate {} --origin registry", test::source("tests/fixtures/cdr/asterisk_messy.csv")));
  CHECK(no_registry.exit_code == 2);
  CHECK(no_registry.err.find("--origin registry needs --registry") != std::string::npos);
  auto bad_key = test::telsim(
      fmt::format("cdr calibrate {} --to 'our op'", test::source("tests/fixtures/cdr/asterisk_messy.csv")));
  CHECK(bad_key.exit_code == 2);
  CHECK(bad_key.err.find("--to 'our op'") != std::string::npos);
}

TEST_CASE("calibrate: origins from the numbering registry, named by --operator") {
  test::TempDir dir;
  const std::string reg = dir.file("r.reg");
  REQUIRE(test::telsim(fmt::format("numbering import {} {} --registry {}",
                                   test::source("tests/fixtures/numbering/ABC-4xx.csv"),
                                   test::source("tests/fixtures/numbering/DEF-9xx.csv"), reg))
              .exit_code == 0);
  auto r = test::telsim(fmt::format("cdr calibrate {} --registry {} --operator 'ТелеСистемы=mts' --to tracking",
                                    test::source("tests/fixtures/cdr/asterisk_messy.csv"), reg));
  REQUIRE(r.exit_code == 0);
  // The MTS caller (+7916...) is named by --operator; the other range
  // holders get operator-N with their registry name in the comment; a local
  // number and a bare "1" are unknown.
  CHECK(r.out.find("[streams.from-mts]\n# origin mts: caller's range holder in the numbering registry: ПАО "
                   "\"Мобильные ТелеСистемы\"") != std::string::npos);
  CHECK(r.out.find("[streams.from-operator-1]\n# origin operator-1: caller's range holder in the numbering registry: "
                   "ПАО \"Вымпел-Коммуникации\"") != std::string::npos);
  CHECK(r.out.find("[streams.from-unknown]") != std::string::npos);
  CHECK(r.out.find("to = \"tracking\"") != std::string::npos);
  auto bad = test::telsim(fmt::format("cdr calibrate {} --registry {} --operator 'no key'",
                                      test::source("tests/fixtures/cdr/asterisk_messy.csv"), reg));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--operator 'no key': use NAME=KEY") != std::string::npos);
}

TEST_CASE("calibrate: every shipped test CDR calibrates into an include that loads") {
  test::TempDir dir;
  test::write_file(dir.file("net.toml"), R"([operators.all]
kind = "fixed"
[operators.ours]
kind = "ours"
[interconnects.t]
between = ["all", "ours"]
channels = 10
[routes.r]
from = "all"
to = "ours"
paths = [["t"]]
)");
  const std::string fx = test::source("tests/fixtures/cdr/");
  for (const std::string& args : std::vector<std::string>{"asterisk_messy.csv --tz Europe/Moscow", "freeswitch.csv", "mysql_export.csv",
                                 "export.csv --mapping " + fx + "export.toml"}) {
    INFO(args);
    const std::string out = dir.file("traffic.toml");
    auto r = test::telsim(fmt::format("cdr calibrate {}{} --origin none --out {}", fx, args, out));
    REQUIRE(r.exit_code == 0);
    test::write_file(dir.file("s.toml"), "include = [\"net.toml\", \"traffic.toml\"]\n");
    const Scenario sc = load_scenario(dir.file("s.toml"));
    REQUIRE(sc.streams.size() == 1);
    CHECK(sc.streams[0].calls_per_day > 0);
  }
}
