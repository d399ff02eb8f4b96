// The simulated CDR (`sim run --cdr-out`, sim/cdr_writer.h) read back by
// `cdr stats`: the same calls, the same outcomes, the same counts as the run
// that wrote it, for a network with every cause of loss, drops and redials.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

// Two streams over three routes' worth of trouble: a direct trunk too small
// for its traffic (blocked), junctions that lose calls, a scheduled outage
// noticed after 30 minutes (outage, dropped), a transit node that fails
// often (node), callees who are busy or do not answer, and redials.
std::string lossy_scenario(const test::TempDir& dir) {
  const std::string s = R"([simulation]
days = 2
warmup_days = 0.1
seed = 11
replications = 1

[control]
detection_minutes = 30
reroute_minutes = 10

[operators.a]
kind = "mobile"
[operators.b]
kind = "fixed"
[operators.t]
kind = "transit"
node = { components = 1, mtbf_hours = 6, mttr_hours = 1 }
[operators.ours]
kind = "ours"

[interconnects.a-ours]
between = ["a", "ours"]
channels = 12
completion = 0.97
outages = [{ start_hours = 10, minutes = 90 }, { start_hours = 30, minutes = 45 }]
[interconnects.a-t]
between = ["a", "t"]
channels = 200
completion = 0.98
[interconnects.t-ours]
between = ["t", "ours"]
channels = 200
completion = 0.99
[interconnects.b-ours]
between = ["b", "ours"]
channels = 3
completion = 0.95

[routes.a]
from = "a"
to = "ours"
paths = [["a-ours"], ["a-t", "t-ours"]]
[routes.b]
from = "b"
to = "ours"
prefix = "812"
paths = [["b-ours"]]

[streams.sa]
from = "a"
to = "ours"
calls_per_day = 4000
holding = { mean_seconds = 240 }
callee = { answer = 0.7, busy = 0.1, no_answer = 0.2 }
redial = { share = 0.5, delay_minutes = 3, max_attempts = 3 }
[streams.sb]
from = "b"
to = "ours"
prefix = "812"
calls_per_day = 1500
callee = { answer = 0.8, busy = 0.15, no_answer = 0.05 }
redial = { share = 0.3, delay_minutes = 5, max_attempts = 2 }
)";
  std::string file = dir.file("lossy.toml");
  test::write_file(file, s);
  return file;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  // Quoted fields may hold commas (lastdata); quotes themselves are dropped.
  std::vector<std::string> f;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) {
      f.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  f.push_back(cur);
  return f;
}

// A count of the run's JSON: with one replication, the mean is the count.
int64_t count(const json& v) {
  return static_cast<int64_t>(std::llround(v.is_object() ? v["mean"].get<double>() : v.get<double>()));
}

}  // namespace

