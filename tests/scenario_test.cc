// Scenario files: what is accepted, and bad input refused with file, line and
// key, exit code 2 and nothing written.
#include "core/net/scenario.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "core/base/error.h"
#include "tests/test_util.h"

using namespace telsim;

namespace {

// A valid scenario; line numbers matter to the tests below.
const char* kValid =
    "[simulation]\n"                               // 1
    "days = 1\n"                                   // 2
    "[operators.a]\n"                              // 3
    "kind = \"mobile\"\n"                          // 4
    "[operators.b]\n"                              // 5
    "kind = \"ours\"\n"                            // 6
    "[operators.c]\n"                              // 7
    "kind = \"transit\"\n"                         // 8
    "[interconnects.ab]\n"                         // 9
    "between = [\"a\", \"b\"]\n"                   // 10
    "channels = 10\n"                              // 11
    "completion = 0.99\n"                          // 12
    "[interconnects.ac]\n"                         // 13
    "between = [\"a\", \"c\"]\n"                   // 14
    "channels = 10\n"                              // 15
    "[interconnects.cb]\n"                         // 16
    "between = [\"c\", \"b\"]\n"                   // 17
    "channels = 10\n"                              // 18
    "[routes.r]\n"                                 // 19
    "from = \"a\"\n"                               // 20
    "to = \"b\"\n"                                 // 21
    "paths = [[\"ab\"], [\"ac\", \"cb\"]]\n"       // 22
    "[streams.s]\n"                                // 23
    "from = \"a\"\n"                               // 24
    "to = \"b\"\n"                                 // 25
    "calls_per_day = 100\n";                       // 26

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

// Loads `text` from a file and returns the error message ("" if accepted).
std::string error_of(const test::TempDir& dir, const std::string& text, const Overrides& o = {}) {
  std::string f = dir.file("s.toml");
  test::write_file(f, text);
  try {
    load_scenario(f, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a valid scenario loads with defaults") {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, kValid);
  Scenario sc = load_scenario(f);
  CHECK(sc.sim.days == 1);
  CHECK(sc.sim.replications == 1);
  CHECK(sc.operators.size() == 3);
  CHECK(sc.interconnects[sc.interconnect_index("ab")].completion == 0.99);
  CHECK(sc.interconnects[sc.interconnect_index("ac")].completion == 1.0);
  REQUIRE(sc.routes.size() == 1);
  CHECK(sc.routes[0].paths.size() == 2);
  CHECK(sc.streams[0].profile.size() == 24);
  CHECK(sc.streams[0].holding.mean == 180);
  CHECK(sc.control.monitoring);
  CHECK(sc.control.delay() == doctest::Approx(120 + 450));
}

TEST_CASE("--set overrides any key by its dotted path, and unknown keys are errors") {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, kValid);
  Scenario sc = load_scenario(f, {{"interconnects.ab.channels", "42"}, {"simulation.seed", "9"},
                                  {"streams.s.holding", "{ distribution = \"deterministic\", mean_seconds = 60 }"}});
  CHECK(sc.interconnects[sc.interconnect_index("ab")].channels == 42);
  CHECK(sc.sim.seed == 9);
  CHECK(sc.streams[0].holding.kind == Duration::Kind::kDeterministic);
  // A file without [simulation] or [control] still takes --days, --seed, ...
  std::string bare = std::string(kValid).substr(std::string(kValid).find("[operators.a]"));
  test::write_file(dir.file("bare.toml"), bare);
  Scenario b = load_scenario(dir.file("bare.toml"), {{"simulation.days", "3"}, {"control.reroute_minutes", "1"}});
  CHECK(b.sim.days == 3);
  CHECK(b.control.reroute_seconds == 60);
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("bare.toml"), {{"streams.q.calls_per_day", "4"}}),
                       ("streams.q.calls_per_day: no stream named 'q' in " + dir.file("bare.toml") + " (its streams: s)").c_str(),
                       InputError);
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"interconnects.ab.chanels", "4"}}),
                       doctest::Contains("interconnects.ab.chanels: unknown key"), InputError);
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"interconnects.zz.channels", "4"}}),
                       ("interconnects.zz.channels: no interconnect named 'zz' in " + f + " (its interconnects: ab, ac, cb)").c_str(),
                       InputError);
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"pools.site.size", "4"}}),
                       ("pools.site.size: no pool named 'site' in " + f + " (it has no [pools])").c_str(), InputError);
  // An optional table the file leaves out is filled in, at any depth, and
  // its keys are then checked as the file's are.
  Scenario inc = load_scenario(f, {{"interconnects.ab.incidents.mean_between_hours", "10"},
                                   {"interconnects.ab.incidents.mean_minutes", "30"},
                                   {"gates.fail_if", "['overall.asr.mean < 0.5']"}});
  const Interconnect& ab = inc.interconnects[inc.interconnect_index("ab")];
  CHECK(ab.incidents.mean_between_hours == 10);
  CHECK(ab.incidents.duration.mean == 30 * 60.0);
  CHECK(inc.gates == std::vector<std::string>{"overall.asr.mean < 0.5"});
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"interconnects.ab.incidnets.mean_between_hours", "10"}}),
                       doctest::Contains("interconnects.ab.incidnets: unknown key"), InputError);
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"nonsense.key", "1"}}), "nonsense.key: unknown key 'nonsense'",
                       InputError);
  CHECK_THROWS_WITH_AS(load_scenario(f, {{"interconnects.ab.channels", "\"many\""}}),
                       doctest::Contains("expected an integer"), InputError);
}

