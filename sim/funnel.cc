#include "sim/funnel.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>


namespace telsim {

void FunnelCounters::add(const FunnelCounters& o) {
  visitors += o.visitors;
  shown_overflow += o.shown_overflow;
  callers += o.callers;
  for (int i = 0; i < kCauses; ++i) lost[i] += o.lost[i];
  for (int i = 0; i < kUnattributedReasons; ++i) unattributed[i] += o.unattributed[i];
  for (int i = 0; i < kClientOutcomes; ++i) missed[i] += o.missed[i];
  answered_attributed += o.answered_attributed;
  answered_unattributed += o.answered_unattributed;
}

ClientSide::ClientSide(const Scenario& sc) {
  if (sc.forwarding) forwarding_ = std::make_unique<Forwarding>(*sc.forwarding);
}

ClientAnswer ClientSide::offer(const Stream& def, double t, double conversation, Rng& rng) {
  if (forwarding_) {
    forwarding_->offer(t, conversation, rng, result_);
    ClientAnswer a;
    a.held = std::max(0.0, result_.end_s - t);  // ringing, then the conversation if answered
    switch (result_.outcome) {
      case ForwardOutcome::kAnswered: a.outcome = kClientAnswered; break;
      case ForwardOutcome::kFallbackAnswered: a.outcome = kClientFallback; break;
      case ForwardOutcome::kBusy: a.outcome = kClientBusy; break;
      case ForwardOutcome::kNoAnswer: a.outcome = kClientNoAnswer; break;
      case ForwardOutcome::kOutOfHours: a.outcome = kClientOutOfHours; break;
    }
    return a;
  }
  const Callee& c = def.callee;
  int callee = 0;
  if (c.answer < 1.0) {
    double u = rng.uniform();
    callee = u < c.answer ? 0 : (u < c.answer + c.busy ? 1 : 2);
  }
  if (callee == 0) return {kClientAnswered, conversation};
  if (callee == 1) return {kClientBusy, 0};
  return {kClientNoAnswer, c.ring_seconds};
}

// The threshold under which a 64-bit draw falls with probability `p`, to
// decide without a conversion to double: p 1 (or more) always, 0 never.
static uint64_t share_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return ~uint64_t{0};
  return static_cast<uint64_t>(std::ldexp(p, 64));
}

Funnel::Funnel(const Scenario& sc, uint64_t seed, uint64_t rep, double warmup, double end)
    : sc_(sc), warmup_(warmup), end_(end), client_(sc) {
  client_seed_ = Rng(seed, rep, "client").next();
  for (const PoolDef& p : sc.pools) books_.emplace_back(p.numbers, p.hold_seconds);
  for (const Source& s : sc.sources) {
    SourceState st{Rng(seed, rep, "visitors/" + s.name), Rng(seed, rep, "visit/" + s.name),
                   Rng(seed, rep, "call/" + s.name), ProfileArrivals(s.visitors_per_day / 86400.0, s.profile),
                   FastDuration(s.visit), FastDuration(s.call_delay)};
    st.call_below = share_threshold(s.call_share);
    st.next = st.clock.next(st.arrivals.ziggurat_exponential(), 0, end_);
    sources_.push_back(st);
  }
  counters_.assign(sc.sources.size(), FunnelCounters{});
  // A redial asks for a credit at its own time, which the visitors must not
  // have passed: with redials, one event per step.
  ahead_ = std::none_of(sc.sources.begin(), sc.sources.end(), [&](const Source& s) {
    const Redial& r = sc.streams[s.stream].redial;
    return r.share > 0 && r.max_attempts > 1;
  });
}

uint32_t Funnel::first_arrival(double* t) const {
  uint32_t first = 0;
  *t = kInf;
  for (uint32_t i = 0; i < sources_.size(); ++i)
    if (sources_[i].next < *t) {
      *t = sources_[i].next;
      first = i;
    }
  return first;
}

double Funnel::next_time() {
  if (ahead_) catch_up();
  double t = events_.empty() ? kInf : events_.front().t;
  for (const SourceState& s : sources_) t = std::min(t, s.next);
  return t;
}

// Visit starts and ends touch only the funnel's state, so without redials
// they can run ahead of the network, in their own time order, up to the
// next call: the data plane then wakes once per call, not once per visitor.
void Funnel::catch_up() {
  for (;;) {
    double arrival;
    const uint32_t first = first_arrival(&arrival);
    const double ev = events_.empty() ? kInf : events_.front().t;
    if (arrival <= ev) {
      if (arrival == kInf) return;
      arrive(first, arrival);
    } else if (!events_.front().call) {
      visit_end();
    } else {
      return;
    }
  }
}

void Funnel::visit_end() {
  std::pop_heap(events_.begin(), events_.end(), std::greater<Event>());
  const Event e = events_.back();
  events_.pop_back();
  Visit& visit = visits_[e.visit];
  // The visitor's last activity: the lease runs on for the hold time (or,
  // if it has already ended, a new one is taken, as the database does).
  books_[sc_.sources[visit.source].pool].lease(visit.session, visit.held, e.t);
  done(e.visit);
}

