#pragma once
// The tracking half of the data plane: visitors of each traffic source (ad
// channel), the dynamic number pools they are shown numbers from
// (core/pool/lease_book.h, the rules of `telsim pool lease`), the calls some
// of them make, who those calls are credited to, and what the client's end
// does with them. The network part of each call is DataPlane's.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/base/random.h"
#include "core/net/scenario.h"
#include "core/pool/lease_book.h"
#include "sim/arrivals.h"
#include "sim/dataplane.h"
#include "sim/forwarding.h"

namespace telsim {

/// What the client's end did with a call the network delivered: the outcome
/// and how long the caller's channels are held (ringing, then talking).
struct ClientAnswer {
  ClientOutcome outcome = kClientAnswered;
  double held = 0;
};

/// The client's end of a funnel call: the scenario's `[forwarding]` office
/// (sim/forwarding.h) when it has one, else the callee behaviour of the
/// source's stream (answered, busy or not answered, with its ring time).
class ClientSide {
 public:
  explicit ClientSide(const Scenario& sc);
  /// `rng` is the caller's own stream: the same caller behaves the same way
  /// whatever network brought the call (common random numbers).
  ClientAnswer offer(const Stream& def, double t, double conversation, Rng& rng);
  /// The forwarding attempts of the last offer (empty without forwarding).
  const std::vector<LegAttempt>& legs() const { return result_.legs; }
  double answer_s() const { return result_.answer_s; }

 private:
  std::unique_ptr<Forwarding> forwarding_;
  Forwarding::Result result_;
};

/// Visitors, pools and funnel calls of one replication, as events in time
/// order: visit starts (a Poisson process per source following its 24-hour
/// profile), visit ends (the visitor's last activity renews the lease), and
/// calls. DataPlane merges next_time() with its own events, calls step() at
/// that time, and runs the network part of each call step() returns, asking
/// delivered() for the funnel's part of a call that reached the operator and
/// settle() for the caller's outcome once their last attempt is made. A
/// caller who redials keeps their visit (keep_current()) and calls the same
/// number again; resume() makes it current when the redial comes.
///
/// Promises: the visitors, visit lengths, call decisions and delays are
/// drawn from streams of their own per source ("visitors/", "visit/",
/// "call/" + name), never from the network's, so two networks with the same
/// sources and seed see the same visitors and the same callers at the same
/// times, and each caller's behaviour at the client's end comes from a stream
/// of their own (common random numbers); memory is bounded by the visits
/// whose end, call or redial is still to come and the pools' numbers.
class Funnel {
 public:
  Funnel(const Scenario& sc, uint64_t seed, uint64_t rep, double warmup, double end);

  /// The time of the next event; infinity when there is none before `end`.
  /// Without redials from the sources' streams, the visit starts and ends
  /// before the next call are processed here first (they touch nothing the
  /// network sees), so the next event is a call.
  double next_time();
  /// Processes the next event (at next_time()). When it is a call, returns
  /// true and sets `*stream` to the stream that carries it; the call stays
  /// current until the next step() or resume().
  bool step(uint32_t* stream);
  /// The current call (the caller's `attempt`-th) reached the operator at
  /// `t`: credited by the pool's rules (at `t`), then offered to the
  /// client's end.
  ClientAnswer delivered(const Stream& def, double t, double conversation, uint32_t attempt);
  /// The current caller's last attempt: lost in the network (`cause` >= 0),
  /// or delivered (-1) with `outcome` at the client's end and the credit of
  /// the last delivered(). Counted when the caller is (their first call came
  /// in the measured time).
  void settle(int cause, ClientOutcome outcome, bool counted);
  /// The current caller will call again: their visit stays until resume().
  uint32_t keep_current();
  /// A kept caller's redial is now current.
  void resume(uint32_t visit);
  /// The current call: its pool (-1: a static number) and the number its
  /// visitor was shown (SessionLease::kOverflow for the overflow number).
  int current_pool() const;
  int32_t current_number() const { return visits_[current_].held.number; }
  /// The forwarding attempts of the last delivered call.
  const std::vector<LegAttempt>& legs() const { return client_.legs(); }
  double answer_s() const { return client_.answer_s(); }

  const std::vector<FunnelCounters>& counters() const { return counters_; }
  /// Visits still waiting for their end or their call.
  size_t live_visits() const { return visits_.size() - free_.size(); }

 private:
  // Per visitor: an arrival, a visit length (with a pool) and a call
  // decision, by the ziggurat draws (core/base/random.h); the delay to the
  // call only for callers.
  struct SourceState {
    Rng arrivals, visit, call;
    ProfileArrivals clock;
    FastDuration visit_length, call_delay;
    uint64_t call_below = 0;  // a visitor calls when call's next draw is below this (call_share of 2^64)
    double next = 0;
  };
  struct Visit {
    uint64_t session = 0;
    SessionLease held;
    uint32_t source = 0;
    uint32_t pending = 0;  // events still to come: visit end, call
  };
  struct Event {
    double t;
    uint64_t seq;  // ties in time: in the order scheduled
    uint32_t visit;
    bool call;
    bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
  };
  void arrive(uint32_t source, double t);
  uint32_t first_arrival(double* t) const;  // the source whose visitor comes next, and when
  void visit_end();                         // the earliest event, a visit's end
  void catch_up();
  void schedule(double t, uint32_t visit, bool call);
  void done(uint32_t visit);

  const Scenario& sc_;
  double warmup_, end_;
  std::vector<SourceState> sources_;
  std::vector<LeaseBook> books_;  // per Scenario::pools
  std::vector<FunnelCounters> counters_;
  std::vector<Visit> visits_;
  std::vector<uint32_t> free_;
  std::vector<Event> events_;  // min-heap
  uint64_t sessions_ = 0, seq_ = 0;
  uint64_t client_seed_ = 0;  // each caller's stream at the client's end: this and their session
  uint32_t current_ = 0;
  int release_ = -1;  // a visit to free at the next step or resume (its call was current)
  Credit credit_ = Credit::kOwnSession;  // of the current call's last delivery
  void flush_release();
  bool ahead_ = false;  // visitors may run ahead of the network (no redials)
  ClientSide client_;
};

}  // namespace telsim
