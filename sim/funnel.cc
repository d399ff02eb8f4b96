#include "sim/funnel.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "sim/arrivals.h"

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

static constexpr double kInf = std::numeric_limits<double>::infinity();

Funnel::Funnel(const Scenario& sc, uint64_t seed, uint64_t rep, double warmup, double end)
    : sc_(sc), warmup_(warmup), end_(end), client_(sc) {
  client_seed_ = Rng(seed, rep, "client").next();
  for (const PoolDef& p : sc.pools) books_.emplace_back(p.numbers, p.hold_seconds);
  for (const Source& s : sc.sources) {
    SourceState st{Rng(seed, rep, "visitors/" + s.name), Rng(seed, rep, "visit/" + s.name),
                   Rng(seed, rep, "call/" + s.name)};
    st.rate = s.visitors_per_day / 86400.0;
    if (s.visit.kind == Duration::Kind::kLognormal) {
      // Duration::sample's parameters, once: the same draws and values.
      const double s2 = std::log(1.0 + (s.visit.sd * s.visit.sd) / (s.visit.mean * s.visit.mean));
      st.visit_mu = std::log(s.visit.mean) - 0.5 * s2;
      st.visit_sigma = std::sqrt(s2);
    }
    st.next = next_arrival(st.arrivals, st.rate, s.profile, 0, end_);
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
  st.next = next_arrival(st.arrivals, st.rate, src.profile, t, end_);
  const double length = st.visit_sigma >= 0 ? std::exp(st.visit_mu + st.visit_sigma * st.visit.normal())
                                            : src.visit.sample(st.visit);
  const bool calls = st.call.bernoulli(src.call_share);
  const double delay = calls ? src.call_delay.sample(st.call) : 0;
  const bool counted = t >= warmup_;

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
  visit.session = sessions_++;
  visit.source = si;
  FunnelCounters& c = counters_[si];
  if (counted) ++c.visitors;
  if (src.pool >= 0) {
    BookLease l = books_[src.pool].lease(visit.session, visit.held, t);
    if (counted && l.number == SessionLease::kOverflow) ++c.shown_overflow;
    // The visit's end renews the lease to its end + the hold time. While
    // the visit is shorter than the hold the lease is live all along, so
    // the renewal can be made now with the same result (the book records
    // renewals lazily, and nothing looks at this lease before the visit's
    // end but to see it live): no event for most visits. A longer visit
    // lets the lease lapse first, and renews (or re-leases) at its end.
    if (length > 0 && t + length < end_) {
      if (visit.held.expires > t + length)
        books_[src.pool].lease(visit.session, visit.held, t + length);
      else
        schedule(t + length, v, false);
    }
  }
  if (calls && t + delay < end_) schedule(t + delay, v, true);
  if (visits_[v].pending == 0) free_.push_back(v);
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