TEST_CASE("cdr stats on a simulated CDR reproduces the run's own counts") {
  test::TempDir dir;
  const std::string sc = lossy_scenario(dir), cdr = dir.file("Master.csv");
  auto run = test::telsim(fmt::format("sim run {} --format json --jobs 1 --cdr-out {}", sc, cdr));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json doc = json::parse(run.out);
  const json& o = doc["overall"];
  const json& lost = o["lost_by_cause"];
  // The scenario exercises every cause, or the equalities below prove little.
  for (const char* c : {"blocked", "junction", "outage", "node"}) {
    INFO(c);
    CHECK(count(lost[c]) > 0);
  }
  REQUIRE(count(o["dropped"]) > 0);
  REQUIRE(count(o["callers"]["offered"]) < count(o["offered"]));  // redials happened

  auto stats = test::telsim("cdr stats " + cdr + " --format json --by trunk");
  INFO(stats.err);
  REQUIRE(stats.exit_code == 0);
  const json j = json::parse(stats.out);
  const json& s = j["overall"];
  CHECK(j["skipped"].get<int64_t>() == 0);
  CHECK(j["rows"].get<int64_t>() == count(o["offered"]));
  CHECK(s["calls"].get<int64_t>() == count(o["offered"]));
  CHECK(s["answered"].get<int64_t>() == count(o["answered"]));
  CHECK(s["busy"].get<int64_t>() == count(o["busy"]));
  CHECK(s["no_answer"].get<int64_t>() == count(o["no_answer"]));
  CHECK(s["congestion"].get<int64_t>() == count(lost["blocked"]));
  CHECK(s["failed"].get<int64_t>() ==
        count(lost["junction"]) + count(lost["outage"]) + count(lost["node"]));
  CHECK(s["seized"].get<int64_t>() == count(o["offered"]) - count(lost["blocked"]));

  // Per trunk: every interconnect that starts a path shows up; blocked calls
  // seized none.
  std::set<std::string> trunks;
  for (auto& g : j["groups"]) trunks.insert(g["trunk"].get<std::string>());
  CHECK(trunks == std::set<std::string>{"(none)", "SIP/a-ours", "SIP/a-t", "SIP/b-ours"});

  // Row by row: causes, drops, callers and the stream's prefix.
  std::istringstream in(test::slurp(cdr));
  std::string line;
  std::map<std::string, int64_t> by_cause;
  std::map<std::string, std::set<std::string>> dst_of_src;
  int64_t dropped = 0, attempts_sa = 0;
  std::set<std::string> sa_callers;
  while (std::getline(in, line)) {
    auto f = split_csv_line(line);
    REQUIRE(f.size() == 21);
    CHECK(f[16] == f[19]);  // linkedid: one leg per call
    by_cause[f[14] + "/" + f[17]]++;
    if (f[14] == "ANSWERED" && f[17] == "38") ++dropped;
    dst_of_src[f[1]].insert(f[2]);
    if (f[0] == "sb") CHECK(f[2].rfind("+7812", 0) == 0);
    if (f[0] == "sa") {
      ++attempts_sa;
      sa_callers.insert(f[1]);
    }
  }
  CHECK(dropped == count(o["dropped"]));
  CHECK(by_cause["FAILED/41"] == count(lost["junction"]));
  CHECK(by_cause["FAILED/38"] == count(lost["outage"]));
  CHECK(by_cause["FAILED/27"] == count(lost["node"]));
  CHECK(by_cause["CONGESTION/34"] == count(lost["blocked"]));
  // A redial is the same caller calling the same number again.
  for (auto& [src, dsts] : dst_of_src) CHECK(dsts.size() == 1);
  const json& sa = doc["streams"]["sa"];
  CHECK(attempts_sa == count(sa["offered"]));
  CHECK(static_cast<int64_t>(sa_callers.size()) == count(sa["callers"]["offered"]));
}

TEST_CASE("the simulated CDR is the same for the same seed, whatever the jobs, and its options are checked") {
  test::TempDir dir;
  const std::string sc = lossy_scenario(dir);
  auto a = test::telsim(fmt::format("sim run {} --days 0.5 --replications 2 --jobs 1 --cdr-out {} --cdr-replication 1",
                                    sc, dir.file("a.csv")));
  auto b = test::telsim(fmt::format("sim run {} --days 0.5 --replications 2 --jobs 2 --cdr-out {} --cdr-replication 1",
                                    sc, dir.file("b.csv")));
  auto c = test::telsim(fmt::format("sim run {} --days 0.5 --replications 2 --cdr-out {}", sc, dir.file("c.csv")));
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  REQUIRE(c.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(test::slurp(dir.file("a.csv")) == test::slurp(dir.file("b.csv")));
  CHECK(test::slurp(dir.file("a.csv")) != test::slurp(dir.file("c.csv")));  // another replication
  CHECK(test::slurp(dir.file("a.csv")).size() > 1000);

  auto e = test::telsim(fmt::format("sim run {} --days 0.5 --cdr-out {} --cdr-epoch 2026-03-01",
                                    sc, dir.file("e.csv")));
  REQUIRE(e.exit_code == 0);
  CHECK(test::slurp(dir.file("e.csv")).find("\"2026-03-01 0") != std::string::npos);

  auto bad_rep = test::telsim(fmt::format("sim run {} --replications 2 --cdr-out {} --cdr-replication 2", sc,
                                          dir.file("x.csv")));
  CHECK(bad_rep.exit_code == 2);
  CHECK(bad_rep.err.find("--cdr-replication 2") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("x.csv")));
  auto bad_epoch = test::telsim(fmt::format("sim run {} --cdr-out {} --cdr-epoch yesterday", sc, dir.file("y.csv")));
  CHECK(bad_epoch.exit_code == 2);
  CHECK(bad_epoch.err.find("--cdr-epoch") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("y.csv")));
}
