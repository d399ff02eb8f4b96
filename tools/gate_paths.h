#pragma once
// A gate's path checked before anything runs, against the JSON Schema of the
// output the gate will read (docs/schema/, built into telsim at configure
// time): a misspelt `--fail-if` or `[gates] fail_if` fails in a second, not
// after an hour of simulation. What a schema cannot know (the names of
// streams, destinations, interconnects; the number of networks or points)
// waits for the output, where gates::evaluate checks the whole path.
//
// This relies on every key of an output being declared in its schema: the
// schema test (tests/check_schemas.py) checks the outputs against the schemas
// with every object that lists its properties closed to others.
#include <string>
#include <vector>

#include "tools/gates.h"

namespace telsim::gates {

/// The document a command's gates read.
enum class Reads {
  kSimRun,                // sim run
  kSimCompare,            // sim compare
  kSimSweepPoint,         // one point of sim sweep (points[i])
  kSimSweepComparePoint,  // one point of sim sweep over two networks or more
  kCdrStats,              // cdr stats
};

/// A part of the output that this run will not have, and why: a gate
/// reaching into it is refused with that reason ("'network.interconnects'
/// is in the output of sim run only with --detail interconnects").
struct Absent {
  std::string path;  // a dotted path prefix, a step "*" for any one, "#N" for an index of N or more:
                     // "network.interconnects", "networks.*.funnel", "networks.#2"
  std::string why;   // what follows the path in the message: "is in the output of sim run only with --detail interconnects"
};

/// Throws InputError (naming the gate's origin and text) for the first gate
/// whose path no output of that kind can have, that leads to a string or an
/// object rather than a number (an object's numbers are listed), or that
/// reaches into an `absent` part, the output's `gates` or a sweep point's
/// `parameters`. Gates that pass may still name nothing in the output (an
/// unknown stream): gates::evaluate says so after the run.
void check_paths(const std::vector<Gate>& gates, Reads reads, const std::vector<Absent>& absent = {});

/// Every gate of `texts`, parsed (gates::parse) with `origin`.
std::vector<Gate> parse_all(const std::vector<std::string>& texts, const std::string& origin);

}  // namespace telsim::gates
