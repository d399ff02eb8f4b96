#pragma once
// The call data plane: a tight event loop over call arrivals and channel
// releases. It knows nothing of SimGrid (it is its own library,
// telsim_dataplane, and tests/dataplane_test.cc runs it without SimGrid): the
// simulator (sim/simulator.cc) drives it between control events and tells it
// the state of interconnects, of what the control plane believes, and of
// nodes. Calls are plain records, never actors (see docs/model.md for why).
#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/net/scenario.h"
#include "sim/forwarding.h"

namespace telsim {

class Funnel;

/// Why a call was lost: every trunk of every offered path full (blocked), lost
/// at a junction (1 - completion), sent into a path that is down (outage), an
/// operator's node on the path down (node). A call cut in conversation is not
/// lost: it was delivered (see Counters::dropped).
enum Cause { kBlocked = 0, kJunction = 1, kOutage = 2, kNode = 3, kCauses = 4 };

/// Outcome counts of one stream (or a sum of streams) in one replication.
/// Every counted attempt ends one way: offered = completed + lost_total(),
/// completed = answered + busy + no_answer; every caller once:
/// callers = callers_completed + callers_lost. `dropped` is a part of
/// `answered` (hence of `completed`): answered calls cut short because an
/// interconnect or node of their path failed during the conversation.
struct Counters {
  uint64_t offered = 0;    // attempts
  uint64_t completed = 0;  // delivered by the network (answered + busy + no answer)
  uint64_t direct = 0;     // delivered over a path of one interconnect (direct peering)
  uint64_t answered = 0, busy = 0, no_answer = 0;
  double answered_seconds = 0;  // conversation time of answered calls (up to the cut for dropped ones)
  uint64_t lost[kCauses] = {0, 0, 0, 0};
  uint64_t dropped = 0;  // answered, then cut by a failure (<= answered)
  // Callers: each caller is counted once, by the outcome of their last attempt.
  uint64_t callers = 0, callers_answered = 0, callers_completed = 0, callers_lost = 0;
  uint64_t lost_total() const { return lost[0] + lost[1] + lost[2] + lost[3]; }
  void add(const Counters& o);
};

/// How a caller who reached the operator got on at the client's end: the
/// seam to forwarding (sim/funnel.h). Answered by the client, or missed: all
/// lines busy, nobody answered before the caller gave up, outside office
/// hours, or sent to the fallback (voicemail or a mobile).
enum ClientOutcome {
  kClientAnswered = 0,
  kClientBusy = 1,
  kClientNoAnswer = 2,
  kClientOutOfHours = 3,
  kClientFallback = 4,
  kClientOutcomes = 5
};

/// Why a call that reached the operator is not credited to the visit that
/// made it (core/pool/lease_book.h, Credit): the visitor was shown the
/// overflow number, their lease had ended, or the number was leased to
/// another visitor since.
enum Unattributed { kUnattributedOverflow = 0, kUnattributedExpired = 1, kUnattributedReused = 2, kUnattributedReasons = 3 };

/// The tracking funnel of one traffic source (or a sum of them) in one
/// replication, for visits and calls in the measured time. Every caller
/// ends one way:
///   callers = lost_total() + missed_total() + answered_attributed + answered_unattributed,
/// and `unattributed` counts, by reason, the callers who reached the
/// operator but were not credited to their own visit (answered or not):
///   unattributed_total() <= callers - lost_total().
/// A caller is a visitor who calls, counted once by their last attempt (as
/// Counters counts callers when they redial).
struct FunnelCounters {
  uint64_t visitors = 0;        // visits that started
  uint64_t shown_overflow = 0;  // of them, shown the overflow number (the pool was exhausted)
  uint64_t callers = 0;
  uint64_t lost[kCauses] = {0, 0, 0, 0};  // lost in the network, by cause
  uint64_t unattributed[kUnattributedReasons] = {0, 0, 0};
  uint64_t missed[kClientOutcomes] = {0, 0, 0, 0, 0};  // by ClientOutcome; [kClientAnswered] unused (0)
  uint64_t answered_attributed = 0, answered_unattributed = 0;
  uint64_t lost_total() const { return lost[0] + lost[1] + lost[2] + lost[3]; }
  uint64_t unattributed_total() const { return unattributed[0] + unattributed[1] + unattributed[2]; }
  uint64_t missed_total() const { return missed[1] + missed[2] + missed[3] + missed[4]; }
  void add(const FunnelCounters& o);
};

/// What happened on one interconnect in one replication, for calls that
/// arrived in the measured time [warmup, end). Attribution, so that sums over
/// interconnects give the route totals:
/// - offered: attempts offered to a path through it (an attempt that
///   overflows from one path to the next counts on both);
/// - carried: attempts delivered over a path through it;
/// - blocked: attempts turned away because it was the first full trunk of
///   the path offered (they overflowed to the next path or were blocked);
/// - junction: attempts lost at this junction;
/// - outage: attempts sent into a dead path on which it is the first
///   interconnect down (a down node on the path makes the loss `node`);
/// - dropped: answered calls cut because it failed;
/// - channel_seconds: channel time held by the calls it carried (cut at the
///   drop for dropped calls); / measured seconds = carried erlangs;
/// - peak_busy: the most channels in use at once in the measured time.
/// Summed over the interconnects: junction = Counters junction losses,
/// outage = Counters outage losses; for a route whose paths share no
/// interconnect, the carried of each path's first interconnect add up to the
/// route's completed.
struct TrunkCounters {
  uint64_t offered = 0, carried = 0, blocked = 0, junction = 0, outage = 0, dropped = 0;
  double channel_seconds = 0;
  uint64_t peak_busy = 0;
};

/// What happened at one operator's node in one replication (measured calls):
/// attempts lost because it was the first down node of their path, and
/// answered calls cut because it failed. Summed over operators, `lost` is
/// the Counters `node` losses; `dropped` over interconnects and nodes is
/// Counters::dropped.
struct NodeCounters {
  uint64_t lost = 0, dropped = 0;
};

/// Attempts of all streams in one period of the measured time, by outcome:
/// offered = completed + the sum of lost; dropped (a part of completed) is
/// counted in the period of the failure that cut the call.
struct PeriodCounters {
  uint64_t offered = 0, completed = 0;
  uint64_t lost[kCauses] = {0, 0, 0, 0};
  uint64_t dropped = 0;
};

/// One measured attempt as it ended, for a simulated CDR (sim/cdr_writer.h).
/// Written only when a sink is set (DataPlane::record_attempts); the
/// records of a replication sum to its Counters: one per counted attempt,
/// `outcome` a Cause or -1 (delivered, then `callee` says how it ended),
/// `dropped` set on answered calls cut by a failure (then `held` runs to
/// the cut).
struct AttemptRecord {
  double time = 0;  // arrival, seconds since the start of the run
  double held = 0;  // seconds the call held its channels: conversation (answered), ringing (no answer), else 0
  uint32_t stream = 0;
  uint32_t caller = 0;   // the caller within the stream (0, 1, ...): redials keep their first attempt's caller
  uint32_t attempt = 1;  // 1 for a fresh call, 2.. for redials
  uint32_t path = UINT32_MAX;  // the path that carried it or lost it (flat index, see path_links()); none: blocked before any
  uint32_t lost_at = 0;        // the interconnect (junction, outage) or operator (node) a loss is attributed to
  int8_t outcome = -1;         // a Cause, or -1 delivered
  int8_t callee = 0;           // delivered: 0 answered, 1 busy, 2 no answer
  bool dropped = false;
};

/// A measured call of a traffic source's visitor, for a simulated CDR,
/// written with its AttemptRecord (`attempt` indexes the attempts): the pool
/// and the number its visitor was shown (its index in the pool, -1 the
/// overflow number; pool -1: the source's static number), and its forwarding
/// attempts, legs [first_leg, first_leg + legs) of the replication's legs
/// (none when it was lost in the network or the scenario has no forwarding).
struct FunnelCallRecord {
  uint32_t attempt = 0;
  int32_t pool = -1;
  int32_t number = -1;
  uint32_t first_leg = 0, legs = 0;
  double answer_s = -1;  // when a leg answered (simulation seconds), else -1
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
  ~DataPlane();

