// telsim sim sweep and sim merge: a study agrees with Erlang B at every
// point, shards merge to the unsharded bytes, bad parts are refused; and the
// planning helpers (values, grid, shards, CPU limits).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include "core/base/erlang.h"
#include "core/base/error.h"
#include "tests/test_util.h"
#include "tools/sweep_plan.h"

namespace telsim {
namespace {

using json = nlohmann::json;

const std::string kStudy = "--vary interconnects.trunk.channels=100:130:5 --replications 10 --days 2 --seed 3";

std::string erlang_b_scenario() { return test::source("scenarios/erlang-b.toml"); }

}  // namespace

TEST_CASE("a sweep over channels agrees with Erlang B inside its interval at every point") {
  auto r = test::telsim(fmt::format("sim sweep {} {} --format json", erlang_b_scenario(), kStudy));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["schema"] == "telsim.sim-sweep/1");
  CHECK(j["parameters"] == json::array({"interconnects.trunk.channels"}));
  REQUIRE(j["points"].size() == 7);
  for (size_t i = 0; i < 7; ++i) {
    const json& p = j["points"][i];
    const int channels = 100 + 5 * static_cast<int>(i);
    CHECK(p["parameters"]["interconnects.trunk.channels"] == channels);
    const double mean = p["overall"]["blocking_ratio"]["mean"], ci = p["overall"]["blocking_ratio"]["ci95"];
    const double expect = erlang_b(100, channels);
    INFO("c=" << channels << " simulated " << mean << " +- " << ci << ", Erlang B " << expect);
    CHECK(std::abs(mean - expect) <= ci);
    CHECK(ci < 0.2 * expect + 0.001);  // narrow enough to tell the points apart
  }
  // Common random numbers: every point is offered the very same calls.
  for (auto& p : j["points"]) CHECK(p["overall"]["offered"]["mean"] == j["points"][0]["overall"]["offered"]["mean"]);
}

TEST_CASE("shards merge to the bytes of the unsharded sweep, in every format") {
  test::TempDir dir;
  const std::string study = "--vary interconnects.trunk.channels=100,120 --vary streams.callers.calls_per_day=40000:48000:4000 "
                            "--replications 3 --days 0.5";
  for (const char* format : {"table", "csv", "json"}) {
    auto whole = test::telsim(fmt::format("sim sweep {} {} --format {}", erlang_b_scenario(), study, format));
    REQUIRE(whole.exit_code == 0);
    std::string parts;
    for (int k = 1; k <= 4; ++k) {  // 18 units over 4 shards: uneven on purpose
      std::string part = dir.file(fmt::format("part-{}.jsonl", k));
      auto s = test::telsim(fmt::format("sim sweep {} {} --shard {}/4 --out {}", erlang_b_scenario(), study, k, part));
      INFO(s.err);
      REQUIRE(s.exit_code == 0);
      parts += " " + part;
    }
    auto merged = test::telsim(fmt::format("sim merge{} --format {}", parts, format));
    INFO(merged.err);
    REQUIRE(merged.exit_code == 0);
    CHECK(merged.out == whole.out);
  }
  // A shard that is run again writes the same bytes.
  std::string again = dir.file("again.jsonl");
  REQUIRE(test::telsim(fmt::format("sim sweep {} {} --shard 2/4 --out {}", erlang_b_scenario(), study, again)).exit_code == 0);
  CHECK(test::slurp(again) == test::slurp(dir.file("part-2.jsonl")));
  // The order of the parts does not matter.
  auto reversed = test::telsim(fmt::format("sim merge {} {} {} {} --format csv", dir.file("part-4.jsonl"),
                                           dir.file("part-3.jsonl"), dir.file("part-2.jsonl"), dir.file("part-1.jsonl")));
  auto whole_csv = test::telsim(fmt::format("sim sweep {} {} --format csv", erlang_b_scenario(), study));
  CHECK(reversed.out == whole_csv.out);
}