TEST_CASE("bad scenarios are refused with file, line and key") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  struct Bad {
    const char* what;
    std::string text;
    std::string expect;  // a part of the message, after "s.toml:"
  };
  const Bad cases[] = {
      {"syntax error", replace(kValid, "channels = 10\n[interconnects.cb]", "channels = = 10\n[interconnects.cb]"),
       "s.toml:15:"},
      {"unknown key", replace(kValid, "completion = 0.99", "completoin = 0.99"),
       "s.toml:12: interconnects.ab.completoin: unknown key"},
      {"wrong type", replace(kValid, "channels = 10\ncompletion", "channels = \"ten\"\ncompletion"),
       "s.toml:11: interconnects.ab.channels: expected an integer"},
      {"probability above 1", replace(kValid, "completion = 0.99", "completion = 1.5"),
       "s.toml:12: interconnects.ab.completion: probability 1.5 is outside [0, 1]"},
      {"negative probability", replace(kValid, "completion = 0.99", "completion = -0.1"),
       "s.toml:12: interconnects.ab.completion: probability -0.1 is outside [0, 1]"},
      {"zero capacity", replace(kValid, "channels = 10\ncompletion", "channels = 0\ncompletion"),
       "s.toml:11: interconnects.ab.channels: capacity must be positive, got 0"},
      {"negative capacity", replace(kValid, "channels = 10\ncompletion", "channels = -5\ncompletion"),
       "s.toml:11: interconnects.ab.channels: capacity must be positive, got -5"},
      {"route names an unknown interconnect", replace(kValid, "[\"ac\", \"cb\"]", "[\"ac\", \"xb\"]"),
       "s.toml:22: routes.r.paths: unknown interconnect 'xb'"},
      {"route names an unknown operator", replace(kValid, "to = \"b\"\npaths", "to = \"zz\"\npaths"),
       "s.toml:21: routes.r.to: unknown operator 'zz'"},
      {"interconnect names an unknown operator", replace(kValid, "between = [\"c\", \"b\"]", "between = [\"c\", \"q\"]"),
       "s.toml:17: interconnects.cb.between: unknown operator 'q'"},
      {"path that does not connect", replace(kValid, "[\"ac\", \"cb\"]", "[\"cb\"]"),
       "s.toml:22: routes.r.paths: path 2 does not connect: interconnect 'cb' joins c and b, but the path is at a"},
      {"path that ends elsewhere", replace(kValid, "[\"ac\", \"cb\"]", "[\"ac\"]"),
       "s.toml:22: routes.r.paths: path 2 ends at c, not at the destination b"},
      {"profile without 24 values", replace(kValid, "calls_per_day = 100\n", "calls_per_day = 100\nprofile = [1, 2, 3]\n"),
       "s.toml:27: streams.s.profile: a 24-hour profile needs 24 values, got 3"},
      {"no traffic", std::string(kValid).substr(0, std::string(kValid).find("[streams.s]")),
       "streams: no traffic"},
      {"stream without a route", replace(kValid, "[streams.s]\nfrom = \"a\"", "[streams.s]\nfrom = \"c\""),
       "s.toml:23: streams.s: no route from c to b"},
      {"callee shares that do not sum to 1",
       replace(kValid, "calls_per_day = 100\n", "calls_per_day = 100\ncallee = { answer = 0.5, busy = 0.2 }\n"),
       "s.toml:27: streams.s.callee: answer + busy + no_answer must be 1"},
      {"unknown distribution",
       replace(kValid, "calls_per_day = 100\n", "calls_per_day = 100\nholding = { distribution = \"pareto\" }\n"),
       "s.toml:27: streams.s.holding.distribution: 'pareto' is not one of"},
      {"zero calls", replace(kValid, "calls_per_day = 100", "calls_per_day = 0"),
       "s.toml:26: streams.s.calls_per_day: must be positive, got 0"},
      // Values that would hang a run or exhaust its memory.
      {"infinite days", replace(kValid, "days = 1", "days = inf"),
       "s.toml:2: simulation.days: must be a finite number, got inf"},
      {"NaN days", replace(kValid, "days = 1", "days = nan"),
       "s.toml:2: simulation.days: must be a finite number, got nan"},
      {"days beyond a century", replace(kValid, "days = 1", "days = 40000"),
       "s.toml:2: simulation.days: at most 36500 days (a century), got 40000"},
      {"infinite warm-up", replace(kValid, "days = 1", "days = 1\nwarmup_days = +inf"),
       "s.toml:3: simulation.warmup_days: must be a finite number, got inf"},
      {"infinite calls", replace(kValid, "calls_per_day = 100", "calls_per_day = inf"),
       "s.toml:26: streams.s.calls_per_day: must be a finite number, got inf"},
      {"too many calls", replace(kValid, "calls_per_day = 100", "calls_per_day = 1e12"),
       "s.toml:26: streams.s.calls_per_day: at most 1000000000 calls a day, got 1e+12"},
      {"negative calls", replace(kValid, "calls_per_day = 100", "calls_per_day = -3"),
       "s.toml:26: streams.s.calls_per_day: must be positive, got -3"},
      {"NaN in a profile", replace(kValid, "calls_per_day = 100\n", "calls_per_day = 100\nprofile = [1, nan]\n"),
       "s.toml:27: streams.s.profile: must be a finite number, got nan"},
      {"NaN completion", replace(kValid, "completion = 0.99", "completion = nan"),
       "s.toml:12: interconnects.ab.completion: must be a finite number, got nan"},
      {"zero holding time",
       replace(kValid, "calls_per_day = 100\n", "calls_per_day = 100\nholding = { mean_seconds = 0 }\n"),
       "s.toml:27: streams.s.holding.mean_seconds: must be positive, got 0"},
      {"an incident rate that would exhaust memory",
       replace(kValid, "completion = 0.99\n", "completion = 0.99\nincidents = { mean_between_hours = 1e-5 }\n"),
       "s.toml:13: interconnects.ab.incidents.mean_between_hours: about 2.4e+06 incidents per replication over 1 "
       "days (warm-up included); a run holds at most 1000000 incidents and failures in memory"},
      {"node failures that would exhaust memory",
       replace(kValid, "kind = \"ours\"\n",
               "kind = \"ours\"\nnode = { components = 4, mtbf_hours = 1e-5, mttr_hours = 1e-5 }\n"),
       "s.toml:7: operators.b.node.mtbf_hours: about 4.8e+06 node failures per replication over 1 days (warm-up "
       "included); a run holds at most 1000000 incidents and failures in memory"},
  };
  for (const Bad& b : cases) {
    INFO(b.what);
    std::string msg = error_of(dir, b.text);
    CHECK(msg.find(b.expect) != std::string::npos);
    CHECK(msg.find(f) == 0);  // starts with the file name
  }
}