void Funnel::schedule(double t, uint32_t visit, bool call) {
  events_.push_back({t, seq_++, visit, call});
  std::push_heap(events_.begin(), events_.end(), std::greater<Event>());
  ++visits_[visit].pending;
}

void Funnel::done(uint32_t visit) {
  if (--visits_[visit].pending == 0) free_.push_back(visit);
}

// A visit starts: the visitor is shown a number (a lease of the source's
// pool, or the channel's static number), will renew the lease with their
// last activity at the end of the visit, and calls or not.
void Funnel::arrive(uint32_t si, double t) {
  const Source& src = sc_.sources[si];
  SourceState& st = sources_[si];
  st.next = st.clock.next(st.arrivals.ziggurat_exponential(), t, end_);
  const bool calls = st.call.next() < st.call_below;
  const bool counted = t >= warmup_;
  FunnelCounters& c = counters_[si];
  if (counted) ++c.visitors;
  const uint64_t session = sessions_++;
  SessionLease held;
  bool visit_end = false;  // an event at the visit's end
  double length = 0;
  if (src.pool >= 0) {
    length = st.visit_length.sample(st.visit);
    BookLease l = books_[src.pool].lease(session, held, t);
    if (counted && l.number == SessionLease::kOverflow) ++c.shown_overflow;
    // The visit's end renews the lease to its end + the hold time. While
    // the visit is shorter than the hold the lease is live all along, so
    // the renewal can be made now with the same result (the book records
    // renewals lazily, and nothing looks at this lease before the visit's
    // end but to see it live): no event for most visits. A longer visit
    // lets the lease lapse first, and renews (or re-leases) at its end.
    if (length > 0 && t + length < end_) {
      if (held.expires > t + length)
        books_[src.pool].lease(session, held, t + length);
      else
        visit_end = true;
    }
  }
  const double delay = calls ? st.call_delay.sample(st.call) : 0;
  const bool call = calls && t + delay < end_;
  // Most visitors neither call nor outlast the hold: nothing of theirs is
  // kept.
  if (!visit_end && !call) return;

  uint32_t v;
  if (!free_.empty()) {
    v = free_.back();
    free_.pop_back();
  } else {
    v = static_cast<uint32_t>(visits_.size());
    visits_.emplace_back();
  }
  Visit& visit = visits_[v];
  visit = Visit{};
  visit.session = session;
  visit.source = si;
  visit.held = held;
  if (visit_end) schedule(t + length, v, false);
  if (call) schedule(t + delay, v, true);
}

void Funnel::flush_release() {
  if (release_ >= 0) {
    done(static_cast<uint32_t>(release_));
    release_ = -1;
  }
}

uint32_t Funnel::keep_current() {
  ++visits_[current_].pending;
  return current_;
}

void Funnel::resume(uint32_t visit) {
  flush_release();
  current_ = visit;
  release_ = static_cast<int>(visit);
}

bool Funnel::step(uint32_t* stream) {
  flush_release();
  // A visitor arrival first when it comes no later than the next event.
  const double ev = events_.empty() ? kInf : events_.front().t;
  double arrival;
  const uint32_t first = first_arrival(&arrival);
  if (arrival <= ev) {
    arrive(first, arrival);
    return false;
  }
  if (!events_.front().call) {
    visit_end();
    return false;
  }
  std::pop_heap(events_.begin(), events_.end(), std::greater<Event>());
  const Event e = events_.back();
  events_.pop_back();
  const Visit& visit = visits_[e.visit];
  current_ = e.visit;
  release_ = static_cast<int>(e.visit);
  if (e.t >= warmup_) ++counters_[visit.source].callers;
  *stream = static_cast<uint32_t>(sc_.sources[visit.source].stream);
  return true;
}

int Funnel::current_pool() const { return sc_.sources[visits_[current_].source].pool; }

ClientAnswer Funnel::delivered(const Stream& def, double t, double conversation, uint32_t attempt) {
  const Visit& visit = visits_[current_];
  const Source& src = sc_.sources[visit.source];
  credit_ = src.pool >= 0 ? books_[src.pool].credit(visit.session, visit.held, t) : Credit::kOwnSession;
  // The caller's own stream for this attempt.
  uint64_t x = client_seed_ ^ (visit.session * 0x9e3779b97f4a7c15ULL) ^ (uint64_t{attempt} * 0xd1b54a32d192ed03ULL);
  Rng rng(splitmix64(x));
  return client_.offer(def, t, conversation, rng);
}

void Funnel::settle(int cause, ClientOutcome outcome, bool counted) {
  if (!counted) return;
  FunnelCounters& c = counters_[visits_[current_].source];
  if (cause >= 0) {
    ++c.lost[cause];
    return;
  }
  const bool own = credit_ == Credit::kOwnSession;
  if (!own) ++c.unattributed[static_cast<int>(credit_) - 1];
  if (outcome != kClientAnswered) ++c.missed[outcome];
  else if (own) ++c.answered_attributed;
  else ++c.answered_unattributed;
}

}  // namespace telsim
