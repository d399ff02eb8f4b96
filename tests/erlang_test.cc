#include "core/base/erlang.h"

#include <doctest/doctest.h>

#include "core/base/error.h"
#include "tests/test_util.h"

using namespace telsim;

// Published table values (e.g. the Erlang B tables in ITU-T E.520-style
// dimensioning tables and standard teletraffic texts).
TEST_CASE("erlang_b matches table values") {
  CHECK(erlang_b(100, 110) == doctest::Approx(0.027463).epsilon(1e-4));
  CHECK(erlang_b(1, 1) == doctest::Approx(0.5));
  CHECK(erlang_b(2, 2) == doctest::Approx(0.4));  // 2/(1+2+2) = 0.4
  CHECK(erlang_b(10, 10) == doctest::Approx(0.21458).epsilon(1e-4));
  CHECK(erlang_b(5, 10) == doctest::Approx(0.018385).epsilon(1e-4));
  // Table: 1% blocking -> 17 channels carry 9.41 E, 100 channels 84.06 E.
  CHECK(erlang_b(9.41, 17) == doctest::Approx(0.01).epsilon(0.02));
  CHECK(erlang_b(84.06, 100) == doctest::Approx(0.01).epsilon(0.02));
  CHECK(erlang_b(0, 5) == 0.0);
  CHECK(erlang_b(3, 0) == 1.0);
}

TEST_CASE("erlang_c matches table values") {
  // C(a=2, c=3) = 4/9 = 0.4444 (textbook M/M/3 with rho = 2/3).
  CHECK(erlang_c(2, 3) == doctest::Approx(0.444444).epsilon(1e-5));
  CHECK(erlang_c(1, 1) == 1.0);  // unstable
  CHECK(erlang_c(8, 10) == doctest::Approx(0.40918).epsilon(1e-3));
}

TEST_CASE("engset matches its definition and converges to Erlang B") {
  // N=4 sources, c=2, beta=1: call congestion = time congestion with 3 sources
  // = C(3,2) / (C(3,0)+C(3,1)+C(3,2)) = 3/7.
  CHECK(engset(4, 2, 1.0) == doctest::Approx(3.0 / 7.0));
  CHECK(engset(4, 4, 1.0) == 0.0);
  // Many sources with a constant total load behave like Poisson traffic.
  int n = 100000;
  double a = 10;
  CHECK(engset(n, 10, a / n) == doctest::Approx(erlang_b(a, 10)).epsilon(1e-3));
}

TEST_CASE("dimensioning gives the smallest channel count meeting the target") {
  int c = erlang_b_channels(100, 0.01);
  CHECK(c == 117);
  CHECK(erlang_b(100, c) <= 0.01);
  CHECK(erlang_b(100, c - 1) > 0.01);
  CHECK_THROWS_AS(erlang_b_channels(100, 0), InputError);
  CHECK_THROWS_AS(erlang_b(-1, 3), InputError);
}

TEST_CASE("telsim erlang prints the formula values") {
  auto r = test::telsim("erlang b 100 110");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "B(100, 110) = 0.0274634\n");
  r = test::telsim("erlang channels 100 --max-blocking 0.01 --format json");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"channels\": 117") != std::string::npos);
  r = test::telsim("erlang engset 4 2 1 --format csv");
  CHECK(r.out == "sources,channels,beta,blocking\n4,2,1.0,0.428571\n");
  r = test::telsim("erlang b -3 10");
  CHECK(r.exit_code == 2);
  r = test::telsim("erlang b");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("A is required") != std::string::npos);
}