TEST_CASE("a misspelt key is named on its own line with the key it most likely is") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  // A required key misspelt: missing, and the key near it pointed at with its line (as a
  // question: it may be a key of its own, not read yet, as mttr_hours when mtbf_hours is missing).
  CHECK(error_of(dir, replace(kValid, "[interconnects.cb]\nbetween = [\"c\", \"b\"]\nchannels = 10",
                              "[interconnects.cb]\nbetween = [\"c\", \"b\"]\nchanels = 10")) ==
        f + ":16: interconnects.cb.channels: missing (required); is 'chanels' (" + f + ":18) a misspelling of it?");
  CHECK(error_of(dir, replace(kValid, "calls_per_day = 100", "calls_per_day = 100\nholding = { distribution = "
                                                             "\"lognormal\", mean_seconds = 100 }"))
            == f + ":27: streams.s.holding.sd_seconds: missing (required)");  // mean_seconds was read: no question
  // An optional key misspelt, a table misspelt, a singular for a plural.
  CHECK(error_of(dir, replace(kValid, "completion = 0.99", "completoin = 0.99")) ==
        f + ":12: interconnects.ab.completoin: unknown key (did you mean 'completion'?)");
  CHECK(error_of(dir, replace(kValid, "[simulation]", "[simulaton]")) ==
        f + ":1: simulaton: unknown key (did you mean 'simulation'?)");
  CHECK(error_of(dir, replace(kValid, "[streams.s]", "[stream.s]")) ==
        f + ":1: streams: no traffic: a scenario needs at least one stream ([streams.NAME]); is 'stream' (" + f +
            ":23) a misspelling of it?");
  // A key that starts like the one meant ("start" for start_hours).
  CHECK(error_of(dir, std::string(kValid) + "outages = [{ start = 2, minutes = 60 }]\n").find("unknown key") !=
        std::string::npos);
  // Nothing near: the keys the table takes.
  CHECK(error_of(dir, replace(kValid, "calls_per_day = 100", "calls_per_day = 100\nholding = { mean_minutes = 3 }")) ==
        f + ":27: streams.s.holding.mean_minutes: unknown key; the keys here: distribution, mean_seconds, sd_seconds");
  // A name that is not there: the nearest, or the names there are.
  CHECK(error_of(dir, replace(kValid, "[[\"ab\"], [\"ac\", \"cb\"]]", "[[\"ab\"], [\"ac\", \"bc\"]]")) ==
        f + ":22: routes.r.paths: unknown interconnect 'bc' (did you mean 'ac' or 'cb'?)");
  CHECK(error_of(dir, replace(kValid, "[[\"ab\"], [\"ac\", \"cb\"]]", "[[\"ab\"], [\"ac\", \"zzzz\"]]")) ==
        f + ":22: routes.r.paths: unknown interconnect 'zzzz'; the interconnects: ab, ac, cb");
  CHECK(error_of(dir, replace(kValid, "from = \"a\"\nto = \"b\"\ncalls", "from = \"aa\"\nto = \"b\"\ncalls")) ==
        f + ":24: streams.s.from: unknown operator 'aa' (did you mean 'a'?)");
  // Shares that do not add up, written as the user would read them.
  CHECK(error_of(dir, replace(kValid, "calls_per_day = 100", "calls_per_day = 100\ncallee = { answer = 0.85, busy = 0.05, "
                                                             "no_answer = 0.05 }"))
            .find("answer + busy + no_answer must be 1, got 0.95") != std::string::npos);
}

