// Golden tests of the simulator commands: the command, the expected output
// byte for byte (tests/golden/). They double as the examples in docs/cli.md.
// A deliberate change of output regenerates them with the command in each
// case below.
#include <doctest/doctest.h>

#include "tests/test_util.h"

using namespace telsim;

TEST_CASE("golden: sim run scenarios/erlang-b.toml --replications 3 --days 2") {
  auto r = test::telsim("sim run scenarios/erlang-b.toml --replications 3 --days 2", "cd " + test::source("") + " &&");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == test::slurp(test::source("tests/golden/sim_run_erlang_b.txt")));
}

TEST_CASE("golden: sim compare transit-vs-direct --days 3 --replications 3") {
  auto r = test::telsim(
      "sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml --days 3 "
      "--replications 3",
      "cd " + test::source("") + " &&");
  CHECK(r.exit_code == 0);
  CHECK(r.out == test::slurp(test::source("tests/golden/sim_compare_transit_vs_direct.txt")));
}
