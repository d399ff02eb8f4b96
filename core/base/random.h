#pragma once
// Random streams. Every stream is derived from (seed, replication, name), so a
// stream named after a traffic stream draws the same numbers whatever network
// it runs through: that is what makes `sim compare` use common random numbers.
// The generators and distributions are our own (not <random>'s), so output is
// the same with every standard library.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "core/base/hash.h"

namespace telsim {

/// Turns a stream name into a seed (FNV-1a: the same on every platform).
inline uint64_t hash_name(std::string_view s) { return fnv1a(s); }

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256** generator: fast, 2^256 period, good statistical quality.
class Rng {
 public:
  explicit Rng(uint64_t seed = 1) { reseed(seed); }
  /// A stream named `name` of replication `rep` under a run seed.
  Rng(uint64_t seed, uint64_t rep, std::string_view name) {
    uint64_t x = seed ^ (rep * 0xd1b54a32d192ed03ULL) ^ hash_name(name);
    reseed(splitmix64(x));
  }
  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s_) w = splitmix64(x);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in (0, 1): never 0, so log() is always finite.
  double uniform() { return ((next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
  bool bernoulli(double p) { return uniform() < p; }
  double exponential(double mean) { return -mean * std::log(uniform()); }
  /// Standard normal by the Box-Muller transform (one value per call; simple
  /// and deterministic). The network's streams draw with it: changing it
  /// would change every network-only output.
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Standard normal by the ziggurat method (Marsaglia and Tsang, 256 layers):
  /// the same law as normal(), other values, about a third of the cost (20 ns
  /// against 63 on the benchmark machine); one 64-bit draw 99% of the time (its low 8 bits pick the layer, bit 8 the
  /// sign, the top 53 the point: disjoint bits). For draws made per visitor.
  double ziggurat_normal();
  /// Exponential of mean 1 by the ziggurat method: the law of
  /// exponential(1), other values; one 64-bit draw 99% of the time.
  double ziggurat_exponential();
  /// A standard normal conditioned on exceeding `r` > 0 (the ziggurat's tail).
  double normal_beyond(double r);

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  double ziggurat_normal_slow(int layer, double x);  // the 1% outside a layer's core
  double ziggurat_exponential_slow(int layer, double x);
  uint64_t s_[4];
};

/// The layers of a 256-layer ziggurat under a decreasing density f on
/// [0, inf): layer i covers x in [0, x[i]) between f(x[i]) and f(x[i+1]),
/// every layer (the base with the tail) of the same area; x[256] = 0.
/// Worked out once per process from the published constants (r, v).
struct Ziggurat {
  double x[257];
  double f[257];
};
Ziggurat build_normal_ziggurat();       // f(x) = exp(-x^2 / 2)
Ziggurat build_exponential_ziggurat();  // f(x) = exp(-x)
// Inline, so a draw costs a guard test, not a call: one table per process.
inline const Ziggurat& normal_ziggurat() {
  static const Ziggurat z = build_normal_ziggurat();
  return z;
}
inline const Ziggurat& exponential_ziggurat() {
  static const Ziggurat z = build_exponential_ziggurat();
  return z;
}

inline double Rng::ziggurat_normal() {
  const Ziggurat& z = normal_ziggurat();
  const uint64_t b = next();
  const int layer = static_cast<int>(b & 0xff);
  const double x = static_cast<double>(b >> 11) * (1.0 / 9007199254740992.0) * z.x[layer];
  if (x < z.x[layer + 1]) return (b & 0x100) ? -x : x;  // inside the layer's core: under the curve
  const double y = ziggurat_normal_slow(layer, x);
  return (b & 0x100) ? -y : y;
}

inline double Rng::ziggurat_exponential() {
  const Ziggurat& z = exponential_ziggurat();
  const uint64_t b = next();
  const int layer = static_cast<int>(b & 0xff);
  const double x = static_cast<double>(b >> 11) * (1.0 / 9007199254740992.0) * z.x[layer];
  if (x < z.x[layer + 1]) return x;
  return ziggurat_exponential_slow(layer, x);
}

/// A positive duration distribution given by its mean (and standard deviation).
struct Duration {
  enum class Kind { kExponential, kLognormal, kDeterministic };
  Kind kind = Kind::kExponential;
  double mean = 180;  // seconds (or whatever unit the owner states)
  double sd = 0;      // lognormal only

  double sample(Rng& rng) const {
    switch (kind) {
      case Kind::kExponential: return rng.exponential(mean);
      case Kind::kDeterministic: return mean;
      case Kind::kLognormal: {
        double s2 = std::log(1.0 + (sd * sd) / (mean * mean));
        double mu = std::log(mean) - 0.5 * s2;
        return std::exp(mu + std::sqrt(s2) * rng.normal());
      }
    }
    return mean;
  }
};

/// A Duration ready for draws by the million: a lognormal's parameters
/// worked out once, and the ziggurat draws. The same law as
/// Duration::sample, other values for the same stream, so only a consumer
/// that accepts new values uses it (the funnel's visitors).
struct FastDuration {
  FastDuration() = default;
  explicit FastDuration(const Duration& d) : kind(d.kind), mean(d.mean) {
    if (kind == Duration::Kind::kLognormal) {
      const double s2 = std::log(1.0 + (d.sd * d.sd) / (d.mean * d.mean));
      mu = std::log(d.mean) - 0.5 * s2;
      sigma = std::sqrt(s2);
    }
  }
  double sample(Rng& rng) const {
    switch (kind) {
      case Duration::Kind::kExponential: return mean * rng.ziggurat_exponential();
      case Duration::Kind::kDeterministic: return mean;
      case Duration::Kind::kLognormal: return std::exp(mu + sigma * rng.ziggurat_normal());
    }
    return mean;
  }
  Duration::Kind kind = Duration::Kind::kDeterministic;
  double mean = 0, mu = 0, sigma = 0;
};

}  // namespace telsim
