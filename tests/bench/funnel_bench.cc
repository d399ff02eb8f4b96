// What the tracking funnel costs per call, against the network-only model
// carrying the same calls, measured in one run (issue 12, Speed: at most 2x).
//
//   build/tests/funnel_bench [SOURCE_DIR] [DAYS_NETWORK] [DAYS_FUNNEL_ONLY]
//
// The funnel scenario is scenarios/tracking-funnel-direct.toml (visitors of
// three ad channels, a dynamic pool of 200 numbers, forwarding to the
// client's office, over the direct network with its own client traffic).
// Its network-only twin is built from the loaded scenario: each source's
// stream becomes a plain stream with the source's calls per day
// (visitors_per_day x call_share), profile, holding and callee, and the
// sources, pools and forwarding are dropped. Two comparisons:
// 1. the whole scenario (the funnel's calls plus the network's own client
//    traffic), as a user runs it;
// 2. the funnel's traffic alone (the network's plain streams dropped from
//    both), where every call is a funnel call: the stricter ratio.
// Then, for 2, the funnel without forwarding and without the pool (static
// numbers), to show where its time goes; and peak RSS at two lengths, to
// show memory does not grow with simulated time.
// Each run is a forked child (SimGrid allows one engine per process), timed
// inside the child, 1 replication, its peak RSS from wait4(); each
// measurement is repeated 3 times, interleaved, and the median reported.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "tests/bench/bench_util.h"