TEST_CASE("a key of [simulation] or [control] at the top of the file is told where it belongs") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  CHECK(error_of(dir, "seed = 7\n" + std::string(kValid)) ==
        f + ":1: seed: unknown key at the top of the file; it belongs in [simulation] (a key written before any "
            "[table] header is at the top)");
  CHECK(error_of(dir, "monitoring = false\n" + std::string(kValid)).find("it belongs in [control]") != std::string::npos);
}

TEST_CASE("a value set by an override is named as the override, not as a line of the file") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  // A value of two lines, the second a key of its own, is refused, not half read.
  CHECK(error_of(dir, kValid, {{"simulation.days", "1\nbogus = 5"}}) ==
        "simulation.days: the value holds more than one TOML value (a line break, then another key?)");
  CHECK(error_of(dir, kValid, {{"interconnects.ab.channels", "ten"}}) ==
        f + ": override interconnects.ab.channels=ten: interconnects.ab.channels: expected an integer, got string");
  CHECK(error_of(dir, kValid, {{"interconnects.ab.channels", "1.5"}}) ==
        f + ": override interconnects.ab.channels=1.5: interconnects.ab.channels: expected an integer, got floating-point");
  CHECK(error_of(dir, kValid, {{"interconnects.ab.chanels", "5"}}) ==
        f + ": override interconnects.ab.chanels=5: interconnects.ab.chanels: unknown key (did you mean 'channels'?)");
  // A value that is not UTF-8 is refused as such (TOML and JSON are UTF-8).
  CHECK(error_of(dir, kValid, {{"name", "\xff\"x"}}) == "name: the value is not valid UTF-8 text");
  // Quotes, backslashes and control characters: escaped in the message, which stays on one line.
  CHECK(error_of(dir, kValid, {{"interconnects.ab.channels", "a\"b\\c\nd"}}) ==
        f + ": override interconnects.ab.channels=a\"b\\c\\x0ad: interconnects.ab.channels: expected an integer, "
            "got string");
}

