#include "sim/forwarding.h"

#include <algorithm>

namespace telsim {

Forwarding::Forwarding(const ForwardingConfig& config)
    : config_(config),
      busy_until_(config.lines.size(), -1.0),
      willing_(config.lines.size(), 0),
      after_(config.lines.size(), 0) {}

Forwarding::Result Forwarding::offer(double t_arrival_s, double conversation_s, Rng& rng) {
  Result r;
  offer(t_arrival_s, conversation_s, rng, r);
  return r;
}

void Forwarding::offer(double t, double conversation_s, Rng& rng, Result& out) {
  out.legs.clear();
  out.fallback_tried = false;
  out.gave_up = false;
  out.answered_by = Result::kNobody;
  out.answer_s = -1;
  // Every draw first, whatever happens to the call: two numbers of `rng`
  // seed the call's own generators for the lines (in line order) and for
  // the fallback, so the n-th line's draws do not depend on how many lines
  // there are, nor the fallback's on the lines.
  Rng lines_rng(rng.next()), fallback_rng(rng.next());
  const size_t n = config_.lines.size();
  for (size_t i = 0; i < n; ++i) {
    willing_[i] = lines_rng.bernoulli(config_.lines[i].answer);
    after_[i] = config_.lines[i].answer_time.sample(lines_rng);
  }
  fallback_willing_ = fallback_rng.bernoulli(config_.fallback.answer);
  fallback_after_ = config_.fallback.answer_time.sample(fallback_rng);

  const double patience_end = t + config_.total_ring_seconds;
  double cursor = t;  // when the office part ends
  if (!config_.hours.is_open(t)) {
    out.legs.push_back({LegAttempt::kOffice, t, t, LegOutcome::kOutOfHours});
    out.office = ForwardOutcome::kOutOfHours;
  } else if (config_.scheme == ForwardingConfig::Scheme::kSequential) {
    bool rang = false;
    for (size_t i = 0; i < n && cursor < patience_end; ++i) {
      const int line = static_cast<int>(i);
      if (busy_until_[i] > cursor) {
        out.legs.push_back({line, cursor, cursor, LegOutcome::kBusy});
        continue;
      }
      const double ring_end = std::min(cursor + config_.lines[i].ring_seconds, patience_end);
      if (willing_[i] && cursor + after_[i] < ring_end) {
        answer(line, cursor, cursor + after_[i], conversation_s, out);
        busy_until_[i] = out.end_s;
        return;
      }
      out.legs.push_back({line, cursor, ring_end, LegOutcome::kNoAnswer});
      busy_until_[i] = std::max(busy_until_[i], ring_end);
      cursor = ring_end;
      rang = true;
    }
    out.office = rang ? ForwardOutcome::kNoAnswer : ForwardOutcome::kBusy;
  } else {
    // Every free line rings from t; the first willing one to pick up before
    // its own timeout and the caller's patience takes the call.
    int best = -1;
    for (size_t i = 0; i < n; ++i) {
      if (busy_until_[i] > t || !willing_[i]) continue;
      const double window = std::min(config_.lines[i].ring_seconds, config_.total_ring_seconds);
      if (after_[i] < window && (best < 0 || after_[i] < after_[best])) best = static_cast<int>(i);
    }
    const double answer_at = best >= 0 ? t + after_[best] : 0;
    bool rang = false;
    for (size_t i = 0; i < n; ++i) {
      const int line = static_cast<int>(i);
      if (busy_until_[i] > t) {
        out.legs.push_back({line, t, t, LegOutcome::kBusy});
      } else if (line == best) {
        out.legs.push_back({line, t, answer_at + conversation_s, LegOutcome::kAnswered});
        busy_until_[i] = answer_at + conversation_s;
      } else if (best >= 0) {
        out.legs.push_back({line, t, answer_at, LegOutcome::kCancelled});
        busy_until_[i] = std::max(busy_until_[i], answer_at);
      } else {
        const double ring_end = std::min(t + config_.lines[i].ring_seconds, patience_end);
        out.legs.push_back({line, t, ring_end, LegOutcome::kNoAnswer});
        busy_until_[i] = std::max(busy_until_[i], ring_end);
        cursor = std::max(cursor, ring_end);
        rang = true;
      }
    }
    if (best >= 0) {
      out.outcome = out.office = ForwardOutcome::kAnswered;
      out.answered_by = best;
      out.answer_s = answer_at;
      out.end_s = answer_at + conversation_s;
      return;
    }
    out.office = rang ? ForwardOutcome::kNoAnswer : ForwardOutcome::kBusy;
  }

  // The office did not answer: the fallback, if there is one and the caller still waits.
  out.outcome = out.office;
  out.end_s = cursor;
  const ForwardingFallback& fb = config_.fallback;
  if (fb.kind == ForwardingFallback::Kind::kNone || cursor >= patience_end) {
    out.gave_up = cursor >= patience_end;
    return;
  }
  out.fallback_tried = true;
  if (fb.kind == ForwardingFallback::Kind::kVoicemail) {
    // It picks up at once; an unwilling caller hangs up on the greeting.
    if (fallback_willing_) {
      answer(LegAttempt::kFallback, cursor, cursor, conversation_s, out);
      out.outcome = ForwardOutcome::kFallbackAnswered;
    } else {
      out.legs.push_back({LegAttempt::kFallback, cursor, cursor, LegOutcome::kNoAnswer});
    }
    return;
  }
  if (mobile_busy_until_ > cursor) {
    out.legs.push_back({LegAttempt::kFallback, cursor, cursor, LegOutcome::kBusy});
    return;
  }
  const double ring_end = std::min(cursor + fb.ring_seconds, patience_end);
  if (fallback_willing_ && cursor + fallback_after_ < ring_end) {
    answer(LegAttempt::kFallback, cursor, cursor + fallback_after_, conversation_s, out);
    out.outcome = ForwardOutcome::kFallbackAnswered;
    mobile_busy_until_ = out.end_s;
    return;
  }
  out.legs.push_back({LegAttempt::kFallback, cursor, ring_end, LegOutcome::kNoAnswer});
  mobile_busy_until_ = std::max(mobile_busy_until_, ring_end);
  out.end_s = ring_end;
  out.gave_up = ring_end >= patience_end;
}

void Forwarding::answer(int target, double start, double answer_at, double conversation_s, Result& out) {
  out.legs.push_back({target, start, answer_at + conversation_s, LegOutcome::kAnswered});
  out.outcome = ForwardOutcome::kAnswered;
  if (target >= 0) out.office = ForwardOutcome::kAnswered;
  out.answered_by = target;
  out.answer_s = answer_at;
  out.end_s = answer_at + conversation_s;
}

const char* to_string(ForwardOutcome o) {
  switch (o) {
    case ForwardOutcome::kAnswered: return "answered";
    case ForwardOutcome::kBusy: return "busy";
    case ForwardOutcome::kNoAnswer: return "no_answer";
    case ForwardOutcome::kOutOfHours: return "out_of_hours";
    case ForwardOutcome::kFallbackAnswered: return "fallback_answered";
  }
  return "?";
}

const char* to_string(LegOutcome o) {
  switch (o) {
    case LegOutcome::kAnswered: return "answered";
    case LegOutcome::kBusy: return "busy";
    case LegOutcome::kNoAnswer: return "no_answer";
    case LegOutcome::kCancelled: return "cancelled";
    case LegOutcome::kOutOfHours: return "out_of_hours";
  }
  return "?";
}

}  // namespace telsim
