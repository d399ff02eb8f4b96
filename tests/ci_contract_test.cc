// The contract a CI pipeline builds on (docs/cli.md, "For CI authors"): one
// JSON shape whatever the replication count, validated by the schemas of
// docs/schema/; gates that pass (exit 0), fail (exit 3, output still
// written) or are misnamed (exit 2); JUnit reports; and a `sim compare` that
// refuses networks fed different traffic.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <functional>
#include <set>

#include "tests/test_util.h"

using namespace telsim;
using json = nlohmann::json;

namespace {

const std::string kInSource = "cd " + test::source("") + " &&";
const std::string kErlang = "sim run scenarios/erlang-b.toml --days 0.2";
const std::string kPair = "sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml "
                          "--days 0.5 --replications 3";

// Runs a shell command; its stdout (stderr too), and its exit status in `*status`.
std::string shell(const std::string& cmd, int* status = nullptr) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

using test::has;

// Every path of a document, objects and arrays alike (array elements as [i]).
std::set<std::string> paths(const json& j, const std::string& at = "") {
  std::set<std::string> out;
  std::function<void(const json&, const std::string&)> walk = [&](const json& v, const std::string& p) {
    out.insert(p);
    if (v.is_object())
      for (auto& [k, x] : v.items()) walk(x, p + "." + k);
    else if (v.is_array())
      for (size_t i = 0; i < v.size(); ++i) walk(v[i], p + "[" + std::to_string(i) + "]");
  };
  walk(j, at);
  return out;
}

}  // namespace

TEST_CASE("every JSON output validates against its schema in docs/schema/") {
  // check_schemas.py runs each command with --format json (sim run with 1 and 10 replications).
  int status = -1;
  std::string out = shell("python3 " + test::source("tests/check_schemas.py") + " " + TELSIM_BIN + " " +
                          test::source(""), &status);
  INFO(out);
  CHECK(status == 0);
  CHECK(has(out, " 0 failures"));
}

TEST_CASE("sim run JSON has one shape for 1 and for 10 replications") {
  auto one = test::telsim(kErlang + " --replications 1 --format json", kInSource);
  auto ten = test::telsim(kErlang + " --replications 10 --format json", kInSource);
  REQUIRE(one.exit_code == 0);
  REQUIRE(ten.exit_code == 0);
  json a = json::parse(one.out), b = json::parse(ten.out);
  CHECK(paths(a) == paths(b));
  CHECK(a["schema"] == "telsim.sim-run/2");
  CHECK(a["telsim_version"].is_string());
  // `jq .overall.lost.mean` works with one replication; the interval is unknown, not 0.
  CHECK(a["overall"]["lost"]["mean"].is_number());
  CHECK(a["overall"]["lost"]["ci95"].is_null());
  CHECK(a["overall"]["lost"]["low"].is_null());
  CHECK(b["overall"]["lost"]["ci95"].get<double>() > 0);
  CHECK(b["overall"]["lost"]["low"].get<double>() < b["overall"]["lost"]["mean"].get<double>());
  // Inputs: the scenario with its SHA-256 (that of the file's bytes), the overrides applied.
  const json& f = a["inputs"]["files"][0];
  CHECK(f["path"] == "scenarios/erlang-b.toml");
  CHECK(f["role"] == "scenario");
  std::string sum = shell("sha256sum " + test::source("scenarios/erlang-b.toml"));
  CHECK(f["sha256"] == sum.substr(0, 64));
  CHECK(has(a["inputs"]["overrides"].dump(), "simulation.replications=1"));
  CHECK(a["seed"] == 1);
  CHECK(a["replications"] == 1);
}

TEST_CASE("CSV: an interval that cannot be estimated is an empty field, not 0") {
  auto r = test::telsim(kErlang + " --replications 1 --format csv", kInSource);
  REQUIRE(r.exit_code == 0);
  std::string header = r.out.substr(0, r.out.find('\n'));
  CHECK(has(header, "group,name,offered,offered_ci95,completed,completed_ci95"));
  std::string row = r.out.substr(header.size() + 1, r.out.find('\n', header.size() + 1) - header.size() - 1);
  CHECK(row.rfind("overall,all,", 0) == 0);
  CHECK(has(row, ",,"));  // the empty ci95 fields
  // And the table shows no ± at all.
  auto t = test::telsim(kErlang + " --replications 1", kInSource);
  CHECK(!has(t.out, "±"));
}

