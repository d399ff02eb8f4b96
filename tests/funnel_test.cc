// The tracking funnel (visitors, dynamic pools, attribution, the client's
// end) through the real `telsim` binary: scenario keys, the JSON `funnel`,
// its identities, common random numbers in `sim compare`, and the pool
// against Erlang B as `telsim pool size` predicts it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <nlohmann/json.hpp>

#include "core/base/erlang.h"
#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

double mean(const json& v) { return v["mean"].get<double>(); }

// One mobile operator calling ours over one trunk, and sources of visitors
// (`sources`, TOML) appended; `network` adds interconnect keys.
std::string funnel_scenario(const test::TempDir& dir, const std::string& name, const std::string& sources,
                            const std::string& network = "channels = 100000\ncompletion = 1.0\n",
                            const std::string& sim = "days = 5\nseed = 3\nreplications = 4\n") {
  std::string s = "[simulation]\n" + sim;
  s += "[operators.mobile]\nkind = \"mobile\"\n[operators.ours]\nkind = \"ours\"\n";
  s += "[interconnects.trunk]\nbetween = [\"mobile\", \"ours\"]\n" + network;
  s += "[routes.in]\nfrom = \"mobile\"\nto = \"ours\"\npaths = [[\"trunk\"]]\n";
  s += sources;
  std::string file = dir.file(name);
  test::write_file(file, s);
  return file;
}

json run_json(const std::string& args) {
  auto r = test::telsim("sim run " + args + " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// Every caller ends one way; the unattributed are among those who reached us.
void check_identities(const json& g) {
  double missed = 0, lost = 0, unattributed = 0;
  for (auto& [k, v] : g["missed_by_client"].items())
    if (k != "total") missed += mean(v);
  for (auto& [k, v] : g["lost_in_network"].items())
    if (k != "total") lost += mean(v);
  for (auto& [k, v] : g["unattributed"].items())
    if (k != "total") unattributed += mean(v);
  CHECK(mean(g["missed_by_client"]["total"]) == doctest::Approx(missed).epsilon(1e-12));
  CHECK(mean(g["lost_in_network"]["total"]) == doctest::Approx(lost).epsilon(1e-12));
  CHECK(mean(g["unattributed"]["total"]) == doctest::Approx(unattributed).epsilon(1e-12));
  CHECK(mean(g["callers"]) == doctest::Approx(lost + missed + mean(g["answered_attributed"]) +
                                              mean(g["answered_unattributed"]))
                                  .epsilon(1e-12));
  CHECK(unattributed <= mean(g["callers"]) - lost + 1e-9);
}

const char* kTwoSources = R"(
[pools.shop]
numbers = 4
hold_minutes = 10

[sources.direct]
label = "Yandex Direct"
from = "mobile"
to = "ours"
pool = "shop"
visitors_per_day = 600
call_share = 0.2
visit = { distribution = "exponential", mean_minutes = 4 }
call_delay = { distribution = "exponential", mean_minutes = 8 }
callee = { answer = 0.7, busy = 0.2, no_answer = 0.1, ring_seconds = 20 }

[sources.billboard]
from = "mobile"
to = "ours"
visitors_per_day = 100
call_share = 0.5
)";

}  // namespace

