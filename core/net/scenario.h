#pragma once
// The network and traffic model read from a scenario file (TOML).
// docs/scenario-format.md documents every key, its unit and default.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/random.h"
#include "core/net/forwarding_config.h"
#include "core/net/economics.h"

namespace telsim {

/// A redundant switching node: up while at least `required` of its
/// `components` are up. Each component fails and is repaired independently
/// (exponential times with the given means).
struct Node {
  int components = 0;  // 0: the node never fails
  int required = 1;
  double mtbf_hours = 0;
  double mttr_hours = 0;
};

/// An operator: ours (the tracking operator, whose node can fail), a mobile or
/// fixed carrier, a transit carrier or a small operator.
struct Operator {
  std::string name;
  std::string kind;  // ours | mobile | fixed | transit | small
  std::string registry;  // matches range holders in the numbering registry (CDR replay)
  Node node;
};

/// One scheduled outage: from `start` seconds (simulation time) for `duration` seconds.
struct Outage {
  double start = 0;
  double duration = 0;
};

/// Random incidents on an interconnect: a Poisson process of outages.
struct Incidents {
  double mean_between_hours = 0;  // 0: no random incidents
  Duration duration{Duration::Kind::kExponential, 1800, 0};  // seconds
  std::vector<Outage> schedule;
};

/// A junction between two operators: a trunk group of `channels` and the
/// probability that a call crossing it is not lost there.
struct Interconnect {
  std::string name;
  std::string a, b;
  int channels = 0;  // 0 would be an error; a large number models "no limit"
  double completion = 1.0;
  Incidents incidents;
  // How long the switch takes to reroute around an outage of this
  // interconnect (and back): [control]'s values unless the interconnect
  // sets its own (a carrier whose NOC calls back in minutes, another in hours).
  double detection_seconds = 120;
  double reroute_seconds = 450;
  bool never_detected = false;  // nobody ever notices: traffic keeps going to the dead path
  double delay() const { return detection_seconds + reroute_seconds; }
};

/// An ordered list of paths (each a chain of interconnects) from one operator
/// to a destination operator, optionally for called numbers under a prefix.
struct Route {
  std::string name;
  std::string from, to, prefix;
  std::vector<std::vector<int>> paths;  // interconnect indices
};

/// How callees answer a call the network delivered.
struct Callee {
  double answer = 1.0, busy = 0.0, no_answer = 0.0;
  double ring_seconds = 30;  // how long an unanswered call holds its channels
};

/// Callers who try again after a failed attempt.
struct Redial {
  double share = 0;  // 0: nobody redials
  double delay_seconds = 300;
  int max_attempts = 1;  // attempts per caller, the first one included
};

/// A traffic stream: callers on `from` calling numbers on `to`.
struct Stream {
  std::string name;
  std::string from, to, prefix;
  double calls_per_day = 0;
  std::vector<double> profile;  // 24 weights, normalised to mean 1
  Duration holding{Duration::Kind::kExponential, 180, 0};  // seconds
  Callee callee;
  Redial redial;
  int route = -1;  // resolved route index
  int source = -1;  // the traffic source whose visitors make these calls (Scenario::sources); -1: a plain stream
};

/// A dynamic pool of tracking numbers (dynamic number insertion): `numbers`
/// in rotation, each leased to a visitor for the visit plus `hold_seconds`
/// after their last activity, and an overflow number shown when every number
/// is leased.
struct PoolDef {
  std::string name;
  int numbers = 0;
  double hold_seconds = 900;
};

/// A traffic source (an ad channel): visitors to the advertiser's site,
/// arriving as a Poisson process following the 24-hour profile, each shown a
/// number from `pool` (or a static number of the channel when pool is -1);
/// a share of them calls that number some time after the visit starts. Their
/// calls cross the network as the stream `stream` (Scenario::streams), which
/// has the source's name, operators, holding time and callee behaviour.
struct Source {
  std::string name;
  std::string label;  // for people ("Yandex Direct"); the name when not given
  double visitors_per_day = 0;
  std::vector<double> profile;  // 24 weights, normalised to mean 1
  Duration visit{Duration::Kind::kExponential, 180, 0};       // seconds
  double call_share = 0;                                       // visitors who call
  Duration call_delay{Duration::Kind::kExponential, 120, 0};  // seconds from the start of the visit to the call
  int pool = -1;    // index into Scenario::pools; -1: a static number (every call attributed)
  int stream = -1;  // index into Scenario::streams
};

/// How the network reacts to outages: detection + reroute delay (the default
/// of every interconnect, which may set its own), and whether calls in
/// progress on an interconnect or node that fails are cut.
///
/// `monitoring` is consistent with the detection delays once loaded: with
/// live monitoring an outage is seen within kMaxMonitoredDetectionMinutes
/// (never "never"); without, it is noticed from complaints, after at least
/// that long, or never.
struct Control {
  bool monitoring = true;
  double detection_seconds = 120;
  double reroute_seconds = 450;
  bool never_detected = false;  // monitoring off and nobody ever notices
  bool drop_calls_on_failure = true;  // calls in progress on a failing interconnect or node are cut
  double delay() const { return detection_seconds + reroute_seconds; }
};

/// The boundary between detection by live monitoring (alarms: minutes) and
/// detection without it (complaints, tickets: an hour or more).
constexpr double kMaxMonitoredDetectionMinutes = 30;

/// How a scenario is run: measured days after a warm-up, the seed of every
/// random stream and the number of independent replications.
struct Simulation {
  double days = 30;
  double warmup_days = 0;
  uint64_t seed = 1;
  int replications = 1;
};

/// A network (operators, interconnects, routes), the traffic offered to it
/// and how to simulate it: everything a `sim run` needs, read from one
/// scenario file and its includes by load_scenario().
///
/// What it promises once loaded: every name resolves (an interconnect joins
/// two known operators, a route's paths are chains of interconnects from its
/// `from` to its `to`, every stream has a route, `Stream::route` indexes
/// `routes`), every number is finite and in its documented range
/// (docs/scenario-format.md), and the run it describes is bounded in time and
/// memory (at most a century, 10^9 calls a day per stream, 10^6 incidents
/// and node failures expected per replication). Each vector is in name order
/// (the order TOML tables iterate), so indices do not depend on how the
/// file is laid out. It is a plain value: copy it, change it (as
/// `sim run --traffic-from-cdr` does with the days), pass it around.
/// An input whose value is not known, only a range: `[uncertain]
/// "hops.mts-transit" = [0.975, 0.99]`. `sim compare` runs the comparison at
/// both ends (docs/model.md, "Two kinds of uncertainty"); other commands
/// ignore it. `keys` is the table key as written: one dotted key, or several
/// separated by commas that take the value together.
struct UncertainInput {
  std::string keys;
  double low = 0, high = 0;
  std::string where;  // file:line, for messages
};

struct Scenario {
  std::string file;  // the path it was read from
  std::string name;  // short label: the top-level `name` key, else the file's stem
  std::string description;
  std::vector<std::string> files;  // every file read: `file` first, then its includes
  /// `[gates] fail_if = ["PATH OP NUMBER", ...]`: checks on the command's
  /// output, kept as written (the command parses and evaluates them).
  std::vector<std::string> gates;
  std::vector<std::string> gate_sources;  // where each gate was written: "FILE:LINE"
  std::vector<UncertainInput> uncertain;  // `[uncertain]`, in key order
  Simulation sim;
  Control control;
  std::vector<Operator> operators;
  std::vector<Interconnect> interconnects;
  std::vector<Route> routes;
  std::vector<Stream> streams;  // plain streams in name order, then one per source
  std::vector<PoolDef> pools;
  std::vector<Source> sources;
  /// `[forwarding]`: the client's office the calls are forwarded to; absent
  /// when the scenario has no such table (calls end at our switch).
  std::optional<ForwardingConfig> forwarding;
  Economics economics;  // `[economics]`: what a lost lead costs the prospect

  int operator_index(const std::string& name) const;
  int interconnect_index(const std::string& name) const;
  /// Destination names in a stable order (the routes' `to` operators).
  std::vector<std::string> destinations() const;
  /// The route a call from `from` to `to` for `called` takes: the same from
  /// and to and the longest matching prefix; -1 when none.
  int find_route(const std::string& from, const std::string& to, const std::string& called) const;
};

/// `--set KEY=VALUE` overrides, applied in order before validation.
using Overrides = std::vector<std::pair<std::string, std::string>>;

/// Reads and validates a scenario. Throws InputError naming the file, the line
/// and the key for every problem: syntax, unknown keys, wrong types, values
/// out of range (NaN and infinities included), names that do not resolve,
/// paths that do not connect, runs too long or too large to finish.
Scenario load_scenario(const std::string& path, const Overrides& overrides = {});

/// True when the scenario at `path` (includes merged) has the dotted `key`:
/// used to tell which of several networks a `--set` cannot apply to.
bool scenario_has_key(const std::string& path, const std::string& key);

}  // namespace telsim