TEST_CASE("gates: passing is exit 0, failing is exit 3 with the output still written, misnamed is exit 2") {
  test::TempDir d;
  auto ok = test::telsim(kErlang + " --replications 3 --fail-if 'overall.completion_ratio.mean < 0.5' --out " +
                             d.file("ok.json") + " --format json",
                         kInSource);
  CHECK(ok.exit_code == 0);
  CHECK(has(ok.err, "✓ passed fail if overall.completion_ratio.mean < 0.5"));
  json j = json::parse(test::slurp(d.file("ok.json")));
  REQUIRE(j["gates"].size() == 1);
  CHECK(j["gates"][0]["passed"] == true);
  CHECK(j["gates"][0]["value"] == j["overall"]["completion_ratio"]["mean"]);

  auto bad = test::telsim(kErlang + " --replications 3 --fail-if 'overall.completion_ratio.mean < 0.5' --fail-if "
                                    "'overall.lost_by_cause.blocked.mean > 10' --out " + d.file("bad.json") +
                              " --format json --junit " + d.file("gates.xml"),
                          kInSource);
  CHECK(bad.exit_code == 3);
  CHECK(has(bad.err, "✗ FAILED fail if overall.lost_by_cause.blocked.mean > 10: overall.lost_by_cause.blocked.mean is"));
  CHECK(has(bad.err, "✓ passed"));
  json b = json::parse(test::slurp(d.file("bad.json")));  // written in spite of the failure
  CHECK(b["gates"][1]["passed"] == false);
  CHECK(b["gates"][1]["value"].get<double>() > 10);

  // JUnit: one test case per gate, a failure for the failed one; parsed by a real XML parser.
  std::string x = shell("python3 -c \"import xml.etree.ElementTree as E; r=E.parse('" + d.file("gates.xml") +
                        "').getroot(); c=r.findall('.//testcase'); print(len(c), len(r.findall('.//failure')), "
                        "c[1].get('name'))\"");
  CHECK(x == "2 1 fail if overall.lost_by_cause.blocked.mean > 10\n");

  // --junit is checked with the command line, as --out is: a folder or a
  // missing folder is bad input before the simulation runs, named as --junit.
  for (const std::string& where : {d.path(), d.file("nope/gates.xml")}) {
    auto early = test::telsim(kErlang + " --fail-if 'overall.completion_ratio.mean < 0.5' --junit " + where,
                              kInSource);
    CHECK(early.exit_code == 2);
    CHECK(has(early.err, "telsim: --junit " + where + ": "));
    CHECK_FALSE(has(early.err, "--out"));
    CHECK_FALSE(has(early.err, "passed fail if"));  // refused before the run and its gates
  }

  // One file for two outputs: refused, not the JSON written over the JUnit XML.
  auto same = test::telsim(kErlang + " --fail-if 'overall.completion_ratio.mean < 0.5' --format json --out " +
                               d.file("same.out") + " --junit " + d.file("same.out"),
                           kInSource);
  CHECK(same.exit_code == 2);
  CHECK(same.err == "telsim: --junit " + d.file("same.out") + ": also given to --out; each output needs a file of its own\n");
  CHECK_FALSE(std::filesystem::exists(d.file("same.out")));

  // A path naming nothing: bad input, the nearest key named, nothing written.
  auto typo = test::telsim(kErlang + " --fail-if 'overall.completion_ration.mean < 0.5' --out " + d.file("typo.json"),
                           kInSource);
  CHECK(typo.exit_code == 2);
  CHECK(typo.err == "telsim: --fail-if 'overall.completion_ration.mean < 0.5': the output of sim run has no "
                    "'overall.completion_ration' (did you mean 'overall.completion_ratio.mean'?)\n");
  CHECK(!std::filesystem::exists(d.file("typo.json")));
  // A name the schema cannot know (a stream) is checked on the output: the nearest paths listed.
  auto name = test::telsim(kErlang + " --fail-if 'streams.caller.lost.mean > 1'", kInSource);
  CHECK(name.exit_code == 2);
  CHECK(has(name.err, "no 'streams.caller.lost.mean' in the output; nearest paths:\n  streams.callers.lost.mean"));
  auto syntax = test::telsim(kErlang + " --fail-if 'overall.lost.mean about 3'", kInSource);
  CHECK(syntax.exit_code == 2);
  CHECK(has(syntax.err, "OP one of < <= > >= == !="));
  // A gate on an interval that one replication cannot estimate fails: nothing shows it holds.
  auto unknown = test::telsim(kErlang + " --replications 1 --fail-if 'overall.completion_ratio.low < 0.5'", kInSource);
  CHECK(unknown.exit_code == 3);
  CHECK(has(unknown.err, "is null (not estimated)"));
}

