// telsim sim run|compare: the loss simulator.
#include <fmt/format.h>

#include "core/base/error.h"
#include "core/net/scenario.h"
#include "core/cdr/cdr_mapped.h"
#include "core/cdr/cdr_outcome.h"
#include "core/cdr/numbering.h"
#include "sim/replay.h"
#include "sim/report.h"
#include "sim/simulator.h"
#include "sim/series_report.h"
#include "sim/trunk_report.h"
#include "tools/cli.h"
#include "tools/progress.h"

namespace {

struct SimArgs {
  std::vector<std::string> scenarios;
  std::vector<std::string> sets;
  int replications = 0;
  long long seed = -1;
  double days = 0;
  int jobs = 0;
  std::string format, out;
  // Replaying a CDR instead of generated traffic.
  std::vector<std::string> cdr_files;
  std::string cdr_input = "auto", cdr_mapping, tz, region = "RU", numbering;
  bool strict = false;
  std::vector<std::string> detail;  // sim run --detail interconnects|nodes
  std::vector<std::string> series;  // sim run --series hour-of-day|day
};

// Reads the CDR (when asked) and turns `sc` into a replay of its calls:
// the run covers the CDR's days, with no warm-up (the calls are what they are).
struct ReplayHolder {
  std::unique_ptr<telsim::CdrMapping> mapping;
  std::unique_ptr<telsim::Numbering> numbering;
  std::vector<telsim::Replay> replays;  // one per scenario (streams differ)
};

void prepare_replay(const SimArgs& a, ReplayHolder& h, std::vector<telsim::Scenario*> scenarios) {
  if (a.cdr_files.empty()) return;
  telsim::CdrReadOptions opts;
  telsim::parse_cdr_format(a.cdr_input, &opts.format);
  if (!a.cdr_mapping.empty()) {
    h.mapping = std::make_unique<telsim::CdrMapping>(telsim::CdrMapping::load(a.cdr_mapping));
    opts.mapping = h.mapping.get();
    if (opts.format == telsim::CdrFormat::kAuto) opts.format = telsim::CdrFormat::kMapped;
  }
  if (opts.format == telsim::CdrFormat::kMapped && !opts.mapping)
    throw telsim::InputError("--cdr-input mapped needs --cdr-mapping FILE");
  opts.tz = a.tz;
  opts.region = a.region;
  opts.strict = a.strict;
  if (!a.numbering.empty()) h.numbering = std::make_unique<telsim::Numbering>(telsim::Numbering::load(a.numbering));
  for (telsim::Scenario* sc : scenarios) {
    h.replays.push_back(telsim::load_replay(*sc, a.cdr_files, opts, h.numbering.get(), stderr));
    sc->sim.days = h.replays.back().days;
    sc->sim.warmup_days = 0;
  }
}

telsim::Overrides overrides(const SimArgs& a) {
  telsim::Overrides o;
  for (auto& s : a.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw telsim::InputError(fmt::format("--set '{}': expected KEY=VALUE", s));
    o.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  // The shortcut options are overrides like any other, applied last.
  if (a.replications > 0) o.emplace_back("simulation.replications", std::to_string(a.replications));
  if (a.seed >= 0) o.emplace_back("simulation.seed", std::to_string(a.seed));
  // != 0, not > 0: a NaN must reach the scenario check, not be taken for "not given".
  if (a.days != 0) o.emplace_back("simulation.days", fmt::format("{:.17g}", a.days));
  return o;
}

void add_common(CLI::App& cmd, SimArgs& a) {
  cmd.add_option("--set", a.sets, "Override a scenario key by its dotted path: --set interconnects.t1-t2.channels=60")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);  // one value per --set: never swallow SCENARIO
  cmd.add_option("--replications", a.replications, "Independent replications (each in its own process)")
      ->check(CLI::Range(1, 100000));
  cmd.add_option("--seed", a.seed, "Seed of all random streams")->check(CLI::NonNegativeNumber);
  cmd.add_option("--days", a.days, "Simulated days after warm-up")->check(CLI::PositiveNumber);
  cmd.add_option("--jobs", a.jobs, "Parallel processes (default: number of cores); does not change results")
      ->check(CLI::Range(1, 1024));
  telsim::cli::add_format(cmd, a.format);
  cmd.add_option("--out", a.out, "Write the output to FILE instead of stdout (atomically)");
  auto* cdr = cmd.add_option("--traffic-from-cdr", a.cdr_files,
                             "Replay the calls of these CDR files (arrival times, called numbers, holding times) "
                             "instead of generated traffic (repeat for several files)")
                  ->allow_extra_args(false);
  cmd.add_option("--cdr-input", a.cdr_input, "CDR format: auto, asterisk, freeswitch, mapped")
      ->check(CLI::IsMember({"auto", "asterisk", "freeswitch", "mapped"}))
      ->needs(cdr);
  cmd.add_option("--cdr-mapping", a.cdr_mapping, "TOML column mapping for a CDR with a header row")->needs(cdr);
  cmd.add_option("--tz", a.tz, "Time zone of the CDR times (UTC, +03:00, Europe/Moscow)")->needs(cdr);
  cmd.add_option("--region", a.region, "Region for CDR numbers without a country code (default RU)")->needs(cdr);
  cmd.add_option("--numbering", a.numbering,
                 "Registry file (telsim numbering import) to find callers' and callees' operators")
      ->needs(cdr);
  cmd.add_flag("--strict", a.strict, "Stop at the first bad CDR row or unmatched call (exit 2)")->needs(cdr);
}

}  // namespace