TEST_CASE("an include cycle is shown as the chain of files that makes it") {
  test::TempDir dir;
  test::write_file(dir.file("a.toml"), "include = \"b.toml\"\n");
  test::write_file(dir.file("b.toml"), "include = \"a.toml\"\n");
  try {
    load_scenario(dir.file("a.toml"), {});
    FAIL("no error");
  } catch (const InputError& e) {
    std::string a = dir.file("a.toml"), b = dir.path() + "/./b.toml";
    std::string msg = e.what();
    CHECK(msg.find(": include cycle: ") != std::string::npos);
    CHECK(msg.find("which includes") != std::string::npos);
    CHECK(msg.find(" again") != std::string::npos);
  }
}

TEST_CASE("the cap on incidents counts every interconnect and node of a replication") {
  test::TempDir dir;
  // 0.05 h between incidents over 1 day (+ 1 day of warm-up) is 960 incidents:
  // well under the cap alone, and loaded as given.
  std::string ok = replace(kValid, "days = 1\n", "days = 1\nwarmup_days = 1\n");
  ok = replace(ok, "completion = 0.99\n", "completion = 0.99\nincidents = { mean_between_hours = 0.05 }\n");
  CHECK(error_of(dir, ok) == "");
  // Two interconnects under the cap each but over it together: the second is refused, with the total.
  const std::string fast = "incidents = { mean_between_hours = 4e-5 }\n";
  std::string both = replace(kValid, "completion = 0.99\n", "completion = 0.99\n" + fast);
  both = replace(both, "between = [\"a\", \"c\"]\n", "between = [\"a\", \"c\"]\n" + fast);
  CHECK(error_of(dir, both) ==
        dir.file("s.toml") +
            ":16: interconnects.ac.incidents.mean_between_hours: about 6e+05 incidents per replication over 1 days "
            "(warm-up included) (1.2e+06 with the incidents and failures above); a run holds at most 1000000 "
            "incidents and failures in memory");
}

TEST_CASE("telsim sim run: values that would never end are refused, whether from the file or an option") {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, kValid);
  std::string out = dir.file("result.json");
  for (const char* opt : {"--days nan", "--days inf", "--set simulation.days=inf",
                          "--set streams.s.calls_per_day=inf",
                          "--set interconnects.ab.incidents={mean_between_hours=1e-9}"}) {
    INFO(opt);
    auto r = test::telsim("sim run " + f + " " + opt + " --out " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(!r.err.empty());
    CHECK(!std::filesystem::exists(out));
  }
  auto r = test::telsim("sim run " + f + " --set simulation.days=inf");
  CHECK(r.err == "telsim: " + f + ": --set simulation.days=inf: simulation.days: must be a finite number, got inf\n");
}