TEST_CASE("funnel: every caller ends one way, overall and per source, and sources are streams of the network") {
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "two.toml", kTwoSources, "channels = 2\ncompletion = 0.9\n");
  json j = run_json(f);
  REQUIRE(j.contains("funnel"));
  const json& fn = j["funnel"];
  check_identities(fn["overall"]);
  for (auto& [k, g] : fn["sources"].items()) check_identities(g);
  CHECK(fn["sources"]["direct"]["label"] == "Yandex Direct");
  CHECK(fn["sources"]["direct"]["pool"] == "shop");
  CHECK(fn["sources"]["billboard"]["pool"].is_null());
  // The pool is small for its load: overflow and expired leases happen,
  // busy and unanswered clients, junction losses and a full trunk too.
  const json& d = fn["sources"]["direct"];
  CHECK(mean(d["unattributed"]["overflow"]) > 0);
  CHECK(mean(d["unattributed"]["expired"]) > 0);
  CHECK(mean(d["missed_by_client"]["busy"]) > 0);
  CHECK(mean(d["lost_in_network"]["junction"]) > 0);
  // A static number credits every call it gets.
  CHECK(mean(fn["sources"]["billboard"]["unattributed"]["total"]) == 0);
  // The calls are the source's stream in the network figures.
  CHECK(mean(j["streams"]["direct"]["offered"]) == mean(d["callers"]));
  CHECK(mean(j["streams"]["direct"]["lost"]) == mean(d["lost_in_network"]["total"]));
  // About visitors x call share callers.
  CHECK(mean(d["callers"]) == doctest::Approx(600 * 5 * 0.2).epsilon(0.1));
  CHECK(mean(d["visitors"]) == doctest::Approx(600 * 5).epsilon(0.05));

  // The table says it in words.
  auto t = test::telsim("sim run " + f);
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("of 100 callers from Yandex Direct (one in ") != std::string::npos);
  CHECK(t.out.find("of 100 callers from all sources (one in ") != std::string::npos);
  CHECK(t.out.find("lost in the network (blocked ") != std::string::npos);
}

TEST_CASE("funnel: a scenario without sources has no funnel key") {
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "plain.toml",
                                  "[streams.s]\nfrom = \"mobile\"\nto = \"ours\"\ncalls_per_day = 1000\n");
  json j = run_json(f);
  CHECK(!j.contains("funnel"));
  // Nor a funnel block in CSV: one block, no empty line.
  auto c = test::telsim("sim run " + f + " --format csv");
  REQUIRE(c.exit_code == 0);
  CHECK(c.out.find("\n\n") == std::string::npos);
}

TEST_CASE("funnel: the CSV's funnel block carries the JSON's figures, overall and per source") {
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "two.toml", kTwoSources, "channels = 2\ncompletion = 0.9\n");
  const json j = run_json(f);
  auto c = test::telsim("sim run " + f + " --format csv");
  REQUIRE(c.exit_code == 0);
  const size_t gap = c.out.find("\n\n");
  REQUIRE(gap != std::string::npos);
  std::vector<std::vector<std::string>> rows;
  size_t at = gap + 2;
  while (at < c.out.size()) {
    const size_t end = c.out.find('\n', at);
    std::vector<std::string> cells;
    std::string line = c.out.substr(at, end - at), cell;
    for (char ch : line) {
      if (ch == ',') cells.push_back(cell), cell.clear();
      else cell += ch;
    }
    cells.push_back(cell);
    rows.push_back(cells);
    at = end + 1;
  }
  REQUIRE(rows.size() == 1 + 1 + j["funnel"]["sources"].size());
  const std::vector<std::string>& header = rows[0];
  CHECK(header[0] == "group");
  int checked = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    CAPTURE(rows[r][1]);
    const json& g = rows[r][0] == "overall" ? j["funnel"]["overall"] : j["funnel"]["sources"][rows[r][1]];
    REQUIRE(rows[r].size() == header.size());
    for (size_t k = 2; k < header.size(); k += 2) {
      CAPTURE(header[k]);
      REQUIRE(header[k + 1] == header[k] + "_ci95");
      const json& e = g[json::json_pointer("/" + std::regex_replace(header[k], std::regex("\\."), "/"))];
      CHECK(std::stod(rows[r][k]) == doctest::Approx(e["mean"].get<double>()).epsilon(1e-6));
      CHECK(std::stod(rows[r][k + 1]) == doctest::Approx(e["ci95"].get<double>()).epsilon(1e-6));
      ++checked;
    }
  }
  CHECK(rows[1][0] == "overall");
  CHECK(checked > 40);
}

TEST_CASE("funnel: sim compare sees the same visitors and callers on two networks (common random numbers)") {
  test::TempDir dir;
  std::string a = funnel_scenario(dir, "a.toml", kTwoSources, "channels = 100000\ncompletion = 0.9\n");
  std::string b = funnel_scenario(dir, "b.toml", kTwoSources, "channels = 100000\ncompletion = 0.99\n");
  auto r = test::telsim("sim compare " + a + " " + b + " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  const json& d = j["differences"][0]["funnel"];
  for (const char* k : {"visitors", "callers", "visitors_shown_overflow"}) {
    CAPTURE(k);
    CHECK(mean(d["overall"][k]) == 0);
    CHECK(d["overall"][k]["ci95"].get<double>() == 0);
  }
  // The better network loses fewer callers, so more are answered.
  CHECK(mean(d["overall"]["lost_in_network"]["junction"]) < 0);
  CHECK(mean(d["sources"]["direct"]["answered_attributed"]) > 0);
  CHECK(j["networks"][1].contains("funnel"));
  auto t = test::telsim("sim compare " + a + " " + b);
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("funnel.answered_attributed") != std::string::npos);
}

