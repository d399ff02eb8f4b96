#pragma once
// `sim compare --uncertain KEYS=LOW:HIGH` (and `[uncertain]` in scenarios):
// inputs known only as a range. The comparison is run as the scenarios say
// (nominal), then with each input at its low and at its high end, the others
// as written (one at a time), then with every input at the end that lowers
// and at the end that raises the headline (extra calls per 100 of the
// second network), as the one-at-a-time runs showed: all on the same random
// numbers. The headline is then reported as a range over these runs beside
// its Monte Carlo interval (docs/model.md, "Two kinds of uncertainty").
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/net/scenario.h"

namespace telsim::uncertain {

/// One uncertain input: one or more dotted keys (as --set spells them, each
/// may start with NETWORK:) set together to one value between low and high.
struct Input {
  std::string name;               // the keys as written: "hops.a,hops.b"
  std::vector<std::string> keys;  // split at commas
  double low = 0, high = 0;
  std::string source;             // "--uncertain" or the scenario's file:line
};

/// Parses `KEYS=LOW:HIGH`; throws InputError naming the option.
Input parse(const std::string& text);

/// The inputs of the command line and of the networks' `[uncertain]` tables,
/// in that order, one per name: the command line wins over the scenarios; two
/// networks giving one name two ranges are refused.
std::vector<Input> gather(const std::vector<std::string>& options, const std::vector<const Scenario*>& networks);

/// One run of the study: a value per input (nominal: none set).
struct Run {
  std::string label;  // "nominal", "NAME low", "NAME high", "all lowering", "all raising"
  std::vector<std::pair<std::string, double>> sets;  // key -> value for --set
  nlohmann::ordered_json differences;               // compare_json()'s differences of this run
};

/// The one-at-a-time runs: low and high of each input, in input order.
std::vector<Run> one_at_a_time(const std::vector<Input>& inputs);

/// The two directed corners from the nominal and one-at-a-time runs (the
/// headline of the first difference decides each input's direction); empty
/// for fewer than two inputs (the corners would repeat a one-at-a-time run).
std::vector<Run> corners(const std::vector<Input>& inputs, const std::vector<Run>& done);

/// The `uncertainty` object of the compare document.
nlohmann::ordered_json to_json(const std::vector<Input>& inputs, const std::vector<Run>& runs);

/// The lines under the compare table.
std::string to_table(const std::vector<Input>& inputs, const std::vector<Run>& runs);

}  // namespace telsim::uncertain
