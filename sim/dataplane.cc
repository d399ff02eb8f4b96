#include "sim/dataplane.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/arrivals.h"
#include "sim/funnel.h"

namespace telsim {

void Counters::add(const Counters& o) {
  offered += o.offered;
  completed += o.completed;
  direct += o.direct;
  answered += o.answered;
  answered_seconds += o.answered_seconds;
  busy += o.busy;
  no_answer += o.no_answer;
  for (int i = 0; i < kCauses; ++i) lost[i] += o.lost[i];
  dropped += o.dropped;
  callers += o.callers;
  callers_answered += o.callers_answered;
  callers_completed += o.callers_completed;
  callers_lost += o.callers_lost;
}

DataPlane::DataPlane(const Scenario& sc, uint64_t seed, uint64_t rep, double warmup, double end)
    : sc_(sc), warmup_(warmup), end_(end) {
  const size_t nic = sc.interconnects.size();
  busy_.assign(nic, 0);
  channels_.resize(nic);
  completion_.resize(nic);
  for (size_t i = 0; i < nic; ++i) {
    channels_[i] = sc.interconnects[i].channels;
    completion_[i] = sc.interconnects[i].completion;
  }
  link_up_.assign(nic, 1);
  believed_up_.assign(nic, 1);
  op_up_.assign(sc.operators.size(), 1);

  for (const Route& r : sc.routes) {
    route_first_path_.push_back(static_cast<uint32_t>(path_begin_.size()));
    route_npaths_.push_back(static_cast<uint32_t>(r.paths.size()));
    for (auto& p : r.paths) {
      path_begin_.push_back(static_cast<uint32_t>(path_links_.size()));
      path_ops_begin_.push_back(static_cast<uint32_t>(path_ops_.size()));
      const size_t ops_from = path_ops_.size();
      // Only operators whose node can fail: the others never stop a call.
      auto add_op = [&](const std::string& name) {
        uint32_t i = static_cast<uint32_t>(sc.operator_index(name));
        if (sc.operators[i].node.components > 0 &&
            std::find(path_ops_.begin() + ops_from, path_ops_.end(), i) == path_ops_.end())
          path_ops_.push_back(i);
      };
      add_op(r.from);
      for (int l : p) {
        path_links_.push_back(static_cast<uint32_t>(l));
        add_op(sc.interconnects[l].a);
        add_op(sc.interconnects[l].b);
      }
      add_op(r.to);
    }
  }
  path_begin_.push_back(static_cast<uint32_t>(path_links_.size()));
  path_ops_begin_.push_back(static_cast<uint32_t>(path_ops_.size()));
  const size_t npaths = path_begin_.size() - 1;
  path_up_.assign(npaths, 1);
  path_believed_.assign(npaths, 1);
  path_dead_cause_.assign(npaths, kOutage);
  path_dead_at_.assign(npaths, 0);
  route_any_believed_.assign(sc.routes.size(), 1);
  route_reachable_.assign(sc.routes.size(), 1);
  trunks_.assign(nic, TrunkCounters{});
  path_offered_.assign(npaths, 0);
  by_hour_.assign(24, PeriodCounters{});
  by_day_.assign(static_cast<size_t>(std::max(1.0, std::ceil((end_ - warmup_) / 86400))), PeriodCounters{});
  path_carried_.assign(npaths, 0);
  path_channel_seconds_.assign(npaths, 0);
  nodes_.assign(sc.operators.size(), NodeCounters{});
  drop_on_failure_ = sc.control.drop_calls_on_failure;

  for (const Stream& s : sc.streams) {
    StreamState st{Rng(seed, rep, "arrivals/" + s.name), Rng(seed, rep, "holding/" + s.name),
                   Rng(seed, rep, "junction/" + s.name), Rng(seed, rep, "callee/" + s.name),
                   Rng(seed, rep, "redial/" + s.name)};
    st.def = &s;
    st.rate = s.calls_per_day / 86400.0;
    streams_.push_back(st);
  }
  for (auto& st : streams_) st.next = draw_next(st, 0);
  per_stream_.assign(sc.streams.size(), Counters{});
  reach_seconds_.assign(sc.streams.size(), 0);
  state_since_ = warmup_;
  // A source's stream gets its calls from the funnel, not from a Poisson
  // process of its own.
  for (auto& st : streams_)
    if (st.def->source >= 0) st.next = kInf;
  if (!sc.sources.empty()) funnel_ = std::make_unique<Funnel>(sc, seed, rep, warmup, end);
}

DataPlane::~DataPlane() = default;

std::vector<FunnelCounters> DataPlane::funnel_counters() const {
  return funnel_ ? funnel_->counters() : std::vector<FunnelCounters>{};
}

size_t DataPlane::live_visits() const { return funnel_ ? funnel_->live_visits() : 0; }

void DataPlane::set_replay(std::vector<ReplayCall> calls) {
  replay_ = std::move(calls);
  replay_pos_ = 0;
  replaying_ = true;
  funnel_.reset();
}

// Next arrival of a Poisson process whose rate follows the 24-hour profile:
// inversion of the integrated rate, one hour (one constant piece) at a time.
double DataPlane::draw_next(StreamState& s, double from) {
  return next_arrival(s.arrivals, s.rate, s.def->profile, from, end_);
}

void DataPlane::set_link_up(int ic, bool up) {
  if (!up && link_up_[ic] && drop_on_failure_) failed_links_.push_back(static_cast<uint32_t>(ic));
  link_up_[ic] = up;
  dirty_ = true;
}

void DataPlane::set_operator_up(int op, bool up) {
  if (!up && op_up_[op] && drop_on_failure_) failed_ops_.push_back(static_cast<uint32_t>(op));
  op_up_[op] = up;
  dirty_ = true;
}

void DataPlane::refresh_paths() {
  const size_t npaths = path_begin_.size() - 1;
  for (size_t p = 0; p < npaths; ++p) {
    bool believed = true;
    int cause = -1;
    uint32_t at = 0;
    // A down node decides first: a call into it is lost there whatever the links.
    for (uint32_t i = path_ops_begin_[p]; i < path_ops_begin_[p + 1] && cause < 0; ++i)
      if (!op_up_[path_ops_[i]]) {
        cause = kNode;
        at = path_ops_[i];
      }
    for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i) {
      const uint32_t l = path_links_[i];
      if (!link_up_[l] && cause < 0) {
        cause = kOutage;
        at = l;
      }
      believed = believed && believed_up_[l];
    }
    path_up_[p] = cause < 0;
    path_dead_cause_[p] = static_cast<char>(cause < 0 ? kOutage : cause);
    path_dead_at_[p] = at;
    path_believed_[p] = believed;
  }
  for (size_t r = 0; r < route_reachable_.size(); ++r) {
    // Reachable: the path that would carry a call (capacity aside) is up:
    // the first believed up one; when none is believed up, any (the switch
    // then tries them all in order). The same choice as in handle().
    const uint32_t first = route_first_path_[r], n = route_npaths_[r];
    bool any_believed = false;
    for (uint32_t k = 0; k < n && !any_believed; ++k) any_believed = path_believed_[first + k];
    bool reach = false;
    for (uint32_t k = 0; k < n; ++k) {
      if (any_believed && !path_believed_[first + k]) continue;
      reach = path_up_[first + k];
      if (any_believed || reach) break;
    }
    route_any_believed_[r] = any_believed;
    route_reachable_[r] = reach;
  }
  dirty_ = false;
}

