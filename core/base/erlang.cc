#include "core/base/erlang.h"

#include <cmath>

#include "core/base/error.h"

namespace telsim {

double erlang_b(double a, int c) {
  if (a < 0 || c < 0) throw InputError("erlang b: load and channels must not be negative");
  // B(a, 0) = 1; B(a, k) = a B(a, k-1) / (k + a B(a, k-1)).
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

double erlang_c(double a, int c) {
  if (a < 0 || c <= 0) throw InputError("erlang c: load must not be negative and channels must be positive");
  if (a >= c) return 1.0;
  double b = erlang_b(a, c);
  return c * b / (c - a * (1.0 - b));
}

double engset(int n, int c, double beta) {
  if (n <= 0 || c < 0 || beta < 0) throw InputError("engset: sources must be positive, channels and beta not negative");
  if (c >= n) return 0.0;
  // Call congestion = time congestion with n-1 sources, computed by the
  // recursion E(k) = (n-1-k+1) beta E(k-1) / (k + (n-1-k+1) beta E(k-1)).
  const int m = n - 1;
  double e = 1.0;
  for (int k = 1; k <= c; ++k) {
    double x = (m - k + 1) * beta * e;
    e = x / (k + x);
  }
  return e;
}

int erlang_b_channels(double a, double max_blocking) {
  if (a < 0) throw InputError("erlang channels: load must not be negative");
  if (!(max_blocking > 0 && max_blocking < 1))
    throw InputError("erlang channels: the blocking target must be in (0, 1)", Topic::kBlockingTarget);
  double b = 1.0;
  int c = 0;
  while (b > max_blocking) {
    ++c;
    b = a * b / (c + a * b);
    if (c > 10000000) throw InputError("erlang channels: more than 10^7 channels needed");
  }
  return c;
}

}  // namespace telsim