void setup_sim(CLI::App& app) {
  auto a = std::make_shared<SimArgs>();

  auto* run = app.add_subcommand("run", "Run a scenario: telsim sim run scenarios/article-operator.toml --replications 5");
  run->add_option("SCENARIO", a->scenarios, "Scenario file (TOML)")->required()->expected(1);
  add_common(*run, *a);
  run->add_option("--detail", a->detail, "Also per interconnect or per node figures: interconnects, nodes")
      ->check(CLI::IsMember({"interconnects", "nodes"}))->allow_extra_args(false);
  run->add_option("--series", a->series, "Also counts by outcome per period, for charts: hour-of-day, day")
      ->check(CLI::IsMember({"hour-of-day", "day"}))->allow_extra_args(false);
  run->callback([a] {
    telsim::Scenario sc = telsim::load_scenario(a->scenarios.at(0), overrides(*a));
    ReplayHolder replay;
    prepare_replay(*a, replay, {&sc});
    telsim::RunOptions opt;
    opt.jobs = a->jobs;
    if (!replay.replays.empty()) opt.replay = &replay.replays[0].calls;
    std::vector<telsim::ReplicationResult> reps;
    {
      telsim::cli::ProgressBar bar;
      opt.on_progress = bar.reporter();
      reps = telsim::run_replications(sc, opt);
    }
    std::string text;
    if (a->format == "json") text = telsim::run_json(sc, reps).dump(2) + "\n";
    else if (a->format == "csv") text = telsim::run_csv(sc, reps);
    else text = telsim::run_table(sc, reps);
    for (auto& d : a->detail) {  // JSON: network.interconnects / network.nodes; otherwise blocks after the rest
      bool ics = d == "interconnects";
      if (a->format == "json") {
        auto j = nlohmann::ordered_json::parse(text);
        j["network"][d] = ics ? telsim::interconnects_json(sc, reps) : telsim::nodes_json(sc, reps);
        text = j.dump(2) + "\n";
      } else if (a->format == "csv") text += "\n" + (ics ? telsim::interconnects_csv(sc, reps) : telsim::nodes_csv(sc, reps));
      else text += "\n" + (ics ? telsim::interconnects_table(sc, reps) : telsim::nodes_table(sc, reps));
    }
    for (auto& name : a->series) {  // JSON: series.NAME; otherwise blocks after the rest
      auto k = name == "day" ? telsim::SeriesKind::kDay : telsim::SeriesKind::kHourOfDay;
      if (a->format == "json") {
        auto j = nlohmann::ordered_json::parse(text);
        j["series"][name] = telsim::series_json(reps, k);
        text = j.dump(2) + "\n";
      } else text += "\n" + (a->format == "csv" ? telsim::series_csv(reps, k) : telsim::series_table(reps, k));
    }
    telsim::cli::emit(text, a->out);
  });

  auto* cmp = app.add_subcommand(
      "compare",
      "Same traffic through several networks: telsim sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml");
  cmp->add_option("SCENARIOS", a->scenarios, "Two or more scenario files; the first is the baseline")
      ->required()
      ->expected(2, 64);
  add_common(*cmp, *a);
  cmp->callback([a] {
    auto o = overrides(*a);
    std::vector<telsim::Compared> runs;
    for (auto& f : a->scenarios) runs.push_back({telsim::load_scenario(f, o), {}});
    ReplayHolder replay;
    std::vector<telsim::Scenario*> scs;
    for (auto& r : runs) scs.push_back(&r.sc);
    prepare_replay(*a, replay, scs);
    // Common random numbers: every network runs with the baseline's seed and
    // replication count, so replication i sees the same callers everywhere.
    for (size_t i = 1; i < runs.size(); ++i) {
      if (runs[i].sc.sim.seed != runs[0].sc.sim.seed || runs[i].sc.sim.replications != runs[0].sc.sim.replications ||
          runs[i].sc.sim.days != runs[0].sc.sim.days || runs[i].sc.sim.warmup_days != runs[0].sc.sim.warmup_days)
        throw telsim::InputError(fmt::format(
            "{}: [simulation] differs from {} (seed, replications, days and warmup_days must match for a fair "
            "comparison; put them in a shared include or use --seed/--replications/--days)",
            runs[i].sc.file, runs[0].sc.file));
    }
    telsim::RunOptions opt;
    opt.jobs = a->jobs;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (!replay.replays.empty()) opt.replay = &replay.replays[i].calls;
      telsim::cli::ProgressBar bar;  // one bar per network
      opt.on_progress = bar.reporter();
      runs[i].reps = telsim::run_replications(runs[i].sc, opt);
    }
    std::string text;
    if (a->format == "json") text = telsim::compare_json(runs).dump(2) + "\n";
    else if (a->format == "csv") text = telsim::compare_csv(runs);
    else text = telsim::compare_table(runs);
    telsim::cli::emit(text, a->out);
  });
}