  /// The funnel of each traffic source (Scenario::sources order); empty when
  /// the scenario has none or calls are replayed.
  std::vector<FunnelCounters> funnel_counters() const;
  /// Visits whose end or call is still to come (0 without sources).
  size_t live_visits() const;

  /// Replays these calls (sorted by time) instead of generating traffic
  /// (visitors of traffic sources included: none are generated).
  void set_replay(std::vector<ReplayCall> calls);

  /// Network state, set by the control side at the time of the change, after
  /// advance_to() that time; it applies from the next commit_state(), which
  /// must come before the next advance_to().
  /// A link down loses the calls sent into it (outage) until the control
  /// plane believes it down and the switch offers calls to other paths.
  /// A node down loses the calls offered to a path through it (node).
  /// When Control::drop_calls_on_failure, an interconnect or node that goes
  /// down cuts the answered calls in progress on a path through it at the
  /// commit time (dropped) and frees their channels then; calls ringing
  /// there are released too (their outcome, no answer, stands).
  void set_link_up(int ic, bool up);
  void set_link_believed_up(int ic, bool up) { believed_up_[ic] = up; dirty_ = true; }
  void set_operator_up(int op, bool up);
  /// Accounts reachability up to `now` and applies the state set since.
  void commit_state(double now);

  /// Processes every call that arrives before `t` (and before `end`).
  void advance_to(double t);

