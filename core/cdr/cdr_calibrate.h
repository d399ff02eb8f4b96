#pragma once
// Scenario inputs estimated from CDRs (`telsim cdr calibrate`): per origin
// operator the calls per day, the 24-hour profile, the holding time
// (lognormal by moments, with a Kolmogorov-Smirnov distance saying how well
// it fits), the callee's answer / busy / no-answer shares, redials, and the
// completion of the calls' paths (network-cause losses); each figure with
// the number of calls behind it and a 95% interval. calibration_toml()
// writes them as a scenario include (docs/cdr.md, "Calibrating a scenario").
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string_view>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/cdr/cdr.h"
#include "core/cdr/cdr_outcome.h"
#include "core/cdr/cdr_reader.h"
#include "core/cdr/numbering.h"

namespace telsim {

/// One estimated figure: its value, the 95% interval around it, how many
/// calls it rests on, and how it was computed (one phrase for the comment).
struct Estimate {
  double value = 0, low = 0, high = 0;
  int64_t n = 0;
  bool known = false;  // false: no call to estimate it from
  bool interval = true;  // false: too few calls for the interval's approximation
  std::string how;
};

/// How a Q.850 cause counts for the completion of a path: delivered (the
/// callee decided), lost at a junction (the per-call loss the model's
/// `completion` stands for), an outage (the route was down: the model's
/// incidents), no capacity (blocking: the model's channels), or none of
/// these (number and user problems such as 1 unallocated number).
enum class CauseClass { kDelivered, kJunction, kOutage, kCapacity, kOther };
/// 16-19, 21 and answered: delivered; 27, 38: outage; 34: capacity;
/// 2, 3, 41, 42, 44, 47 and every cause from 48 (service, protocol and
/// interworking classes): junction; the rest: other.
CauseClass cause_class(const CdrCall& c, const OutcomeMap& outcomes);

/// The traffic of one origin operator (a scenario stream).
struct OriginCalibration {
  std::string key;      // the scenario's operator name (TOML key)
  std::string source;   // what it was recognised by: "channel SIP/mts", "registry: ПАО ..."
  int64_t calls = 0, first_attempts = 0;
  Estimate calls_per_day;
  std::array<Estimate, 24> profile;  // weights, mean 1 (as the scenario normalises them)
  int64_t answered = 0;
  Estimate holding_mean, holding_sd;
  double ks_distance = 0;   // of the lognormal with holding_mean and holding_sd
  Estimate answer, busy, no_answer, ring_seconds;
  Estimate redial_share, redial_delay_minutes;
  int max_attempts = 1;     // the longest chain of redials seen
  Estimate completion;      // delivered / (delivered + junction-class losses)
  std::array<int64_t, 5> by_class{};  // calls by CauseClass
};

/// The completion of the calls that went out on one trunk.
struct TrunkCalibration {
  std::string trunk;  // the trunk as the CDR names it (SIP/mts-t1)
  std::string key;    // its hop name: cdr-trunk-mts-t1
  Estimate completion;
  std::array<int64_t, 5> by_class{};
};

/// How calls are given to an origin operator.
enum class OriginBy { kRegistry, kChannel, kNone };

struct CalibrateOptions {
  OriginBy origin = OriginBy::kChannel;
  const Numbering* numbering = nullptr;  // kRegistry
  const OutcomeMap* outcomes = nullptr;  // nullptr: the default table
  std::vector<std::pair<std::string, std::string>> operator_keys;  // registry name part -> key
  int64_t redial_window = 1800;  // seconds from a failed call's start to the same caller's next call
  double days = 0;               // 0: calendar days from the first to the last call
};

struct Calibration {
  int64_t calls = 0;
  double days = 0;
  std::string first_day, last_day;  // local dates (YYYY-MM-DD) of the first and last call
  std::vector<OriginCalibration> origins;  // by key
  std::vector<TrunkCalibration> trunks;    // by trunk
};

/// Collects the calls a read hands over (one sink per reading thread; the
/// result does not depend on how calls were split between them).
class CalibrationSink : public CallSink {
 public:
  void add(const CdrCall& c) override;

  /// What calibrate() needs of one call.
  struct Call {
    int64_t start, local_start, duration, billsec;
    Outcome outcome;
    int16_t q850;
    bool seized;
    uint32_t caller, called, trunk, channel;  // interned strings
  };
  std::vector<Call> calls;
  std::deque<std::string> strings;  // interned: 0 is ""; a deque, so views into it stay valid
  std::unordered_map<std::string_view, uint32_t> index;  // views into `strings`
  uint32_t intern(std::string_view s);
};

/// Estimates every figure from the calls of `sinks`. Throws InputError when
/// there is no call.
Calibration calibrate(const std::vector<const CalibrationSink*>& sinks, const CalibrateOptions& o);

/// The scenario include: a header comment (`header` lines, then how to use
/// it), `[hops]` with each origin's and trunk's completion, and one
/// `[streams.from-KEY]` per origin with `from = KEY`, `to = to`; every value
/// with a comment giving its source, the number of calls and its 95%
/// interval. Figures that could not be estimated are left out, saying so.
std::string calibration_toml(const Calibration& c, const std::string& to, const std::vector<std::string>& header);

}  // namespace telsim
