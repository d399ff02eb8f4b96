#pragma once
// The call data plane: a tight event loop over call arrivals and channel
// releases. It knows nothing of SimGrid (it is its own library,
// telsim_dataplane, and tests/dataplane_test.cc runs it without SimGrid): the
// simulator (sim/simulator.cc) drives it between control events and tells it
// the state of interconnects, of what the control plane believes, and of
// nodes. Calls are plain records, never actors (see docs/model.md for why).
#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/net/scenario.h"

namespace telsim {

/// Why a call was lost: every trunk of every offered path full (blocked), lost
/// at a junction (1 - completion), sent into a path that is down (outage), an
/// operator's node down (node).
enum Cause { kBlocked = 0, kJunction = 1, kOutage = 2, kNode = 3, kCauses = 4 };

/// Outcome counts of one stream (or a sum of streams) in one replication.
/// Every counted attempt ends one way: offered = completed + lost_total(),
/// completed = answered + busy + no_answer; every caller once:
/// callers = callers_completed + callers_lost.
struct Counters {
  uint64_t offered = 0;    // attempts
  uint64_t completed = 0;  // delivered by the network (answered + busy + no answer)
  uint64_t direct = 0;     // delivered over a path of one interconnect (direct peering)
  uint64_t answered = 0, busy = 0, no_answer = 0;
  double answered_seconds = 0;  // conversation time of answered calls
  uint64_t lost[kCauses] = {0, 0, 0, 0};
  // Callers: each caller is counted once, by the outcome of their last attempt.
  uint64_t callers = 0, callers_answered = 0, callers_completed = 0, callers_lost = 0;
  uint64_t lost_total() const { return lost[0] + lost[1] + lost[2] + lost[3]; }
  void add(const Counters& o);
};

/// One call to replay instead of generated traffic (from a CDR).
struct ReplayCall {
  double time;      // seconds since the start of the run
  double holding;   // seconds the call holds its channels if delivered
  int stream;       // index into Scenario::streams
  int callee;       // what the callee did: 0 answer, 1 busy, 2 no answer; -1 unknown (draw from the stream's model)
};

/// The calls of one replication of a scenario, as plain records in one event
/// loop: arrivals (Poisson, following each stream's 24-hour profile, or a
/// replayed CDR), the route choice of the switch, channel occupation of each
/// trunk, junction losses, callee behaviour and redials.
///
/// What it promises:
/// - the same scenario, seed and replication index give the same counts, and
///   the random streams are per stream and per purpose (arrivals, holding,
///   junction, callee, redial), so two networks fed the same seed see the same
///   callers (common random numbers);
/// - calls arriving before a state change see the old state and calls after
///   it the new one, provided the driver advances to the change, sets the
///   state, then calls commit_state() at that time;
/// - the counters of calls arriving in [warmup, end) obey the identities of
///   Counters; memory is bounded by the calls in progress, not by the calls
///   simulated.
class DataPlane {
 public:
  /// Counts calls that arrive in [warmup, end); generates arrivals up to end.
  /// `sc` must outlive the data plane.
  DataPlane(const Scenario& sc, uint64_t seed, uint64_t rep, double warmup, double end);

  /// Replays these calls (sorted by time) instead of generating traffic.
  void set_replay(std::vector<ReplayCall> calls);

  /// Network state, set by the control side at the time of the change, after
  /// advance_to() that time; it applies from the next commit_state(), which
  /// must come before the next advance_to().
  /// A link down loses the calls sent into it (outage) until the control
  /// plane believes it down and the switch offers calls to other paths.
  void set_link_up(int ic, bool up) { link_up_[ic] = up; dirty_ = true; }
  void set_link_believed_up(int ic, bool up) { believed_up_[ic] = up; dirty_ = true; }
  void set_operator_up(int op, bool up) { op_up_[op] = up; dirty_ = true; }
  /// Accounts reachability up to `now` and applies the state set since.
  void commit_state(double now);

  /// Processes every call that arrives before `t` (and before `end`).
  void advance_to(double t);

  const std::vector<Counters>& stream_counters() const { return per_stream_; }
  /// Seconds each stream's destination was reachable within [warmup, end).
  const std::vector<double>& stream_reachable_seconds() const { return reach_seconds_; }
  uint64_t peak_concurrent() const { return peak_concurrent_; }

 private:
  struct Departure {
    double t;
    uint32_t path;
    bool operator>(const Departure& o) const { return t > o.t; }
  };
  struct Retry {
    double t;
    uint32_t stream;
    uint32_t attempt;
    bool counted;
    bool operator>(const Retry& o) const { return t > o.t; }
  };
  struct StreamState {
    Rng arrivals, holding, junction, callee, redial;
    double next = 0;     // next fresh arrival
    double rate = 0;     // calls per second at weight 1
    const Stream* def = nullptr;
  };

  double draw_next(StreamState& s, double from);
  void handle(uint32_t stream, double t, uint32_t attempt, bool counted);
  void refresh_paths();

  const Scenario& sc_;
  double warmup_, end_;
  std::vector<StreamState> streams_;
  std::vector<Counters> per_stream_;
  std::vector<int> busy_, channels_;
  std::vector<double> completion_;
  std::vector<char> link_up_, believed_up_, op_up_;
  // Paths flattened: links of path p are path_links_[path_begin_[p] .. path_begin_[p+1]).
  std::vector<uint32_t> path_begin_, path_links_;
  std::vector<uint32_t> route_first_path_, route_npaths_;
  std::vector<std::vector<int>> route_node_ops_;
  std::vector<char> path_up_, path_believed_, route_node_ok_, route_reachable_;
  std::vector<double> reach_seconds_;
  double state_since_ = 0;
  bool dirty_ = true;
  std::priority_queue<Departure, std::vector<Departure>, std::greater<Departure>> departures_;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<Retry>> retries_;
  std::vector<ReplayCall> replay_;
  size_t replay_pos_ = 0;
  bool replaying_ = false;
  uint64_t peak_concurrent_ = 0;
};

}  // namespace telsim
