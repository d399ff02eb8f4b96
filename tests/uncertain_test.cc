// `sim compare --uncertain KEYS=LOW:HIGH` and `[uncertain]`: the comparison
// run at each end of each uncertain input (one at a time), then at the
// directed corners, on common random numbers; the `uncertainty` object of
// the compare document and its lines under the table.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

// Network A: callers reach us over two junctions in a chain (x then y);
// network B: over one direct interconnect that loses nothing. Same traffic.
struct Pair {
  test::TempDir dir;
  std::string a, b;
  explicit Pair(const std::string& a_extra = "") {
    const std::string traffic = R"(
[simulation]
days = 2
seed = 5
replications = 4

[streams.callers]
from = "pstn"
to = "ours"
calls_per_day = 4000
)";
    test::write_file(dir.file("traffic.toml"), traffic);
    a = dir.file("a.toml");
    b = dir.file("b.toml");
    test::write_file(a, R"(name = "chain"
include = "traffic.toml"
[operators.pstn]
kind = "fixed"
[operators.mid]
kind = "transit"
[operators.ours]
kind = "ours"
[interconnects.x]
between = ["pstn", "mid"]
channels = 500
completion = 0.95
[interconnects.y]
between = ["mid", "ours"]
channels = 500
completion = 0.97
[routes.r]
from = "pstn"
to = "ours"
paths = [["x", "y"]]
)" + a_extra);
    test::write_file(b, R"(name = "direct"
include = "traffic.toml"
[operators.pstn]
kind = "fixed"
[operators.ours]
kind = "ours"
[interconnects.d]
between = ["pstn", "ours"]
channels = 500
completion = 1.0
[routes.r]
from = "pstn"
to = "ours"
paths = [["d"]]
)");
  }
  test::Run compare(const std::string& extra) const {
    return test::telsim(fmt::format("sim compare {} {} --format json {}", a, b, extra));
  }
};

double more(const json& doc) { return doc["differences"][0]["more_calls_ratio"]["mean"].get<double>(); }

}  // namespace

TEST_CASE("uncertain: each end of an input is the plain comparison with that value set") {
  Pair p;
  auto r = p.compare("--uncertain chain:interconnects.x.completion=0.9:0.99");
  REQUIRE(r.exit_code == 0);
  json doc = json::parse(r.out);
  REQUIRE(doc.contains("uncertainty"));
  const json& u = doc["uncertainty"];
  CHECK(u["design"] == "one_at_a_time");
  CHECK(u["runs"].size() == 3);  // nominal, low, high: no corners for one input
  const json& m = u["differences"][0]["metrics"]["more_calls_ratio"];
  const json& in = m["inputs"]["chain:interconnects.x.completion"];
  // The nominal run is the document's own difference.
  CHECK(m["nominal"].get<double>() == more(doc));
  // Each end equals the plain comparison with --set: same random numbers, same figures.
  auto at_low = p.compare("--set chain:interconnects.x.completion=0.9");
  auto at_high = p.compare("--set chain:interconnects.x.completion=0.99");
  REQUIRE(at_low.exit_code == 0);
  REQUIRE(at_high.exit_code == 0);
  CHECK(in["low"].get<double>() == more(json::parse(at_low.out)));
  CHECK(in["high"].get<double>() == more(json::parse(at_high.out)));
  // A worse chain: more extra calls for the direct network. About
  // 1/(0.9*0.97) - 1 = 14.5% and 1/(0.99*0.97) - 1 = 4.1%.
  CHECK(in["low"].get<double>() == doctest::Approx(0.145).epsilon(0.1));
  CHECK(in["high"].get<double>() == doctest::Approx(0.041).epsilon(0.15));
  // The range is over the runs made.
  CHECK(m["low"].get<double>() == in["high"].get<double>());
  CHECK(m["high"].get<double>() == in["low"].get<double>());
  // Every compared metric has its range, and the Monte Carlo interval stays in differences.
  CHECK(u["differences"][0]["metrics"].contains("completion_ratio"));
  CHECK(doc["differences"][0]["more_calls_ratio"]["ci95"].is_number());
}

