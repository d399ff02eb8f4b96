#pragma once
// Arrivals of a Poisson process whose rate follows a 24-hour profile: the
// calls of a stream and the visitors of a traffic source alike.
#include <cmath>
#include <limits>
#include <vector>

#include "core/base/random.h"

namespace telsim {

/// The next arrival after `from` of a Poisson process of `rate` per second
/// at weight 1, weighted per hour of the day by `profile` (24 weights, hour
/// 0 starting at time 0): inversion of the integrated rate, one hour (one
/// constant piece) at a time, so there is no thinning and no bias at hour
/// edges. Infinity when it would come at or after `end`. One uniform draw.
inline double next_arrival(Rng& rng, double rate, const std::vector<double>& profile, double from, double end) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double need = -std::log(rng.uniform());
  double t = from;
  for (int guard = 0; guard < 24 * 366 * 10; ++guard) {
    double hour_start = std::floor(t / 3600.0);
    int h = static_cast<int>(std::fmod(hour_start, 24.0));
    double r = rate * profile[h];
    double seg_end = (hour_start + 1) * 3600.0;
    double mass = r * (seg_end - t);
    if (mass >= need) return t + need / r;
    need -= mass;
    t = seg_end;
    if (t >= end) return kInf;
  }
  return kInf;
}

}  // namespace telsim
