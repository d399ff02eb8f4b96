#pragma once
// Traffic from a CDR: the calls a real switch recorded, replayed through a
// scenario's network instead of generated traffic, so an engineer can ask
// what these exact calls would have suffered on another network.
#include <cstdint>
#include <string>
#include <vector>

#include "core/cdr/cdr_reader.h"
#include "core/cdr/numbering.h"
#include "core/net/scenario.h"
#include "sim/dataplane.h"

namespace telsim {

struct Replay {
  std::vector<ReplayCall> calls;  // sorted by time
  double days = 0;                // simulated span: whole days from the first call's local midnight
  UnixTime origin = 0;            // UTC time of simulation time 0
  int64_t unmatched = 0;          // calls that fit no stream of the scenario (reported, not simulated)
  CdrSummary summary;
};

/// Reads the CDR and gives each call to a stream of `sc`:
/// - with a numbering registry, the caller's and the called number's range
///   holders pick the `from` and `to` operators (an operator's `registry`
///   key is a substring of the holder's name);
/// - the called number picks the stream's prefix (longest match wins);
/// - when several streams remain, a hash of the caller's number picks one in
///   proportion to their calls_per_day, so one caller always lands on the
///   same stream and the traffic mix of the scenario is kept.
/// Answered calls hold their billed seconds, busy ones nothing, unanswered
/// ones their ringing time; calls the real network failed have an unknown
/// callee and draw from the stream's model. Unmatched calls are counted and
/// the first few reported on `diag`; with opts.strict the first is an error.
Replay load_replay(const Scenario& sc, const std::vector<std::string>& files, const CdrReadOptions& opts,
                   const Numbering* numbering, std::FILE* diag);

}  // namespace telsim
