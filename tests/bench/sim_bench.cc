// Simulator speed, measured against a reference in the same run.
//
//   build/tests/sim_bench [SOURCE_DIR]
//
// 1. M/M/c/c (A = 100 E, c = 110, mean holding 180 s, 1,000,000 calls):
//    a plain C++ binary-heap event loop (the reference, shipped here) against
//    telsim's simulator on scenarios/erlang-b.toml (SimGrid engine, platform,
//    data plane), as calls/s and their ratio. Target: ratio >= 0.55.
// 2. A month of a mid-size operator: scenarios/article-operator.toml, one
//    replication of 30 days (8M calls, ~500 E, incidents on). Target: < 5 s.
// 3. Peak RSS of the simulating process for 1M and 8M calls.
// Each telsim run is a forked child (SimGrid allows one engine per process);
// its time is taken inside the child, its peak RSS from wait4().
#include <fmt/format.h>

#include <chrono>
#include <queue>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "tests/bench/bench_util.h"

using Clock = telsim::bench::Clock;

namespace {

// The reference: the simplest fast M/M/c/c loop. Arrivals are generated one
// at a time; departures sit in a binary heap and are released lazily.
struct RefResult {
  double seconds;
  long blocked;
};
RefResult reference_loop(long calls, double a, int c, double hold, uint64_t seed) {
  telsim::Rng rng(seed);
  const double mean_gap = hold / a;
  std::priority_queue<double, std::vector<double>, std::greater<double>> departures;
  auto start = Clock::now();
  double t = 0;
  long blocked = 0;
  int busy = 0;
  for (long i = 0; i < calls; ++i) {
    t += rng.exponential(mean_gap);
    while (!departures.empty() && departures.top() <= t) {
      departures.pop();
      --busy;
    }
    if (busy >= c) {
      ++blocked;
      continue;
    }
    ++busy;
    departures.push(t + rng.exponential(hold));
  }
  return {std::chrono::duration<double>(Clock::now() - start).count(), blocked};
}

struct SimResult {
  double seconds;
  uint64_t offered, blocked;
  long max_rss_kib;
};

struct SimFigures {
  uint64_t offered, blocked;
};

// Runs one replication of `file` (with overrides) in a child process.
SimResult telsim_run(const std::string& file, const telsim::Overrides& o) {
  const telsim::Scenario sc = telsim::load_scenario(file, o);
  auto run = telsim::bench::run_in_child(sc, [](const telsim::Scenario&, const telsim::ReplicationResult& r) {
    telsim::Counters total;
    for (auto& s : r.streams) total.add(s);
    return SimFigures{total.offered, total.lost[telsim::kBlocked]};
  });
  return {run.seconds, run.figures.offered, run.figures.blocked, run.max_rss_kib};
}

}  // namespace

int main(int argc, char** argv) {
  std::string src = argc > 1 ? argv[1] : TELSIM_SOURCE_DIR;
  const long calls = 1000000;
  const int reps = 3;

  // --- M/M/c/c ---------------------------------------------------------
  // 1M calls at 48,000 calls/day (100 E of 180 s) is 20.8333 days.
  const double days = calls / 48000.0;
  telsim::Overrides o = {{"simulation.days", fmt::format("{:.17g}", days)}, {"simulation.warmup_days", "0"}};
  double best_ref = 1e9, best_sim = 1e9;
  long ref_blocked = 0;
  SimResult sim{};
  for (int i = 0; i < reps; ++i) {  // interleaved, so both see the same machine state
    RefResult r = reference_loop(calls, 100, 110, 180, 1 + i);
    best_ref = std::min(best_ref, r.seconds);
    ref_blocked = r.blocked;
    SimResult s = telsim_run(src + "/scenarios/erlang-b.toml", o);
    if (s.seconds < best_sim) sim = s;
    best_sim = std::min(best_sim, s.seconds);
  }
  double ref_rate = calls / best_ref, sim_rate = sim.offered / best_sim;
  fmt::print("M/M/c/c A=100 c=110 h=180s, {} calls, best of {}\n", calls, reps);
  fmt::print("  reference heap loop   {:8.3f} s  {:6.2f} M calls/s  blocking {:.5f}\n", best_ref, ref_rate / 1e6,
             double(ref_blocked) / calls);
  fmt::print("  telsim on SimGrid     {:8.3f} s  {:6.2f} M calls/s  blocking {:.5f}  ({} calls)\n", best_sim,
             sim_rate / 1e6, double(sim.blocked) / sim.offered, sim.offered);
  fmt::print("  ratio telsim/reference: {:.2f}  (target >= 0.55)\n", sim_rate / ref_rate);
  fmt::print("  peak RSS, 1M calls: {:.1f} MiB\n", sim.max_rss_kib / 1024.0);

  // --- a month of a mid-size operator ----------------------------------
  SimResult month{};
  double best_month = 1e9;
  for (int i = 0; i < 2; ++i) {
    SimResult m = telsim_run(src + "/scenarios/article-operator.toml", {{"simulation.days", "30"}});
    if (m.seconds < best_month) month = m;
    best_month = std::min(best_month, m.seconds);
  }
  fmt::print("Month of a mid-size operator (article-operator, 30 days, incidents on), best of 2\n");
  fmt::print("  {} calls in {:.3f} s: {:.2f} M calls/s (target < 5 s)\n", month.offered, best_month,
             month.offered / best_month / 1e6);
  fmt::print("  peak RSS, {:.1f}M calls: {:.1f} MiB\n", month.offered / 1e6, month.max_rss_kib / 1024.0);
  return 0;
}
