// telsim sim run|compare: the loss simulator.
#include <fmt/format.h>

#include "core/base/file_check.h"
#include "core/base/timestamp.h"
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
#include "tools/output.h"
#include "tools/progress.h"
#include "tools/contract.h"

namespace {

using json = nlohmann::ordered_json;

struct SimArgs {
  std::vector<std::string> scenarios;
  std::vector<std::string> sets;
  int replications = 0;
  long long seed = -1;
  double days = 0;
  int jobs = 0;
  std::string format, out;
  telsim::cli::GateOptions gates;
  bool allow_different_traffic = false;
  // Replaying a CDR instead of generated traffic; the options are spelled as
  // in `cdr stats`.
  std::vector<std::string> cdr_files;
  std::string cdr_input = "auto", cdr_mapping, tz, region = "RU", registry, date_format;
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
  for (auto& f : a.cdr_files) telsim::refuse_folder(f, "--traffic-from-cdr", "a CDR file");
  telsim::refuse_folder(a.cdr_mapping, "--mapping", "a mapping file");
  telsim::refuse_folder(a.registry, "--registry", "a numbering registry file");
  if (!a.date_format.empty()) {
    try {
      telsim::TimeFormat check(a.date_format);
    } catch (const telsim::InputError& e) {
      throw telsim::InputError(fmt::format("--date-format: {}", e.what()));
    }
  }
  telsim::CdrReadOptions opts;
  telsim::parse_cdr_format(a.cdr_input, &opts.format);
  if (!a.cdr_mapping.empty()) {
    h.mapping = std::make_unique<telsim::CdrMapping>(telsim::CdrMapping::load(a.cdr_mapping));
    opts.mapping = h.mapping.get();
    if (opts.format == telsim::CdrFormat::kAuto) opts.format = telsim::CdrFormat::kMapped;
  }
  if (opts.format == telsim::CdrFormat::kMapped && !opts.mapping)
    throw telsim::InputError("--input mapped needs --mapping FILE");
  opts.tz = a.tz;
  opts.region = a.region;
  opts.date_format = a.date_format;
  opts.strict = a.strict;
  if (!a.registry.empty()) h.numbering = std::make_unique<telsim::Numbering>(telsim::Numbering::load(a.registry));
  for (telsim::Scenario* sc : scenarios) {
    h.replays.push_back(telsim::load_replay(*sc, a.cdr_files, opts, h.numbering.get(), stderr));
    sc->sim.days = h.replays.back().days;
    sc->sim.warmup_days = 0;
  }
}

/// One `--set`: `[NETWORK:]KEY=VALUE`, NETWORK a network's name, letter or position.
struct Set {
  std::string target, key, value, text;
};

std::vector<Set> parse_sets(const SimArgs& a) {
  std::vector<Set> out;
  for (auto& s : a.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw telsim::InputError(fmt::format("--set '{}': expected KEY=VALUE or NETWORK:KEY=VALUE", s));
    Set x;
    x.text = s;
    x.key = s.substr(0, eq);
    x.value = s.substr(eq + 1);
    auto colon = x.key.find(':');
    if (colon != std::string::npos) {
      x.target = x.key.substr(0, colon);
      x.key = x.key.substr(colon + 1);
      if (x.target.empty() || x.key.empty())
        throw telsim::InputError(fmt::format("--set '{}': expected NETWORK:KEY=VALUE", s));
    }
    out.push_back(x);
  }
  return out;
}

// The shortcut options are overrides like any other, applied last.
telsim::Overrides shortcuts(const SimArgs& a) {
  telsim::Overrides o;
  if (a.replications > 0) o.emplace_back("simulation.replications", std::to_string(a.replications));
  if (a.seed >= 0) o.emplace_back("simulation.seed", std::to_string(a.seed));
  // != 0, not > 0: a NaN must reach the scenario check, not be taken for "not given".
  if (a.days != 0) o.emplace_back("simulation.days", fmt::format("{:.17g}", a.days));
  return o;
}

// Does `target` (a name, a letter A.., a position 1..) designate network i?
bool designates(const std::string& target, size_t i, const std::string& name) {
  return target == name || target == std::string(1, char('A' + i)) || target == std::to_string(i + 1);
}

// Loads every network with the `--set`s meant for it. An untargeted key
// missing from one network only is named with the file it is missing from.
std::vector<telsim::Scenario> load_networks(const SimArgs& a) {
  std::vector<Set> sets = parse_sets(a);
  telsim::Overrides common;
  for (auto& s : sets)
    if (s.target.empty()) common.emplace_back(s.key, s.value);
  auto load = [&](size_t i, const telsim::Overrides& o) {
    try {
      return telsim::load_scenario(a.scenarios[i], o);
    } catch (const telsim::InputError&) {
      for (auto& s : sets) {
        if (!s.target.empty() || telsim::scenario_has_key(a.scenarios[i], s.key)) continue;
        for (size_t k = 0; k < a.scenarios.size(); ++k)
          if (k != i && telsim::scenario_has_key(a.scenarios[k], s.key))
            throw telsim::InputError(fmt::format(
                "--set {}: {} has no key {} ({} has it); to set it in some networks only, write "
                "--set NETWORK:{}={} with NETWORK a name or a letter",
                s.text, a.scenarios[i], s.key, a.scenarios[k], s.key, s.value));
      }
      throw;
    }
  };
  // Names first (a targeted --set may name a network), then the final load.
  std::vector<telsim::Scenario> first;
  for (size_t i = 0; i < a.scenarios.size(); ++i) first.push_back(load(i, common));
  for (auto& s : sets) {
    if (s.target.empty()) continue;
    bool found = false;
    for (size_t i = 0; i < first.size(); ++i) found = found || designates(s.target, i, first[i].name);
    if (!found) {
      std::string names;
      for (size_t i = 0; i < first.size(); ++i) names += fmt::format("{}{} or {}", i ? ", " : "", char('A' + i), first[i].name);
      throw telsim::InputError(fmt::format("--set {}: no network '{}' (networks: {})", s.text, s.target, names));
    }
  }
  std::vector<telsim::Scenario> out;
  for (size_t i = 0; i < first.size(); ++i) {
    telsim::Overrides o;
    for (auto& s : sets)
      if (s.target.empty() || designates(s.target, i, first[i].name)) o.emplace_back(s.key, s.value);
    for (auto& x : shortcuts(a)) o.push_back(x);
    out.push_back(load(i, o));
  }
  return out;
}

// The `inputs` of a document: every file read with its SHA-256, the
// overrides as given, and the CDR options when replaying.
json inputs_json(const SimArgs& a, const std::vector<const telsim::Scenario*>& scs) {
  json in;
  json files = json::array();
  for (auto* sc : scs)
    for (size_t k = 0; k < sc->files.size(); ++k)
      files.push_back(telsim::cli::input_file(sc->files[k], k == 0 ? "scenario" : "include"));
  for (auto& f : a.cdr_files) files.push_back(telsim::cli::input_file(f, "cdr"));
  if (!a.cdr_mapping.empty()) files.push_back(telsim::cli::input_file(a.cdr_mapping, "mapping"));
  if (!a.registry.empty()) files.push_back(telsim::cli::input_file(a.registry, "registry"));
  in["files"] = files;
  json sets = json::array();
  for (auto& s : a.sets) sets.push_back(s);
  for (auto& [k, v] : shortcuts(a)) sets.push_back(k + "=" + v);
  in["overrides"] = sets;
  if (!a.cdr_files.empty())
  {
    in["traffic_from_cdr"] = json{{"input", a.cdr_input}, {"tz", a.tz}, {"region", a.region}, {"strict", a.strict}};
    if (!a.date_format.empty()) in["traffic_from_cdr"]["date_format"] = a.date_format;
  }
  else
    in["traffic_from_cdr"] = nullptr;
  return in;
}

void add_common(CLI::App& cmd, SimArgs& a) {
  cmd.add_option("--set", a.sets,
                 "Override a scenario key by its dotted path: --set interconnects.t1-t2.channels=60; "
                 "in sim compare, NETWORK: before the key sets it in one network only (its name or letter)")
      ->type_name("[NETWORK:]KEY=VALUE")
      ->allow_extra_args(false);  // one value per --set: never swallow SCENARIO
  cmd.add_option("--replications", a.replications, "Independent replications (each in its own process)")
      ->check(telsim::cli::within(1, 100000, true));
  cmd.add_option("--seed", a.seed, "Seed of all random streams")->check(telsim::cli::non_negative(true));
  cmd.add_option("--days", a.days, "Simulated days after warm-up")->check(telsim::cli::positive());
  cmd.add_option("--jobs", a.jobs, "Parallel processes (default: number of cores); does not change results")
      ->check(telsim::cli::within(1, 1024, true));
  telsim::cli::add_format(cmd, a.format);
  telsim::out::add_out_option(cmd, a.out, "Write the output to FILE instead of stdout (atomically)");
  telsim::cli::add_gate_options(cmd, a.gates);
  auto* cdr = cmd.add_option("--traffic-from-cdr", a.cdr_files,
                             "Replay the calls of these CDR files (arrival times, called numbers, holding times) "
                             "instead of generated traffic (repeat for several files)")
                  ->allow_extra_args(false);
  const auto formats = CLI::IsMember({"auto", "asterisk", "freeswitch", "mapped"});
  cmd.add_option("--input", a.cdr_input, "CDR format: auto, asterisk, freeswitch, mapped (as in cdr stats)")
      ->check(formats)
      ->needs(cdr);
  cmd.add_option("--mapping", a.cdr_mapping, "TOML column mapping for a CDR with a header row")->needs(cdr);
  cmd.add_option("--tz", a.tz, "Time zone of the CDR times (UTC, +03:00, Europe/Moscow)")->needs(cdr);
  cmd.add_option("--region", a.region, "Region for CDR numbers without a country code (default RU)")->needs(cdr);
  cmd.add_option("--date-format", a.date_format,
                 "Layout of the CDR times, as in cdr stats (\"%Y/%m/%d %H:%M\" reads 2020/2/10 22:41)")
      ->needs(cdr);
  cmd.add_option("--registry", a.registry,
                 "Numbering registry (telsim numbering import) to find callers' and callees' operators")
      ->needs(cdr);
  cmd.add_flag("--strict", a.strict, "Stop at the first bad CDR row or unmatched call (exit 2)")->needs(cdr);
  // The spellings before the options were aligned with cdr stats.
  cmd.add_option("--cdr-input", a.cdr_input)->check(formats)->needs(cdr)->group("");
  cmd.add_option("--cdr-mapping", a.cdr_mapping)->needs(cdr)->group("");
  cmd.add_option("--numbering", a.registry)->needs(cdr)->group("");
}

std::string render(const std::string& format, const json& doc, const std::string& csv, const std::string& table) {
  if (format == "json") return doc.dump(2) + "\n";
  return format == "csv" ? csv : table;
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
    telsim::Scenario sc = std::move(load_networks(*a).at(0));
    std::vector<telsim::gates::Gate> scenario_gates;
    for (auto& g : sc.gates) scenario_gates.push_back(telsim::gates::parse(g, sc.file + ": [gates] fail_if"));
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
    json doc = telsim::cli::document("telsim.sim-run/2");
    doc["inputs"] = inputs_json(*a, {&sc});
    telsim::cli::append(doc, telsim::run_json(sc, reps));
    // --detail and --series: JSON network.interconnects / network.nodes and
    // series.NAME (so gates can reach them); otherwise blocks after the rest.
    std::string blocks;
    for (auto& d : a->detail) {
      bool ics = d == "interconnects";
      doc["network"][d] = ics ? telsim::interconnects_json(sc, reps) : telsim::nodes_json(sc, reps);
      if (a->format == "csv") blocks += "\n" + (ics ? telsim::interconnects_csv(sc, reps) : telsim::nodes_csv(sc, reps));
      else blocks += "\n" + (ics ? telsim::interconnects_table(sc, reps) : telsim::nodes_table(sc, reps));
    }
    for (auto& name : a->series) {
      auto k = name == "day" ? telsim::SeriesKind::kDay : telsim::SeriesKind::kHourOfDay;
      doc["series"][name] = telsim::series_json(reps, k);
      blocks += "\n" + (a->format == "csv" ? telsim::series_csv(reps, k) : telsim::series_table(reps, k));
    }
    auto results = telsim::cli::run_gates(a->gates, scenario_gates, doc, "telsim sim run " + sc.name);
    std::string text = a->format == "json" ? render("json", doc, "", "")
                       : a->format == "csv" ? telsim::run_csv(sc, reps) + blocks
                                            : telsim::run_table(sc, reps) + blocks;
    telsim::cli::emit(text, a->out);
    telsim::cli::finish_gates(results);
  });

  auto* cmp = app.add_subcommand(
      "compare",
      "Same traffic through several networks: telsim sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml");
  cmp->add_option("SCENARIOS", a->scenarios, "Two or more scenario files; the first is the baseline")
      ->required()
      ->expected(2, 64);
  add_common(*cmp, *a);
  cmp->add_flag("--allow-different-traffic", a->allow_different_traffic,
                "Compare networks even when their traffic (streams, calls per day, profiles, holding, callee, "
                "redial) differs: the differences then mix network and traffic effects");
  cmp->callback([a] {
    std::vector<telsim::Compared> runs;
    for (auto& sc : load_networks(*a)) runs.push_back({std::move(sc), {}});
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
      // A replayed CDR is the same traffic for every network by construction.
      std::string why = a->cdr_files.empty() ? telsim::traffic_difference(runs[0].sc, runs[i].sc) : "";
      if (!why.empty() && !a->allow_different_traffic)
        throw telsim::InputError(fmt::format(
            "{} and {} are not fed the same traffic, so their difference would not be the networks' alone: {} "
            "(--allow-different-traffic compares them anyway)",
            runs[0].sc.file, runs[i].sc.file, why));
    }
    telsim::RunOptions opt;
    opt.jobs = a->jobs;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (!replay.replays.empty()) opt.replay = &replay.replays[i].calls;
      telsim::cli::ProgressBar bar;  // one bar per network
      opt.on_progress = bar.reporter();
      runs[i].reps = telsim::run_replications(runs[i].sc, opt);
    }
    json doc = telsim::cli::document("telsim.sim-compare/2");
    std::vector<const telsim::Scenario*> all;
    for (auto& r : runs) all.push_back(&r.sc);
    doc["inputs"] = inputs_json(*a, all);
    telsim::cli::append(doc, telsim::compare_json(runs));
    auto results = telsim::cli::run_gates(a->gates, {}, doc, "telsim sim compare");
    std::string text = a->format == "json" ? render("json", doc, "", "")
                       : a->format == "csv" ? telsim::compare_csv(runs)
                                            : telsim::compare_table(runs);
    telsim::cli::emit(text, a->out);
    telsim::cli::finish_gates(results);
  });
}
