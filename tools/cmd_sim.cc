// telsim sim run|compare: the loss simulator.
#include <fmt/format.h>

#include <cstdio>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <tuple>
#include <type_traits>

#include <unistd.h>

#include "core/base/file_check.h"
#include "core/base/quote.h"
#include "core/base/timestamp.h"
#include "core/base/error.h"
#include "core/net/scenario.h"
#include "core/cdr/cdr_mapped.h"
#include "core/cdr/cdr_outcome.h"
#include "core/cdr/numbering.h"
#include "sim/cdr_writer.h"
#include "sim/economics.h"
#include "sim/replay.h"
#include "sim/report.h"
#include "sim/simulator.h"
#include "sim/series_report.h"
#include "sim/trunk_report.h"
#include "core/base/table.h"
#include "tools/cli.h"
#include "tools/output.h"
#include "tools/progress.h"
#include "tools/contract.h"
#include "tools/economics_options.h"
#include "tools/gate_paths.h"
#include "tools/sweep_plan.h"
#include "tools/uncertain.h"

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
  // sim run --cdr-out: one replication's attempts as an Asterisk Master.csv.
  std::string cdr_out, cdr_epoch;
  int cdr_replication = 0;
  std::vector<std::string> vary;    // sim sweep --vary [NETWORK:]KEY=VALUES
  bool zip = false;                 // sim sweep --zip
  std::string shard;                // sim sweep --shard K/N
  std::vector<std::string> parts;   // sim merge PARTS
  std::vector<std::string> uncertain;  // sim compare --uncertain KEYS=LOW:HIGH
  telsim::cli::EconomicsOptions economics;  // sim run/compare: money per month
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
  // Every network reads the same files: their bad rows and warnings are
  // reported once, by the first read (what each network cannot place in its
  // streams is its own, and is still reported for each).
  for (telsim::Scenario* sc : scenarios) {
    telsim::CdrReadOptions o = opts;
    if (!h.replays.empty()) o.diagnostics = nullptr;  // the reader then reports nothing
    h.replays.push_back(telsim::load_replay(*sc, a.cdr_files, o, h.numbering.get(), stderr));
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
      throw telsim::InputError(
          fmt::format("--set {}: expected KEY=VALUE or NETWORK:KEY=VALUE", telsim::quote_field(s)));
    Set x;
    x.text = s;
    x.key = s.substr(0, eq);
    x.value = s.substr(eq + 1);
    auto colon = x.key.find(':');
    if (colon != std::string::npos) {
      x.target = x.key.substr(0, colon);
      x.key = x.key.substr(colon + 1);
      if (x.target.empty() || x.key.empty())
        throw telsim::InputError(fmt::format("--set {}: expected NETWORK:KEY=VALUE", telsim::quote_field(s)));
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
  // "{}": the shortest text that reads back as the same number (0.2, not
  // 0.20000000000000001), as the user wrote it.
  if (a.days != 0) o.emplace_back("simulation.days", fmt::format("{}", a.days));
  return o;
}

// core/ names a value an override set by its source, "FILE: override
// KEY=VALUE"; the user gave it as an option: --set [NETWORK:]KEY=VALUE,
// or a shortcut (--days VALUE).
telsim::InputError name_override_option(const telsim::InputError& e, const SimArgs& a, const std::vector<Set>& sets) {
  std::string msg = e.what();
  size_t at = msg.find(": override ");
  if (at == std::string::npos) return e;
  const size_t start = at + 11;
  // KEY=VALUE as core shows it: up to the next ": ", or longer when a value
  // given holds ": " itself (the longest one that matches wins).
  size_t end = msg.find(": ", start);
  if (end == std::string::npos) return e;
  std::string option;
  auto match = [&](const std::string& given, const std::string& as) {
    if (msg.compare(start, given.size() + 2, given + ": ") == 0 && start + given.size() >= end) {
      end = start + given.size();
      option = as;
    }
  };
  for (auto& s : sets) match(s.key + "=" + s.value, "--set " + s.text);
  const std::pair<const char*, const char*> kShortcuts[] = {
      {"simulation.replications", "--replications"}, {"simulation.seed", "--seed"}, {"simulation.days", "--days"}};
  for (auto& [k, v] : shortcuts(a))
    for (auto& [key, name] : kShortcuts)
      if (k == key) match(k + "=" + v, std::string(name) + " " + v);
  if (option.empty()) option = "--set " + msg.substr(start, end - start);
  return telsim::InputError(msg.substr(0, at + 2) + option + msg.substr(end), e.topic(), e.subject());
}

// Does `target` (a name, a letter A.., a position 1..) designate network i?
bool designates(const std::string& target, size_t i, const std::string& name) {
  return target == name || target == std::string(1, char('A' + i)) || target == std::to_string(i + 1);
}

// "A or transit, B or direct": the ways NETWORK: may designate each network.
std::string network_names(const std::vector<telsim::Scenario>& nets) {
  std::string names;
  for (size_t i = 0; i < nets.size(); ++i) names += fmt::format("{}{} or {}", i ? ", " : "", char('A' + i), nets[i].name);
  return names;
}

// Refuses a NETWORK: that designates no network, or more than one: a name
// several networks share (a file compared with itself under a change), or a
// name that is also another network's letter or position (files named B.toml
// and A.toml). The change would go to all of them, and the comparison would
// show no difference. `what` is the option as the user wrote it
// ("--set B:KEY=VALUE").
void check_target(const std::string& what, const std::string& target, const std::vector<telsim::Scenario>& nets) {
  std::vector<std::string> hit;
  for (size_t i = 0; i < nets.size(); ++i)
    if (designates(target, i, nets[i].name)) hit.push_back(std::string(1, char('A' + i)));
  std::string shown = telsim::quote_field(target);
  if (hit.empty())
    throw telsim::InputError(
        fmt::format("{}: no network {} (networks: {})", telsim::cut_field(what), shown, network_names(nets)));
  if (hit.size() > 1)
    throw telsim::InputError(fmt::format(
        "{}: {} designates networks {} (by name, letter or position): use a designation of one network only "
        "(networks: {}; or 1, 2, ... by position)",
        telsim::cut_field(what), shown, telsim::cli::join_list(hit), network_names(nets)));
}

// Loads every network with the `--set`s meant for it. An untargeted key
// missing from one network only is named with the file it is missing from.
std::vector<telsim::Scenario> load_networks(const SimArgs& a) {
  telsim::cli::check_network_count(a.scenarios.size());
  std::vector<Set> sets = parse_sets(a);
  telsim::Overrides common;
  for (auto& s : sets)
    if (s.target.empty()) common.emplace_back(s.key, s.value);
  auto load = [&](size_t i, const telsim::Overrides& o) {
    try {
      return telsim::load_scenario(a.scenarios[i], o);
    } catch (const telsim::InputError& e) {
      for (auto& s : sets) {
        if (!s.target.empty() || telsim::scenario_has_key(a.scenarios[i], s.key)) continue;
        for (size_t k = 0; k < a.scenarios.size(); ++k)
          if (k != i && telsim::scenario_has_key(a.scenarios[k], s.key))
            throw telsim::InputError(fmt::format(
                "--set {}: {} has no key {} ({} has it); to set it in some networks only, write "
                "--set NETWORK:{}={} with NETWORK a name or a letter",
                s.text, a.scenarios[i], s.key, a.scenarios[k], s.key, s.value));
      }
      throw name_override_option(e, a, sets);
    }
  };
  // Names first (a targeted --set may name a network), then the final load.
  std::vector<telsim::Scenario> first;
  for (size_t i = 0; i < a.scenarios.size(); ++i) first.push_back(load(i, common));
  for (auto& s : sets)
    if (!s.target.empty()) check_target("--set " + s.text, s.target, first);
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

// What is most likely a mistake in a scenario though the run can go on,
// said on stderr: a scheduled outage the run cannot see (hours counted from
// the measured start, or a run shortened with --days; outage hours count from
// the start of the warm-up), a route no stream takes. Each is warned about
// once, at the first network or sweep point where it shows (a file compared
// with itself, or a sweep over days, would repeat it).
class ScenarioWarnings {
 public:
  void check(const telsim::Scenario& sc) {
    const double warmup_end = sc.sim.warmup_days * 86400, end = warmup_end + sc.sim.days * 86400;
    auto h = [](double seconds) { return fmt::format("{:g}", seconds / 3600); };
    for (auto& ic : sc.interconnects)
      for (size_t k = 0; k < ic.incidents.schedule.size(); ++k) {
        const telsim::Outage& o = ic.incidents.schedule[k];
        std::string where = fmt::format("telsim: {}: interconnects.{}.outages: outage {} (start_hours = {})", sc.file,
                                        ic.name, k + 1, h(o.start));
        std::string why;
        if (o.start >= end)
          why = fmt::format("starts after the run ends at hour {}: it does not happen in this run", h(end));
        else if (o.start + o.duration <= warmup_end)
          why = fmt::format("ends at hour {}, within the warm-up (hours 0 to {} are not measured): the figures do not "
                            "see it", h(o.start + o.duration), h(warmup_end));
        if (!why.empty() && told_.insert(where).second) telsim::cli::warn(fmt::format("{}: {}\n", where, why));
      }
    // A route no stream takes carries nothing (replayed CDR calls go through
    // streams too): most likely a prefix written in another form than the
    // streams' ("88001" for "+7800").
    for (size_t r = 0; r < sc.routes.size(); ++r) {
      const telsim::Route& route = sc.routes[r];
      bool taken = false, same_ends = false;
      for (auto& s : sc.streams) {
        taken = taken || s.route == static_cast<int>(r);
        same_ends = same_ends || (s.from == route.from && s.to == route.to);
      }
      std::string where = fmt::format("telsim: {}: routes.{}", sc.file, route.name);
      if (taken || !told_.insert(where).second) continue;
      if (!same_ends)
        telsim::cli::warn(fmt::format("{}: no stream goes from {} to {}, so this route carries nothing\n", where, route.from, route.to));
      else
        telsim::cli::warn(
            fmt::format("{}: no stream takes this route, so it carries nothing (a stream from {} to {} takes the route "
                        "whose prefix is the longest that starts the stream's own prefix, compared as text: {})\n",
                        where, route.from, route.to,
                        route.prefix.empty()
                            ? "a route without a prefix takes the rest"
                            : fmt::format("does a stream's prefix start with {}?", telsim::quote_field(route.prefix))));
    }
  }

 private:
  std::set<std::string> told_;
};

// Common random numbers: every network runs with the baseline's seed and
// replication count, so replication i sees the same callers everywhere; and
// they must be fed the same traffic (unless --allow-different-traffic).
void check_comparable(const SimArgs& a, const std::vector<telsim::Scenario*>& nets) {
  for (size_t i = 1; i < nets.size(); ++i) {
    const telsim::Scenario &base = *nets[0], &sc = *nets[i];
    // Which settings differ, each with the option that sets it for every network.
    std::vector<std::string> keys, options;
    auto differs = [&](bool d, const char* key, const char* option) {
      if (d) keys.push_back(key), options.push_back(option);
    };
    differs(sc.sim.seed != base.sim.seed, "seed", "--seed");
    differs(sc.sim.replications != base.sim.replications, "replications", "--replications");
    differs(sc.sim.days != base.sim.days, "days", "--days");
    differs(sc.sim.warmup_days != base.sim.warmup_days, "warmup_days", "--set simulation.warmup_days=...");
    if (!keys.empty())
      throw telsim::InputError(fmt::format(
          "{}: [simulation] differs from {} in {}, which must match for a fair comparison: put [simulation] in a "
          "shared include, or give {} for all networks",
          sc.file, base.file, telsim::cli::join_list(keys), telsim::cli::join_list(options)));
    // A replayed CDR is the same traffic for every network by construction.
    std::string why = a.cdr_files.empty() ? telsim::traffic_difference(base, sc) : "";
    if (!why.empty() && !a.allow_different_traffic)
      throw telsim::InputError(fmt::format(
          "{} and {} are not fed the same traffic, so their difference would not be the networks' alone: {} "
          "(--allow-different-traffic compares them anyway)",
          base.file, sc.file, why));
  }
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
  cmd.add_option("--jobs", a.jobs, "Parallel processes (default: the CPUs this process may use); does not change results")
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

// Loads the networks of `sim compare`, checks that they can be compared
// (same [simulation], same traffic) and runs them on common random numbers.
// `before_run`, when given, is called on the loaded networks before they run.
std::vector<telsim::Compared> run_compare(
    const SimArgs& args, const std::function<void(const std::vector<const telsim::Scenario*>&)>& before_run = nullptr) {
  const SimArgs* a = &args;
  std::vector<telsim::Compared> runs;
  for (auto& sc : load_networks(*a)) runs.push_back({std::move(sc), {}});
  ReplayHolder replay;
  std::vector<telsim::Scenario*> scs;
  for (auto& r : runs) scs.push_back(&r.sc);
  prepare_replay(*a, replay, scs);
  check_comparable(*a, scs);
  if (before_run) before_run(std::vector<const telsim::Scenario*>(scs.begin(), scs.end()));
  ScenarioWarnings warnings;
  for (auto* sc : scs) warnings.check(*sc);
  telsim::RunOptions opt;
  opt.jobs = a->jobs > 0 ? a->jobs : telsim::sweep::available_cpus();
  for (size_t i = 0; i < runs.size(); ++i) {
    if (!replay.replays.empty()) opt.replay = &replay.replays[i].calls;
    telsim::cli::ProgressBar bar;  // one bar per network
    opt.on_progress = bar.reporter();
    runs[i].reps = telsim::run_replications(runs[i].sc, opt);
  }
  return runs;
}

// ---- sim sweep and sim merge -------------------------------------------------

/// One work unit of a study: a replication of one network at one point.
struct StudyUnit {
  size_t point;
  size_t network;  // 0 but in a comparison sweep
  int replication;
};

/// A study: the points of a sweep, each with its networks (the one scenario,
/// or the networks a comparison sweep compares) loaded with the point's
/// --vary values after the --sets, and the work units in the order they are
/// numbered: point-major, then network, then replication.
struct Study {
  std::vector<telsim::sweep::Vary> vary;
  std::vector<telsim::sweep::Point> points;
  std::vector<std::vector<telsim::Scenario>> networks;  // [point][network]
  std::vector<StudyUnit> units;
  bool comparing() const { return networks.at(0).size() > 1; }
  std::vector<const telsim::Scenario*> at(size_t point) const {
    std::vector<const telsim::Scenario*> out;
    for (auto& sc : networks.at(point)) out.push_back(&sc);
    return out;
  }
};

// A --vary's key split into the network it targets (empty: every network) and the key.
std::pair<std::string, std::string> split_target(const std::string& key) {
  auto colon = key.find(':');
  if (colon == std::string::npos) return {"", key};
  return {key.substr(0, colon), key.substr(colon + 1)};
}

std::string point_label(const telsim::sweep::Point& p) {
  std::string s;
  for (auto& [k, v] : p) s += (s.empty() ? "" : ", ") + k + "=" + v;
  return s.empty() ? "the scenario as it is" : s;
}

Study plan_study(const SimArgs& a) {
  Study st;
  for (auto& v : a.vary) st.vary.push_back(telsim::sweep::parse_vary(v));
  // A --vary for one network must designate one (by name, letter or
  // position, as --set NETWORK:): checked once, before any point is loaded.
  bool targeted = false;
  for (auto& v : st.vary) {
    auto [target, key] = split_target(v.key);
    if (v.key.find(':') != std::string::npos && (target.empty() || key.empty()))
      throw telsim::InputError(fmt::format("--vary {}: expected [NETWORK:]KEY=VALUES", telsim::quote_field(v.text)));
    targeted = targeted || !target.empty();
  }
  // An untargeted key that some networks lack: say how to vary it in the others.
  for (auto& v : st.vary) {
    if (a.scenarios.size() < 2 || v.key.find(':') != std::string::npos) continue;
    for (size_t i = 0; i < a.scenarios.size(); ++i) {
      if (telsim::scenario_has_key(a.scenarios[i], v.key)) continue;
      for (size_t k = 0; k < a.scenarios.size(); ++k)
        if (telsim::scenario_has_key(a.scenarios[k], v.key))
          throw telsim::InputError(
              fmt::format("--vary {}: {} has no key {} ({} has it); to vary it in some networks only, write --vary "
                          "NETWORK:{} with NETWORK a name or a letter",
                          telsim::quote_field(v.text), a.scenarios[i], v.key, a.scenarios[k],
                          v.text.size() <= telsim::kQuotedFieldMax ? v.text : v.key + "=..."));
    }
  }
  if (targeted) {
    std::vector<telsim::Scenario> nets = load_networks(a);
    for (auto& v : st.vary) {
      std::string target = split_target(v.key).first;
      if (!target.empty()) check_target("--vary '" + v.text + "'", target, nets);
    }
  }
  st.points = telsim::sweep::points(st.vary, a.zip);
  for (auto& p : st.points) {
    SimArgs at = a;
    for (auto& [k, v] : p) at.sets.push_back(k + "=" + v);
    try {
      st.networks.push_back(load_networks(at));
    } catch (const telsim::InputError& e) {
      // core/ names a bad override by its key ("KEY: ..."); tools/ would say
      // --set, but a varied key is --vary's.
      std::string msg = e.what();
      if (e.topic() == telsim::Topic::kOverride)
        for (auto& v : st.vary) {
          std::string key = split_target(v.key).second;
          if (msg.rfind(key + ":", 0) == 0)
            throw telsim::InputError(fmt::format("--vary {} (at {}){}", telsim::quote_field(v.text),
                                                 telsim::cut_field(point_label(p)), msg.substr(key.size())));
        }
      msg = telsim::cli::with_option(e);
      for (auto& [k, v] : p)  // a point's value came from --vary, not --set
        if (size_t at = msg.find("--set " + k + "=" + v); at != std::string::npos) msg.replace(at, 5, "--vary");
      for (auto& v : st.vary)
        if (msg.find(split_target(v.key).second) != std::string::npos)
          throw telsim::InputError(fmt::format("{} (set by --vary {} at {})", msg, telsim::quote_field(v.text),
                                               telsim::cut_field(point_label(p))));
      throw;
    }
    std::vector<telsim::Scenario*> nets;
    for (auto& sc : st.networks.back()) nets.push_back(&sc);
    try {
      check_comparable(a, nets);
    } catch (const telsim::InputError& e) {
      if (p.empty()) throw;
      throw telsim::InputError(fmt::format("at {}: {}", telsim::cut_field(point_label(p)), e.what()));
    }
  }
  // Prices that do not fit together stop the study before it runs, when
  // write_sweep will price its points (JSON or gates; not a table or CSV).
  bool priced = a.format == "json" || !a.gates.fail_if.empty();
  for (auto& nets : st.networks)
    for (auto& sc : nets) priced = priced || !sc.gates.empty();
  for (size_t p = 0; priced && p < st.networks.size(); ++p) {
    try {
      telsim::cli::resolve_economics(a.economics, st.at(p));
    } catch (const telsim::InputError& e) {
      if (st.points[p].empty()) throw;
      throw telsim::InputError(fmt::format("at {}: {}", point_label(st.points[p]), e.what()));
    }
  }
  for (size_t p = 0; p < st.networks.size(); ++p)
    for (size_t n = 0; n < st.networks[p].size(); ++n)
      for (int r = 0; r < st.networks[p][n].sim.replications; ++r) st.units.push_back({p, n, r});
  return st;
}

// What identifies a study in a partial result file: every argument that
// changes a result, and the digests of the files read.
json study_json(const SimArgs& a, const Study& st) {
  json j;
  j["telsim_version"] = telsim::cli::version();
  j["scenario"] = a.scenarios.at(0);
  if (st.comparing()) j["scenarios"] = a.scenarios;
  j["inputs"] = inputs_json(a, st.at(0));
  j["sets"] = a.sets;
  j["vary"] = a.vary;
  j["zip"] = a.zip;
  if (st.comparing()) j["allow_different_traffic"] = a.allow_different_traffic;
  j["replications"] = a.replications;
  j["seed"] = a.seed;
  j["days"] = a.days;
  j["units"] = st.units.size();
  return j;
}

// A parameter value as JSON: a number when it reads as one.
json value_json(const std::string& v) {
  if (!v.empty() && v.find_first_not_of("0123456789-") == std::string::npos && v.size() < 18)
    return json(std::stoll(v));
  double x;
  if (telsim::cli::parse_number(v, false, &x).empty()) return json(x);
  return json(v);
}

// Parts of a run's or comparison's output that these options and scenarios
// will not write, for the gates' check before the run (tools/gate_paths.h).
std::vector<telsim::gates::Absent> absent_parts(const SimArgs& a, const std::vector<const telsim::Scenario*>& nets,
                                                const std::string& command) {
  std::vector<telsim::gates::Absent> absent;
  const std::string in = "is in the output of " + command + " ";
  if (!telsim::cli::resolve_economics(a.economics, nets))
    absent.push_back({"economics", in + "only with --call-value VALUE, --economics or an [economics] table in " +
                                       (nets.size() == 1 ? "the scenario" : "a scenario")});
  // Why a network's output has no funnel; empty when it has one.
  auto no_funnel = [&](const telsim::Scenario& sc) -> std::string {
    if (sc.sources.empty()) return in + "only for a scenario with traffic sources ([sources.NAME])";
    if (!a.cdr_files.empty())
      return "is not in the output of " + command + " with --traffic-from-cdr (the funnel follows the visitors of "
             "generated traffic)";
    return "";
  };
  if (nets.size() == 1) {
    if (std::string why = no_funnel(*nets[0]); !why.empty()) absent.push_back({"funnel", why});
    return absent;
  }
  // Networks and differences past the last (in the figures and in the money).
  for (std::string at : {"", "economics."}) {
    absent.push_back({fmt::format("{}networks.#{}", at, nets.size()),
                      fmt::format("is not in the output of {}: it compares {} networks, {}networks.0 to {}networks.{}",
                                  command, nets.size(), at, at, nets.size() - 1)});
    absent.push_back({fmt::format("{}differences.#{}", at, nets.size() - 1),
                      fmt::format("is not in the output of {}: it has {} difference{} to the first network, "
                                  "{}differences.0{}",
                                  command, nets.size() - 1, nets.size() == 2 ? "" : "s", at,
                                  nets.size() == 2 ? "" : fmt::format(" to {}differences.{}", at, nets.size() - 2))});
  }
  // A network's funnel, and the differences' when every network has one, over the same sources.
  bool all = true, none = true;
  for (size_t i = 0; i < nets.size(); ++i) {
    bool has = no_funnel(*nets[i]).empty();
    all = all && has && nets[i]->sources.size() == nets[0]->sources.size();
    none = none && !has;
    for (size_t k = 0; all && k < nets[i]->sources.size(); ++k) all = nets[i]->sources[k].name == nets[0]->sources[k].name;
  }
  for (size_t i = 0; i < nets.size(); ++i)
    if (std::string why = no_funnel(*nets[i]); !why.empty())
      absent.push_back({none ? "networks.*.funnel" : fmt::format("networks.{}.funnel", i), why});
  if (!all)
    for (const char* at : {"differences.*.funnel", "differences.funnel"})
      absent.push_back({at, in + "only when every network has a funnel, over the same traffic sources"});
  return absent;
}

// A run's gates, the command line's and the scenario's, checked against the
// output's schema and options before the run (tools/gate_paths.h).
void check_run_gates(const SimArgs& a, const telsim::Scenario& sc, const std::vector<telsim::gates::Gate>& own) {
  std::vector<telsim::gates::Gate> gs = telsim::gates::parse_all(a.gates.fail_if, "--fail-if");
  gs.insert(gs.begin(), own.begin(), own.end());
  if (gs.empty()) return;
  std::vector<telsim::gates::Absent> absent = absent_parts(a, {&sc}, "sim run");
  for (std::string d : {"interconnects", "nodes"})
    if (std::find(a.detail.begin(), a.detail.end(), d) == a.detail.end())
      absent.push_back({"network." + d, "is in the output of sim run only with --detail " + d});
  for (std::string s : {"hour-of-day", "day"})
    if (std::find(a.series.begin(), a.series.end(), s) == a.series.end())
      absent.push_back({"series." + s, "is in the output of sim run only with --series " + s});
  telsim::gates::check_paths(gs, telsim::gates::Reads::kSimRun, absent);
}

// A scenario's [gates], each named with the file and line it was written on.
std::vector<telsim::gates::Gate> scenario_gates(const telsim::Scenario& sc) {
  std::vector<telsim::gates::Gate> gs;
  for (size_t i = 0; i < sc.gates.size(); ++i)
  {
    std::string where = i < sc.gate_sources.size() ? sc.gate_sources[i] : sc.file;
    // Set by an override (core names it "FILE: override KEY=VALUE"): --set is the only one that sets gates.
    if (size_t at = where.find(": override "); at != std::string::npos) where.replace(at + 2, 8, "--set");
    gs.push_back(telsim::gates::parse(sc.gates[i], where + ": [gates] fail_if"));
  }
  return gs;
}

// A scenario's [gates] are about one network's run: a comparison does not
// read them, and says so rather than pass over them in silence.
void note_unread_gates(const std::vector<const telsim::Scenario*>& nets, const char* command) {
  std::set<std::string> told;  // a file compared with itself is told of once
  for (auto* sc : nets)
    if (!sc->gates.empty() && told.insert(sc->file).second)
      telsim::cli::warn(fmt::format(
                 "telsim: {}: [gates] not checked: they are about one network's run, and {} compares networks "
                 "(gate the comparison with --fail-if, e.g. --fail-if 'differences.completed.low < 0')\n",
                 sc->file, command));
}

// A comparison's gates (the command line's: a scenario's [gates] are about
// one network's run), checked before the networks run.
void check_compare_gates(const SimArgs& a, const std::vector<const telsim::Scenario*>& nets) {
  note_unread_gates(nets, "sim compare");
  auto gs = telsim::gates::parse_all(a.gates.fail_if, "--fail-if");
  if (gs.empty()) return;
  std::vector<telsim::gates::Absent> absent = absent_parts(a, nets, "sim compare");
  if (telsim::uncertain::gather(a.uncertain, nets).empty())
    absent.push_back({"uncertainty", "is in the output of sim compare only with --uncertain or an [uncertain] table"});
  telsim::gates::check_paths(gs, telsim::gates::Reads::kSimCompare, absent);
}

// A sweep's gates checked before it runs (or merges): the command line's,
// and, over one network, its scenario's (each point has the same).
void check_sweep_gates(const SimArgs& a, const Study& st) {
  std::vector<telsim::gates::Gate> gs = telsim::gates::parse_all(a.gates.fail_if, "--fail-if");
  const telsim::Scenario& sc = st.networks.at(0).at(0);
  if (st.comparing()) {
    note_unread_gates(st.at(0), "sim sweep");
  } else {
    std::vector<telsim::gates::Gate> own = scenario_gates(sc);
    gs.insert(gs.begin(), own.begin(), own.end());
  }
  if (gs.empty()) return;  // and the points are not priced: networks priced apart are no error then
  std::vector<telsim::gates::Absent> absent = absent_parts(a, st.at(0), "sim sweep");
  telsim::gates::check_paths(
      gs, st.comparing() ? telsim::gates::Reads::kSimSweepComparePoint : telsim::gates::Reads::kSimSweepPoint, absent);
}

// The gates of a sweep's point, evaluated on the point's document: their
// results go to stderr (headed by the point), into the point's `gates` and,
// labelled with the point, into `all`. True when one failed.
bool gate_point(const Study& st, size_t p, const std::vector<telsim::gates::Gate>& gs, json& point,
                std::vector<telsim::gates::Result>& all) {
  auto results = telsim::gates::evaluate(gs, point);
  point["gates"] = telsim::gates::to_json(results);
  if (!results.empty()) {
    std::string text = fmt::format("point {} ({}):\n", p + 1, point_label(st.points[p])) + telsim::gates::to_text(results);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  for (auto r : results) {
    r.gate.text = fmt::format("point {} ({}): {}", p + 1, point_label(st.points[p]), r.gate.text);
    all.push_back(r);
  }
  return telsim::gates::any_failed(results);
}

// The table or CSV of a sweep: the varied values, then each point's row(s)
// as `rows_of(p)` gives them (row 0 its header).
std::string sweep_grid(const SimArgs& a, const Study& st, const std::string& title,
                       const std::function<std::vector<std::vector<std::string>>(size_t)>& rows_of) {
  bool people = a.format != "csv";
  std::vector<std::string> keys;
  for (auto& v : st.vary) keys.push_back(v.key);
  std::vector<std::string> header = keys;
  std::vector<std::vector<std::string>> rows;
  for (size_t p = 0; p < st.points.size(); ++p) {
    auto rr = rows_of(p);
    if (p == 0) header.insert(header.end(), rr[0].begin(), rr[0].end());
    for (size_t i = 1; i < rr.size(); ++i) {
      std::vector<std::string> row;
      for (auto& kv : st.points[p]) row.push_back(kv.second);
      row.insert(row.end(), rr[i].begin(), rr[i].end());
      rows.push_back(row);
    }
  }
  if (people && keys.empty()) {  // nothing varied: one point, numbered
    header.insert(header.begin(), "point");
    for (auto& r : rows) r.insert(r.begin(), "1");
  }
  telsim::Table t(header);
  for (auto& r : rows) t.add(r);
  return people ? title + t.text() : t.csv();
}

// The run settings of a study's title: as sim run writes them when every
// point has the same, else each setting that a --vary moves as its range
// ("seed 1, 2 replications x 0.1 to 0.2 days"), not the first point's.
std::string sweep_settings(const Study& st) {
  bool same = true;
  // "lo" or "lo to hi" of one setting over the points; integers (a seed may
  // need 64 bits) exactly, days as sim run writes them.
  auto range = [&](auto get) {
    auto lo = get(st.networks[0][0].sim), hi = lo;
    for (auto& nets : st.networks) {
      lo = std::min(lo, get(nets[0].sim));
      hi = std::max(hi, get(nets[0].sim));
    }
    same = same && lo == hi;
    auto text = [](auto v) {
      if constexpr (std::is_floating_point_v<decltype(v)>) return fmt::format("{:g}", v);
      else return fmt::format("{}", v);
    };
    return std::make_pair(hi, lo == hi ? text(lo) : text(lo) + " to " + text(hi));
  };
  auto seed = range([](const telsim::Simulation& s) { return s.seed; });
  auto reps = range([](const telsim::Simulation& s) { return s.replications; });
  auto days = range([](const telsim::Simulation& s) { return s.days; });
  auto warmup = range([](const telsim::Simulation& s) { return s.warmup_days; });
  if (same) return telsim::run_settings(st.networks[0][0]);
  std::string out = fmt::format("seed {}, {} replication{} x {} days", seed.second, reps.second, reps.first > 1 ? "s" : "",
                                days.second);
  if (warmup.first > 0) out += fmt::format(" (after {} days warm-up)", warmup.second);
  return out;
}

// A comparison sweep's output (telsim.sim-sweep-compare/1): at every point,
// what sim compare writes for the networks there.
bool write_compare_sweep(const SimArgs& a, const Study& st, const std::vector<telsim::ReplicationResult>& results) {
  std::vector<std::vector<telsim::Compared>> runs(st.points.size());
  for (size_t p = 0; p < st.points.size(); ++p)
    for (auto& sc : st.networks[p]) runs[p].push_back({sc, {}});
  for (size_t u = 0; u < st.units.size(); ++u) runs[st.units[u].point][st.units[u].network].reps.push_back(results[u]);
  std::vector<std::string> keys;
  for (auto& v : st.vary) keys.push_back(v.key);

  json doc = telsim::cli::document("telsim.sim-sweep-compare/1");
  json in = inputs_json(a, st.at(0));
  in["vary"] = a.vary;
  in["zip"] = a.zip;
  in["allow_different_traffic"] = a.allow_different_traffic;
  doc["inputs"] = in;
  doc["networks"] = json::array();
  for (size_t n = 0; n < st.networks[0].size(); ++n)
    doc["networks"].push_back(json{{"label", std::string(1, char('A' + n))},
                                   {"name", st.networks[0][n].name},
                                   {"scenario", st.networks[0][n].file}});
  doc["parameters"] = keys;
  doc["points"] = json::array();
  // As in sim compare, the command line's gates only: a scenario's [gates]
  // are about one network's run.
  std::vector<telsim::gates::Gate> gs;
  for (auto& t : a.gates.fail_if) gs.push_back(telsim::gates::parse(t, "--fail-if"));
  std::vector<telsim::gates::Result> all_results;
  bool failed = false;
  for (size_t p = 0; p < st.points.size(); ++p) {
    if (a.format != "json" && gs.empty()) continue;
    json point;
    point["parameters"] = json::object();
    for (auto& [k, v] : st.points[p]) point["parameters"][k] = value_json(v);
    telsim::cli::append(point, telsim::compare_json(runs[p]));
    // Priced with the point's own scenarios, which carry its --vary values:
    // a varied price or volume moves the money (as sim compare prices).
    if (auto econ = telsim::cli::resolve_economics(a.economics, st.at(p)))
      point["economics"] = telsim::economics_compare_json(*econ, runs[p]);
    failed = gate_point(st, p, gs, point, all_results) || failed;
    doc["points"].push_back(point);
  }
  if (!a.gates.junit.empty())
    telsim::cli::emit(telsim::gates::to_junit(all_results, "telsim sim sweep (comparison)"), a.gates.junit);
  std::string text;
  if (a.format == "json") {
    text = doc.dump(2) + "\n";
  } else {
    size_t n = st.points.size();
    std::string title = telsim::compare_title(runs[0]) +
                        fmt::format("{}; {} point{}, differences to [A] with their 95% CI\n",
                                    sweep_settings(st), n, n == 1 ? "" : "s");
    text = sweep_grid(a, st, title, [&](size_t p) { return telsim::compare_rows(runs[p], a.format != "csv"); });
  }
  telsim::cli::emit(text, a.out);
  return failed;
}

// Writes the sweep's output from every unit's result (in unit order) and
// returns whether a gate failed: the same code for a sweep and a merge, so
// that both write the same bytes.
bool write_sweep(const SimArgs& a, const Study& st, const std::vector<telsim::ReplicationResult>& results) {
  if (st.comparing()) return write_compare_sweep(a, st, results);
  std::vector<std::vector<telsim::ReplicationResult>> per_point(st.points.size());
  for (size_t u = 0; u < st.units.size(); ++u) per_point[st.units[u].point].push_back(results[u]);
  std::vector<std::string> keys;
  for (auto& v : st.vary) keys.push_back(v.key);
  const telsim::Scenario& first = st.networks.at(0).at(0);

  json doc = telsim::cli::document("telsim.sim-sweep/1");
  json in = inputs_json(a, {&first});
  in["vary"] = a.vary;
  in["zip"] = a.zip;
  doc["inputs"] = in;
  doc["scenario"] = first.file;
  doc["name"] = first.name;
  doc["parameters"] = keys;
  doc["points"] = json::array();
  std::vector<telsim::gates::Result> all_results;
  bool failed = false;
  std::vector<telsim::gates::Gate> cli_gates;
  for (auto& t : a.gates.fail_if) cli_gates.push_back(telsim::gates::parse(t, "--fail-if"));
  for (size_t p = 0; p < st.points.size(); ++p) {
    const telsim::Scenario& sc = st.networks[p][0];
    std::vector<telsim::gates::Gate> gs = scenario_gates(sc);
    for (auto& g : cli_gates) gs.push_back(g);
    // A point's document is built when something reads it (the most of a large merge's time otherwise).
    if (a.format != "json" && gs.empty()) continue;
    json point;
    point["parameters"] = json::object();
    for (auto& [k, v] : st.points[p]) point["parameters"][k] = value_json(v);
    telsim::cli::append(point, telsim::run_json(sc, per_point[p]));
    if (auto econ = telsim::cli::resolve_economics(a.economics, {&sc}))
      point["economics"] = telsim::economics_run_json(*econ, sc, per_point[p]);
    failed = gate_point(st, p, gs, point, all_results) || failed;
    doc["points"].push_back(point);
  }
  if (!a.gates.junit.empty()) telsim::cli::emit(telsim::gates::to_junit(all_results, "telsim sim sweep " + first.name), a.gates.junit);

  std::string text;
  if (a.format == "json") {
    text = doc.dump(2) + "\n";
  } else {
    bool people = a.format != "csv";
    std::string title = fmt::format("{}: {}; {} point{}, overall figures\n", first.file, sweep_settings(st),
                                    st.points.size(), st.points.size() == 1 ? "" : "s");
    text = sweep_grid(a, st, title, [&](size_t p) {
      auto rr = telsim::run_rows(st.networks[p][0], per_point[p], people);
      if (!people) return rr;
      // The table shows the overall figures ("ALL" on every row says nothing); the CSV every group.
      rr.resize(2);
      for (auto& r : rr) r.erase(r.begin());
      return rr;
    });
  }
  telsim::cli::emit(text, a.out);
  return failed;
}

constexpr const char* kPartSchema = "telsim.sim-sweep-part/1";

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

bool from_hex(const std::string& hex, std::string* out) {
  if (hex.size() % 2) return false;
  out->resize(hex.size() / 2);
  auto nib = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int h = nib(hex[i]), l = nib(hex[i + 1]);
    if (h < 0 || l < 0) return false;
    (*out)[i / 2] = static_cast<char>(h * 16 + l);
  }
  return true;
}

// The partial result file of one shard: a header line, then one line per unit.
std::string part_text(const json& study, int k, int n, const Study& st,
                      const std::vector<size_t>& mine, const std::vector<telsim::ReplicationResult>& results) {
  json head;
  head["schema"] = kPartSchema;
  head["study"] = study;
  head["shard"] = fmt::format("{}/{}", k, n);
  std::string out = head.dump() + "\n";
  for (size_t i = 0; i < mine.size(); ++i) {
    json line;
    line["unit"] = mine[i];
    const StudyUnit& unit = st.units[mine[i]];
    line["point"] = unit.point;
    if (st.comparing()) line["network"] = unit.network;
    line["replication"] = unit.replication;
    line["result"] = to_hex(telsim::encode_result(results[i]));
    out += line.dump() + "\n";
  }
  return out;
}

void run_sweep(const SimArgs& a) {
  if (!a.cdr_files.empty())  // never ignored silently: the points would run generated traffic
    throw telsim::InputError("--traffic-from-cdr: not supported by sim sweep yet (use sim run with --set per point)");
  Study st = plan_study(a);
  check_sweep_gates(a, st);
  ScenarioWarnings warnings;
  for (auto& nets : st.networks)
    for (auto& sc : nets) warnings.check(sc);
  int k = 1, n = 1;
  if (!a.shard.empty()) std::tie(k, n) = telsim::sweep::parse_shard(a.shard);
  std::vector<size_t> mine;
  for (size_t u = 0; u < st.units.size(); ++u)
    if (telsim::sweep::in_shard(u, k, n)) mine.push_back(u);
  std::vector<telsim::Unit> units;
  for (size_t u : mine) units.push_back({&st.networks[st.units[u].point][st.units[u].network], st.units[u].replication});
  telsim::RunOptions opt;
  opt.jobs = a.jobs > 0 ? a.jobs : telsim::sweep::available_cpus();
  std::vector<telsim::ReplicationResult> results;
  {
    telsim::cli::ProgressBar bar;
    opt.on_progress = bar.reporter();
    results = telsim::run_units(units, opt);
  }
  if (!a.shard.empty()) {
    telsim::cli::emit(part_text(study_json(a, st), k, n, st, mine, results), a.out);
    return;
  }
  if (write_sweep(a, st, results)) throw telsim::gates::GatesFailed();
}

// One partial result file, read.
struct Part {
  std::string path;
  json head;
  std::vector<std::pair<size_t, std::string>> units;  // (unit, hex result)
};

// A unit line exactly as part_text writes it:
// {"unit":U,"point":P,"replication":R,"result":"HEX"}. False for anything
// else, which then goes through the JSON parser and its error messages.
bool fast_unit_line(const std::string& line, size_t* unit, std::vector<std::pair<size_t, std::string>>* units) {
  static const std::string kStart = "{\"unit\":";
  static const std::string kResult = ",\"result\":\"";
  if (line.compare(0, kStart.size(), kStart) != 0 || line.size() < 4 || line.compare(line.size() - 2, 2, "\"}") != 0)
    return false;
  size_t at = kStart.size(), end = at;
  while (end < line.size() && end - at < 18 && line[end] >= '0' && line[end] <= '9') ++end;
  if (end == at || line[end] != ',') return false;
  *unit = std::stoull(line.substr(at, end - at));
  size_t r = line.find(kResult, end);
  if (r == std::string::npos) return false;
  size_t hex = r + kResult.size();
  if (line.find('"', hex) != line.size() - 2) return false;
  units->emplace_back(*unit, line.substr(hex, line.size() - 2 - hex));
  return true;
}

Part read_part(const std::string& path) {
  Part part;
  part.path = path;
  telsim::refuse_folder(path, "", "a partial result file");
  std::ifstream f(path);
  if (!f) throw telsim::InputError(fmt::format("{}: cannot read", path));
  std::string line;
  size_t no = 0;
  while (std::getline(f, line)) {
    ++no;
    if (no > 1) {  // the lines sweep writes, read without a JSON parser (the merge's hot loop)
      size_t unit = 0;
      if (fast_unit_line(line, &unit, &part.units)) continue;
    }
    json j;
    try {
      j = json::parse(line);
    } catch (const std::exception&) {
      throw telsim::InputError(fmt::format("{}:{}: not a line of a partial result file (telsim sim sweep --shard)", path, no));
    }
    if (no == 1) {
      if (!j.is_object() || j.value("schema", "") != kPartSchema || !j.contains("study"))
        throw telsim::InputError(fmt::format("{}:1: not a partial result file of telsim sim sweep --shard (no {} header)",
                                             path, kPartSchema));
      part.head = j;
      continue;
    }
    if (!j.is_object() || !j.contains("unit") || !j["unit"].is_number_unsigned() || !j.contains("result") ||
        !j["result"].is_string())
      throw telsim::InputError(fmt::format("{}:{}: expected a unit line with \"unit\" and \"result\"", path, no));
    part.units.emplace_back(j["unit"].get<size_t>(), j["result"].get<std::string>());
  }
  if (no == 0) throw telsim::InputError(fmt::format("{}: empty, not a partial result file", path));
  return part;
}

// The first top-level key where two studies differ.
std::string first_difference(const json& a, const json& b) {
  for (auto& [k, v] : a.items())
    if (!b.contains(k) || b[k] != v) return k;
  for (auto& [k, v] : b.items())
    if (!a.contains(k)) return k;
  return "?";
}

void run_merge(SimArgs a) {
  std::vector<Part> parts;
  for (auto& p : a.parts) parts.push_back(read_part(p));
  const json& study = parts[0].head["study"];
  for (size_t i = 1; i < parts.size(); ++i)
    if (parts[i].head["study"] != study)
      throw telsim::InputError(fmt::format("{} is not a part of the study of {} (they differ in {})", parts[i].path,
                                           parts[0].path,
                                           telsim::cut_field(first_difference(study, parts[i].head["study"]))));
  // The study's arguments, as the shards had them.
  try {
    a.scenarios = {study.at("scenario").get<std::string>()};
    if (study.contains("scenarios")) a.scenarios = study.at("scenarios").get<std::vector<std::string>>();
    a.allow_different_traffic = study.value("allow_different_traffic", false);
    a.sets = study.at("sets").get<std::vector<std::string>>();
    a.vary = study.at("vary").get<std::vector<std::string>>();
    a.zip = study.at("zip").get<bool>();
    a.replications = study.at("replications").get<int>();
    a.seed = study.at("seed").get<long long>();
    a.days = study.at("days").get<double>();
  } catch (const std::exception&) {
    throw telsim::InputError(fmt::format("{}:1: the study header lacks a key or has a wrong type", parts[0].path));
  }
  if (study.value("telsim_version", "") != telsim::cli::version())
    throw telsim::InputError(fmt::format("{}: written by telsim {}, this is telsim {}; merge with the telsim that ran the shards",
                                         parts[0].path, study.value("telsim_version", "?"), telsim::cli::version()));
  Study st = plan_study(a);
  check_sweep_gates(a, st);
  // The inputs must be the ones the shards read.
  json now = inputs_json(a, st.at(0));
  if (now != study["inputs"]) {
    for (size_t i = 0; i < now["files"].size(); ++i)
      if (i >= study["inputs"]["files"].size() || now["files"][i] != study["inputs"]["files"][i])
        throw telsim::InputError(fmt::format("{}: not the file the shards read (its SHA-256 differs from {})",
                                             now["files"][i]["path"].get<std::string>(), parts[0].path));
    throw telsim::InputError(fmt::format("the inputs differ from those of {}", parts[0].path));
  }
  const size_t total = st.units.size();
  std::vector<int> owner(total, -1);
  std::vector<const std::string*> hex(total, nullptr);
  auto unit_name = [&](size_t u) {
    const StudyUnit& x = st.units[u];
    if (st.comparing())
      return fmt::format("unit {} (point {}, network {}, replication {})", u, x.point + 1, char('A' + x.network),
                         x.replication + 1);
    return fmt::format("unit {} (point {}, replication {})", u, x.point + 1, x.replication + 1);
  };
  for (size_t i = 0; i < parts.size(); ++i)
    for (auto& [u, h] : parts[i].units) {
      if (u >= total)
        throw telsim::InputError(fmt::format("{}: unit {} is not in the study ({} units)", parts[i].path, u, total));
      if (owner[u] >= 0)
        throw telsim::InputError(fmt::format("{} is in both {} and {}: give each shard once", unit_name(u),
                                             parts[static_cast<size_t>(owner[u])].path, parts[i].path));
      owner[u] = static_cast<int>(i);
      hex[u] = &h;
    }
  std::vector<std::string> missing;
  for (size_t u = 0; u < total; ++u)
    if (owner[u] < 0) missing.push_back(unit_name(u));
  if (!missing.empty()) {
    std::string shard = parts[0].head.value("shard", "");
    int n = 0;
    if (auto slash = shard.find('/'); slash != std::string::npos) n = std::atoi(shard.c_str() + slash + 1);
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 10; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 10) list += fmt::format(" and {} more", missing.size() - 10);
    std::string which;
    if (n > 0) {
      std::vector<int> shards;
      for (size_t u = 0; u < total; ++u)
        if (owner[u] < 0 && std::find(shards.begin(), shards.end(), int(u % n) + 1) == shards.end())
          shards.push_back(int(u % n) + 1);
      for (size_t i = 0; i < shards.size(); ++i) which += fmt::format("{}{}/{}", i ? ", " : "", shards[i], n);
      which = " (missing shards: " + which + ")";
    }
    throw telsim::InputError(fmt::format("{} of {} units missing{}: {}", missing.size(), total, which, list));
  }
  std::vector<telsim::ReplicationResult> results(total);
  std::string bytes;
  for (size_t u = 0; u < total; ++u) {
    if (!from_hex(*hex[u], &bytes))
      throw telsim::InputError(fmt::format("{}: {} has a result that is not hexadecimal", parts[owner[u]].path, unit_name(u)));
    try {
      results[u] = telsim::decode_result(bytes);
    } catch (const std::exception& e) {
      throw telsim::InputError(fmt::format("{}: {}: {}", parts[owner[u]].path, unit_name(u), e.what()));
    }
  }
  if (write_sweep(a, st, results)) throw telsim::gates::GatesFailed();
}

}  // namespace

void setup_sim(CLI::App& app) {
  auto a = std::make_shared<SimArgs>();

  auto* run = app.add_subcommand("run", "Run a scenario: telsim sim run scenarios/article-operator.toml --replications 5");
  run->add_option("SCENARIO", a->scenarios, "Scenario file (TOML)")->required()->expected(1)->type_name("FILE");
  add_common(*run, *a);
  run->add_option("--detail", a->detail, "Also per interconnect or per node figures: interconnects, nodes")
      ->check(CLI::IsMember({"interconnects", "nodes"}))->allow_extra_args(false);
  run->add_option("--series", a->series, "Also counts by outcome per period, for charts: hour-of-day, day")
      ->check(CLI::IsMember({"hour-of-day", "day"}))->allow_extra_args(false);
  telsim::cli::add_economics_options(*run, a->economics);
  auto* cdr_out = run->add_option("--cdr-out", a->cdr_out,
                                  "Write every measured attempt of one replication to FILE as an Asterisk Master.csv "
                                  "(atomically; read it with telsim cdr stats)");
  run->add_option("--cdr-replication", a->cdr_replication, "The replication --cdr-out writes (default 0)")
      ->check(telsim::cli::within(0, 99999, true))->needs(cdr_out);
  run->add_option("--cdr-epoch", a->cdr_epoch,
                  "UTC date-time of simulated time 0 in --cdr-out (default 2026-01-01 00:00:00)")
      ->type_name("TIME")->needs(cdr_out);
  run->callback([a] {
    int64_t cdr_epoch = telsim::kDefaultCdrEpoch;
    if (!a->cdr_epoch.empty() && !telsim::parse_time(a->cdr_epoch, &cdr_epoch))
      throw telsim::InputError(fmt::format("--cdr-epoch {}: expected a UTC date-time such as 2026-01-01 00:00:00",
                                           telsim::quote_field(a->cdr_epoch)));
    // Made before the run, so that a folder that cannot be written is found first.
    std::unique_ptr<telsim::out::Target> cdr_target;
    if (!a->cdr_out.empty()) cdr_target = std::make_unique<telsim::out::Target>(a->cdr_out, "--cdr-out");
    telsim::Scenario sc = std::move(load_networks(*a).at(0));
    if (cdr_target && a->cdr_replication >= sc.sim.replications)
      throw telsim::InputError(fmt::format("--cdr-replication {}: the run has replications 0 to {}",
                                           a->cdr_replication, sc.sim.replications - 1));
    std::vector<telsim::gates::Gate> own_gates = scenario_gates(sc);
    check_run_gates(*a, sc, own_gates);
    ReplayHolder replay;
    prepare_replay(*a, replay, {&sc});
    ScenarioWarnings().check(sc);
    telsim::RunOptions opt;
    opt.jobs = a->jobs > 0 ? a->jobs : telsim::sweep::available_cpus();
    if (!replay.replays.empty()) opt.replay = &replay.replays[0].calls;
    if (cdr_target) opt.record_attempts = a->cdr_replication;
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
    std::string money;  // in words, after the overall table
    if (auto econ = telsim::cli::resolve_economics(a->economics, {&sc})) {
      doc["economics"] = telsim::economics_run_json(*econ, sc, reps);
      if (a->format != "csv") money = telsim::economics_run_text(*econ, sc, reps);
    }
    auto results = telsim::cli::run_gates(a->gates, own_gates, doc, "telsim sim run " + sc.name);
    std::string text = a->format == "json" ? render("json", doc, "", "")
                       : a->format == "csv" ? telsim::run_csv(sc, reps) + blocks
                                            : telsim::run_table(sc, reps) + money + blocks;
    if (cdr_target) {
      const auto& rep = reps[a->cdr_replication];
      cdr_target->commit(telsim::cdr_csv(sc, rep.attempts, cdr_epoch, &rep.funnel_calls, &rep.legs));
    }
    telsim::cli::emit(text, a->out);
    telsim::cli::finish_gates(results);
  });

  auto* cmp = app.add_subcommand(
      "compare",
      "Same traffic through several networks: telsim sim compare scenarios/transit-vs-direct-transit.toml scenarios/transit-vs-direct-direct.toml");
  cmp->add_option("SCENARIOS", a->scenarios, "Two or more scenario files; the first is the baseline")
      ->required()
      ->expected(2, CLI::detail::expected_max_vector_size)
      ->type_name("FILE");
  add_common(*cmp, *a);
  cmp->add_flag("--allow-different-traffic", a->allow_different_traffic,
                "Compare networks even when their traffic (streams, calls per day, profiles, holding, callee, "
                "redial) differs: the differences then mix network and traffic effects");
  cmp->add_option("--uncertain", a->uncertain,
                  "An input known only as a range: KEYS=LOW:HIGH (KEYS a dotted key as in --set, or several "
                  "separated by commas that move together; repeatable; also [uncertain] in a scenario). The "
                  "comparison runs at each end, one input at a time, then all at the ends that lower and raise "
                  "the headline, and reports the range beside the Monte Carlo interval")
      ->type_name("KEYS=LOW:HIGH")
      ->allow_extra_args(false);
  telsim::cli::add_economics_options(*cmp, a->economics);
  cmp->callback([a] {
    std::vector<telsim::Compared> runs =
        run_compare(*a, [&](const std::vector<const telsim::Scenario*>& nets) { check_compare_gates(*a, nets); });
    std::vector<const telsim::Scenario*> priced;
    for (auto& r : runs) priced.push_back(&r.sc);
    auto econ = telsim::cli::resolve_economics(a->economics, priced);
    json doc = telsim::cli::document("telsim.sim-compare/2");
    std::vector<const telsim::Scenario*> all;
    for (auto& r : runs) all.push_back(&r.sc);
    doc["inputs"] = inputs_json(*a, all);
    telsim::cli::append(doc, telsim::compare_json(runs));
    std::string uncertainty_text;
    const auto inputs = telsim::uncertain::gather(a->uncertain, all);
    if (!inputs.empty()) {
      for (auto& in : inputs)
        for (auto& k : in.keys) {
          std::string key = k.substr(k.find(':') == std::string::npos ? 0 : k.find(':') + 1);
          bool somewhere = false;
          for (auto* sc : all) somewhere = somewhere || telsim::scenario_has_key(sc->file, key);
          if (!somewhere)
            throw telsim::InputError(fmt::format("{}: uncertain input {}: no network has the key {}", in.source,
                                                 telsim::cut_field(in.name), telsim::cut_field(key)));
        }
      std::vector<telsim::uncertain::Run> study;
      study.push_back({"nominal", {}, doc["differences"]});
      auto variant = [&](telsim::uncertain::Run r) {
        SimArgs at = *a;
        for (auto& [k, v] : r.sets) at.sets.push_back(fmt::format("{}={:.17g}", k, v));
        try {
          r.differences = telsim::compare_json(run_compare(at))["differences"];
        } catch (const telsim::InputError& e) {
          throw telsim::InputError(
              fmt::format("uncertain run {}: {}", telsim::quote_field(r.label), telsim::cli::with_option(e)));
        }
        study.push_back(std::move(r));
      };
      for (auto& r : telsim::uncertain::one_at_a_time(inputs)) variant(r);
      for (auto& r : telsim::uncertain::corners(inputs, study)) variant(r);
      doc["uncertainty"] = telsim::uncertain::to_json(inputs, study);
      uncertainty_text = telsim::uncertain::to_table(inputs, study);
    }
    if (econ) doc["economics"] = telsim::economics_compare_json(*econ, runs);
    auto results = telsim::cli::run_gates(a->gates, {}, doc, "telsim sim compare");
    std::string table = a->format == "table" ? telsim::compare_table(runs) : "";
    // The money in words goes between the figures and the closing "In short" lines.
    if (econ && !table.empty())
      table.insert(std::min(table.find("\nIn short:"), table.size()), telsim::economics_compare_text(*econ, runs));
    std::string text = a->format == "json" ? render("json", doc, "", "")
                       : a->format == "csv" ? telsim::compare_csv(runs)
                                            : table + uncertainty_text;
    telsim::cli::emit(text, a->out);
    telsim::cli::finish_gates(results);
  });

  auto* sweep = app.add_subcommand(
      "sweep",
      "A parameter study: telsim sim sweep scenarios/erlang-b.toml --vary interconnects.trunk.channels=100:130:5");
  sweep->add_option("SCENARIOS", a->scenarios,
                    "Scenario file (TOML); two or more: the networks are compared at every point, as by sim compare "
                    "(the first is the baseline)")
      ->required()
      ->expected(1, CLI::detail::expected_max_vector_size)
      ->type_name("FILE");
  add_common(*sweep, *a);
  sweep->add_option("--vary", a->vary,
                    "A key and its values, one point per value: KEY=100,110,120 or KEY=FROM:TO:STEP (keys as in --set); "
                    "several --vary make a full grid")
      ->type_name("[NETWORK:]KEY=VALUES")
      ->allow_extra_args(false);
  sweep->add_flag("--zip", a->zip, "Pair the --vary lists (i-th values together) instead of a full grid");
  sweep->add_flag("--allow-different-traffic", a->allow_different_traffic,
                  "With several SCENARIOS: compare networks even when their traffic differs (as in sim compare)");
  sweep->add_option("--shard", a->shard,
                    "Run only shard K of N of the work units (point, replication) and write a partial result file "
                    "for telsim sim merge")
      ->type_name("K/N");
  telsim::cli::add_economics_options(*sweep, a->economics);
  sweep->callback([a, sweep] {
    // A shard writes a partial result file and nothing else: an option that
    // shapes the study's output would be ignored, so it is refused instead.
    if (!a->shard.empty()) {
      if (sweep->count("--format") && a->format != "json")
        throw telsim::InputError(fmt::format(
            "--format {} with --shard {}: a shard writes only its partial result file (JSON lines) for telsim sim "
            "merge; give --format {} to sim merge, which writes the study's table, CSV or JSON",
            a->format, a->shard, a->format));
      for (const char* gate : {"--fail-if", "--junit"})
        if (sweep->count(gate))
          throw telsim::InputError(fmt::format(
              "{} with --shard {}: gates are checked on the whole study by telsim sim merge, not by a shard; give "
              "{} to sim merge",
              gate, a->shard, gate));
      if (a->economics.any())
        throw telsim::InputError(fmt::format(
            "economics options with --shard {}: the money is worked out by telsim sim merge from the whole study; "
            "give them to sim merge",
            a->shard));
      // Its lines are for sim merge, not for reading: not onto a terminal.
      if ((a->out.empty() || a->out == "-") && isatty(STDOUT_FILENO))
        throw telsim::InputError(fmt::format(
            "--shard {} writes a partial result file for telsim sim merge, not a table: give --out FILE (or "
            "redirect stdout)",
            a->shard));
    }
    run_sweep(*a);
  });

  auto* merge = app.add_subcommand(
      "merge", "Merge the partial results of sim sweep --shard: telsim sim merge part-*.jsonl --format csv");
  merge->add_option("PARTS", a->parts, "Partial result files, one per shard")->required()->expected(1, -1)->type_name("FILE");
  telsim::cli::add_format(*merge, a->format);
  telsim::out::add_out_option(*merge, a->out, "Write the output to FILE instead of stdout (atomically)");
  telsim::cli::add_gate_options(*merge, a->gates);
  telsim::cli::add_economics_options(*merge, a->economics);
  merge->callback([a] { run_merge(*a); });

  setup_sim_graph(app);
}
