#pragma once
// How the tracking operator forwards a call to the client's office: the
// client's lines, office hours, the ringing scheme, the caller's patience and
// a fallback. Read from a scenario's `[forwarding]` table
// (docs/scenario-format.md lists every key, its unit and default); run by
// sim/forwarding.h (docs/model.md, "Forwarding to the client's office").
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/base/random.h"

namespace telsim {

class TomlReader;

/// One of the client's lines. A line rung long enough answers with
/// probability `answer`, after a time drawn from `answer_time` counted from
/// the start of its ringing; it rings at most `ring_seconds`.
struct ForwardingLine {
  double answer = 1.0;
  Duration answer_time{Duration::Kind::kExponential, 10, 0};  // seconds
  double ring_seconds = 20;
};

/// Where a call goes when the office does not answer (busy, no answer, out
/// of hours) and the caller is still waiting.
struct ForwardingFallback {
  enum class Kind { kNone, kVoicemail, kMobile };
  Kind kind = Kind::kNone;
  /// Voicemail: the share of callers who stay to leave a message (it picks
  /// up at once). Mobile: the probability that it answers if rung long enough.
  double answer = 1.0;
  Duration answer_time{Duration::Kind::kExponential, 10, 0};  // mobile only, seconds
  double ring_seconds = 30;  // mobile only
};

/// Office hours per day of the week. The office's clock is simulation time
/// (midnight of simulated day 0 is midnight at the office, as for the
/// streams' 24-hour profiles); day 0 is `first_weekday`.
struct OfficeHours {
  bool always_open = true;
  int first_weekday = 3;  // 0 Monday .. 6 Sunday; 3: 2026-01-01, the default CDR epoch, is a Thursday
  /// Per weekday (0 Monday): sorted, disjoint [open, close) intervals in
  /// seconds since midnight; empty: closed all day.
  std::array<std::vector<std::pair<double, double>>, 7> open;

  /// The weekday (0 Monday .. 6 Sunday) of simulation time `t` seconds.
  int weekday(double t) const;
  /// True when a call arriving at simulation time `t` (seconds) finds the office open.
  bool is_open(double t) const;
};

/// The client's office as a forwarding target. What it promises once read:
/// at least one line, every probability in [0, 1], every time finite and in
/// its documented range, office hours as sorted disjoint intervals.
struct ForwardingConfig {
  enum class Scheme { kSequential, kParallel };
  /// Sequential: lines in order, each rung up to its ring_seconds (busy
  /// lines skipped at once). Parallel: every free line rung at once, each up
  /// to its ring_seconds; the first to answer takes the call.
  Scheme scheme = Scheme::kSequential;
  std::vector<ForwardingLine> lines = std::vector<ForwardingLine>(1);
  /// The caller's patience: seconds of ringing (office and fallback) after
  /// which the caller hangs up.
  double total_ring_seconds = 60;
  OfficeHours hours;
  ForwardingFallback fallback;
};

/// Reads a `[forwarding]` table (`r` is a reader on it). Throws InputError
/// naming the file, line and key of an unknown key, a wrong type or a value
/// out of range.
ForwardingConfig read_forwarding(TomlReader& r);

/// Parses one day's office hours: "closed", or "HH:MM-HH:MM" ranges
/// separated by commas ("09:00-13:00, 14:00-18:00"; "00:00-24:00" is all
/// day). Returns false with `why` set when the text is not that.
bool parse_day_hours(const std::string& text, std::vector<std::pair<double, double>>* out, std::string* why);

}  // namespace telsim
