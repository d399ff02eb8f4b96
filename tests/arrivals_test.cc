// sim/arrivals.h: the funnel's ProfileArrivals, which keeps its place in the
// 24-hour profile between arrivals, gives next_arrival's times for the same
// exponential draws, across hour and day edges and through hours of weight 0.
#include "sim/arrivals.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace telsim;

TEST_CASE("ProfileArrivals gives next_arrival's times for the same draws") {
  std::vector<double> profile(24, 1.0);
  for (int h = 0; h < 24; ++h) profile[h] = (h < 6 ? 0.0 : 0.2 + h % 5);  // nights without arrivals
  for (double rate : {0.0005, 0.05, 3.0}) {  // per second: gaps from hours to a fraction of a second
    CAPTURE(rate);
    const double end = 20 * 86400.0;
    Rng draws(3, 0, "needs"), plain_rng(3, 0, "needs");
    ProfileArrivals clock(rate, profile);
    double t_clock = 0, t_plain = 0;
    int n = 0, hours_crossed = 0;
    while (n < 200000) {
      const double need = -std::log(draws.uniform());  // what next_arrival draws
      const double a = clock.next(need, t_clock, end), b = next_arrival(plain_rng, rate, profile, t_plain, end);
      REQUIRE(a == b);
      if (a == std::numeric_limits<double>::infinity()) break;
      hours_crossed += std::floor(a / 3600) != std::floor(t_clock / 3600);
      t_clock = t_plain = a;
      ++n;
    }
    CHECK(hours_crossed > 5);  // hour edges were crossed, not only same-hour arrivals
    CHECK(n > 100);
  }
}

TEST_CASE("a draw of exactly 0 in an hour of weight 0 waits for the next hour with arrivals, not NaN") {
  // Rng::ziggurat_exponential can return exactly 0 (about once in 2^53
  // draws), which -log(uniform()) never did: in an hour of weight 0 the
  // mass (0) then met the need (0), and the arrival was 0/0.
  std::vector<double> profile(24, 1.0);
  for (int h = 0; h < 6; ++h) profile[h] = 0.0;
  ProfileArrivals clock(0.01, profile);
  const double t = clock.next(0.0, 100.0, 86400.0);
  CHECK(t == 6 * 3600.0);  // the first instant of hour 6, the first with a rate
  CHECK(clock.next(0.0, 7 * 3600.0 + 5, 86400.0) == 7 * 3600.0 + 5);  // in an hour with a rate: at once
  CHECK(clock.next(0.0, 100.0, 3 * 3600.0) == std::numeric_limits<double>::infinity());  // none before the end
}
