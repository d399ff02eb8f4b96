#include "core/base/random.h"

namespace telsim {

namespace {

// The layers from r (where the tail starts) and v (every layer's area, the
// base's including the tail), for 256 layers. The constants were solved to
// 20 digits so that the top layer closes at x = 0 with area v (Marsaglia and
// Tsang 2000 give them to 12): normal r = 3.6541528853610087716,
// v = 0.0049286732339746553474; exponential r = 7.697117470131049714,
// v = 0.00394965982258155722.
template <class F, class Inverse>
Ziggurat build(double r, double v, F f, Inverse inverse) {
  Ziggurat z;
  z.x[0] = v / f(r);  // the base: the strip under f(r), widened to hold the tail's area
  z.x[1] = r;
  for (int i = 1; i < 255; ++i) z.x[i + 1] = inverse(v / z.x[i] + f(z.x[i]));
  z.x[256] = 0;
  for (int i = 0; i < 257; ++i) z.f[i] = f(z.x[i]);
  return z;
}

}  // namespace

Ziggurat build_normal_ziggurat() {
  return build(
      3.6541528853610088, 0.0049286732339746553, [](double x) { return std::exp(-0.5 * x * x); },
      [](double y) { return std::sqrt(-2.0 * std::log(y)); });
}

Ziggurat build_exponential_ziggurat() {
  return build(
      7.697117470131049714, 0.0039496598225815572, [](double x) { return std::exp(-x); },
      [](double y) { return -std::log(y); });
}

// Marsaglia (1964): r + a, a exponential of rate r, kept with probability
// exp(-a^2 / 2).
double Rng::normal_beyond(double r) {
  double a, b;
  do {
    a = -std::log(uniform()) / r;
    b = -std::log(uniform());
  } while (b + b < a * a);
  return r + a;
}

// Outside the layer's core: the base layer's overhang is the tail, beyond
// r; another layer's is a wedge, where the point is kept when it falls under
// the curve. A rejected point starts over with a fresh draw.
double Rng::ziggurat_normal_slow(int layer, double x) {
  const Ziggurat& z = normal_ziggurat();
  for (;;) {
    if (layer == 0) return normal_beyond(z.x[1]);
    if (z.f[layer] + uniform() * (z.f[layer + 1] - z.f[layer]) < std::exp(-0.5 * x * x)) return x;
    const uint64_t b = next();
    layer = static_cast<int>(b & 0xff);
    x = static_cast<double>(b >> 11) * (1.0 / 9007199254740992.0) * z.x[layer];
    if (x < z.x[layer + 1]) return x;
  }
}

double Rng::ziggurat_exponential_slow(int layer, double x) {
  const Ziggurat& z = exponential_ziggurat();
  for (;;) {
    // The tail beyond r is r plus an exponential (no memory).
    if (layer == 0) return z.x[1] - std::log(uniform());
    if (z.f[layer] + uniform() * (z.f[layer + 1] - z.f[layer]) < std::exp(-x)) return x;
    const uint64_t b = next();
    layer = static_cast<int>(b & 0xff);
    x = static_cast<double>(b >> 11) * (1.0 / 9007199254740992.0) * z.x[layer];
    if (x < z.x[layer + 1]) return x;
  }
}

}  // namespace telsim