void DataPlane::set_period(double t, uint32_t* hour, uint32_t* day) const {
  const double h = std::floor(t / 3600);
  *hour = static_cast<uint32_t>(std::fmod(h, 24.0));
  double d = std::floor((t - warmup_) / 86400);
  *day = static_cast<uint32_t>(std::min(std::max(d, 0.0), static_cast<double>(by_day_.size() - 1)));
}

void DataPlane::release(uint32_t p) {
  for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i) --busy_[path_links_[i]];
}

// Cuts the calls in progress (ending after `now`) on a path through an
// interconnect or node that has just failed. Failures are rare next to calls,
// so a walk over the calls in progress costs nothing on the per-call path.
void DataPlane::drop_calls(double now) {
  for (Departure& d : departures_) {
    if ((d.info & kReleased) || d.t <= now) continue;
    const uint32_t p = d.path;
    int link = -1, op = -1;
    for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1] && link < 0; ++i)
      for (uint32_t f : failed_links_)
        if (path_links_[i] == f) {
          link = static_cast<int>(f);
          break;
        }
    if (link < 0)
      for (uint32_t i = path_ops_begin_[p]; i < path_ops_begin_[p + 1] && op < 0; ++i)
        for (uint32_t f : failed_ops_)
          if (path_ops_[i] == f) {
            op = static_cast<int>(f);
            break;
          }
    if (link < 0 && op < 0) continue;
    d.info |= kReleased;  // not the heap key: the heap stays valid
    release(p);
    --in_progress_;
    if (!(d.info & kCounted)) continue;
    const double cut = d.t - now;  // the time the call would still have held
    path_channel_seconds_[p] -= cut;
    if (!(d.info & kAnswered)) continue;  // a ringing call released: still unanswered
    Counters& c = per_stream_[d.info >> kStreamShift];
    ++c.dropped;
    if (now < end_) {
      uint32_t hour, day;
      set_period(now, &hour, &day);
      ++by_hour_[hour].dropped;
      ++by_day_[day].dropped;
    }
    c.answered_seconds -= cut;
    if (link >= 0) ++trunks_[link].dropped;
    else ++nodes_[op].dropped;
    if (sink_) {
      // The call's record: the answered one of this stream and path that
      // ends when this departure does (the same sum, so the same double).
      // Calls in progress are recent, so the walk back is short.
      const uint32_t stream = d.info >> kStreamShift;
      for (size_t i = sink_->size(); i-- > 0;) {
        AttemptRecord& a = (*sink_)[i];
        if (a.outcome < 0 && a.callee == 0 && !a.dropped && a.stream == stream && a.path == p &&
            a.time + a.held == d.t) {
          a.dropped = true;
          a.held -= cut;
          break;
        }
      }
    }
  }
  failed_links_.clear();
  failed_ops_.clear();
}