TEST_CASE("funnel: the pool's unattributed share is Erlang B of its load, as telsim pool size predicts") {
  // Visits of exactly 3 minutes, hold 15: every visitor holds a number (or
  // the overflow) for 18 minutes; everybody calls a minute into the visit,
  // through a perfect network to a client who always answers. Calls then go
  // unattributed only when their visitor was shown the overflow number, with
  // the probability that the pool was full at the visit: Erlang B.
  const double per_hour = 40;  // 40 x 18 / 60 = 12 erlangs
  auto ps = test::telsim(fmt::format(
      "pool size --visitors-per-hour {} --visit-minutes 3 --hold-minutes 15 --max-overflow 0.05 --format json",
      per_hour));
  REQUIRE(ps.exit_code == 0);
  json size = json::parse(ps.out);
  const double load = size["offered_load"].get<double>();
  CHECK(load == doctest::Approx(12));
  const int predicted = size["numbers"].get<int>();
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "erlang.toml", fmt::format(R"(
[pools.shop]
numbers = 10
hold_minutes = 15
[sources.ads]
from = "mobile"
to = "ours"
pool = "shop"
visitors_per_day = {}
call_share = 1.0
visit = {{ distribution = "deterministic", mean_minutes = 3 }}
call_delay = {{ distribution = "deterministic", mean_minutes = 1 }}
)",
                                                                   per_hour * 24),
                                  "channels = 100000\ncompletion = 1.0\n",
                                  "days = 20\nwarmup_days = 0.5\nseed = 11\nreplications = 10\n");
  for (int numbers : {6, 10, 14, predicted, 20}) {
    CAPTURE(numbers);
    json j = run_json(fmt::format("{} --set pools.shop.numbers={}", f, numbers));
    const json& g = j["funnel"]["overall"];
    const json& share = g["unattributed_share"];
    const double expected = numbers == predicted ? size["overflow"].get<double>() : erlang_b(load, numbers);
    CHECK(std::abs(mean(share) - erlang_b(load, numbers)) <= 1.5 * share["ci95"].get<double>() + 1e-12);
    CHECK(std::abs(mean(share) - expected) <= 1.5 * share["ci95"].get<double>() + 1e-12);
    CHECK(share["ci95"].get<double>() < std::max(0.2 * expected, 0.003));
    CHECK(mean(g["unattributed"]["expired"]) == 0);
    CHECK(mean(g["unattributed"]["reused"]) == 0);
    // Visitors shown the overflow: the same probability, from the visitors' side.
    CHECK(mean(g["visitors_shown_overflow"]) / mean(g["visitors"]) ==
          doctest::Approx(erlang_b(load, numbers)).epsilon(0.1).scale(0.01));
  }
}

TEST_CASE("funnel: bad source and pool keys name the file, the line and the key, exit 2") {
  test::TempDir dir;
  struct Bad {
    const char* toml;
    const char* says;
  };
  const Bad cases[] = {
      {"[sources.x]\nfrom = \"mobile\"\nto = \"ours\"\nvisitors_per_day = 10\ncall_share = 0.1\npool = \"nope\"\n",
       "sources.x.pool: no pool 'nope'"},
      {"[sources.x]\nfrom = \"mobile\"\nto = \"ours\"\nvisitors_per_day = 10\ncall_share = 1.5\n",
       "sources.x.call_share"},
      {"[sources.x]\nfrom = \"mobile\"\nto = \"ours\"\nvisitors_per_day = 10\ncall_share = 0.1\nvisits = 3\n",
       "sources.x.visits"},
      {"[sources.x]\nfrom = \"mobile\"\nto = \"ours\"\nvisitors_per_day = 10\ncall_share = 0.1\n"
       "visit = { mean_minutes = 0 }\n",
       "sources.x.visit.mean_minutes"},
      {"[pools.p]\nnumbers = 0\n[sources.x]\nfrom = \"mobile\"\nto = \"ours\"\nvisitors_per_day = 10\n"
       "call_share = 0.1\n",
       "pools.p.numbers: must be between 1"},
      {"[sources.x]\nfrom = \"nowhere\"\nto = \"ours\"\nvisitors_per_day = 10\ncall_share = 0.1\n",
       "sources.x.from: unknown operator 'nowhere'"},
  };
  for (const Bad& b : cases) {
    CAPTURE(b.toml);
    std::string f = funnel_scenario(dir, "bad.toml", b.toml);
    auto r = test::telsim("sim run " + f);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(b.says) != std::string::npos);
    CHECK(r.err.find("bad.toml:") != std::string::npos);
  }
}

