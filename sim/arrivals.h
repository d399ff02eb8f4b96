#pragma once
// Arrivals of a Poisson process whose rate follows a 24-hour profile: the
// calls of a stream and the visitors of a traffic source alike.
#include <cmath>
#include <limits>
#include <vector>

#include "core/base/random.h"

namespace telsim {

/// The time of an event that does not come (no next arrival, no pending
/// event): compares after every time of a run.
inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// The next arrival after `from` of a Poisson process of `rate` per second
/// at weight 1, weighted per hour of the day by `profile` (24 weights, hour
/// 0 starting at time 0): inversion of the integrated rate, one hour (one
/// constant piece) at a time, so there is no thinning and no bias at hour
/// edges. Infinity when it would come at or after `end`. One uniform draw.
inline double next_arrival(Rng& rng, double rate, const std::vector<double>& profile, double from, double end) {
  double need = -std::log(rng.uniform());
  double t = from;
  for (int guard = 0; guard < 24 * 366 * 10; ++guard) {
    double hour_start = std::floor(t / 3600.0);
    int h = static_cast<int>(std::fmod(hour_start, 24.0));
    double r = rate * profile[h];
    double seg_end = (hour_start + 1) * 3600.0;
    double mass = r * (seg_end - t);
    if (mass >= need && r > 0) return t + need / r;  // r > 0: a draw of 0 in an empty hour is not 0/0
    need -= mass;
    t = seg_end;
    if (t >= end) return kInf;
  }
  return kInf;
}

/// next_arrival's process for a draw-heavy caller: the exponential draw
/// (`need`, of mean 1) comes from the caller, and the hour of the profile
/// the last arrival fell in is kept, so an arrival in the same hour costs no
/// floor, fmod or profile look-up. Given the same `need`s and the previous
/// arrival as `from`, it gives next_arrival's times. The funnel's visitors
/// use it with Rng::ziggurat_exponential.
class ProfileArrivals {
 public:
  ProfileArrivals(double rate, const std::vector<double>& profile) : rate_(rate), profile_(&profile) {}

  double next(double need, double from, double end) {
    if (!(from >= hour_start_s_ && from < hour_end_s_)) enter(std::floor(from / 3600.0));
    double t = from;
    for (int guard = 0; guard < 24 * 366 * 10; ++guard) {
      const double mass = hour_rate_ * (hour_end_s_ - t);
      if (mass >= need && hour_rate_ > 0) return t + need / hour_rate_;  // a need of 0 in an empty hour: not 0/0
      need -= mass;
      t = hour_end_s_;
      if (t >= end) return kInf;
      enter(hour_ + 1);
    }
    return kInf;
  }

 private:
  void enter(double hour) {
    hour_ = hour;
    hour_start_s_ = hour * 3600.0;
    hour_end_s_ = (hour + 1) * 3600.0;
    hour_rate_ = rate_ * (*profile_)[static_cast<int>(std::fmod(hour, 24.0))];
  }
  double rate_;
  const std::vector<double>* profile_;
  double hour_ = 0, hour_start_s_ = 0, hour_end_s_ = -1, hour_rate_ = 0;  // none entered yet
};

}  // namespace telsim
