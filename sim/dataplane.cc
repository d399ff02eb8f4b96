#include "sim/dataplane.h"

#include <algorithm>
#include <cmath>
#include <limits>

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
  callers += o.callers;
  callers_answered += o.callers_answered;
  callers_completed += o.callers_completed;
  callers_lost += o.callers_lost;
}

static constexpr double kInf = std::numeric_limits<double>::infinity();

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
    std::vector<int> ops;
    auto add_op = [&](const std::string& name) {
      int i = sc.operator_index(name);
      if (sc.operators[i].node.components > 0 && std::find(ops.begin(), ops.end(), i) == ops.end()) ops.push_back(i);
    };
    add_op(r.from);
    add_op(r.to);
    for (auto& p : r.paths) {
      path_begin_.push_back(static_cast<uint32_t>(path_links_.size()));
      for (int l : p) {
        path_links_.push_back(static_cast<uint32_t>(l));
        add_op(sc.interconnects[l].a);
        add_op(sc.interconnects[l].b);
      }
    }
    route_node_ops_.push_back(ops);
  }
  path_begin_.push_back(static_cast<uint32_t>(path_links_.size()));
  const size_t npaths = path_begin_.size() - 1;
  path_up_.assign(npaths, 1);
  path_believed_.assign(npaths, 1);
  route_node_ok_.assign(sc.routes.size(), 1);
  route_reachable_.assign(sc.routes.size(), 1);

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
}

void DataPlane::set_replay(std::vector<ReplayCall> calls) {
  replay_ = std::move(calls);
  replay_pos_ = 0;
  replaying_ = true;
}

// Next arrival of a Poisson process whose rate follows the 24-hour profile:
// inversion of the integrated rate, one hour (one constant piece) at a time.
double DataPlane::draw_next(StreamState& s, double from) {
  double need = -std::log(s.arrivals.uniform());
  double t = from;
  for (int guard = 0; guard < 24 * 366 * 10; ++guard) {
    double hour_start = std::floor(t / 3600.0);
    int h = static_cast<int>(std::fmod(hour_start, 24.0));
    double rate = s.rate * s.def->profile[h];
    double seg_end = (hour_start + 1) * 3600.0;
    double mass = rate * (seg_end - t);
    if (mass >= need) return t + need / rate;
    need -= mass;
    t = seg_end;
    if (t >= end_) return kInf;
  }
  return kInf;
}

void DataPlane::refresh_paths() {
  const size_t npaths = path_begin_.size() - 1;
  for (size_t p = 0; p < npaths; ++p) {
    bool up = true, believed = true;
    for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i) {
      up = up && link_up_[path_links_[i]];
      believed = believed && believed_up_[path_links_[i]];
    }
    path_up_[p] = up;
    path_believed_[p] = believed;
  }
  for (size_t r = 0; r < route_node_ok_.size(); ++r) {
    bool ok = true;
    for (int op : route_node_ops_[r]) ok = ok && op_up_[op];
    route_node_ok_[r] = ok;
    // Reachable: nodes up and the first path the switch would offer a call
    // to is up (the same choice as in handle()).
    const uint32_t first = route_first_path_[r], n = route_npaths_[r];
    bool any_believed = false;
    for (uint32_t k = 0; k < n && !any_believed; ++k) any_believed = path_believed_[first + k];
    bool reach = false;
    for (uint32_t k = 0; k < n; ++k) {
      if (any_believed && !path_believed_[first + k]) continue;
      reach = path_up_[first + k];
      break;
    }
    route_reachable_[r] = ok && reach;
  }
  dirty_ = false;
}

void DataPlane::commit_state(double now) {
  double a = std::max(state_since_, warmup_), b = std::min(now, end_);
  if (b > a)
    for (size_t s = 0; s < streams_.size(); ++s)
      if (route_reachable_[sc_.streams[s].route]) reach_seconds_[s] += b - a;
  if (now > state_since_) state_since_ = now;
  if (dirty_) refresh_paths();
}