TEST_CASE("a route no stream takes is warned about on stderr; the run goes on") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  test::write_file(f, std::string(kValid) + "[routes.toll]\nfrom = \"a\"\nto = \"b\"\nprefix = \"+7800\"\n"
                                            "paths = [[\"ab\"]]\n");
  auto r = test::telsim("sim run " + f + " --days 0.05 --replications 1");
  CHECK(r.exit_code == 0);
  CHECK(r.err == "telsim: " + f + ": routes.toll: no stream takes this route, so it carries nothing (a stream from a "
                                  "to b takes the route whose prefix is the longest that starts the stream's own "
                                  "prefix, compared as text: does a stream's prefix start with '+7800'?)\n");
  // The stream's prefix in the national form ("8800...") still misses it; in E.164 it takes it, and the other is idle.
  CHECK(test::telsim("sim run " + f + " --days 0.05 --replications 1 --set streams.s.prefix=\\\"88001\\\"").err.find(
            "routes.toll: no stream takes this route") != std::string::npos);
  auto e164 = test::telsim("sim run " + f + " --days 0.05 --replications 1 --set streams.s.prefix=\\\"+78001\\\"");
  CHECK(e164.exit_code == 0);
  CHECK(e164.err.find("routes.toll") == std::string::npos);
  CHECK(e164.err.find("routes.r: no stream takes this route, so it carries nothing (a stream from a to b takes the route "
                      "whose prefix is the longest that starts the stream's own prefix, compared as text: a route "
                      "without a prefix takes the rest)") != std::string::npos);
  // Replayed CDR calls go through the streams too: the same warning.
  auto cdr = test::telsim("sim run " + f + " --traffic-from-cdr " + test::source("tests/fixtures/cdr/asterisk_messy.csv") +
                          " --replications 1");
  CHECK(cdr.exit_code == 0);
  CHECK(cdr.err.find("routes.toll: no stream takes this route") != std::string::npos);
  // A route whose ends no stream has.
  test::write_file(f, std::string(kValid) + "[routes.back]\nfrom = \"b\"\nto = \"a\"\npaths = [[\"ab\"]]\n");
  CHECK(test::telsim("sim run " + f + " --days 0.05 --replications 1").err ==
        "telsim: " + f + ": routes.back: no stream goes from b to a, so this route carries nothing\n");
}

TEST_CASE("a scheduled outage the run cannot see is warned about on stderr; the run goes on") {
  const std::string run = "sim run " + test::source("scenarios/erlang-b.toml") + " --days 0.2 --replications 1 ";
  // erlang-b.toml: 0.1 days of warm-up, so hours 0 to 2.4 are not measured and the run ends at hour 7.2.
  auto after = test::telsim(run + "--set 'interconnects.trunk.outages=[{start_hours = 300, minutes = 60}]'");
  CHECK(after.exit_code == 0);
  CHECK(after.err == "telsim: " + test::source("scenarios/erlang-b.toml") +
                         ": interconnects.trunk.outages: outage 1 (start_hours = 300): starts after the run ends at "
                         "hour 7.2: it does not happen in this run\n");
  auto warmup = test::telsim(
      run + "--set 'interconnects.trunk.outages=[{start_hours = 3, minutes = 60}, {start_hours = 0.5, minutes = 30}]'");
  CHECK(warmup.exit_code == 0);
  CHECK(warmup.err == "telsim: " + test::source("scenarios/erlang-b.toml") +
                          ": interconnects.trunk.outages: outage 2 (start_hours = 0.5): ends at hour 1, within the "
                          "warm-up (hours 0 to 2.4 are not measured): the figures do not see it\n");
  auto seen = test::telsim(run + "--set 'interconnects.trunk.outages=[{start_hours = 2, minutes = 60}]'");
  CHECK(seen.exit_code == 0);
  CHECK(seen.err.empty());
  // Once per outage of a file: a file compared with itself, a sweep over the days.
  const std::string late = " --set 'interconnects.trunk.outages=[{start_hours = 300, minutes = 60}]'";
  auto twice = test::telsim("sim compare " + test::source("scenarios/erlang-b.toml") + " " +
                            test::source("scenarios/erlang-b.toml") + " --days 0.2" + late);
  CHECK(twice.exit_code == 0);
  CHECK(twice.err == after.err);
  auto sweep = test::telsim("sim sweep " + test::source("scenarios/erlang-b.toml") +
                            " --vary simulation.days=0.1,0.2 --replications 1" + late);
  CHECK(sweep.exit_code == 0);
  CHECK(sweep.err.find("outage 1 (start_hours = 300): starts after the run ends at hour 4.8") != std::string::npos);
  CHECK(sweep.err.find("hour 7.2") == std::string::npos);
}