TEST_CASE("uncertain: two inputs add the directed corners, which bound the one-at-a-time runs") {
  Pair p;
  auto r = p.compare("--uncertain chain:interconnects.x.completion=0.9:0.99 "
                     "--uncertain chain:interconnects.y.completion=0.93:0.99");
  REQUIRE(r.exit_code == 0);
  json doc = json::parse(r.out);
  const json& u = doc["uncertainty"];
  CHECK(u["design"] == "one_at_a_time_and_directed_corners");
  CHECK(u["runs"].size() == 7);
  const json& m = u["differences"][0]["metrics"]["more_calls_ratio"];
  // Both junctions are on A's chain: their low ends raise B's advantage.
  auto raising = p.compare("--set chain:interconnects.x.completion=0.9 --set chain:interconnects.y.completion=0.93");
  auto lowering = p.compare("--set chain:interconnects.x.completion=0.99 --set chain:interconnects.y.completion=0.99");
  CHECK(m["all_raising"].get<double>() == more(json::parse(raising.out)));
  CHECK(m["all_lowering"].get<double>() == more(json::parse(lowering.out)));
  CHECK(m["high"].get<double>() == m["all_raising"].get<double>());
  CHECK(m["low"].get<double>() == m["all_lowering"].get<double>());
  for (auto& [name, in] : m["inputs"].items()) {
    CHECK(in["low"].get<double>() <= m["high"].get<double>());
    CHECK(in["high"].get<double>() >= m["low"].get<double>());
  }
  // The table says it in one line per input and the range under it.
  auto t = test::telsim(fmt::format("sim compare {} {} --uncertain chain:interconnects.x.completion=0.9:0.99 "
                                    "--uncertain chain:interconnects.y.completion=0.93:0.99",
                                    p.a, p.b));
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("chain:interconnects.x.completion") != std::string::npos);
  CHECK(t.out.find("all lowering / all raising") != std::string::npos);
  CHECK(t.out.find(fmt::format("{:+.1f} to {:+.1f} over the uncertain inputs", 100 * m["low"].get<double>(),
                               100 * m["high"].get<double>())) != std::string::npos);
}

TEST_CASE("uncertain: an [uncertain] table in a scenario does what --uncertain does") {
  Pair with_table("[uncertain]\n\"chain:interconnects.x.completion\" = [0.9, 0.99]\n");
  Pair plain;
  auto t = with_table.compare("");
  auto o = plain.compare("--uncertain chain:interconnects.x.completion=0.9:0.99");
  REQUIRE(t.exit_code == 0);
  REQUIRE(o.exit_code == 0);
  json ut = json::parse(t.out)["uncertainty"], uo = json::parse(o.out)["uncertainty"];
  CHECK(ut["differences"] == uo["differences"]);
  CHECK(ut["inputs"][0]["source"].get<std::string>().find("a.toml:") != std::string::npos);
  // sim run ignores it.
  CHECK(test::telsim("sim run " + with_table.a + " --days 0.1").exit_code == 0);
  // The command line replaces the table's range for the same keys.
  auto over = with_table.compare("--uncertain chain:interconnects.x.completion=0.92:0.99");
  REQUIRE(over.exit_code == 0);
  json uv = json::parse(over.out)["uncertainty"];
  REQUIRE(uv["inputs"].size() == 1);
  CHECK(uv["inputs"][0]["low"].get<double>() == 0.92);
  CHECK(uv["inputs"][0]["source"] == "--uncertain");
}

TEST_CASE("uncertain: two networks giving one input two ranges are refused") {
  Pair p("[uncertain]\n\"interconnects.x.completion\" = [0.9, 0.99]\n");
  test::write_file(p.b, test::slurp(p.b) + "[uncertain]\n\"interconnects.x.completion\" = [0.8, 0.99]\n");
  auto r = p.compare("");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("one range per input") != std::string::npos);
  CHECK(r.err.find("b.toml:") != std::string::npos);
}

TEST_CASE("uncertain: without uncertain inputs the document has no uncertainty") {
  Pair p;
  auto r = p.compare("");
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(json::parse(r.out).contains("uncertainty"));
}

TEST_CASE("uncertain: bad inputs are refused with exit 2") {
  Pair p;
  auto no_range = p.compare("--uncertain interconnects.x.completion");
  CHECK(no_range.exit_code == 2);
  CHECK(no_range.err.find("expected KEYS=LOW:HIGH") != std::string::npos);
  auto reversed = p.compare("--uncertain chain:interconnects.x.completion=0.99:0.9");
  CHECK(reversed.exit_code == 2);
  CHECK(reversed.err.find("LOW must be less than HIGH") != std::string::npos);
  // A range's ends are numbers as every option's are: 1e-400 was read as 0.
  auto tiny = p.compare("--uncertain chain:interconnects.x.completion=1e-400:0.9");
  CHECK(tiny.exit_code == 2);
  CHECK(tiny.err.find("expected LOW:HIGH, two numbers ('1e-400' is too close to 0") != std::string::npos);
  auto word = p.compare("--uncertain chain:interconnects.x.completion=0.9:high");
  CHECK(word.exit_code == 2);
  CHECK(word.err.find("('high' is not a number)") != std::string::npos);
  auto unknown = p.compare("--uncertain hops.nowhere=0.9:0.99");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no network has the key hops.nowhere") != std::string::npos);
  auto out_of_range = p.compare("--uncertain chain:interconnects.x.completion=0.9:1.5");
  CHECK(out_of_range.exit_code == 2);
  CHECK(out_of_range.err.find("uncertain run 'chain:interconnects.x.completion high'") != std::string::npos);
  Pair bad("[uncertain]\n\"interconnects.x.completion\" = [0.99]\n");
  auto table = bad.compare("");
  CHECK(table.exit_code == 2);
  CHECK(table.err.find("a.toml:") != std::string::npos);
  CHECK(table.err.find("uncertain.interconnects.x.completion") != std::string::npos);
}