std::vector<TrunkCounters> DataPlane::trunk_counters() const {
  std::vector<TrunkCounters> out = trunks_;
  for (size_t p = 0; p + 1 < path_begin_.size(); ++p)
    for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i) {
      TrunkCounters& t = out[path_links_[i]];
      t.offered += path_offered_[p];
      t.carried += path_carried_[p];
      t.channel_seconds += path_channel_seconds_[p];
    }
  return out;
}

void DataPlane::commit_state(double now) {
  double a = std::max(state_since_, warmup_), b = std::min(now, end_);
  if (b > a)
    for (size_t s = 0; s < streams_.size(); ++s)
      if (route_reachable_[sc_.streams[s].route]) reach_seconds_[s] += b - a;
  if (now > state_since_) state_since_ = now;
  if (!failed_links_.empty() || !failed_ops_.empty()) drop_calls(now);
  if (dirty_) refresh_paths();
}

void DataPlane::advance_to(double limit) {
  if (dirty_) refresh_paths();
  while (true) {
    // The earliest of: a fresh arrival, a replayed call, a redial.
    double t = kInf;
    int which = -1;  // stream index of a fresh arrival; -2 a retry; -3 replay; -4 funnel
    if (replaying_) {
      if (replay_pos_ < replay_.size()) {
        t = replay_[replay_pos_].time;
        which = -3;
      }
    } else {
      for (size_t s = 0; s < streams_.size(); ++s)
        if (streams_[s].next < t) {
          t = streams_[s].next;
          which = static_cast<int>(s);
        }
    }
    if (!retries_.empty() && retries_.top().t < t) {
      t = retries_.top().t;
      which = -2;
    }
    if (funnel_) {
      const double ft = funnel_->next_time();
      if (ft < t) {
        t = ft;
        which = -4;
      }
    }
    if (t >= limit || t >= end_) break;
    // Lazy release: free the channels of calls that ended by now.
    while (!departures_.empty() && departures_.front().t <= t) {
      const Departure& d = departures_.front();
      if (!(d.info & kReleased)) {
        release(d.path);
        --in_progress_;
      }
      std::pop_heap(departures_.begin(), departures_.end(), std::greater<Departure>());
      departures_.pop_back();
    }
    if (which >= 0) {
      StreamState& s = streams_[which];
      s.next = draw_next(s, t);
      handle(static_cast<uint32_t>(which), t, 1, t >= warmup_, s.callers++);
    } else if (which == -2) {
      Retry r = retries_.top();
      retries_.pop();
      if (funnel_ && streams_[r.stream].def->source >= 0) funnel_->resume(r.visit);
      handle(r.stream, t, r.attempt, r.counted, r.caller);
    } else if (which == -4) {
      uint32_t stream;
      if (funnel_->step(&stream)) handle(stream, t, 1, t >= warmup_, streams_[stream].callers++);
    } else {
      const ReplayCall& c = replay_[replay_pos_++];
      handle(static_cast<uint32_t>(c.stream), t, 1, t >= warmup_, streams_[c.stream].callers++);
    }
  }
}