TEST_CASE("sim merge refuses missing, duplicated and foreign parts") {
  test::TempDir dir;
  const std::string study = "--vary interconnects.trunk.channels=100,120 --replications 2 --days 0.3";
  for (int k = 1; k <= 2; ++k)
    REQUIRE(test::telsim(fmt::format("sim sweep {} {} --shard {}/2 --out {}", erlang_b_scenario(), study, k,
                                     dir.file(fmt::format("p{}.jsonl", k))))
                .exit_code == 0);
  REQUIRE(test::telsim(fmt::format("sim sweep {} {} --set interconnects.trunk.completion=0.9 --shard 2/2 --out {}",
                                   erlang_b_scenario(), study, dir.file("foreign.jsonl")))
              .exit_code == 0);
  const std::string p1 = dir.file("p1.jsonl"), p2 = dir.file("p2.jsonl"), out = dir.file("merged.txt");

  auto missing = test::telsim(fmt::format("sim merge {} --out {}", p1, out));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("2 of 4 units missing (missing shards: 2/2): unit 1 (point 1, replication 2), unit 3 (point 2, replication 2)") != std::string::npos);
  CHECK(!std::filesystem::exists(out));

  auto twice = test::telsim(fmt::format("sim merge {} {} {} --out {}", p1, p2, p2, out));
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("unit 1 (point 1, replication 2) is in both") != std::string::npos);
  CHECK(!std::filesystem::exists(out));

  auto foreign = test::telsim(fmt::format("sim merge {} {} --out {}", p1, dir.file("foreign.jsonl"), out));
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("is not a part of the study of " + p1 + " (they differ in inputs)") != std::string::npos);
  CHECK(!std::filesystem::exists(out));

  test::write_file(dir.file("junk.jsonl"), "hello\n");
  auto junk = test::telsim(fmt::format("sim merge {} {}", p1, dir.file("junk.jsonl")));
  CHECK(junk.exit_code == 2);
  CHECK(junk.err.find("junk.jsonl:1: not a line of a partial result file") != std::string::npos);
  auto folder = test::telsim(fmt::format("sim merge {} {}", p1, dir.path()));
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "telsim: " + dir.path() + ": is a folder, not a partial result file\n");

  // A scenario changed since the shards ran is refused, not merged into wrong figures.
  std::string copy = dir.file("erlang-b.toml");
  test::write_file(copy, test::slurp(erlang_b_scenario()));
  REQUIRE(test::telsim(fmt::format("sim sweep {} {} --shard 1/1 --out {}", copy, study, dir.file("all.jsonl"))).exit_code == 0);
  test::write_file(copy, test::slurp(erlang_b_scenario()) + "\n# edited\n");
  auto changed = test::telsim(fmt::format("sim merge {}", dir.file("all.jsonl")));
  CHECK(changed.exit_code == 2);
  CHECK(changed.err.find(copy + ": not the file the shards read") != std::string::npos);
}

TEST_CASE("a sweep fails (exit 3) when a gate fails at any point, after writing its output") {
  test::TempDir dir;
  auto r = test::telsim(fmt::format("sim sweep {} --vary interconnects.trunk.channels=100,130 --replications 2 "
                                    "--days 0.3 --fail-if 'overall.blocking_ratio.mean > 0.02' --format json --out {}",
                                    erlang_b_scenario(), dir.file("o.json")));
  CHECK(r.exit_code == 3);
  json j = json::parse(test::slurp(dir.file("o.json")));
  CHECK(j["points"][0]["gates"][0]["passed"] == false);
  CHECK(j["points"][1]["gates"][0]["passed"] == true);
}

TEST_CASE("a --vary key the scenario does not have is named as --vary, exit 2") {
  auto r = test::telsim(fmt::format("sim sweep {} --vary interconnects.trunk.chanels=100,110", erlang_b_scenario()));
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(": --vary interconnects.trunk.chanels=100: interconnects.trunk.chanels: unknown key (did you mean "
                   "'channels'?) (set by --vary 'interconnects.trunk.chanels=100,110' at interconnects.trunk.chanels=100)") !=
        std::string::npos);
  CHECK(r.err.find("--set") == std::string::npos);
  auto top = test::telsim(fmt::format("sim sweep {} --vary nowhere.x=1", erlang_b_scenario()));
  CHECK(top.exit_code == 2);
  CHECK(top.err == "telsim: --vary 'nowhere.x=1' (at nowhere.x=1): unknown key 'nowhere'\n");
}

