// Validation of the simulator against theory, through the real `telsim`
// binary. Fixed seeds; every statistical check uses the run's own 95%
// confidence interval (replications), widened by 1.5 so that a fixed seed
// cannot sit on the edge, and also bounds the interval's width so that a
// wrong model cannot hide behind a wide one.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/net/availability.h"
#include "core/base/erlang.h"
#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

json sim_json(const std::string& args) {
  auto r = test::telsim("sim run " + args + " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

double mean(const json& v) { return v.is_object() ? v["mean"].get<double>() : v.get<double>(); }
double ci(const json& v) { return v.is_object() ? v["ci95"].get<double>() : 0.0; }

// offered = completed + lost, lost = the sum of its causes, in every group.
void check_conservation(const json& g) {
  double causes = 0;
  for (auto& [k, v] : g["lost_by_cause"].items()) causes += mean(v);
  CHECK(mean(g["offered"]) == doctest::Approx(mean(g["completed"]) + mean(g["lost"])).epsilon(1e-12));
  CHECK(mean(g["lost"]) == doctest::Approx(causes).epsilon(1e-12));
}

void check_all_conservation(const json& j) {
  check_conservation(j["overall"]);
  for (auto& [k, g] : j["streams"].items()) check_conservation(g);
  for (auto& [k, g] : j["destinations"].items()) check_conservation(g);
}

// A network of one or more junctions in a chain, written to `dir`.
std::string chain_scenario(const test::TempDir& dir, const std::vector<double>& p, const std::string& extra = "",
                           const std::string& control = "", const std::string& link0_extra = "",
                           bool backup = false) {
  std::string s = "[simulation]\ndays = 10\nseed = 7\nreplications = 5\n";
  s += control;
  s += "[operators.op0]\nkind = \"mobile\"\n";
  for (size_t i = 1; i <= p.size(); ++i)
    s += fmt::format("[operators.op{}]\nkind = \"{}\"\n", i, i == p.size() ? "ours" : "transit");
  std::string path;
  for (size_t i = 0; i < p.size(); ++i) {
    s += fmt::format("[interconnects.j{}]\nbetween = [\"op{}\", \"op{}\"]\nchannels = 100000\ncompletion = {}\n", i, i,
                     i + 1, p[i]);
    if (i == 0) s += link0_extra;
    path += fmt::format("{}\"j{}\"", i ? ", " : "", i);
  }
  std::string paths = "[[" + path + "]";
  if (backup) {
    s += fmt::format("[interconnects.backup]\nbetween = [\"op0\", \"op{}\"]\nchannels = 100000\n", p.size());
    paths += ", [\"backup\"]";
  }
  paths += "]";
  s += fmt::format("[routes.r]\nfrom = \"op0\"\nto = \"op{}\"\npaths = {}\n", p.size(), paths);
  s += fmt::format("[streams.s]\nfrom = \"op0\"\nto = \"op{}\"\ncalls_per_day = 100000\n", p.size());
  s += extra;
  std::string file = dir.file("chain.toml");
  test::write_file(file, s);
  return file;
}

}  // namespace

TEST_CASE("single trunk group: simulated blocking matches Erlang B over a grid") {
  struct Point {
    double a;
    int c;
    double days;
  };
  // Small, medium and large trunk groups, light and heavy load.
  const Point grid[] = {{2, 3, 30}, {8, 10, 20}, {30, 35, 8}, {100, 110, 3}, {100, 95, 3}, {400, 420, 1}};
  for (const Point& pt : grid) {
    const double calls_per_day = pt.a * 86400 / 180;
    json j = sim_json(fmt::format("{} --set interconnects.trunk.channels={} --set streams.callers.calls_per_day={} "
                                  "--days {} --replications 10 --seed 11",
                                  test::source("scenarios/erlang-b.toml"), pt.c, calls_per_day, pt.days));
    const json& b = j["overall"]["blocking_ratio"];
    const double expect = erlang_b(pt.a, pt.c);
    INFO("A=" << pt.a << " c=" << pt.c << " simulated " << mean(b) << " +- " << ci(b) << ", Erlang B " << expect);
    CHECK(std::abs(mean(b) - expect) <= 1.5 * ci(b));
    CHECK(ci(b) < 0.1 * expect + 0.002);  // narrow enough to catch a wrong model
    check_all_conservation(j);
  }
}

TEST_CASE("a chain of junctions completes the product of their probabilities") {
  test::TempDir dir;
  const std::vector<double> p = {0.95, 0.9, 0.97};
  json j = sim_json(chain_scenario(dir, p));
  const json& c = j["overall"]["completion_ratio"];
  const double expect = 0.95 * 0.9 * 0.97;
  INFO("simulated " << mean(c) << " +- " << ci(c) << ", expected " << expect);
  CHECK(std::abs(mean(c) - expect) <= 1.5 * ci(c));
  CHECK(ci(c) < 0.002);
  // Every loss is a junction loss here.
  CHECK(mean(j["overall"]["lost_by_cause"]["junction"]) == mean(j["overall"]["lost"]));
  check_all_conservation(j);
  // One junction of 0.5 loses about half.
  json half = sim_json(chain_scenario(dir, {0.5}) + " --replications 3");
  CHECK(mean(half["overall"]["completion_ratio"]) == doctest::Approx(0.5).epsilon(0.01));
}

TEST_CASE("a scheduled outage loses the calls of detection + reroute time, and availability matches") {
  test::TempDir dir;
  const std::string outage = "outages = [{ start_hours = 50, minutes = 60 }]\n";
  const std::string control = "[control]\nmonitoring = true\ndetection_minutes = 2\nreroute_minutes = 8\n";
  const double total_minutes = 10 * 1440;
  const double calls = 100000.0 * 10;

  SUBCASE("with a backup path: lost until rerouted after 10 minutes") {
    json j = sim_json(chain_scenario(dir, {1.0}, "", control, outage, true));
    const json& o = j["overall"];
    const double share = 10 / total_minutes;
    INFO("outage losses " << mean(o["lost_by_cause"]["outage"]) << " +- " << ci(o["lost_by_cause"]["outage"]));
    CHECK(std::abs(mean(o["lost_by_cause"]["outage"]) - share * calls) <= 1.5 * ci(o["lost_by_cause"]["outage"]) + 1);
    CHECK(mean(o["lost_by_cause"]["outage"]) > 0.8 * share * calls);
    CHECK(mean(o["availability"]) == doctest::Approx(1 - share).epsilon(1e-9));
    CHECK(ci(o["availability"]) == doctest::Approx(0.0));
    CHECK(mean(o["unavailable_minutes_per_month"]) == doctest::Approx(10 * 30 / 10.0).epsilon(1e-6));
    check_all_conservation(j);
  }
  SUBCASE("no backup path: lost for the whole hour") {
    json j = sim_json(chain_scenario(dir, {1.0}, "", control, outage, false));
    const json& o = j["overall"];
    const double share = 60 / total_minutes;
    CHECK(std::abs(mean(o["lost_by_cause"]["outage"]) - share * calls) <= 1.5 * ci(o["lost_by_cause"]["outage"]) + 1);
    CHECK(mean(o["availability"]) == doctest::Approx(1 - share).epsilon(1e-9));
    check_all_conservation(j);
  }
  SUBCASE("never detected: the backup path is never used") {
    const std::string never = "[control]\nmonitoring = false\ndetection_minutes = \"never\"\n";
    json j = sim_json(chain_scenario(dir, {1.0}, "", never, outage, true));
    const json& o = j["overall"];
    const double share = 60 / total_minutes;
    CHECK(std::abs(mean(o["lost_by_cause"]["outage"]) - share * calls) <= 1.5 * ci(o["lost_by_cause"]["outage"]) + 1);
    CHECK(mean(o["availability"]) == doctest::Approx(1 - share).epsilon(1e-9));
  }
}

TEST_CASE("node availability follows MTBF/(MTBF+MTTR) and the series and parallel formulas") {
  test::TempDir dir;
  const double a1 = availability(10, 1);
  struct Case {
    int components, required;
    double expect;
  };
  const Case cases[] = {{1, 1, a1}, {2, 1, availability_parallel({a1, a1})}, {2, 2, availability_series({a1, a1})}};
  for (const Case& c : cases) {
    std::string s = fmt::format(
        "[simulation]\ndays = 400\nseed = 3\nreplications = 8\n"
        "[operators.pstn]\nkind = \"fixed\"\n"
        "[operators.ours]\nkind = \"ours\"\nnode = {{ components = {}, required = {}, mtbf_hours = 10, mttr_hours = 1 }}\n"
        "[interconnects.t]\nbetween = [\"pstn\", \"ours\"]\nchannels = 1000\n"
        "[routes.r]\nfrom = \"pstn\"\nto = \"ours\"\npaths = [[\"t\"]]\n"
        "[streams.s]\nfrom = \"pstn\"\nto = \"ours\"\ncalls_per_day = 200\n",
        c.components, c.required);
    std::string file = dir.file("node.toml");
    test::write_file(file, s);
    json j = sim_json(file);
    const json& av = j["overall"]["availability"];
    const json& node = j["network"]["node_availability"]["ours"];
    INFO(c.components << " components, " << c.required << " required: simulated " << mean(av) << " +- " << ci(av)
                      << ", formula " << c.expect);
    CHECK(std::abs(mean(av) - c.expect) <= 1.5 * ci(av));
    CHECK(ci(av) < 0.01);
    // The node timeline and the destination's reachability agree exactly.
    CHECK(mean(node) == doctest::Approx(mean(av)).epsilon(1e-9));
    // Calls that found the node down: the same share, by calls.
    const json& ca = j["overall"]["call_availability"];
    CHECK(std::abs(mean(ca) - c.expect) <= 1.5 * ci(ca) + 0.002);
    check_all_conservation(j);
  }
}

TEST_CASE("callee behaviour and redial: ASR, NER, attempts and callers") {
  test::TempDir dir;
  const std::string extra =
      "callee = { answer = 0.7, busy = 0.1, no_answer = 0.2 }\n";
  json j = sim_json(chain_scenario(dir, {1.0}, extra) + " --replications 3 --days 2");
  CHECK(mean(j["overall"]["asr"]) == doctest::Approx(0.7).epsilon(0.01));
  CHECK(mean(j["overall"]["ner"]) == 1.0);
  check_all_conservation(j);

  // Half the attempts die at the junction; every failed caller tries once more.
  const std::string redial = "redial = { share = 1.0, delay_minutes = 1, max_attempts = 2 }\n";
  json r = sim_json(chain_scenario(dir, {0.5}, redial) + " --replications 3 --days 2");
  const json& c = r["overall"]["callers"];
  const double callers = mean(c["offered"]);
  CHECK(mean(r["overall"]["offered"]) == doctest::Approx(1.5 * callers).epsilon(0.01));
  CHECK(mean(c["lost"]) == doctest::Approx(0.25 * callers).epsilon(0.03));
  CHECK(mean(c["completion_ratio"]) == doctest::Approx(0.75).epsilon(0.01));
  check_all_conservation(r);
}

TEST_CASE("same inputs and seed give byte-identical output, whatever the number of processes") {
  const std::string f = test::source("scenarios/transit-vs-direct-direct.toml") + " --days 3 --replications 4";
  auto a = test::telsim("sim run " + f + " --format json --jobs 1");
  auto b = test::telsim("sim run " + f + " --format json --jobs 2");
  auto c = test::telsim("sim run " + f + " --format json --jobs 4");
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out == c.out);
  auto d = test::telsim("sim run " + f + " --format json --seed 99");
  CHECK(d.out != a.out);
  auto t1 = test::telsim("sim run " + f + " --format csv");
  auto t2 = test::telsim("sim run " + f + " --format csv --jobs 1");
  CHECK(t1.out == t2.out);
}

