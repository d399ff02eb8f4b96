#include "core/net/availability.h"

#include <cmath>

namespace telsim {

double availability_series(const std::vector<double>& a) {
  double p = 1;
  for (double x : a) p *= x;
  return p;
}

double availability_parallel(const std::vector<double>& a) {
  double q = 1;
  for (double x : a) q *= (1 - x);
  return 1 - q;
}

double availability_k_of_n(int k, int n, double a) {
  double total = 0;
  for (int i = k; i <= n; ++i) {
    double binom = std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0));
    total += binom * std::pow(a, i) * std::pow(1 - a, n - i);
  }
  return total;
}

}  // namespace telsim
