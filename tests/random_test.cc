// The ziggurat draws of core/base/random.h against their exact laws, on a
// fixed seed: a Kolmogorov-Smirnov distance, a chi-square over 1,000 equally
// likely bins of the exact distribution function (so the tails count as much
// as the middle), the share beyond the ziggurat's tail start (drawn by a
// separate path), and the first moments. Bounds are those a correct sampler
// exceeds with probability well under 1e-4, so a wrong table, layer, sign or
// tail shows and a right one passes on any seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "core/base/random.h"

using namespace telsim;

namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double exponential_cdf(double x) { return x <= 0 ? 0 : -std::expm1(-x); }

struct Fit {
  double ks = 0;         // sup |F_n - F|
  double chi2 = 0;       // over `bins` bins equally likely under F
  double mean = 0, var = 0, skew = 0, kurt = 0;
};

Fit fit(std::vector<double> v, const std::function<double(double)>& cdf, int bins) {
  Fit f;
  const double n = static_cast<double>(v.size());
  double s1 = 0;
  for (double x : v) s1 += x;
  f.mean = s1 / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double x : v) {
    const double d = x - f.mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n, m3 /= n, m4 /= n;
  f.var = m2;
  f.skew = m3 / std::pow(m2, 1.5);
  f.kurt = m4 / (m2 * m2);
  std::sort(v.begin(), v.end());
  std::vector<double> count(bins, 0);
  for (size_t i = 0; i < v.size(); ++i) {
    const double p = cdf(v[i]);
    f.ks = std::max({f.ks, std::abs(p - i / n), std::abs((i + 1) / n - p)});
    count[std::min(bins - 1, static_cast<int>(p * bins))] += 1;
  }
  const double expected = n / bins;
  for (double c : count) f.chi2 += (c - expected) * (c - expected) / expected;
  return f;
}

}  // namespace

TEST_CASE("ziggurat tables: equal layers that close at zero") {
  struct Law {
    const Ziggurat& z;
    double v;  // every layer's area
  };
  for (const Law& law : {Law{normal_ziggurat(), 0.0049286732339746553},
                         Law{exponential_ziggurat(), 0.0039496598225815572}}) {
    const Ziggurat& z = law.z;
    CHECK(z.x[256] == 0);
    CHECK(z.f[256] == 1);
    for (int i = 0; i < 256; ++i) {
      CAPTURE(i);
      REQUIRE(z.x[i] > z.x[i + 1]);
      // Layer i is x[i] wide and f(x[i+1]) - f(x[i]) high (the base: the
      // strip under f(r), x[0] wide).
      const double area = i == 0 ? z.x[0] * z.f[1] : z.x[i] * (z.f[i + 1] - z.f[i]);
      CHECK(area == doctest::Approx(law.v).epsilon(1e-9));
    }
  }
}

TEST_CASE("ziggurat normal and exponential follow their laws (fixed seed)") {
  const int n = 1000000, bins = 1000;
  // chi-square with 999 degrees of freedom: mean 999, sd 44.7; 1230 is 5.2 sd.
  const double chi2_max = 1230;
  const double ks_max = 1.95 / std::sqrt(static_cast<double>(n));  // p = 0.001
  Rng rng(2026, 0, "ziggurat-test");
  std::vector<double> z(n), e(n);
  for (double& x : z) x = rng.ziggurat_normal();
  for (double& x : e) x = rng.ziggurat_exponential();

  SUBCASE("normal") {
    Fit f = fit(z, normal_cdf, bins);
    CHECK(f.ks < ks_max);
    CHECK(f.chi2 < chi2_max);
    const double se = 1 / std::sqrt(static_cast<double>(n));
    CHECK(std::abs(f.mean) < 5 * se);
    CHECK(std::abs(f.var - 1) < 5 * std::sqrt(2.0) * se);
    CHECK(std::abs(f.skew) < 5 * std::sqrt(6.0) * se);
    CHECK(std::abs(f.kurt - 3) < 5 * std::sqrt(24.0) * se);
    // Beyond the tail start r = 3.654 (either side), drawn by the tail path.
    const double r = normal_ziggurat().x[1];
    const double p = 2 * (1 - normal_cdf(r));  // 2.58e-4
    const double beyond = static_cast<double>(std::count_if(z.begin(), z.end(), [&](double x) { return std::abs(x) > r; }));
    CHECK(std::abs(beyond - n * p) < 5 * std::sqrt(n * p));
    const double negative = static_cast<double>(std::count_if(z.begin(), z.end(), [](double x) { return x < 0; }));
    CHECK(std::abs(negative - n / 2.0) < 5 * std::sqrt(n / 4.0));
  }
  SUBCASE("exponential") {
    Fit f = fit(e, exponential_cdf, bins);
    CHECK(f.ks < ks_max);
    CHECK(f.chi2 < chi2_max);
    CHECK(*std::min_element(e.begin(), e.end()) >= 0);
    const double se = 1 / std::sqrt(static_cast<double>(n));
    CHECK(std::abs(f.mean - 1) < 5 * se);            // sd of the law: 1
    CHECK(std::abs(f.var - 1) < 5 * std::sqrt(8.0) * se);  // var of the sample variance: mu4 - 1 = 8
    const double r = exponential_ziggurat().x[1];
    const double p = std::exp(-r);  // 4.5e-4
    const double beyond = static_cast<double>(std::count_if(e.begin(), e.end(), [&](double x) { return x > r; }));
    CHECK(std::abs(beyond - n * p) < 5 * std::sqrt(n * p));
  }
}

TEST_CASE("ziggurat draws are reproducible for a seed, and FastDuration keeps Duration's law") {
  Rng a(7, 3, "visit/x"), b(7, 3, "visit/x");
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(a.ziggurat_normal() == b.ziggurat_normal());
    REQUIRE(a.ziggurat_exponential() == b.ziggurat_exponential());
  }
  const int n = 400000;
  Rng r(42);
  FastDuration logn(Duration{Duration::Kind::kLognormal, 150, 120});
  FastDuration expo(Duration{Duration::Kind::kExponential, 180, 0});
  double sl = 0, sl2 = 0, se = 0;
  for (int i = 0; i < n; ++i) {
    const double x = logn.sample(r);
    sl += x;
    sl2 += x * x;
    se += expo.sample(r);
  }
  const double m = sl / n, sd = std::sqrt(sl2 / n - m * m);
  CHECK(m == doctest::Approx(150).epsilon(0.01));  // standard error 0.19
  CHECK(sd == doctest::Approx(120).epsilon(0.05));
  CHECK(std::abs(se / n - 180) < 5 * 180 / std::sqrt(static_cast<double>(n)));
  CHECK(FastDuration(Duration{Duration::Kind::kDeterministic, 60, 0}).sample(r) == 60);
}

TEST_CASE("the normal's tail beyond r follows the normal conditioned on exceeding r") {
  // The ziggurat draws its tail (1 in 3,900 normals) here; too few of them
  // in the test above to check their shape.
  const int n = 200000;
  for (double r : {normal_ziggurat().x[1], 1.0}) {
    CAPTURE(r);
    Rng rng(11, 0, "tail");
    std::vector<double> v(n);
    for (double& x : v) x = rng.normal_beyond(r);
    const double q = 1 - normal_cdf(r);
    Fit f = fit(v, [&](double x) { return x <= r ? 0 : (normal_cdf(x) - normal_cdf(r)) / q; }, 200);
    CHECK(f.ks < 1.95 / std::sqrt(static_cast<double>(n)));
    CHECK(f.chi2 < 199 + 5 * std::sqrt(2 * 199.0));
  }
}
