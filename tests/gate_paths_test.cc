// A gate's path checked against the output's schema before anything runs
// (tools/gate_paths.h): what it refuses, with which words, and what it must
// leave to the output (names only a run knows).
#include "tools/gate_paths.h"

#include <doctest/doctest.h>

#include "core/base/error.h"
#include "tests/test_util.h"

using namespace telsim;
using gates::Reads;

namespace telsim::gates {
const char* output_schema(const char* name);
}

namespace {

// The message check_paths gives for one --fail-if, or "" when it lets it through.
std::string refusal(const std::string& gate, Reads reads, const std::vector<gates::Absent>& absent = {}) {
  try {
    gates::check_paths({gates::parse(gate, "--fail-if")}, reads, absent);
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("gate paths: the built-in schemas are docs/schema/ as it is") {
  for (const char* name : {"sim-run", "sim-compare", "sim-sweep", "sim-sweep-compare", "cdr-stats"}) {
    CAPTURE(name);
    const char* built_in = gates::output_schema(name);
    REQUIRE(built_in != nullptr);
    CHECK(std::string(built_in) == test::slurp(test::source(std::string("docs/schema/") + name + ".schema.json")));
  }
  CHECK(gates::output_schema("pool-list") == nullptr);
}

TEST_CASE("gate paths: what an output can have passes, for every kind of output") {
  CHECK(refusal("overall.completion_ratio.low < 0.95", Reads::kSimRun) == "");
  CHECK(refusal("overall.lost_by_cause.junction.mean > 10", Reads::kSimRun) == "");
  CHECK(refusal("peak_concurrent_calls > 1", Reads::kSimRun) != "");  // under network., not at the top
  CHECK(refusal("network.peak_concurrent_calls > 100", Reads::kSimRun) == "");
  CHECK(refusal("replications < 10", Reads::kSimRun) == "");
  CHECK(refusal("differences.0.more_calls_ratio.low < 0.05", Reads::kSimCompare) == "");
  CHECK(refusal("networks.1.overall.lost.mean > 5", Reads::kSimCompare) == "");
  CHECK(refusal("overall.blocking_ratio.mean > 0.01", Reads::kSimSweepPoint) == "");
  CHECK(refusal("differences.completed.mean < 0", Reads::kSimSweepComparePoint) == "");
  CHECK(refusal("overall.asr < 0.5", Reads::kCdrStats) == "");
  CHECK(refusal("groups.3.ner < 0.9", Reads::kCdrStats) == "");
}

TEST_CASE("gate paths: names only a run knows are left to the output") {
  // Streams, destinations, interconnects and nodes are the scenario's names.
  CHECK(refusal("streams.callers.completion_ratio.mean < 0.9", Reads::kSimRun) == "");
  CHECK(refusal("destinations.anything.offered.mean > 1", Reads::kSimRun) == "");
  CHECK(refusal("network.interconnects.trunk.occupancy.mean > 0.9", Reads::kSimRun) == "");
  // A name instead of an index steps into a one-element array, as evaluate reads it.
  CHECK(refusal("differences.completed.mean < 0", Reads::kSimCompare) == "");
  // An object whose keys the schema does not list may hold anything.
  CHECK(refusal("inputs.options.tz > 1", Reads::kCdrStats) == "");
  // But what comes after a dynamic name is checked.
  CHECK(refusal("streams.callers.completion_ration.mean < 0.9", Reads::kSimRun) ==
        "--fail-if 'streams.callers.completion_ration.mean < 0.9': the output of sim run has no "
        "'streams.callers.completion_ration' (did you mean 'streams.callers.completion_ratio.mean'?)");
}

TEST_CASE("gate paths: a misspelt key is refused with the keys nearest to it") {
  CHECK(refusal("overall.completion_ration.low < 0.95", Reads::kSimRun) ==
        "--fail-if 'overall.completion_ration.low < 0.95': the output of sim run has no "
        "'overall.completion_ration' (did you mean 'overall.completion_ratio.low'?)");
  CHECK(refusal("overal.lost.mean > 1", Reads::kSimSweepPoint) ==
        "--fail-if 'overal.lost.mean > 1': the output of sim sweep has no 'overal' (did you mean 'overall.lost.mean'?)");
  CHECK(refusal("differences.complete.mean < 0", Reads::kSimSweepComparePoint) ==
        "--fail-if 'differences.complete.mean < 0': the output of sim sweep has no 'differences.complete' "
        "(did you mean 'differences.completed.mean'?)");
  // Nothing near: the keys there are.
  CHECK(refusal("overall.lost_by_cause.fire.mean > 1", Reads::kSimRun) ==
        "--fail-if 'overall.lost_by_cause.fire.mean > 1': the output of sim run has no "
        "'overall.lost_by_cause.fire'; 'overall.lost_by_cause' holds blocked, junction, outage, node");
  // cdr stats: a group's metrics and its labels are both its keys.
  CHECK(refusal("groups.0.answerd > 1", Reads::kCdrStats) ==
        "--fail-if 'groups.0.answerd > 1': the output of cdr stats has no 'groups.0.answerd' (did you mean "
        "'groups.0.answered'?)");
  // The results of the gates are written after the gates are read.
  CHECK(refusal("gates.0.value > 1", Reads::kSimRun) ==
        "--fail-if 'gates.0.value > 1': 'gates' holds the gates' results, written after the gates are evaluated: no "
        "gate reads it");
  CHECK(refusal(".overall.lost.mean > 1", Reads::kSimRun) ==
        "--fail-if '.overall.lost.mean > 1': '.overall.lost.mean' has an empty key (two dots, or a dot at an end)");
  CHECK(refusal("overall..lost.mean > 1", Reads::kSimRun) != "");
  // A sweep's gates read one point at a time, and no gate can name a varied key (it has dots).
  CHECK(refusal("points.0.overall.lost.mean > 1", Reads::kSimSweepPoint) ==
        "--fail-if 'points.0.overall.lost.mean > 1': a gate of sim sweep reads one point at a time (it is checked at "
        "every point): write the path without 'points.N.'");
  CHECK(refusal("parameters.interconnects.trunk.channels > 100", Reads::kSimSweepComparePoint).find(
            "'parameters' holds the varied keys, which have dots in them") != std::string::npos);
  CHECK(refusal("parameters > 1", Reads::kSimRun) != "");  // no such key in a run at all
}

TEST_CASE("gate paths: a path must end on a number") {
  CHECK(refusal("overall.completion_ratio < 0.95", Reads::kSimRun) ==
        "--fail-if 'overall.completion_ratio < 0.95': 'overall.completion_ratio' is an object in the output of sim "
        "run, not a number; under it: mean, ci95, low, high");
  CHECK(refusal("name > 1", Reads::kSimRun) == "--fail-if 'name > 1': 'name' is a string in the output of sim run, not a number");
  CHECK(refusal("groups.0.day > 1", Reads::kCdrStats) ==
        "--fail-if 'groups.0.day > 1': 'groups.0.day' is a string in the output of cdr stats, not a number");
  CHECK(refusal("overall.offered.mean.x < 1", Reads::kSimRun) ==
        "--fail-if 'overall.offered.mean.x < 1': 'overall.offered.mean' is a number in the output of sim run; the "
        "path ends there");
  CHECK(refusal("networks < 1", Reads::kSimCompare) ==
        "--fail-if 'networks < 1': 'networks' is a list in the output of sim compare, not a number");
  // A fixed value (const, enum) is a leaf of its values' type.
  CHECK(refusal("schema > 1", Reads::kSimRun) == "--fail-if 'schema > 1': 'schema' is a string in the output of sim run, not a number");
  CHECK(refusal("schema.x > 1", Reads::kSimRun) ==
        "--fail-if 'schema.x > 1': 'schema' is a string in the output of sim run; the path ends there");
  CHECK(refusal("by.0 > 1", Reads::kCdrStats) == "--fail-if 'by.0 > 1': 'by.0' is a string in the output of cdr stats, not a number");
  // An index as evaluate reads one: at most 8 digits.
  CHECK(refusal("networks.123456789.overall.lost.mean > 1", Reads::kSimCompare) != "");
}

TEST_CASE("gate paths: a part this run will not write is refused with what writes it") {
  std::vector<gates::Absent> absent{{"network.interconnects", "is written only with --detail interconnects"},
                                    {"economics", "is written only with --call-value VALUE"}};
  CHECK(refusal("network.interconnects.trunk.occupancy.mean > 0.9", Reads::kSimRun, absent) ==
        "--fail-if 'network.interconnects.trunk.occupancy.mean > 0.9': 'network.interconnects' is written only with "
        "--detail interconnects");
  CHECK(refusal("economics.lost_revenue_per_month.mean > 1", Reads::kSimRun, absent) ==
        "--fail-if 'economics.lost_revenue_per_month.mean > 1': 'economics' is written only with --call-value VALUE");
  // A prefix of a key is not that key.
  CHECK(refusal("network.incidents_per_day.mean > 1", Reads::kSimRun, absent) == "");
  CHECK(refusal("overall.lost.mean > 1", Reads::kSimRun, {{"overall.lo", "never"}}) == "");
  // "*" stands for any one step.
  std::vector<gates::Absent> funnels{{"networks.*.funnel", "is not there"}};
  CHECK(refusal("networks.1.funnel.overall.callers.mean > 1", Reads::kSimCompare, funnels) ==
        "--fail-if 'networks.1.funnel.overall.callers.mean > 1': 'networks.1.funnel' is not there");
  CHECK(refusal("networks.1.overall.lost.mean > 1", Reads::kSimCompare, funnels) == "");
  // "#N" stands for an index of N or more.
  std::vector<gates::Absent> two{{"networks.#2", "is past the last"}};
  CHECK(refusal("networks.1.overall.lost.mean > 1", Reads::kSimCompare, two) == "");
  CHECK(refusal("networks.2.overall.lost.mean > 1", Reads::kSimCompare, two) ==
        "--fail-if 'networks.2.overall.lost.mean > 1': 'networks.2' is past the last");
  CHECK(refusal("networks.10.overall.lost.mean > 1", Reads::kSimCompare, two) != "");
  // A misspelling of an absent part is told of it and of why it is absent;
  // a list of the keys there leaves it out.
  CHECK(refusal("economic.lost_calls_per_month.mean > 1", Reads::kSimRun, absent) ==
        "--fail-if 'economic.lost_calls_per_month.mean > 1': the output of sim run has no 'economic' (did you mean "
        "'economics.lost_calls_per_month.mean'?); 'economics' is written only with --call-value VALUE");
  std::string listed = refusal("zzz > 1", Reads::kSimRun, absent);
  CHECK(listed.find("it holds schema, telsim_version,") != std::string::npos);
  CHECK(listed.find("economics") == std::string::npos);
  CHECK(listed.find("gates") == std::string::npos);
}

TEST_CASE("gate paths: the first refused gate names where it was written") {
  std::vector<gates::Gate> gs{gates::parse("overall.lost.mean > 1", "--fail-if"),
                              gates::parse("overall.lots.mean > 1", "s.toml: [gates] fail_if")};
  try {
    gates::check_paths(gs, Reads::kSimRun);
    FAIL("not refused");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("s.toml: [gates] fail_if 'overall.lots.mean > 1': ", 0) == 0);
  }
  CHECK_NOTHROW(gates::check_paths({}, Reads::kCdrStats));
}