  /// Appends every counted attempt to `sink` (which must outlive the data
  /// plane), in arrival order; a dropped call's record is updated at the cut.
  /// Without a sink nothing is recorded. With traffic sources, their calls'
  /// pools, numbers and forwarding legs are recorded too (funnel_calls(),
  /// legs()).
  void record_attempts(std::vector<AttemptRecord>* sink) { sink_ = sink; }
  const std::vector<FunnelCallRecord>& funnel_calls() const { return funnel_calls_; }
  const std::vector<LegAttempt>& legs() const { return legs_; }
  /// The interconnects of a flat path index, as in AttemptRecord::path.
  std::vector<uint32_t> path_links(uint32_t path) const {
    return {path_links_.begin() + path_begin_[path], path_links_.begin() + path_begin_[path + 1]};
  }

  const std::vector<Counters>& stream_counters() const { return per_stream_; }
  /// Seconds each stream's destination was reachable within [warmup, end).
  const std::vector<double>& stream_reachable_seconds() const { return reach_seconds_; }
  uint64_t peak_concurrent() const { return peak_concurrent_; }
  /// Per interconnect (Scenario::interconnects order) and per operator.
  std::vector<TrunkCounters> trunk_counters() const;
  const std::vector<NodeCounters>& node_counters() const { return nodes_; }
  /// Measured attempts per hour of the day (24; hour 0 starts at midnight of
  /// simulation time, as the streams' profiles) and per measured day (day 0
  /// starts at the end of the warm-up; the last may be partial).
  const std::vector<PeriodCounters>& hour_of_day_counters() const { return by_hour_; }
  const std::vector<PeriodCounters>& day_counters() const { return by_day_; }

 private:
  // A call holding channels until `t`. `info` packs the stream (bits 3..),
  // counted (bit 1), answered (bit 0) and released early (bit 2, a dropped
  // call whose channels are already free: the heap skips it).
  struct Departure {
    double t;
    uint32_t path;
    uint32_t info;
    bool operator>(const Departure& o) const { return t > o.t; }
  };
  static constexpr uint32_t kAnswered = 1, kCounted = 2, kReleased = 4, kStreamShift = 3;
  struct Retry {
    double t;
    uint32_t stream;
    uint32_t attempt;
    uint32_t caller;  // for the CDR: the caller redialling (fits the padding)
    bool counted;
    uint32_t visit;   // a traffic source's caller: their visit (Funnel::keep_current)
    bool operator>(const Retry& o) const { return t > o.t; }
  };
  struct StreamState {
    Rng arrivals, holding, junction, callee, redial;
    double next = 0;     // next fresh arrival
    double rate = 0;     // calls per second at weight 1
    uint32_t callers = 0;  // fresh arrivals so far (the next caller's number)
    const Stream* def = nullptr;
  };

  double draw_next(StreamState& s, double from);
  void handle(uint32_t stream, double t, uint32_t attempt, bool counted, uint32_t caller);
  void refresh_paths();
  void release(uint32_t path);
  void drop_calls(double now);

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
  // Operators with a node that can fail on path p (its route's from and to
  // included): path_ops_[path_ops_begin_[p] .. path_ops_begin_[p+1]).
  std::vector<uint32_t> path_ops_begin_, path_ops_;
  // Path p really up (links and nodes); if not, why (kOutage, kNode) and
  // where (the interconnect or operator the loss is attributed to).
  std::vector<char> path_up_, path_believed_, path_dead_cause_;
  std::vector<uint32_t> path_dead_at_;
  std::vector<char> route_any_believed_, route_reachable_;
  // Per-call figures are kept per path (one increment per call, not one
  // per interconnect of the path) and spread over interconnects on demand;
  // the rare ones (blocked, junction, outage, dropped, peak) per interconnect.
  std::vector<uint64_t> path_offered_, path_carried_;
  std::vector<double> path_channel_seconds_;
  std::vector<TrunkCounters> trunks_;
  // Period series. Calls are handled in time order, so the hour and day of
  // the current call are cached until `period_end_` (the next boundary).
  std::vector<PeriodCounters> by_hour_, by_day_;
  double period_end_ = -1;
  uint32_t hour_ = 0, day_ = 0;
  void set_period(double t, uint32_t* hour, uint32_t* day) const;
  std::vector<NodeCounters> nodes_;
  // Interconnects and operators that went down since the last commit (their
  // calls in progress are cut there), when calls are dropped at all.
  bool drop_on_failure_ = true;
  std::vector<uint32_t> failed_links_, failed_ops_;
  uint64_t in_progress_ = 0;
  std::vector<double> reach_seconds_;
  double state_since_ = 0;
  bool dirty_ = true;
  // A min-heap (std::push_heap with std::greater) kept as a vector so that a
  // failure can walk the calls in progress and release them early.
  std::vector<Departure> departures_;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<Retry>> retries_;
  std::vector<ReplayCall> replay_;
  size_t replay_pos_ = 0;
  bool replaying_ = false;
  uint64_t peak_concurrent_ = 0;
  std::vector<AttemptRecord>* sink_ = nullptr;
  // Visitors, pools and their calls; null without traffic sources, so the
  // network-only path pays one test per event.
  std::unique_ptr<Funnel> funnel_;
  std::vector<FunnelCallRecord> funnel_calls_;  // with a sink only
  std::vector<LegAttempt> legs_;
};

}  // namespace telsim