TEST_CASE("compare feeds the same traffic to every network (common random numbers)") {
  const std::string f = test::source("scenarios/transit-vs-direct-direct.toml");
  auto r = test::telsim("sim compare " + f + " " + f + " --days 2 --replications 3 --format json");
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  // item.key(), not a structured binding: CHECK_MESSAGE captures it in a
  // lambda, which C++17 (and clang, the sanitized build) does not allow.
  for (auto& item : j["differences"][0].items()) {
    const json& v = item.value();
    if (!v.is_object()) continue;
    CHECK_MESSAGE(v["mean"].get<double>() == 0.0, item.key());
    CHECK_MESSAGE(v["ci95"].get<double>() == 0.0, item.key());
  }
  // The headline: direct peering completes more calls, with a CI above zero.
  auto h = test::telsim("sim compare " + test::source("scenarios/transit-vs-direct-transit.toml") + " " + f +
                        " --days 5 --replications 4 --format json");
  REQUIRE(h.exit_code == 0);
  json d = json::parse(h.out)["differences"][0];
  CHECK(d["completion_ratio"]["mean"].get<double>() - d["completion_ratio"]["ci95"].get<double>() > 0.03);
  CHECK(d["junction"]["mean"].get<double>() < 0);
  // Networks that do not share the [simulation] settings are refused.
  auto bad = test::telsim("sim compare " + f + " " + test::source("scenarios/erlang-b.toml"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("[simulation] differs") != std::string::npos);
}

TEST_CASE("an interconnect's own detection delay replaces the scenario's") {
  test::TempDir dir;
  // [control] detects in 2 minutes; this interconnect's carrier takes 20.
  const std::string outage = "outages = [{ start_hours = 50, minutes = 60 }]\ndetection_minutes = 20\n";
  const std::string control = "[control]\nmonitoring = true\ndetection_minutes = 2\nreroute_minutes = 8\n";
  json j = sim_json(chain_scenario(dir, {1.0}, "", control, outage, true));
  const json& o = j["overall"];
  const double share = 28 / (10 * 1440.0), calls = 100000.0 * 10;
  CHECK(std::abs(mean(o["lost_by_cause"]["outage"]) - share * calls) <= 1.5 * ci(o["lost_by_cause"]["outage"]) + 1);
  CHECK(mean(o["availability"]) == doctest::Approx(1 - share).epsilon(1e-9));
}

TEST_CASE("random incidents: long-run unavailability 1 - exp(-E[D]/gap), incidents counted once merged") {
  // Incidents start every 2 hours on average and last 60 minutes on average:
  // they overlap often. Merged, the link is up while no incident is active,
  // P = exp(-E[D]/gap) (the M/G/inf queue is empty), and merged outages
  // start at the rate (1/gap) x exp(-E[D]/gap).
  test::TempDir dir;
  const double gap_h = 2, dur_h = 1;
  const std::string incidents = "incidents = { mean_between_hours = 2, mean_minutes = 60 }\n";
  const std::string never = "[control]\nmonitoring = false\ndetection_minutes = \"never\"\n";
  json j = sim_json(chain_scenario(dir, {1.0}, "", never, incidents) +
                    " --replications 20 --days 30 --set streams.s.calls_per_day=2000");
  const double up = std::exp(-dur_h / gap_h);
  const json& avail = j["overall"]["availability"];
  INFO("availability " << mean(avail) << " +- " << ci(avail) << ", formula " << up);
  CHECK(ci(avail) < 0.02);
  CHECK(std::abs(mean(avail) - up) <= 1.5 * ci(avail));
  const json& per_day = j["network"]["incidents_per_day"];
  const double merged = 24 / gap_h * up;  // 7.28 a day, not 12
  INFO("incidents a day " << mean(per_day) << " +- " << ci(per_day) << ", formula " << merged);
  CHECK(ci(per_day) < 0.05 * merged);
  CHECK(std::abs(mean(per_day) - merged) <= 1.5 * ci(per_day));
  // Calls see the same share (Poisson arrivals see time averages).
  const json& call_avail = j["overall"]["call_availability"];
  CHECK(std::abs(mean(call_avail) - up) <= 1.5 * ci(call_avail) + 0.005);
}

namespace {

// a -> b directly, or through the transit c whose node fails often (MTBF 10 h,
// MTTR 2 h: up 83% of the time).
std::string backup_through_failing_node(const test::TempDir& dir) {
  std::string s =
      "[simulation]\ndays = 10\nseed = 3\nreplications = 4\n"
      "[operators.a]\nkind = \"mobile\"\n[operators.b]\nkind = \"ours\"\n"
      "[operators.c]\nkind = \"transit\"\nnode = { components = 1, mtbf_hours = 10, mttr_hours = 2 }\n"
      "[interconnects.ab]\nbetween = [\"a\", \"b\"]\nchannels = 100000\n"
      "[interconnects.ac]\nbetween = [\"a\", \"c\"]\nchannels = 100000\n"
      "[interconnects.cb]\nbetween = [\"c\", \"b\"]\nchannels = 100000\n"
      "[routes.r]\nfrom = \"a\"\nto = \"b\"\npaths = [[\"ab\"], [\"ac\", \"cb\"]]\n"
      "[streams.s]\nfrom = \"a\"\nto = \"b\"\ncalls_per_day = 20000\n";
  std::string file = dir.file("backup.toml");
  test::write_file(file, s);
  return file;
}

}  // namespace

TEST_CASE("a node that fails on the backup path does not touch the calls of the primary") {
  test::TempDir dir;
  json j = sim_json(backup_through_failing_node(dir) + " --detail nodes");
  const json& o = j["overall"];
  CHECK(mean(j["network"]["node_availability"]["c"]) < 0.9);  // it does fail often
  CHECK(mean(o["completion_ratio"]) >= 0.999);
  CHECK(mean(o["lost_by_cause"]["node"]) == 0);
  CHECK(mean(o["availability"]) == 1);
  CHECK(mean(j["network"]["nodes"]["c"]["minutes_down"]) > 0);
  CHECK(mean(j["network"]["nodes"]["c"]["lost"]) == 0);
}

TEST_CASE("per-interconnect figures add up to the route totals") {
  test::TempDir dir;
  // The transit network: five routes, a shared transit chain, a backup, incidents, a node.
  const std::string args = std::string(TELSIM_SOURCE_DIR) +
                           "/scenarios/transit-vs-direct-transit.toml --replications 2 --days 4 "
                           "--detail interconnects --detail nodes";
  json j = sim_json(args);
  const json& o = j["overall"];
  const json& ics = j["network"]["interconnects"];
  REQUIRE(ics.size() == 9);
  double junction = 0, outage = 0, node = 0;
  for (auto& item : ics.items()) {  // not a structured binding: INFO captures the name in a lambda
    const std::string& name = item.key();
    const json& f = item.value();
    INFO(name);
    junction += mean(f["junction"]);
    outage += mean(f["outage"]);
    CHECK(f["offered"]["low"].get<double>() == doctest::Approx(mean(f["offered"]) - ci(f["offered"])));
    CHECK(mean(f["carried"]) <= mean(f["offered"]));
    CHECK(mean(f["occupancy"]) <= 1);
    CHECK(mean(f["peak_channels"]) >= mean(f["carried_erlangs"]));
  }
  for (auto& [name, f] : j["network"]["nodes"].items()) node += mean(f["lost"]);
  CHECK(junction == doctest::Approx(mean(o["lost_by_cause"]["junction"])));
  CHECK(outage == doctest::Approx(mean(o["lost_by_cause"]["outage"])));
  CHECK(node == doctest::Approx(mean(o["lost_by_cause"]["node"])));
  // Every route starts on its own first interconnect: they carry all that was completed.
  double first_hops = 0;
  for (const char* ic : {"beeline-t1", "megafon-t1", "mts-t1", "rtk-t2", "t2-t1"}) first_hops += mean(ics[ic]["carried"]);
  CHECK(first_hops == doctest::Approx(mean(o["completed"])));
  // Every call to the small operator crosses its last hop on one of two trunks.
  CHECK(mean(ics["t2-small"]["carried"]) + mean(ics["t3-small"]["carried"]) == doctest::Approx(mean(o["completed"])));
  CHECK(mean(ics["t2-small"]["minutes_down"]) > 0);  // the incidents are on this one
}

TEST_CASE("an outage cuts the calls in progress: as many as the erlangs carried (Poisson)") {
  // 100,000 calls a day of 180 s on average: A = 208.3 erlangs in progress,
  // Poisson distributed, when the scheduled outage starts; one outage per
  // replication, so the mean dropped is A.
  test::TempDir dir;
  const std::string outage = "outages = [{ start_hours = 50, minutes = 60 }]\n";
  const std::string control = "[control]\nmonitoring = true\ndetection_minutes = 2\nreroute_minutes = 8\n";
  const std::string file = chain_scenario(dir, {1.0}, "", control, outage, true);
  const double a = 100000.0 * 180 / 86400;
  json j = sim_json(file + " --replications 10 --detail interconnects");
  const json& dropped = j["network"]["interconnects"]["j0"]["dropped"];
  INFO("dropped " << mean(dropped) << " +- " << ci(dropped) << ", expected " << a);
  CHECK(ci(dropped) < 0.15 * a);
  CHECK(std::abs(mean(dropped) - a) <= 1.5 * ci(dropped));
  CHECK(mean(j["network"]["interconnects"]["backup"]["dropped"]) == 0);
  // The answered minutes lose the rest of the cut conversations.
  json kept = sim_json(file + " --replications 10 --set control.drop_calls_on_failure=false --detail interconnects");
  CHECK(mean(kept["network"]["interconnects"]["j0"]["dropped"]) == 0);
  CHECK(mean(kept["overall"]["answered_minutes"]) > mean(j["overall"]["answered_minutes"]));
  CHECK(mean(kept["overall"]["completed"]) == mean(j["overall"]["completed"]));  // dropped calls were delivered
}

TEST_CASE("--series: the periods add up to the totals and follow the daily profile") {
  const std::string args = std::string(TELSIM_SOURCE_DIR) +
                           "/scenarios/transit-vs-direct-transit.toml --replications 2 --days 3 "
                           "--series hour-of-day --series day";
  json j = sim_json(args);
  const json& o = j["overall"];
  for (const char* kind : {"hour-of-day", "day"}) {
    INFO(kind);
    const json& s = j["series"][kind];
    REQUIRE(s.size() == (std::string(kind) == "day" ? 3u : 24u));
    double offered = 0, completed = 0, outage = 0;
    for (auto& p : s) {
      offered += mean(p["offered"]);
      completed += mean(p["completed"]);
      outage += mean(p["outage"]);
    }
    CHECK(offered == doctest::Approx(mean(o["offered"])));
    CHECK(completed == doctest::Approx(mean(o["completed"])));
    CHECK(outage == doctest::Approx(mean(o["lost_by_cause"]["outage"])));
  }
  // The client's traffic peaks in the working day and is quiet at night.
  const json& h = j["series"]["hour-of-day"];
  CHECK(mean(h[10]["offered"]) > 10 * mean(h[3]["offered"]));
}