TEST_CASE("funnel: [forwarding] takes the sources' calls: a closed office misses them all, an ample one answers all") {
  test::TempDir dir;
  const std::string source = R"(
[sources.ads]
from = "mobile"
to = "ours"
visitors_per_day = 500
call_share = 0.5
callee = { answer = 0.5, busy = 0.5 }
)";
  // Open only on Mondays; day 0 is a Thursday and the run lasts 3 days.
  std::string closed = funnel_scenario(dir, "closed.toml", source + "[forwarding]\nlines = 2\nhours = { mon = \"09:00-18:00\" }\n",
                                       "channels = 100000\ncompletion = 1.0\n", "days = 3\nseed = 3\nreplications = 2\n");
  json j = run_json(closed);
  const json& g = j["funnel"]["overall"];
  CHECK(mean(g["callers"]) > 100);
  CHECK(mean(g["missed_by_client"]["out_of_hours"]) == mean(g["callers"]));
  CHECK(mean(g["missed_by_client"]["busy"]) == 0);  // the callee behaviour no longer applies
  // The network sees the calls unanswered.
  CHECK(mean(j["streams"]["ads"]["answered"]) == 0);

  std::string ample = funnel_scenario(dir, "ample.toml", source + "[forwarding]\nlines = 100\nscheme = \"parallel\"\n",
                                      "channels = 100000\ncompletion = 1.0\n", "days = 3\nseed = 3\nreplications = 2\n");
  j = run_json(ample);
  const json& a = j["funnel"]["overall"];
  CHECK(mean(a["answered_attributed"]) == mean(a["callers"]));
  CHECK(mean(j["streams"]["ads"]["answered"]) == mean(a["callers"]));
}

TEST_CASE("funnel: the simulated CDR dials the numbers shown, carries the forwarding legs, and the pool tools "
          "attribute to the overflow number the calls the simulator does") {
  // A pool too small for its visitors, a perfect network: `cdr replay` of
  // the simulated CDR into a real pool database with the same numbers finds
  // as many calls to the overflow number as the simulator counted.
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "cdr.toml", R"(
[pools.shop]
numbers = 3
hold_minutes = 10
[sources.ads]
from = "mobile"
to = "ours"
pool = "shop"
visitors_per_day = 400
call_share = 0.5
[forwarding]
lines = 2
)",
                                  "channels = 100000\ncompletion = 1.0\n", "days = 2\nseed = 5\nreplications = 1\n");
  const std::string cdr = dir.file("sim.csv");
  json j = run_json(f + " --cdr-out " + cdr);
  const json& g = j["funnel"]["overall"];
  const double overflow = mean(g["unattributed"]["overflow"]);
  REQUIRE(overflow > 10);
  REQUIRE(mean(g["callers"]) - overflow > 10);
  // Every source call dials a pool number, and has at least one leg row
  // sharing its linkedid (one row per forwarding attempt).
  std::string text = test::slurp(cdr);
  size_t calls = 0, legs = 0, pos = 0;
  while ((pos = text.find("\"telsim\",", pos)) != std::string::npos) ++calls, ++pos;
  pos = 0;
  while ((pos = text.find("\"telsim-forward\",", pos)) != std::string::npos) ++legs, ++pos;
  CHECK(calls == static_cast<size_t>(mean(g["callers"])));
  CHECK(legs >= calls);
  CHECK(text.find("\"+74951099999\"") != std::string::npos);  // the overflow number

  const std::string db = "TELSIM_DB=" + dir.file("pool.db");
  for (const std::string& cmd :
       {std::string("pool init"), std::string("number add --range +74951000000 +74951000002 --at 2025-12-01"),
        std::string("number add +74951099999 --at 2025-12-01"),
        std::string("pool create shop --kind dynamic --overflow +74951099999 --at 2025-12-01"),
        std::string("pool allocate shop --count 3 --at 2025-12-01")}) {
    auto r = test::telsim(cmd, db);
    INFO(cmd << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  }
  auto r = test::telsim("cdr replay " + cdr + " --tz UTC --format json", db);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json rep = json::parse(r.out);
  CHECK(rep["calls"].get<double>() == mean(g["callers"]));
  CHECK(rep["unattributed_by_reason"]["overflow number"].get<double>() == overflow);
}