TEST_CASE("--vary values: lists, ranges, grid and zip") {
  using sweep::parse_vary;
  CHECK(parse_vary("a.b=100:130:5").values == std::vector<std::string>{"100", "105", "110", "115", "120", "125", "130"});
  CHECK(parse_vary("x=0.1:0.3:0.1").values == std::vector<std::string>{"0.1", "0.2", "0.3"});
  CHECK(parse_vary("x=1:2:5").values == std::vector<std::string>{"1"});
  CHECK(parse_vary("B:x=a,b").key == "B:x");
  CHECK(parse_vary("x=a,b").values == std::vector<std::string>{"a", "b"});
  CHECK_THROWS_AS(parse_vary("x"), InputError);
  CHECK_THROWS_AS(parse_vary("x=1:3:0"), InputError);
  CHECK_THROWS_AS(parse_vary("x=3:1:1"), InputError);
  CHECK_THROWS_AS(parse_vary("x=1,,2"), InputError);
  CHECK_THROWS_AS(parse_vary("x=1,2,"), InputError);
  // A range's numbers are read as every number option is (cli::parse_number),
  // and the message says which one is wrong and why.
  // (Not a structured binding: clang-14 cannot capture one in CAPTURE's lambda.)
  for (const auto& bad : {std::pair{"x=a:3:1", "'a' is not a number"}, std::pair{"x=1:inf:1", "not 'inf'"},
                          std::pair{"x=1e-400:1:0.1", "'1e-400' is too close to 0"}}) {
    const char* text = bad.first;
    const char* why = bad.second;
    CAPTURE(text);
    try {
      parse_vary(text);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(test::has(e.what(), "a range is FROM:TO:STEP with three numbers"));
      CHECK(test::has(e.what(), why));
    }
  }
  auto grid = sweep::points({parse_vary("a=1,2"), parse_vary("b=x,y,z")}, false);
  REQUIRE(grid.size() == 6);
  CHECK(grid[1] == sweep::Point{{"a", "1"}, {"b", "y"}});
  CHECK(grid[3] == sweep::Point{{"a", "2"}, {"b", "x"}});
  auto zip = sweep::points({parse_vary("a=1,2"), parse_vary("b=x,y")}, true);
  REQUIRE(zip.size() == 2);
  CHECK(zip[1] == sweep::Point{{"a", "2"}, {"b", "y"}});
  CHECK_THROWS_AS(sweep::points({parse_vary("a=1,2"), parse_vary("b=x,y,z")}, true), InputError);
  CHECK(sweep::points({}, false).size() == 1);
}

TEST_CASE("shards: K/N parsing and a balanced split") {
  CHECK(sweep::parse_shard("3/8") == std::make_pair(3, 8));
  for (const char* bad : {"0/2", "3/2", "1", "a/2", "1/", "-1/2", "1/2/3"}) CHECK_THROWS_AS(sweep::parse_shard(bad), InputError);
  std::vector<int> count(4);
  for (size_t u = 0; u < 18; ++u) {
    int owners = 0;
    for (int k = 1; k <= 4; ++k)
      if (sweep::in_shard(u, k, 4)) ++owners, ++count[k - 1];
    CHECK(owners == 1);
  }
  CHECK(count == std::vector<int>{5, 5, 4, 4});
}

