#pragma once
// Forwarding a delivered call to the client's office: which line answers, or
// why none does (busy, no answer, out of hours), and every attempt on the
// way, failed ones included. Part of telsim_dataplane (no SimGrid); the data
// plane calls it once per delivered call, in arrival order. docs/model.md,
// "Forwarding to the client's office", gives the model and the formulas the
// tests check.
#include <cstdint>
#include <vector>

#include "core/base/random.h"
#include "core/net/forwarding_config.h"

namespace telsim {

/// How a forwarded call ended for the caller.
enum class ForwardOutcome : uint8_t {
  kAnswered,          // a line of the office answered
  kBusy,              // every line was busy: none rang
  kNoAnswer,          // lines rang, none answered before its ring timeout or the caller's patience
  kOutOfHours,        // the office was closed when the call arrived: no line rang
  kFallbackAnswered,  // the office did not answer; the fallback (voicemail, mobile) did
};

/// How one forwarding attempt (one leg) ended.
enum class LegOutcome : uint8_t {
  kAnswered,    // this leg took the call (its end is the end of the conversation)
  kBusy,        // the line was busy (holding or ringing for another call): zero length
  kNoAnswer,    // rang to its timeout, or until the caller hung up (Result::gave_up)
  kCancelled,   // parallel ringing: another line answered first
  kOutOfHours,  // the office itself, closed: zero length, no line rung
};

/// One forwarding attempt: a line (0-based index into ForwardingConfig::lines),
/// the fallback, or the office as a whole (out of hours, no line rung).
struct LegAttempt {
  static constexpr int kFallback = -1;
  static constexpr int kOffice = -2;
  int target = kOffice;
  double start = 0, end = 0;  // simulation seconds
  LegOutcome outcome = LegOutcome::kNoAnswer;
};

/// The client's office: its lines with their busy state, and the forwarding
/// scheme. What it promises:
/// - a line is occupied while it rings for a call and while it holds a
///   conversation; a call finding a line occupied skips it (sequential) or
///   does not ring it (parallel), so a busy office loses calls like a trunk;
/// - calls must be offered in arrival order (non-decreasing t_arrival_s) and
///   each is decided at once: a line is occupied at a time s when a call
///   offered before holds it, or will ring it, until after s. That a later
///   call finds occupied a line an earlier call reaches only later is the
///   one approximation (docs/model.md, "Limits": the answered share is
///   right; a few no-answer calls count as busy instead);
/// - deterministic for a given Rng stream, of which every call takes two
///   numbers whatever happens; they seed the call's draws per line (in line
///   order) and the fallback's, so offices that differ in later lines, in
///   timeouts, the scheme or the fallback see the same callers and lines
///   behave the same way (common random numbers);
/// - one LegAttempt per attempt, failed ones included, in the order they were
///   made (parallel legs in line order); no allocation once `legs` has grown.
class Forwarding {
 public:
  struct Result {
    ForwardOutcome outcome = ForwardOutcome::kBusy;
    /// Why the office itself did not answer (kBusy, kNoAnswer,
    /// kOutOfHours), or kAnswered: `outcome` differs only when the fallback
    /// was tried, and then says whether it answered.
    ForwardOutcome office = ForwardOutcome::kBusy;
    bool fallback_tried = false;
    /// The caller hung up at the total ring timeout while still ringing.
    bool gave_up = false;
    static constexpr int kNobody = -3;
    int answered_by = kNobody;  // line index, LegAttempt::kFallback, or kNobody
    double answer_s = -1;  // when answered (simulation seconds), else -1
    double end_s = 0;      // when the call ended: end of the conversation, or of the last leg
    std::vector<LegAttempt> legs;
  };

  explicit Forwarding(const ForwardingConfig& config);

  /// Forwards a call arriving at `t_arrival_s` whose conversation, if
  /// answered, lasts `conversation_s` seconds.
  Result offer(double t_arrival_s, double conversation_s, Rng& rng);
  /// The same into `out` (its legs' storage reused).
  void offer(double t_arrival_s, double conversation_s, Rng& rng, Result& out);

  const ForwardingConfig& config() const { return config_; }
  /// Until when each line is occupied by the calls offered so far.
  const std::vector<double>& busy_until() const { return busy_until_; }

 private:
  // Records an answer by `target` (a line or the fallback) on a leg started at `start`.
  void answer(int target, double start, double answer_at, double conversation_s, Result& out);

  ForwardingConfig config_;
  std::vector<double> busy_until_;
  double mobile_busy_until_ = -1;
  // Per-call draws, kept to avoid allocation.
  std::vector<char> willing_;
  std::vector<double> after_;
  bool fallback_willing_ = false;
  double fallback_after_ = 0;
};

/// Lower-case names for reports and CDRs: "answered", "busy", "no_answer",
/// "out_of_hours", "fallback_answered"; legs also "cancelled".
const char* to_string(ForwardOutcome o);
const char* to_string(LegOutcome o);

}  // namespace telsim