TEST_CASE("gates: a scenario's [gates] table, and gates on cdr stats") {
  test::TempDir d;
  std::string base = test::slurp(test::source("scenarios/erlang-b.toml"));
  test::write_file(d.file("g.toml"), base + "\n[gates]\nfail_if = [\"overall.blocking_ratio.mean > 0.001\"]\n");
  auto r = test::telsim("sim run " + d.file("g.toml") + " --days 0.2 --replications 2");
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, "✗ FAILED fail if overall.blocking_ratio.mean > 0.001"));
  CHECK(has(r.out, "ALL"));  // the table is still printed
  // A comparison does not read a network's [gates], and says so.
  auto cmp = test::telsim("sim compare " + d.file("g.toml") + " " + test::source("scenarios/erlang-b.toml") +
                          " --days 0.2 --replications 2");
  CHECK(cmp.exit_code == 0);
  CHECK(has(cmp.err, "telsim: " + d.file("g.toml") + ": [gates] not checked: they are about one network's run, and "
                     "sim compare compares networks (gate the comparison with --fail-if"));
  test::write_file(d.file("typo.toml"), base + "\n[gates]\nfail_if = [\"overall.blocking.mean > 0.001\"]\n");
  auto t = test::telsim("sim run " + d.file("typo.toml") + " --days 0.2 --format json");
  CHECK(t.exit_code == 2);
  // Named with the line the gate is written on.
  const std::string line = std::to_string(std::count(base.begin(), base.end(), '\n') + 3);
  CHECK(has(t.err, "typo.toml:" + line + ": [gates] fail_if 'overall.blocking.mean > 0.001': the output of sim run has no "
                   "'overall.blocking' (did you mean 'overall.blocking_ratio.mean'?)"));

  std::string cdr = test::source("tests/fixtures/cdr/asterisk_messy.csv");
  auto c = test::telsim("cdr stats " + cdr + " --fail-if 'overall.asr < 0.9' --format json");
  CHECK(c.exit_code == 3);
  json j = json::parse(c.out);
  CHECK(j["schema"] == "telsim.cdr-stats/1");
  CHECK(j["inputs"]["files"][0]["path"] == cdr);
  CHECK(j["inputs"]["files"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(j["gates"][0]["value"] == j["overall"]["asr"]);
  CHECK(test::telsim("cdr stats " + cdr + " --fail-if 'overall.calls < 1'").exit_code == 0);
}

TEST_CASE("cdr stats: no readable row is bad input, not an all-zero report") {
  test::TempDir d;
  std::string rows;
  for (int i = 0; i < 10; ++i) rows += "x\n";
  test::write_file(d.file("junk.csv"), rows);
  auto r = test::telsim("cdr stats " + d.file("junk.csv") + " --input asterisk --format json");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, "no row could be read: 10 of 10 rows skipped, see above"));
}