TEST_CASE("CPUs this process may use: cgroup cpu.max, SLURM_CPUS_PER_TASK, the smallest") {
  CHECK(!sweep::cpus_from_cpu_max("max 100000\n"));
  CHECK(sweep::cpus_from_cpu_max("200000 100000\n") == 2);
  CHECK(sweep::cpus_from_cpu_max("150000 100000") == 2);  // 1.5 CPUs: two processes, throttled
  CHECK(sweep::cpus_from_cpu_max("50000 100000") == 1);
  CHECK(!sweep::cpus_from_cpu_max(""));
  CHECK(!sweep::cpus_from_cpu_max("garbage"));
  CHECK(!sweep::cpus_from_cpu_max("100000 0"));
  CHECK(sweep::cpus_from_slurm("4") == 4);
  CHECK(!sweep::cpus_from_slurm(nullptr));
  CHECK(!sweep::cpus_from_slurm(""));
  CHECK(!sweep::cpus_from_slurm("0"));
  CHECK(!sweep::cpus_from_slurm("4x"));
  CHECK(sweep::smallest_cpus(8, std::nullopt, std::nullopt) == 8);
  CHECK(sweep::smallest_cpus(8, 3, std::nullopt) == 3);
  CHECK(sweep::smallest_cpus(8, 3, 2) == 2);
  CHECK(sweep::smallest_cpus(2, 16, 4) == 2);
  CHECK(sweep::available_cpus() >= 1);
}

// ---- comparison sweeps: several SCENARIOS, a --vary for one network ----

namespace {

std::string networks_ab() {
  return test::source("scenarios/transit-vs-direct-transit.toml") + " " +
         test::source("scenarios/transit-vs-direct-direct.toml");
}

}  // namespace

TEST_CASE("a comparison sweep runs sim compare at every point, a NETWORK: --vary changing that network only") {
  const std::string opts = "--replications 3 --days 0.5";
  auto r = test::telsim(fmt::format("sim sweep {} --vary A:hops.transit2-small=0.95,0.99 {} --format json", networks_ab(), opts));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["schema"] == "telsim.sim-sweep-compare/1");
  CHECK(j["parameters"] == json::array({"A:hops.transit2-small"}));
  REQUIRE(j["networks"].size() == 2);
  CHECK(j["networks"][1]["name"] == "direct");
  REQUIRE(j["points"].size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    const json& p = j["points"][i];
    const char* value = i == 0 ? "0.95" : "0.99";
    CHECK(p["parameters"]["A:hops.transit2-small"] == std::stod(value));
    // Each point is the comparison sim compare makes with that value set in network A.
    auto cmp = test::telsim(fmt::format("sim compare {} --set A:hops.transit2-small={} {} --format json", networks_ab(),
                                        value, opts));
    REQUIRE(cmp.exit_code == 0);
    json c = json::parse(cmp.out);
    CHECK(p["networks"] == c["networks"]);
    CHECK(p["differences"] == c["differences"]);
  }
  const json &p0 = j["points"][0], &p1 = j["points"][1];
  // Network B does not have the value: its figures are the same at both points.
  CHECK(p0["networks"][1]["overall"] == p1["networks"][1]["overall"]);
  // Network A completes more calls with the better hop, so B's advantage shrinks.
  CHECK(p1["networks"][0]["overall"]["completion_ratio"]["mean"] > p0["networks"][0]["overall"]["completion_ratio"]["mean"]);
  CHECK(p1["differences"][0]["completion_ratio"]["mean"] < p0["differences"][0]["completion_ratio"]["mean"]);

  // The table has one row per point with the difference in it.
  auto table = test::telsim(fmt::format("sim sweep {} --vary A:hops.transit2-small=0.95,0.99 {}", networks_ab(), opts));
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("[B]-[A] completion") != std::string::npos);
  std::string diff0 = fmt::format("{:+.3f} pp", 100 * p0["differences"][0]["completion_ratio"]["mean"].get<double>());
  CHECK(table.out.find("\n0.95 ") != std::string::npos);
  CHECK(table.out.find(diff0) != std::string::npos);
  // The CSV: a row per point, the difference with its interval.
  auto csv = test::telsim(fmt::format("sim sweep {} --vary A:hops.transit2-small=0.95,0.99 {} --format csv", networks_ab(), opts));
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("A:hops.transit2-small,transit.offered,", 0) == 0);
  CHECK(csv.out.find(",direct-transit.completion_ratio,direct-transit.completion_ratio_ci95,") != std::string::npos);
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 3);
}