namespace {

struct Figures {
  uint64_t offered = 0, delivered = 0;  // all streams: attempts, delivered by the network
  uint64_t funnel_offered = 0;          // attempts of the sources' streams
  uint64_t visitors = 0, callers = 0;   // of the funnel (0 without sources)
};

struct RunResult : Figures {
  double seconds = 0;
  long max_rss_kib = 0;
};

// One replication of `sc` in a child process.
RunResult run_child(const telsim::Scenario& sc) {
  auto run = telsim::bench::run_in_child(sc, [](const telsim::Scenario& sc, const telsim::ReplicationResult& r) {
    Figures f;
    for (size_t i = 0; i < r.streams.size(); ++i) {
      f.offered += r.streams[i].offered;
      f.delivered += r.streams[i].completed;
    }
    for (const auto& s : sc.sources) f.funnel_offered += r.streams[s.stream].offered;
    for (const auto& c : r.funnel) {
      f.visitors += c.visitors;
      f.callers += c.callers;
    }
    return f;
  });
  RunResult res;
  static_cast<Figures&>(res) = run.figures;
  res.seconds = run.seconds;
  res.max_rss_kib = run.max_rss_kib;
  return res;
}

// The network-only twin: every source's stream becomes a plain stream of
// the same calls per day, profile, holding and callee (set when the source
// was read); no sources, pools or forwarding.
telsim::Scenario network_only(telsim::Scenario sc) {
  for (auto& s : sc.streams) s.source = -1;
  sc.sources.clear();
  sc.pools.clear();
  sc.forwarding.reset();
  return sc;
}

// Drops the plain streams (the network's own client traffic): only the
// sources' calls are left. Plain streams come first in Scenario::streams.
telsim::Scenario funnel_traffic_only(telsim::Scenario sc) {
  auto first = std::find_if(sc.streams.begin(), sc.streams.end(), [](const auto& s) { return s.source >= 0; });
  const int dropped = static_cast<int>(first - sc.streams.begin());
  sc.streams.erase(sc.streams.begin(), first);
  for (auto& src : sc.sources) src.stream -= dropped;
  return sc;
}

telsim::Scenario with_days(telsim::Scenario sc, double days) {
  sc.sim.days = days;
  sc.sim.replications = 1;
  return sc;
}

std::string loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Runs every variant `reps` times, interleaved, and returns for each the
// run of median time.
std::vector<RunResult> median_runs(const std::vector<telsim::Scenario>& variants, int reps) {
  std::vector<std::vector<RunResult>> runs(variants.size());
  for (int i = 0; i < reps; ++i)
    for (size_t v = 0; v < variants.size(); ++v) runs[v].push_back(run_child(variants[v]));
  std::vector<RunResult> out;
  for (auto& r : runs) {
    std::sort(r.begin(), r.end(), [](const RunResult& a, const RunResult& b) { return a.seconds < b.seconds; });
    out.push_back(r[r.size() / 2]);
  }
  return out;
}

double per_call_us(const RunResult& r) { return r.seconds / r.delivered * 1e6; }

void print_row(const char* name, const RunResult& r) {
  fmt::print("  {:<28} {:7.3f} s  {:9} attempts  {:9} delivered  {:6.2f} us/delivered call  RSS {:6.1f} MiB\n", name,
             r.seconds, r.offered, r.delivered, per_call_us(r), r.max_rss_kib / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string src = argc > 1 ? argv[1] : TELSIM_SOURCE_DIR;
  const double days_network = argc > 2 ? std::stod(argv[2]) : 200;
  const double days_funnel = argc > 3 ? std::stod(argv[3]) : 1000;
  const int reps = 3;
  fmt::print("load average at start: {}\n", loadavg());

  const telsim::Scenario funnel = telsim::load_scenario(src + "/scenarios/tracking-funnel-direct.toml");
  const telsim::Scenario network = network_only(funnel);

  // --- 1. the whole scenario ------------------------------------------
  auto whole = median_runs({with_days(funnel, days_network), with_days(network, days_network)}, reps);
  fmt::print("1. tracking-funnel-direct, whole scenario (funnel + the network's client traffic), {} days, "
             "1 replication, median of {} interleaved\n",
             days_network, reps);
  print_row("funnel", whole[0]);
  print_row("network only (plain streams)", whole[1]);
  fmt::print("  ratio per delivered call funnel/network: {:.2f}  (target <= 2.0)\n",
             per_call_us(whole[0]) / per_call_us(whole[1]));

  // --- 2. the funnel's traffic alone, and where its time goes ------------
  const telsim::Scenario f_only = funnel_traffic_only(funnel);
  const telsim::Scenario f_only_network = network_only(f_only);
  telsim::Scenario no_forwarding = f_only;
  no_forwarding.forwarding.reset();
  telsim::Scenario no_pool = no_forwarding;  // static numbers: no lease book
  for (auto& s : no_pool.sources) s.pool = -1;
  no_pool.pools.clear();
  auto alone = median_runs({with_days(f_only, days_funnel), with_days(f_only_network, days_funnel),
                            with_days(no_forwarding, days_funnel), with_days(no_pool, days_funnel)},
                           reps);
  fmt::print("2. the funnel's traffic alone (the network's plain streams dropped), {} days, median of {}\n",
             days_funnel, reps);
  print_row("funnel", alone[0]);
  print_row("network only (plain streams)", alone[1]);
  print_row("funnel without forwarding", alone[2]);
  print_row("  and without pool", alone[3]);
  fmt::print("  ratio per delivered call funnel/network: {:.2f}  (target <= 2.0)\n",
             per_call_us(alone[0]) / per_call_us(alone[1]));
  fmt::print("  visitors per funnel call: {:.1f}  ({} visitors, {} callers, {} attempts)\n",
             double(alone[0].visitors) / alone[0].funnel_offered, alone[0].visitors, alone[0].callers,
             alone[0].funnel_offered);

  // --- 3. memory against simulated time ----------------------------------
  fmt::print("3. peak RSS of the simulating child against simulated time (one run each)\n");
  for (auto [name, sc, a, b] : {std::tuple{"whole, funnel", &funnel, 10.0, 40.0},
                                std::tuple{"whole, network only", &network, 10.0, 40.0},
                                std::tuple{"funnel alone", &f_only, 100.0, 400.0},
                                std::tuple{"alone, network only", &f_only_network, 100.0, 400.0}}) {
    RunResult ra = run_child(with_days(*sc, a)), rb = run_child(with_days(*sc, b));
    fmt::print("  {:<20} {:5g} days: {:6.1f} MiB   {:5g} days: {:6.1f} MiB\n", name, a, ra.max_rss_kib / 1024.0, b,
               rb.max_rss_kib / 1024.0);
  }
  fmt::print("load average at end: {}\n", loadavg());
  return 0;
}
