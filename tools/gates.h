#pragma once
// Gates: checks on a command's JSON output that decide a CI job's fate
// (`--fail-if 'overall.completion_ratio.low >= 0.95'`, or a scenario's
// `[gates] fail_if = [...]`). The evaluator works on any JSON document, so
// every command with a JSON output (sim run, sim compare, cdr stats, and later
// a sweep, once per point) gates the same way.
//
// A gate names the condition that FAILS the build, as in `--fail-if`:
// `overall.lost.mean > 100` fails when more than 100 calls are lost.
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace telsim::gates {

/// One parsed gate: PATH OP NUMBER, and where it was written.
struct Gate {
  std::string text;    // as written
  std::string path;    // dotted path into the JSON (array elements by index)
  std::string op;      // < <= > >= == !=
  double threshold = 0;
  std::string origin;  // "--fail-if" or "FILE [gates]"
};

/// A gate evaluated on one document. `value` is empty when the figure exists
/// but could not be estimated (null, e.g. a ci95 of one replication): such a
/// gate fails, since nothing shows the condition does not hold.
struct Result {
  Gate gate;
  std::optional<double> value;
  bool failed = false;
};

/// Parses "PATH OP NUMBER"; throws InputError naming `origin` when malformed.
Gate parse(const std::string& text, const std::string& origin);

/// Evaluates each gate on `doc`. A path that names nothing in `doc`, or names
/// something other than a number or null, throws InputError listing the
/// nearest existing paths: a misspelt gate must never pass silently.
std::vector<Result> evaluate(const std::vector<Gate>& gates, const nlohmann::ordered_json& doc);

/// The results as JSON (the `gates` key of an output): one object per gate.
nlohmann::ordered_json to_json(const std::vector<Result>& results);

/// One line per gate for stderr: a mark (✓ passed, ✗ failed), the gate, the
/// measured value.
std::string to_text(const std::vector<Result>& results);

/// JUnit XML: one test suite `suite`, one test case per gate, a <failure> for
/// each failed one.
std::string to_junit(const std::vector<Result>& results, const std::string& suite);

bool any_failed(const std::vector<Result>& results);

/// Thrown after the output is written when a gate failed: main() turns it
/// into exit code 3 (kExitGateFailed) with nothing more on stderr.
struct GatesFailed : std::runtime_error {
  GatesFailed() : std::runtime_error("a gate failed") {}
};

}  // namespace telsim::gates