TEST_CASE("comparison sweeps: shards merge to the unsharded bytes; missing units name their network") {
  test::TempDir dir;
  const std::string study = networks_ab() +
                            " --vary A:hops.transit2-small=0.96,0.98 --vary streams.from-mts.calls_per_day=1000,1400 "
                            "--replications 2 --days 0.3";
  std::string parts;
  for (int k = 1; k <= 3; ++k) {  // 16 units over 3 shards: uneven, and a shard holds both networks' units
    std::string part = dir.file(fmt::format("part-{}.jsonl", k));
    auto s = test::telsim(fmt::format("sim sweep {} --shard {}/3 --out {}", study, k, part));
    INFO(s.err);
    REQUIRE(s.exit_code == 0);
    parts += " " + part;
  }
  CHECK(test::slurp(dir.file("part-1.jsonl")).find("{\"unit\":3,\"point\":0,\"network\":1,\"replication\":1,") !=
        std::string::npos);
  for (const char* format : {"table", "csv", "json"}) {
    auto whole = test::telsim(fmt::format("sim sweep {} --format {}", study, format));
    REQUIRE(whole.exit_code == 0);
    auto merged = test::telsim(fmt::format("sim merge{} --format {}", parts, format));
    INFO(merged.err);
    REQUIRE(merged.exit_code == 0);
    CHECK(merged.out == whole.out);
  }
  auto missing = test::telsim(fmt::format("sim merge {} {}", dir.file("part-1.jsonl"), dir.file("part-3.jsonl")));
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("5 of 16 units missing (missing shards: 2/3): unit 1 (point 1, network A, replication 2), "
                         "unit 4 (point 2, network A, replication 1)") != std::string::npos);
  // A part of the single-network sweep of the first scenario is another study.
  std::string single = dir.file("single.jsonl");
  REQUIRE(test::telsim(fmt::format("sim sweep {} --vary hops.transit2-small=0.96,0.98 --replications 2 --days 0.3 "
                                   "--shard 1/3 --out {}",
                                   test::source("scenarios/transit-vs-direct-transit.toml"), single))
              .exit_code == 0);
  auto foreign = test::telsim(fmt::format("sim merge {} {}", dir.file("part-1.jsonl"), single));
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("is not a part of the study of") != std::string::npos);
}

TEST_CASE("comparison sweeps: an unknown network, unfair points and a gate at every point") {
  auto unknown = test::telsim(fmt::format("sim sweep {} --vary C:hops.transit2-small=0.96,0.98", networks_ab()));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err == "telsim: --vary 'C:hops.transit2-small=0.96,0.98': no network 'C' "
                       "(networks: A or transit, B or direct)\n");
  auto malformed = test::telsim(fmt::format("sim sweep {} --vary :hops.transit2-small=0.96", networks_ab()));
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.err.find("--vary ':hops.transit2-small=0.96': expected [NETWORK:]KEY=VALUES") != std::string::npos);
  // A key only network A has: the message says how to vary it there.
  auto only_a = test::telsim(fmt::format("sim sweep {} --vary interconnects.t2-small.channels=50,60", networks_ab()));
  CHECK(only_a.exit_code == 2);
  CHECK(only_a.err.find("--vary 'interconnects.t2-small.channels=50,60': ") != std::string::npos);
  CHECK(only_a.err.find("transit-vs-direct-direct.toml has no key interconnects.t2-small.channels") != std::string::npos);
  CHECK(only_a.err.find("write --vary NETWORK:interconnects.t2-small.channels=50,60") != std::string::npos);
  // Varying the traffic of one network would mix traffic and network effects.
  auto traffic = test::telsim(fmt::format("sim sweep {} --vary A:streams.from-mts.calls_per_day=1000,1400 --days 0.2",
                                          networks_ab()));
  CHECK(traffic.exit_code == 2);
  CHECK(traffic.err.find("at A:streams.from-mts.calls_per_day=1000: ") != std::string::npos);
  CHECK(traffic.err.find("are not fed the same traffic") != std::string::npos);
  auto allowed = test::telsim(fmt::format("sim sweep {} --vary A:streams.from-mts.calls_per_day=1000,1400 --days 0.2 "
                                          "--replications 2 --allow-different-traffic --format csv",
                                          networks_ab()));
  CHECK(allowed.exit_code == 0);
  // A gate on the difference, checked at every point.
  test::TempDir dir;
  auto gated = test::telsim(fmt::format("sim sweep {} --vary A:hops.transit2-small=0.5,0.99 --replications 3 --days 0.5 "
                                        "--fail-if 'differences.completion_ratio.mean > 0.1' --format json --out {}",
                                        networks_ab(), dir.file("o.json")));
  CHECK(gated.exit_code == 3);
  json j = json::parse(test::slurp(dir.file("o.json")));
  CHECK(j["points"][0]["gates"][0]["passed"] == false);
  CHECK(j["points"][1]["gates"][0]["passed"] == true);
}

