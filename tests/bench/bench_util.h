#pragma once
// What the simulator benchmarks share: one replication of a scenario timed
// in a forked child (SimGrid allows one engine per process), its figures
// sent back through a pipe and its peak RSS taken from wait4().
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <type_traits>

#include "core/net/scenario.h"
#include "sim/simulator.h"

namespace telsim::bench {

using Clock = std::chrono::steady_clock;

/// A child's run: the seconds of run_replication alone (engine start to
/// result, timed inside the child), what `summarise` made of the result, and
/// the child's peak RSS.
template <class Figures>
struct ChildRun {
  double seconds = 0;
  Figures figures{};
  long max_rss_kib = 0;
};

/// Runs replication 0 of `sc` with its own seed in a forked child and
/// returns its time, `summarise(scenario, result)` (a plain struct, copied
/// through a pipe) and peak RSS. Throws when the child fails.
template <class Summarise>
auto run_in_child(const Scenario& sc, Summarise summarise) {
  using Figures = decltype(summarise(sc, std::declval<const ReplicationResult&>()));
  static_assert(std::is_trivially_copyable_v<Figures>, "figures cross a pipe as bytes");
  ChildRun<Figures> run;
  std::fflush(stdout);  // or the child would print our buffered lines again
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    close(fds[0]);
    const auto start = Clock::now();
    const ReplicationResult r = run_replication(sc, sc.sim.seed, 0, nullptr, nullptr);
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run.figures = summarise(sc, r);
    if (write(fds[1], &run, sizeof run) != sizeof run) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  const bool got = read(fds[0], &run, sizeof run) == sizeof run;
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (!got) throw std::runtime_error("benchmark child failed");
  run.max_rss_kib = ru.ru_maxrss;
  return run;
}

}  // namespace telsim::bench