TEST_CASE("includes merge a shared base; a missing include is an error with its line") {
  test::TempDir dir;
  std::string base = std::string(kValid);
  test::write_file(dir.file("base.toml"), base);
  test::write_file(dir.file("top.toml"), "include = \"base.toml\"\n[interconnects.ab]\nchannels = 77\n");
  Scenario sc = load_scenario(dir.file("top.toml"));
  CHECK(sc.interconnects[sc.interconnect_index("ab")].channels == 77);
  CHECK(sc.interconnects[sc.interconnect_index("ab")].completion == 0.99);  // from the base
  test::write_file(dir.file("bad.toml"), "\ninclude = \"nope.toml\"\n");
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("bad.toml")), doctest::Contains("bad.toml:2: include: no such file"),
                       InputError);
  // A folder, as the scenario or as an include, is said to be one.
  std::filesystem::create_directory(dir.file("shared"));
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("shared")), (dir.file("shared") + ": is a folder, not a scenario file").c_str(),
                       InputError);
  test::write_file(dir.file("folder.toml"), "include = \"shared\"\n");
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("folder.toml")),
                       doctest::Contains(("folder.toml:1: include: '" + dir.file("shared") + "' is a folder, not a scenario file").c_str()),
                       InputError);
  // An error inside the included file names that file.
  test::write_file(dir.file("base2.toml"), replace(base, "completion = 0.99", "completion = 2"));
  test::write_file(dir.file("top2.toml"), "include = \"base2.toml\"\n");
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("top2.toml")), doctest::Contains("base2.toml:12: interconnects.ab.completion"),
                       InputError);
}