TEST_CASE("a shard refuses the options that shape the study's output: those go to sim merge") {
  test::TempDir dir;
  const std::string study = erlang_b_scenario() + " --vary interconnects.trunk.channels=100,110 --replications 2 --days 0.1";
  for (const char* format : {"table", "csv"}) {
    auto r = test::telsim(fmt::format("sim sweep {} --shard 1/2 --format {} --out {}", study, format, dir.file("p.jsonl")));
    CHECK(r.exit_code == 2);
    CHECK(r.err == fmt::format("telsim: --format {0} with --shard 1/2: a shard writes only its partial result file (JSON "
                               "lines) for telsim sim merge; give --format {0} to sim merge, which writes the study's "
                               "table, CSV or JSON\n",
                               format));
    CHECK(!std::filesystem::exists(dir.file("p.jsonl")));
  }
  for (const char* gate : {"--fail-if 'overall.blocked.mean > 1'", "--junit j.xml"}) {
    auto r = test::telsim(fmt::format("sim sweep {} --shard 1/2 {}", study, gate));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("gates are checked on the whole study by telsim sim merge") != std::string::npos);
  }
  // JSON is what a shard writes: --format json is the part file, as without it.
  auto plain = test::telsim(fmt::format("sim sweep {} --shard 1/2", study));
  auto json_part = test::telsim(fmt::format("sim sweep {} --shard 1/2 --format json", study));
  REQUIRE(json_part.exit_code == 0);
  CHECK(json_part.out == plain.out);
  // But not onto a terminal: script(1) gives the command one as its stdout.
  // util-linux's script; where it is missing, or cannot open a pseudo-terminal, the case is skipped.
  if (std::system("script -qec true /dev/null >/dev/null 2>&1") != 0) {
    MESSAGE("skipped the terminal case: script(1) cannot give a terminal here");
    return;
  }
  std::string log = dir.file("tty.log");
  int status = std::system(fmt::format("script -qec '{} sim sweep {} --shard 1/2' /dev/null >{} 2>&1", TELSIM_BIN,
                                       study, log)
                               .c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(test::slurp(log).find("--shard 1/2 writes a partial result file for telsim sim merge, not a table: give --out "
                              "FILE (or redirect stdout)") != std::string::npos);
}

TEST_CASE("a sweep that varies a run setting says its range in the title, not the first point's") {
  auto r = test::telsim(fmt::format("sim sweep {} --vary simulation.days=0.1,0.2 --replications 2", erlang_b_scenario()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind(erlang_b_scenario() + ": seed 1, 2 replications x 0.1 to 0.2 days (after 0.1 days warm-up); 2 points", 0) ==
        0);
  auto fixed = test::telsim(fmt::format("sim sweep {} --vary interconnects.trunk.channels=100,110 --replications 2 --days 0.1",
                                        erlang_b_scenario()));
  REQUIRE(fixed.exit_code == 0);
  CHECK(fixed.out.rfind(erlang_b_scenario() + ": seed 1, 2 replications x 0.1 days (after 0.1 days warm-up); 2 points", 0) == 0);
}

}  // namespace telsim