TEST_CASE("sim compare refuses networks fed different traffic, unless told") {
  auto r = test::telsim(kPair + " --set B:streams.from-mts.calls_per_day=100", kInSource);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, "not fed the same traffic"));
  CHECK(has(r.err, "streams.from-mts.calls_per_day: 1800 in scenarios/transit-vs-direct-transit.toml, 100 in "
                   "scenarios/transit-vs-direct-direct.toml"));
  CHECK(has(r.err, "--allow-different-traffic"));
  auto allowed = test::telsim(kPair + " --set B:streams.from-mts.calls_per_day=100 --allow-different-traffic", kInSource);
  CHECK(allowed.exit_code == 0);
}

TEST_CASE("sim compare: --set NETWORK:KEY targets one network; a key only some networks have names the file") {
  auto base = test::telsim(kPair + " --format json", kInSource);
  auto b = test::telsim(kPair + " --set B:interconnects.mts-direct.channels=2 --format json", kInSource);
  auto byname = test::telsim(kPair + " --set direct:interconnects.mts-direct.channels=2 --format json", kInSource);
  REQUIRE(base.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  json j0 = json::parse(base.out), j1 = json::parse(b.out);
  CHECK(j1["networks"][0]["overall"] == j0["networks"][0]["overall"]);  // A untouched
  // Two channels on B's direct junction: calls overflow to the transit backup.
  CHECK(j1["networks"][1]["overall"]["direct_share"]["mean"].get<double>() <
        j0["networks"][1]["overall"]["direct_share"]["mean"].get<double>() - 0.1);
  CHECK(json::parse(byname.out)["networks"] == j1["networks"]);
  CHECK(has(j1["inputs"]["overrides"].dump(), "B:interconnects.mts-direct.channels=2"));

  auto missing = test::telsim(kPair + " --set interconnects.mts-direct.channels=2", kInSource);
  CHECK(missing.exit_code == 2);
  CHECK(has(missing.err, "scenarios/transit-vs-direct-transit.toml has no key interconnects.mts-direct.channels"));
  // A key neither file has, under a name one network lacks: that network's file is named.
  auto partly = test::telsim(kPair + " --set 'interconnects.mts-direct.outages=[{start_hours = 1, minutes = 5}]'", kInSource);
  CHECK(partly.exit_code == 2);
  CHECK(has(partly.err, "no interconnect named 'mts-direct' in scenarios/transit-vs-direct-transit.toml (its interconnects: "));
  auto nobody = test::telsim(kPair + " --set C:interconnects.mts-direct.channels=2", kInSource);
  CHECK(nobody.exit_code == 2);
  CHECK(has(nobody.err, "no network 'C' (networks: A or transit, B or direct)"));
  // A file compared with itself: its name designates both networks, so a
  // change by name would go to both and show no difference. Refused.
  const std::string self = "sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml --days 0.1";
  auto both = test::telsim(self + " --set erlang-b:interconnects.trunk.channels=90", kInSource);
  CHECK(both.exit_code == 2);
  CHECK(both.out.empty());
  CHECK(both.err ==
        "telsim: --set erlang-b:interconnects.trunk.channels=90: 'erlang-b' designates networks A and B (by name, "
        "letter or position): use a designation of one network only (networks: A or erlang-b, B or erlang-b; or 1, "
        "2, ... by position)\n");
  CHECK(test::telsim(self + " --set B:interconnects.trunk.channels=90", kInSource).exit_code == 0);
  // A name that is another network's letter: files named B.toml and A.toml.
  test::TempDir d;
  const std::string erlang = test::slurp(test::source("scenarios/erlang-b.toml"));
  test::write_file(d.file("A.toml"), erlang);  // named after the file: A and B
  test::write_file(d.file("B.toml"), erlang);
  auto crossed = test::telsim("sim compare " + d.file("B.toml") + " " + d.file("A.toml") +
                              " --days 0.1 --set B:interconnects.trunk.channels=90");
  CHECK(crossed.exit_code == 2);
  CHECK(has(crossed.err, "'B' designates networks A and B (by name, letter or position)"));
}

TEST_CASE("sim compare: networks by name, and a sentence that reads right for a gain, a loss and no difference") {
  auto gain = test::telsim(kPair, kInSource);
  REQUIRE(gain.exit_code == 0);
  CHECK(has(gain.out, "[A] transit: Small operator behind a transit chain"));
  CHECK(has(gain.out, "In short: [B] direct delivers "));
  CHECK(has(gain.out, " more calls per 100 than [A] transit (95% CI "));
  CHECK(!has(gain.out, " -0 "));
  CHECK(!has(gain.out, "+0 "));
  auto loss = test::telsim("sim compare scenarios/transit-vs-direct-direct.toml scenarios/transit-vs-direct-transit.toml "
                           "--days 0.5 --replications 3",
                           kInSource);
  CHECK(has(loss.out, "In short: [B] transit delivers "));
  CHECK(has(loss.out, " fewer calls per 100 than [A] direct (95% CI "));
  auto same = test::telsim("sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml --days 0.2 --replications 3",
                           kInSource);
  CHECK(has(same.out, "no difference within the run's precision"));
  CHECK(!has(same.out, "-0"));

  // CSV names the networks and gives every difference its interval, more_calls_ratio included.
  auto csv = test::telsim(kPair + " --format csv", kInSource);
  CHECK(csv.out.rfind("metric,transit,direct,direct-transit,direct-transit_ci95,direct-transit_low,direct-transit_high\n", 0) == 0);
  CHECK(has(csv.out, "\nmore_calls_ratio,,,0."));
  json j = json::parse(test::telsim(kPair + " --format json", kInSource).out);
  CHECK(j["differences"][0]["more_calls_ratio"]["ci95"].is_number());
  CHECK(j["networks"][1]["name"] == "direct");
  // `differences.completed.mean` reaches the one difference of a two-network compare.
  auto g = test::telsim(kPair + " --fail-if 'differences.completed.mean < 0'", kInSource);
  CHECK(g.exit_code == 0);
  auto typo = test::telsim(kPair + " --fail-if 'differences.complete.mean < 0'", kInSource);
  CHECK(typo.exit_code == 2);
  CHECK(has(typo.err, "has no 'differences.complete' (did you mean 'differences.completed.mean'?)"));
}

TEST_CASE("gates are checked before anything runs or is read: a misspelt gate costs a second, not the run") {
  // Each of these would run (or read) for hours: the gate must be refused
  // first. `timeout` turns a check that waits for the run into a failure
  // (exit 124), not a hung test.
  test::TempDir d;
  const std::string slow = " --days 30000 --replications 100";
  struct Case {
    std::string command, message;
  };
  std::vector<Case> cases{
      {"sim run scenarios/article-operator.toml" + slow + " --fail-if 'overall.lost.meen > 1'",
       "the output of sim run has no 'overall.lost.meen' (did you mean 'overall.lost.mean'?)"},
      {"sim run scenarios/article-operator.toml" + slow + " --fail-if 'overall.lost.mean >> 1'", "is not a finite number"},
      {"sim run scenarios/article-operator.toml" + slow + " --fail-if 'network.nodes.x.lost.mean > 1'",
       "'network.nodes' is in the output of sim run only with --detail nodes"},
      {"sim run scenarios/article-operator.toml" + slow + " --fail-if 'series.day.0.offered.mean > 1'",
       "'series.day' is in the output of sim run only with --series day"},
      {"sim run scenarios/erlang-b.toml" + slow + " --fail-if 'economics.lost_calls_per_month.mean > 1'",
       "'economics' is in the output of sim run only with --call-value VALUE"},
      {"sim run scenarios/erlang-b.toml" + slow + " --fail-if 'funnel.overall.answered.mean < 1'",
       "'funnel' is in the output of sim run only for a scenario with traffic sources"},
      {"sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml" + slow +
           " --fail-if 'differences.more_call_ratio.low < 0.05'",
       "the output of sim compare has no 'differences.more_call_ratio' (did you mean "
       "'differences.more_calls_ratio.low'?)"},
      {"sim sweep scenarios/erlang-b.toml --vary interconnects.trunk.channels=100,110" + slow +
           " --fail-if 'overall.blocking_ratio < 0.01'",
       "'overall.blocking_ratio' is an object in the output of sim sweep, not a number; under it: mean, ci95, low, high"},
      {"sim sweep scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml" + slow +
           " --fail-if 'networks.0.overall.lost.meen > 1'",
       "the output of sim sweep has no 'networks.0.overall.lost.meen'"},
      // What these options and scenarios will not write, in a comparison.
      {"sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml" + slow + " --fail-if 'uncertainty.inputs.0.low > 1'",
       "'uncertainty' is in the output of sim compare only with --uncertain or an [uncertain] table"},
      {"sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml" + slow +
           " --fail-if 'economics.networks.0.lost_calls_per_month.mean > 1'",
       "'economics' is in the output of sim compare only with --call-value VALUE, --economics or an [economics] "
       "table in a scenario"},
      {"sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml" + slow +
           " --fail-if 'networks.2.overall.lost.mean > 1'",
       "'networks.2' is not in the output of sim compare: it compares 2 networks, networks.0 to networks.1"},
      {"sim sweep scenarios/erlang-b.toml scenarios/erlang-b.toml scenarios/erlang-b.toml" + slow +
           " --fail-if 'differences.2.lost.mean > 1'",
       "'differences.2' is not in the output of sim sweep: it has 2 differences to the first network, "
       "differences.0 to differences.1"},
      {"sim compare scenarios/erlang-b.toml scenarios/erlang-b.toml" + slow +
           " --fail-if 'networks.1.funnel.overall.callers.mean > 1'",
       "'networks.1.funnel' is in the output of sim compare only for a scenario with traffic sources"},
      {"sim run scenarios/tracking-funnel-direct.toml --traffic-from-cdr tests/fixtures/cdr/asterisk_messy.csv "
       "--fail-if 'funnel.overall.callers.mean > 1'",
       "'funnel' is not in the output of sim run with --traffic-from-cdr"},
  };
  for (auto& c : cases) {
    CAPTURE(c.command);
    auto r = test::telsim(c.command + " --out " + d.file("out.txt"), "cd " + test::source("") + " && timeout 60");
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, c.message));
    CHECK_FALSE(std::filesystem::exists(d.file("out.txt")));
  }
  // A scenario's [gates] too.
  std::string base = test::slurp(test::source("scenarios/erlang-b.toml"));
  test::write_file(d.file("g.toml"), base + "\n[gates]\nfail_if = [\"overall.lost.meen > 1\"]\n");
  auto s = test::telsim("sim run " + d.file("g.toml") + slow, "timeout 60");
  CHECK(s.exit_code == 2);
  CHECK(has(s.err, "g.toml:" + std::to_string(std::count(base.begin(), base.end(), '\n') + 3) +
                       ": [gates] fail_if 'overall.lost.meen > 1': the output of sim run has no 'overall.lost.meen'"));
  // cdr stats: before the file is read (a file that does not exist is not reached).
  auto c = test::telsim("cdr stats " + d.file("none.csv") + " --fail-if 'overall.asr.mean < 1'");
  CHECK(c.exit_code == 2);
  CHECK(has(c.err, "'overall.asr' is a number in the output of cdr stats; the path ends there"));
  auto groups = test::telsim("cdr stats " + d.file("none.csv") + " --fail-if 'groups.0.asr < 0.5'");
  CHECK(groups.exit_code == 2);
  CHECK(has(groups.err, "'groups.0' is in the output of cdr stats only with --by (without it, groups is empty)"));
}

TEST_CASE("sim's CDR options are spelled as in cdr stats; the old spellings still work") {
  std::string base = "sim run scenarios/erlang-b.toml --traffic-from-cdr tests/fixtures/cdr/asterisk_messy.csv";
  auto now = test::telsim(base + " --input mapped", kInSource);
  CHECK(now.exit_code == 2);
  CHECK(has(now.err, "--input mapped needs --mapping FILE"));
  auto old = test::telsim(base + " --cdr-input mapped", kInSource);
  CHECK(old.exit_code == 2);
  CHECK(has(old.err, "--input mapped needs --mapping FILE"));
  auto help = test::telsim("sim run --help");
  CHECK(has(help.out, "--registry"));
  CHECK(!has(help.out, "--cdr-input"));  // hidden alias
}