void DataPlane::advance_to(double limit) {
  if (dirty_) refresh_paths();
  while (true) {
    // The earliest of: a fresh arrival, a replayed call, a redial.
    double t = kInf;
    int which = -1;  // stream index of a fresh arrival; -2 a retry; -3 replay
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
    if (t >= limit || t >= end_) break;
    // Lazy release: free the channels of calls that ended by now.
    while (!departures_.empty() && departures_.top().t <= t) {
      uint32_t p = departures_.top().path;
      for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i) --busy_[path_links_[i]];
      departures_.pop();
    }
    if (which >= 0) {
      StreamState& s = streams_[which];
      s.next = draw_next(s, t);
      handle(static_cast<uint32_t>(which), t, 1, t >= warmup_);
    } else if (which == -2) {
      Retry r = retries_.top();
      retries_.pop();
      handle(r.stream, t, r.attempt, r.counted);
    } else {
      const ReplayCall& c = replay_[replay_pos_++];
      handle(static_cast<uint32_t>(c.stream), t, 1, t >= warmup_);
    }
  }
}

void DataPlane::handle(uint32_t si, double t, uint32_t attempt, bool counted) {
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
  if (!route_node_ok_[r]) {
    outcome = kNode;
  } else {
    // The switch offers the call to the paths it believes up, in order,
    // overflowing to the next one when a trunk is full. When it believes
    // every path down it has nothing better than trying them all in order.
    const uint32_t first = route_first_path_[r], n = route_npaths_[r];
    bool any_believed = false;
    for (uint32_t k = 0; k < n && !any_believed; ++k) any_believed = path_believed_[first + k];
    outcome = kOutage;
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t p = first + k;
      if (any_believed && !path_believed_[p]) continue;
      if (!path_up_[p]) {  // sent into a dead path nobody has rerouted around yet
        outcome = kOutage;
        break;
      }
      bool room = true;
      for (uint32_t i = path_begin_[p]; i < path_begin_[p + 1]; ++i)
        if (busy_[path_links_[i]] >= channels_[path_links_[i]]) {
          room = false;
          break;
        }
      if (room) {
        path = p;
        outcome = -1;
        break;
      }
      outcome = kBlocked;  // overflow to the next path
    }
  }
  if (path != UINT32_MAX) {
    for (uint32_t i = path_begin_[path]; i < path_begin_[path + 1]; ++i) {
      double q = completion_[path_links_[i]];
      if (q < 1.0 && !s.junction.bernoulli(q)) {
        outcome = kJunction;
        break;
      }
    }
  }
  int callee = 0;  // 0 answer, 1 busy, 2 no answer
  if (outcome < 0) {
    double ans = def.callee.answer, busy = def.callee.busy;
    if (known_callee >= 0) {
      callee = known_callee;
    } else if (ans < 1.0) {
      double u = s.callee.uniform();
      callee = u < ans ? 0 : (u < ans + busy ? 1 : 2);
    }
    double held = callee == 0 ? hold : (callee == 2 ? (known_callee == 2 ? hold : def.callee.ring_seconds) : 0.0);
    if (held > 0) {
      for (uint32_t i = path_begin_[path]; i < path_begin_[path + 1]; ++i) ++busy_[path_links_[i]];
      departures_.push({t + held, path});
      if (departures_.size() > peak_concurrent_) peak_concurrent_ = departures_.size();
    }
  }
  bool failed = outcome >= 0 || callee != 0;
  bool again = false;
  if (failed && !replaying_ && static_cast<int>(attempt) < def.redial.max_attempts && def.redial.share > 0 &&
      s.redial.bernoulli(def.redial.share)) {
    double when = t + s.redial.exponential(def.redial.delay_seconds);
    if (when < end_) {
      retries_.push({when, si, attempt + 1, counted});
      again = true;
    }
  }
  if (!counted) return;
  if (outcome >= 0) ++c.lost[outcome];
  else {
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