TEST_CASE("funnel: sim compare refuses networks whose visitors differ, and says which key") {
  test::TempDir dir;
  std::string a = funnel_scenario(dir, "a.toml", kTwoSources);
  std::string other = kTwoSources;
  other.replace(other.find("visit = { distribution = \"exponential\", mean_minutes = 4 }"),
                std::string("visit = { distribution = \"exponential\", mean_minutes = 4 }").size(),
                "visit = { distribution = \"exponential\", mean_minutes = 5 }");
  std::string b = funnel_scenario(dir, "b.toml", other);
  auto r = test::telsim("sim compare " + a + " " + b);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("sources.direct.visit") != std::string::npos);
  // A bigger pool is not different traffic: compared, on the same visitors.
  std::string bigger = funnel_scenario(dir, "c.toml", std::string(kTwoSources).replace(
                                                          std::string(kTwoSources).find("numbers = 4"), 11, "numbers = 9"));
  r = test::telsim("sim compare " + a + " " + bigger + " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  const json& d = j["differences"][0]["funnel"]["sources"]["direct"];
  CHECK(mean(d["visitors"]) == 0);
  CHECK(mean(d["unattributed"]["overflow"]) < 0);
}

TEST_CASE("funnel: callers who redial are counted once, by their last attempt, and may lose their attribution") {
  // Half the calls are lost at the junction; everybody tries once more,
  // 30 minutes later on average: a quarter of the callers are lost, and the
  // redials come after the lease of a 5-minute hold has ended.
  test::TempDir dir;
  std::string f = funnel_scenario(dir, "redial.toml", R"(
[pools.shop]
numbers = 100
hold_minutes = 5
[sources.ads]
from = "mobile"
to = "ours"
pool = "shop"
visitors_per_day = 2000
call_share = 0.5
visit = { distribution = "deterministic", mean_minutes = 2 }
call_delay = { distribution = "deterministic", mean_minutes = 1 }
redial = { share = 1.0, delay_minutes = 30, max_attempts = 2 }
)",
                                  "channels = 100000\ncompletion = 0.5\n", "days = 4\nseed = 9\nreplications = 4\n");
  json j = run_json(f);
  const json& g = j["funnel"]["overall"];
  check_identities(g);
  const double callers = mean(g["callers"]);
  CHECK(callers == doctest::Approx(2000 * 4 * 0.5).epsilon(0.05));
  CHECK(mean(j["streams"]["ads"]["offered"]) == doctest::Approx(1.5 * callers).epsilon(0.03));
  CHECK(mean(g["lost_in_network"]["total"]) / callers == doctest::Approx(0.25).epsilon(0.05).scale(0));
  // First attempts that got through were made during the visit: credited.
  // A redial (a quarter of the callers get through on it) comes an
  // exponential 30 minutes after the call at minute 1; the lease ends at
  // minute 2 + 5, so it is still credited with probability 1 - exp(-6/30).
  const double late = std::exp(-6.0 / 30);
  CHECK(mean(g["unattributed"]["expired"]) / callers == doctest::Approx(0.25 * late).epsilon(0.08).scale(0));
  CHECK(mean(g["answered_attributed"]) / callers == doctest::Approx(0.5 + 0.25 * (1 - late)).epsilon(0.03).scale(0));
}