void DataPlane::handle(uint32_t si, double t, uint32_t attempt, bool counted, uint32_t caller) {
  StreamState& s = streams_[si];
  const Stream& def = *s.def;
  // Drawn for every attempt, whatever its fate, so that two networks fed the
  // same seed see the same holding times (common random numbers).
  double hold = def.holding.sample(s.holding);
  int known_callee = -1;
  if (replaying_ && attempt == 1 && replay_[replay_pos_ - 1].callee >= 0) {
    hold = replay_[replay_pos_ - 1].holding;
    known_callee = replay_[replay_pos_ - 1].callee;
  }
  Counters& c = per_stream_[si];
  if (counted) {
    ++c.offered;
    if (attempt == 1) ++c.callers;
  }
  const int r = def.route;
  int outcome = -1;  // a Cause, or -1 delivered
  uint32_t path = UINT32_MAX;
  uint32_t lost_at = 0;  // the interconnect or operator a loss is attributed to
  uint32_t lost_path = UINT32_MAX;  // the path that lost it (for the CDR)
  {
    // The switch offers the call to the paths it believes up, in order,
    // overflowing to the next one when a trunk is full; a path it believes
    // up but is dead loses the call. When it believes every path down it
    // tries them all in order, and the first really up with room carries it.
    const uint32_t first = route_first_path_[r], n = route_npaths_[r];
    const bool all_believed_down = !route_any_believed_[r];
    int dead = -1;  // all believed down: why the first dead path failed
    bool full = false;
    for (uint32_t k = 0; k < n; ++k) {
      const uint32_t p = first + k;
      if (!all_believed_down && !path_believed_[p]) continue;
      if (counted) ++path_offered_[p];
      if (!path_up_[p]) {
        if (dead < 0) {
          dead = path_dead_cause_[p];
          lost_at = path_dead_at_[p];
          lost_path = p;
        }
        if (all_believed_down) continue;  // the switch sees the failure and tries the next path
        break;                            // sent into a dead path nobody has rerouted around yet
      }
      bool room = true;
      for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i)
        if (busy_[path_links_[i]] >= channels_[path_links_[i]]) {
          if (counted) ++trunks_[path_links_[i]].blocked;
          room = false;
          break;
        }
      if (room) {
        path = p;
        break;
      }
      full = true;  // overflow to the next path
    }
    if (path == UINT32_MAX) {
      outcome = dead >= 0 && (!all_believed_down || !full) ? dead : kBlocked;
      if (outcome == kBlocked) lost_path = UINT32_MAX;
    }
  }
  if (path != UINT32_MAX) {
    for (uint32_t i = path_begin_[path]; i < path_begin_[path + 1]; ++i) {
      double q = completion_[path_links_[i]];
      if (q < 1.0 && !s.junction.bernoulli(q)) {
        outcome = kJunction;
        lost_at = path_links_[i];
        break;
      }
    }
  }
  int callee = 0;  // 0 answer, 1 busy, 2 no answer
  double held = 0;  // seconds the call holds its channels once delivered
  const bool funnel_call = def.source >= 0 && funnel_;
  ClientOutcome client = kClientAnswered;  // a funnel call's outcome at the client's end
  if (outcome < 0) {
    double ans = def.callee.answer, busy = def.callee.busy;
    if (funnel_call) {
      // A visitor's call reached the operator: attribution, then the client's end.
      ClientAnswer a = funnel_->delivered(def, t, hold, attempt);
      client = a.outcome;
      // A fallback that took the call (voicemail, a mobile) answered it, as
      // the switch sees it.
      callee = a.outcome == kClientAnswered || a.outcome == kClientFallback ? 0 : (a.outcome == kClientBusy ? 1 : 2);
      held = a.held;
    } else {
      if (known_callee >= 0) {
        callee = known_callee;
      } else if (ans < 1.0) {
        double u = s.callee.uniform();
        callee = u < ans ? 0 : (u < ans + busy ? 1 : 2);
      }
      held = callee == 0 ? hold : (callee == 2 ? (known_callee == 2 ? hold : def.callee.ring_seconds) : 0.0);
    }
    if (held > 0) {
      for (uint32_t i = path_begin_[path]; i < path_begin_[path + 1]; ++i) {
        const uint32_t l = path_links_[i];
        ++busy_[l];
        if (t >= warmup_ && static_cast<uint64_t>(busy_[l]) > trunks_[l].peak_busy) trunks_[l].peak_busy = busy_[l];
      }
      if (counted) path_channel_seconds_[path] += held;
      const uint32_t info = (si << kStreamShift) | (counted ? kCounted : 0) | (callee == 0 ? kAnswered : 0);
      departures_.push_back({t + held, path, info});
      std::push_heap(departures_.begin(), departures_.end(), std::greater<Departure>());
      if (++in_progress_ > peak_concurrent_) peak_concurrent_ = in_progress_;
    }
  }
  bool failed = outcome >= 0 || callee != 0;
  bool again = false;
  if (failed && !replaying_ && static_cast<int>(attempt) < def.redial.max_attempts && def.redial.share > 0 &&
      s.redial.bernoulli(def.redial.share)) {
    double when = t + s.redial.exponential(def.redial.delay_seconds);
    if (when < end_) {
      retries_.push({when, si, attempt + 1, caller, counted, funnel_call ? funnel_->keep_current() : 0});
      again = true;
    }
  }
  if (funnel_call && !again) funnel_->settle(outcome, client, counted);
  if (!counted) return;
  if (sink_) {
    AttemptRecord a;
    a.time = t;
    a.stream = si;
    a.caller = caller;
    a.attempt = attempt;
    a.outcome = static_cast<int8_t>(outcome);
    a.callee = static_cast<int8_t>(callee);
    a.path = outcome < 0 || outcome == kJunction ? path : lost_path;
    a.lost_at = lost_at;
    if (outcome < 0) a.held = held;
    sink_->push_back(a);
    if (funnel_call) {
      FunnelCallRecord f;
      f.attempt = static_cast<uint32_t>(sink_->size() - 1);
      f.pool = funnel_->current_pool();
      f.number = f.pool >= 0 ? funnel_->current_number() : -1;
      f.first_leg = static_cast<uint32_t>(legs_.size());
      if (outcome < 0) {
        const auto& legs = funnel_->legs();
        legs_.insert(legs_.end(), legs.begin(), legs.end());
        f.legs = static_cast<uint32_t>(legs.size());
        f.answer_s = funnel_->answer_s();
      }
      funnel_calls_.push_back(f);
    }
  }
  if (t >= period_end_) {
    set_period(t, &hour_, &day_);
    // The next hour boundary, or the next day boundary when the warm-up
    // does not end on an hour.
    period_end_ = std::min((std::floor(t / 3600) + 1) * 3600, warmup_ + (day_ + 1.0) * 86400);
  }
  PeriodCounters& ph = by_hour_[hour_];
  PeriodCounters& pd = by_day_[day_];
  ++ph.offered;
  ++pd.offered;
  if (outcome >= 0) {
    ++ph.lost[outcome];
    ++pd.lost[outcome];
    ++c.lost[outcome];
    if (outcome == kNode) ++nodes_[lost_at].lost;
    else if (outcome == kJunction) ++trunks_[lost_at].junction;
    else if (outcome == kOutage) ++trunks_[lost_at].outage;
  } else {
    ++path_carried_[path];
    ++ph.completed;
    ++pd.completed;
    ++c.completed;
    if (path_begin_[path + 1] - path_begin_[path] == 1) ++c.direct;
    if (callee == 0) {
      ++c.answered;
      c.answered_seconds += hold;
    }
    else if (callee == 1) ++c.busy;
    else ++c.no_answer;
  }
  if (!again) {  // this caller's last attempt decides their outcome
    if (outcome >= 0) ++c.callers_lost;
    else {
      ++c.callers_completed;
      if (callee == 0) ++c.callers_answered;
    }
  }
}

}  // namespace telsim