TEST_CASE("telsim sim run: bad input exits 2 and writes nothing") {
  test::TempDir dir;
  std::string f = dir.file("s.toml");
  test::write_file(f, replace(kValid, "completion = 0.99", "completion = 1.5"));
  std::string out = dir.file("result.json");
  auto r = test::telsim("sim run " + f + " --out " + out);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(":12: interconnects.ab.completion: probability 1.5 is outside [0, 1]") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(!std::filesystem::exists(out));

  r = test::telsim("sim run " + dir.file("missing.toml"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no such scenario file") != std::string::npos);

  test::write_file(f, kValid);
  r = test::telsim("sim run " + f + " --set nonsense");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("expected KEY=VALUE") != std::string::npos);
  r = test::telsim("sim run " + f + " --set interconnects.ab.nope=1");
  CHECK(r.exit_code == 2);
  r = test::telsim("sim run " + f + " --format xml");
  CHECK(r.exit_code == 2);
  r = test::telsim("sim frobnicate");
  CHECK(r.exit_code == 2);

  // Options may come before the scenario: --set takes exactly one value.
  r = test::telsim("sim run --set interconnects.ab.channels=3 " + f + " --format json");
  CHECK(r.exit_code == 0);

  // A good run with --out writes the file and nothing on stdout.
  r = test::telsim("sim run " + f + " --format json --out " + out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(test::slurp(out).find("\"offered\"") != std::string::npos);
}

TEST_CASE("monitoring and detection delays must agree; interconnects may set their own delays") {
  test::TempDir dir;
  const std::string ctl_off = std::string("[control]\nmonitoring = false\n") + kValid;  // kValid's lines move by 2
  // Without monitoring an outage is noticed late; a detection in minutes contradicts it.
  CHECK(error_of(dir, replace(ctl_off, "monitoring = false\n", "monitoring = false\ndetection_minutes = 2\n")) ==
        dir.file("s.toml") +
            ":3: control.detection_minutes: 2 minutes contradicts control.monitoring = false: without live "
            "monitoring an outage is noticed after 30 minutes or more (or \"never\"); set monitoring = true");
  CHECK(error_of(dir, replace(kValid, "[simulation]", "[control]\ndetection_minutes = \"never\"\n[simulation]"))
            .find("s.toml:2: control.detection_minutes: \"never\" contradicts control.monitoring = true") !=
        std::string::npos);
  CHECK(error_of(dir, kValid, {{"control.detection_minutes", "240"}})
            .find("control.detection_minutes: 240 minutes contradicts control.monitoring = true") != std::string::npos);
  // The same rule for an interconnect's own value.
  CHECK(error_of(dir, replace(ctl_off, "channels = 10\ncompletion", "channels = 10\ndetection_minutes = 5\ncompletion"))
            .find("s.toml:14: interconnects.ab.detection_minutes: 5 minutes contradicts") != std::string::npos);
  // Consistent: accepted; monitoring off alone means detection after 240 minutes.
  CHECK(error_of(dir, ctl_off) == "");
  CHECK(error_of(dir, replace(ctl_off, "monitoring = false\n", "monitoring = false\ndetection_minutes = \"never\"\n")) ==
        "");

  const std::string f = dir.file("s.toml");
  test::write_file(f, replace(ctl_off, "channels = 10\ncompletion",
                              "channels = 10\ndetection_minutes = 120\nreroute_minutes = 1\ncompletion"));
  Scenario sc = load_scenario(f);
  CHECK(sc.control.detection_seconds == 240 * 60);
  CHECK(sc.control.drop_calls_on_failure);
  const Interconnect& ab = sc.interconnects[sc.interconnect_index("ab")];
  CHECK(ab.detection_seconds == 120 * 60);
  CHECK(ab.reroute_seconds == 60);
  const Interconnect& ac = sc.interconnects[sc.interconnect_index("ac")];  // the [control] defaults
  CHECK(ac.detection_seconds == 240 * 60);
  CHECK(ac.reroute_seconds == 450);
  Scenario never = load_scenario(f, {{"control.detection_minutes", "\"never\""},
                                     {"control.drop_calls_on_failure", "false"}});
  CHECK(never.interconnects[never.interconnect_index("ac")].never_detected);
  CHECK_FALSE(never.interconnects[never.interconnect_index("ab")].never_detected);  // its own 120 minutes
  CHECK_FALSE(never.control.drop_calls_on_failure);
}

TEST_CASE("[hops]: interconnects take a shared completion by name; unknown names and bad values are refused") {
  test::TempDir dir;
  // The hops come from an include, the interconnects refer to them.
  test::write_file(dir.file("hops.toml"), "[hops]\nab-hop = 0.9\ncb-hop = 0.8\nunused = 0.5\n");
  std::string top = "include = \"hops.toml\"\n" +
                    replace(replace(kValid, "completion = 0.99", "completion = \"hop:ab-hop\""),
                            "[interconnects.cb]\n", "[interconnects.cb]\ncompletion = \"hop:cb-hop\"\n");
  test::write_file(dir.file("top.toml"), top);
  Scenario sc = load_scenario(dir.file("top.toml"));
  CHECK(sc.interconnects[sc.interconnect_index("ab")].completion == 0.9);
  CHECK(sc.interconnects[sc.interconnect_index("cb")].completion == 0.8);
  CHECK(sc.interconnects[sc.interconnect_index("ac")].completion == 1.0);
  // --set on the hop changes every interconnect that refers to it.
  Scenario set = load_scenario(dir.file("top.toml"), {{"hops.ab-hop", "0.7"}});
  CHECK(set.interconnects[set.interconnect_index("ab")].completion == 0.7);

  CHECK_THROWS_WITH_AS(load_scenario(dir.file("top.toml"), {{"interconnects.ab.completion", "\"hop:nope\""}}),
                       doctest::Contains("interconnects.ab.completion: no hop 'nope' in [hops] (hops: ab-hop, cb-hop, unused)"),
                       InputError);
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("top.toml"), {{"interconnects.ab.completion", "\"high\""}}),
                       doctest::Contains("expected a probability or \"hop:NAME\""), InputError);
  CHECK(error_of(dir, replace(kValid, "completion = 0.99", "completion = \"hop:x\"")).find(
            "the scenario has no [hops] table") != std::string::npos);
  test::write_file(dir.file("hops.toml"), "[hops]\nab-hop = 1.5\ncb-hop = 0.8\n");
  CHECK_THROWS_WITH_AS(load_scenario(dir.file("top.toml")), doctest::Contains("hops.ab-hop"), InputError);
}
