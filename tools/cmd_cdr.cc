// telsim cdr stats|replay: switch CDRs in, network quality figures out.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/cdr/cdr_calibrate.h"
#include "core/cdr/cdr_metrics.h"
#include "core/cdr/cdr_reader.h"
#include "core/cdr/cdr_replay.h"
#include "core/base/error.h"
#include "core/base/file_check.h"
#include "core/base/timestamp.h"
#include "core/base/table.h"
#include "core/base/quote.h"
#include "tools/gate_paths.h"
#include "tools/cli.h"
#include "tools/output.h"
#include "tools/contract.h"

namespace {

using telsim::CallCounts;
using telsim::CdrSummary;

struct CdrArgs {
  std::vector<std::string> files;
  std::string input = "auto", mapping, tz, region = "RU", outcomes, registry, format, out, date_format;
  std::vector<std::string> by;
  std::string db, leases;
  int prefix_digits = 4, threads = 2;
  int64_t window = 3600;
  bool strict = false;
  telsim::cli::GateOptions gates;
  // cdr calibrate
  std::string origin, to = "ours";
  std::vector<std::string> operator_keys;
  int64_t redial_window = 1800;
  double days = 0;
};

/// Options every `cdr` verb reading CDRs shares.
void add_read_options(CLI::App& app, CdrArgs& a) {
  app.add_option("FILE", a.files, "CDR files (\"-\" reads stdin; .gz is read as gzip)")->required();
  app.add_option("--input", a.input, "CDR format: auto (default), asterisk, freeswitch, mapped")
      ->check(CLI::IsMember({"auto", "asterisk", "freeswitch", "mapped"}));
  app.add_option("--mapping", a.mapping, "TOML mapping file for a CSV with a header row (implies --input mapped)");
  app.add_option("--tz", a.tz, "Time zone the CDR times are written in (UTC, +03:00, Europe/Moscow); default UTC "
                               "or the mapping file's");
  app.add_option("--region", a.region, "Region for numbers without a country code (ISO code, default RU)");
  app.add_option("--date-format", a.date_format,
                 "Layout of the CDR times: %Y %m %d %H %M %S and literals, fields may lack leading zeros "
                 "(\"%Y/%m/%d %H:%M\" reads 2020/2/10 22:41); default the format's or the mapping's date_format");
  app.add_option("--outcomes", a.outcomes, "TOML file overriding the disposition/cause -> outcome and Q.850 table");
  app.add_flag("--strict", a.strict, "Stop at the first bad row with exit code 2");
  app.add_option("--threads", a.threads, "Threads reading a plain file (default 2)")->check(telsim::cli::within(1, 64, true));
  app.add_option("--window", a.window, "Seconds: legs with one id further apart than this are separate calls")
      ->check(telsim::cli::within(1, 86400 * 7, true));
}

struct Loaded {
  std::unique_ptr<telsim::CdrMapping> mapping;
  std::unique_ptr<telsim::OutcomeMap> outcomes;
  telsim::CdrReadOptions opts;
};

std::unique_ptr<Loaded> load(const CdrArgs& a) {
  // Every file option is checked before any is read, so a folder is named
  // as such whatever the order of the options.
  for (auto& f : a.files) telsim::refuse_folder(f, "", "a CDR file");
  telsim::refuse_folder(a.mapping, "--mapping", "a mapping file");
  telsim::refuse_folder(a.outcomes, "--outcomes", "an outcomes file");
  telsim::refuse_folder(a.registry, "--registry", "a numbering registry file");
  telsim::refuse_folder(a.leases, "--leases", "a lease events file");
  if (!a.date_format.empty()) {
    try {
      telsim::TimeFormat check(a.date_format);
    } catch (const telsim::InputError& e) {
      throw telsim::InputError(fmt::format("--date-format: {}", e.what()));
    }
  }
  auto l = std::make_unique<Loaded>();
  auto& o = l->opts;
  telsim::parse_cdr_format(a.input, &o.format);
  if (!a.mapping.empty()) {
    l->mapping = std::make_unique<telsim::CdrMapping>(telsim::CdrMapping::load(a.mapping));
    o.mapping = l->mapping.get();
    if (o.format == telsim::CdrFormat::kAuto) o.format = telsim::CdrFormat::kMapped;
  }
  if (o.format == telsim::CdrFormat::kMapped && !o.mapping)
    throw telsim::InputError("--input mapped needs --mapping FILE");
  l->outcomes = std::make_unique<telsim::OutcomeMap>();
  if (!a.outcomes.empty()) l->outcomes->load(a.outcomes);
  o.outcomes = l->outcomes.get();
  o.tz = a.tz;
  o.region = a.region;
  o.date_format = a.date_format;
  o.strict = a.strict;
  o.threads = a.threads;
  o.window = a.window;
  return l;
}

// The one rounding rule of the report, for JSON and the table alike: half
// away from zero at `digits` decimals (the table then prints the rounded
// value, so 33.25 is 33.3 in both, not 33.2 by printf's rounding of the
// binary value).
double round_to(double x, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(x * f) / f;
}

nlohmann::ordered_json metrics_json(const CallCounts& c) {
  nlohmann::ordered_json j;
  j["calls"] = c.calls;
  j["seized"] = c.seized;
  for (int i = 0; i < telsim::kOutcomeCount; ++i) j[telsim::to_string(static_cast<telsim::Outcome>(i))] = c.outcome[i];
  telsim::CallMetrics m = telsim::metrics(c);
  auto put = [&](const char* k, const std::optional<double>& v, int digits) {
    j[k] = v ? nlohmann::ordered_json(round_to(*v, digits)) : nlohmann::ordered_json(nullptr);
  };
  put("asr", m.asr, 4);
  put("ner", m.ner, 4);
  put("abr", m.abr, 4);
  put("acd", m.acd, 1);
  put("sdr", m.sdr, 4);
  put("pdd", m.pdd, 1);
  return j;
}

std::vector<std::string> metrics_cells(const CallCounts& c) {
  std::vector<std::string> r{std::to_string(c.calls), std::to_string(c.seized)};
  for (int i = 0; i < telsim::kOutcomeCount; ++i) r.push_back(std::to_string(c.outcome[i]));
  telsim::CallMetrics m = telsim::metrics(c);
  auto cell = [](const std::optional<double>& v, int digits) {
    return v ? fmt::format("{:.{}f}", round_to(*v, digits), digits) : std::string("-");
  };
  for (auto* v : {&m.asr, &m.ner, &m.abr}) r.push_back(cell(*v, 4));
  r.push_back(cell(m.acd, 1));
  r.push_back(cell(m.sdr, 4));
  r.push_back(cell(m.pdd, 1));
  return r;
}

std::string summary_line(const CdrSummary& s) {
  std::string line = fmt::format("rows {}, calls {}, skipped {}", s.rows, s.calls, s.skipped);
  std::string why;
  for (int i = 0; i < telsim::kSkipReasonCount; ++i)
    if (s.skipped_by[i]) why += fmt::format("{}{} {}", why.empty() ? "" : ", ", telsim::to_string(static_cast<telsim::SkipReason>(i)), s.skipped_by[i]);
  if (!why.empty()) line += " (" + why + ")";
  std::string warn;
  for (int i = 0; i < telsim::kWarningCount; ++i)
    if (s.warnings[i]) warn += fmt::format("{}{} {}", warn.empty() ? "" : ", ", telsim::to_string(static_cast<telsim::Warning>(i)), s.warnings[i]);
  if (!warn.empty()) line += "; rows kept with warnings: " + warn;
  return line;
}

// The `inputs` of the stats document: files with their SHA-256 and every
// option that changes the figures (not --threads, which does not).
nlohmann::ordered_json stats_inputs(const CdrArgs& a) {
  nlohmann::ordered_json in;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (auto& f : a.files) files.push_back(telsim::cli::input_file(f, "cdr"));
  if (!a.mapping.empty()) files.push_back(telsim::cli::input_file(a.mapping, "mapping"));
  if (!a.outcomes.empty()) files.push_back(telsim::cli::input_file(a.outcomes, "outcomes"));
  if (!a.registry.empty()) files.push_back(telsim::cli::input_file(a.registry, "registry"));
  in["files"] = files;
  nlohmann::ordered_json o;
  o["input"] = a.input;
  o["tz"] = a.tz;
  if (!a.date_format.empty()) o["date_format"] = a.date_format;  // absent when not given: older documents unchanged
  o["region"] = a.region;
  o["by"] = a.by;
  o["prefix_digits"] = a.prefix_digits;
  o["window"] = a.window;
  o["strict"] = a.strict;
  in["options"] = o;
  return in;
}

nlohmann::ordered_json stats_json(const CdrSummary& s, const telsim::MetricsReport& r) {
  {
    nlohmann::ordered_json j;
    j["rows"] = s.rows;
    j["calls"] = s.calls;
    j["skipped"] = s.skipped;
    nlohmann::ordered_json sk = nlohmann::ordered_json::object(), wa = nlohmann::ordered_json::object();
    for (int i = 0; i < telsim::kSkipReasonCount; ++i)
      sk[telsim::to_string(static_cast<telsim::SkipReason>(i))] = s.skipped_by[i];
    for (int i = 0; i < telsim::kWarningCount; ++i) wa[telsim::to_string(static_cast<telsim::Warning>(i))] = s.warnings[i];
    j["skipped_by_reason"] = sk;
    j["warnings"] = wa;
    j["overall"] = metrics_json(r.overall);
    nlohmann::ordered_json by = nlohmann::ordered_json::array();
    for (auto g : r.by) by.push_back(telsim::to_string(g));
    j["by"] = by;
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (auto& [labels, c] : r.groups) {
      nlohmann::ordered_json g;
      for (size_t i = 0; i < r.by.size(); ++i) g[telsim::to_string(r.by[i])] = telsim::printable_utf8(labels[i]);
      nlohmann::ordered_json m = metrics_json(c);
      for (auto& [k, v] : m.items()) g[k] = v;
      groups.push_back(g);
    }
    j["groups"] = groups;
    return j;
  }
}

std::string render(const std::string& format, const CdrSummary& s, const telsim::MetricsReport& r,
                   const nlohmann::ordered_json& doc) {
  if (format == "json") return doc.dump(2) + "\n";
  std::vector<std::string> header;
  for (auto g : r.by) header.push_back(telsim::to_string(g));
  if (header.empty()) header.push_back("group");
  for (const char* h : {"calls", "seized", "answered", "busy", "no_answer", "failed", "congestion", "asr", "ner", "abr",
                        "acd", "sdr", "pdd"})
    header.push_back(h);
  telsim::Table t(header);
  std::vector<std::string> all(r.by.empty() ? 1 : r.by.size(), "");
  all[0] = "(all)";
  auto row = all;
  for (auto& c : metrics_cells(r.overall)) row.push_back(c);
  t.add(row);
  for (auto& [labels, c] : r.groups) {
    std::vector<std::string> g;
    for (auto& l : labels) g.push_back(format == "csv" ? l : telsim::printable_utf8(l));
    for (auto& x : metrics_cells(c)) g.push_back(x);
    t.add(g);
  }
  if (format == "csv") return t.csv();
  return summary_line(s) + "\n\n" + t.text();
}

void run_stats(const CdrArgs& a) {
  // Before a large file is read.
  std::vector<telsim::gates::Absent> absent;
  if (a.by.empty()) absent.push_back({"groups.*", "is in the output of cdr stats only with --by (without it, groups is empty)"});
  telsim::gates::check_paths(telsim::gates::parse_all(a.gates.fail_if, "--fail-if"), telsim::gates::Reads::kCdrStats,
                             absent);
  auto l = load(a);
  telsim::MetricsOptions mo;
  for (auto& b : a.by) {
    telsim::GroupBy g;
    if (!telsim::parse_group_by(b, &g))
      throw telsim::InputError(fmt::format(
          "--by {}: use hour, day, operator, prefix, trunk, channel, called or outcome", telsim::cut_field(b)));
    mo.by.push_back(g);
  }
  mo.prefix_digits = a.prefix_digits;
  mo.outcomes = l->outcomes.get();
  std::unique_ptr<telsim::Numbering> reg;
  if (!a.registry.empty()) {
    reg = std::make_unique<telsim::Numbering>(telsim::Numbering::load(a.registry));
    mo.numbering = reg.get();
  }
  // Numbers are normalised only when a grouping looks at them: it is the
  // costliest step per call.
  l->opts.normalise = l->opts.keep_numbers = l->opts.keep_channels = false;
  for (auto g : mo.by) {
    if (g == telsim::GroupBy::kOperator || g == telsim::GroupBy::kPrefix || g == telsim::GroupBy::kCalled)
      l->opts.normalise = l->opts.keep_numbers = true;
    if (g == telsim::GroupBy::kTrunk || g == telsim::GroupBy::kChannel) l->opts.keep_channels = true;
  }
  std::vector<std::unique_ptr<telsim::MetricsSink>> sinks;
  std::vector<telsim::CallSink*> raw;
  for (int i = 0; i < a.threads; ++i) {
    sinks.push_back(std::make_unique<telsim::MetricsSink>(mo));
    raw.push_back(sinks.back().get());
  }
  // The input digests are computed while the files are read: on a large CDR
  // the hash, a second sequential pass, then costs little wall time.
  auto inputs = std::async(std::launch::async, [&a] { return stats_inputs(a); });
  CdrSummary s = telsim::read_cdr(a.files, l->opts, raw);
  std::vector<const telsim::MetricsSink*> cs;
  for (auto& p : sinks) cs.push_back(p.get());
  telsim::MetricsReport r = telsim::MetricsReport::merge(mo, cs);
  if (s.skipped || a.format != "table") telsim::cli::warn(fmt::format("telsim: {}\n", summary_line(s)));
  // An all-zero report of unreadable input would pass for a quiet network.
  if (s.rows == s.skipped)
    throw telsim::InputError(s.rows ? fmt::format("no row could be read: {} of {} rows skipped, see above", s.skipped, s.rows)
                                    : std::string("no row could be read: the input has no data rows"));
  nlohmann::ordered_json doc = telsim::cli::document("telsim.cdr-stats/1");
  doc["inputs"] = inputs.get();
  telsim::cli::append(doc, stats_json(s, r));
  auto results = telsim::cli::run_gates(a.gates, {}, doc, "telsim cdr stats");
  telsim::cli::emit(render(a.format, s, r, doc), a.out);
  telsim::cli::finish_gates(results);
}

void run_replay(const CdrArgs& a) {
  auto l = load(a);
  std::vector<telsim::LeaseEvent> leases;
  if (!a.leases.empty()) leases = telsim::read_lease_events(a.leases);
  telsim::ReplayResult r = telsim::replay_into_db(a.db, a.files, l->opts, leases);
  if (r.read.skipped) telsim::cli::warn(fmt::format("telsim: {}\n", summary_line(r.read)));
  nlohmann::ordered_json j;
  j["rows"] = r.read.rows;
  j["calls"] = r.read.calls;
  j["skipped"] = r.read.skipped;
  j["leases_applied"] = r.leases;
  j["leases_already_applied"] = r.leases_already;
  j["lease_overflows"] = r.lease_overflows;
  j["logged"] = r.logged;
  j["already_logged"] = r.already_logged;
  j["not_operator_number"] = r.not_ours;
  j["not_e164"] = r.not_e164;
  j["attributed_session"] = r.session;
  j["attributed_static"] = r.static_channel;
  int64_t un = 0;
  nlohmann::ordered_json why = nlohmann::ordered_json::object();
  for (auto& [k, v] : r.unattributed) {
    why[k] = v;
    un += v;
  }
  j["unattributed"] = un;
  j["unattributed_by_reason"] = why;
  if (a.format == "json") {
    nlohmann::ordered_json doc = telsim::cli::document("telsim.cdr-replay/1");
    telsim::cli::append(doc, j);
    telsim::cli::emit(doc.dump(2) + "\n", a.out);
    return;
  }
  telsim::Table t({"what", "calls"});
  for (auto& [k, v] : j.items())
    if (!v.is_object()) t.add({k, std::to_string(v.get<int64_t>())});
  for (auto& [k, v] : r.unattributed) t.add({"unattributed: " + k, std::to_string(v)});
  telsim::cli::emit(a.format == "csv" ? t.csv() : t.text(), a.out);
}

void run_calibrate(const CdrArgs& a) {
  auto l = load(a);
  telsim::CalibrateOptions co;
  co.outcomes = l->outcomes.get();
  co.redial_window = a.redial_window;
  co.days = a.days;
  std::string origin = a.origin.empty() ? (a.registry.empty() ? "channel" : "registry") : a.origin;
  std::unique_ptr<telsim::Numbering> reg;
  if (origin == "registry") {
    if (a.registry.empty()) throw telsim::InputError("--origin registry needs --registry FILE (telsim numbering import)");
    reg = std::make_unique<telsim::Numbering>(telsim::Numbering::load(a.registry));
    co.numbering = reg.get();
    co.origin = telsim::OriginBy::kRegistry;
  } else {
    co.origin = origin == "channel" ? telsim::OriginBy::kChannel : telsim::OriginBy::kNone;
  }
  for (auto& k : a.operator_keys) {
    size_t eq = k.rfind('=');
    std::string key = eq == std::string::npos ? "" : k.substr(eq + 1);
    bool bare = !key.empty();
    for (unsigned char ch : key)
      if (!(std::isalnum(ch) || ch == '-' || ch == '_')) bare = false;
    if (eq == std::string::npos || eq == 0 || !bare)
      throw telsim::InputError(fmt::format("--operator {}: use NAME=KEY, NAME a part of the registry's operator name, "
                                           "KEY a scenario operator name (letters, digits, - and _)",
                                           telsim::quote_field(k)));
    co.operator_keys.push_back({k.substr(0, eq), key});
  }
  {
    bool bare = !a.to.empty();
    for (unsigned char ch : a.to)
      if (!(std::isalnum(ch) || ch == '-' || ch == '_')) bare = false;
    if (!bare)
      throw telsim::InputError(fmt::format("--to {}: a scenario operator name (letters, digits, - and _)",
                                           telsim::quote_field(a.to)));
  }
  l->opts.normalise = l->opts.keep_numbers = l->opts.keep_channels = true;
  std::vector<std::unique_ptr<telsim::CalibrationSink>> sinks;
  std::vector<telsim::CallSink*> raw;
  for (int i = 0; i < a.threads; ++i) {
    sinks.push_back(std::make_unique<telsim::CalibrationSink>());
    raw.push_back(sinks.back().get());
  }
  CdrSummary s = telsim::read_cdr(a.files, l->opts, raw);
  if (s.skipped) telsim::cli::warn(fmt::format("telsim: {}\n", summary_line(s)));
  if (s.rows == s.skipped)
    throw telsim::InputError(s.rows ? fmt::format("no row could be read: {} of {} rows skipped, see above", s.skipped, s.rows)
                                    : std::string("no row could be read: the input has no data rows"));
  std::vector<const telsim::CalibrationSink*> cs;
  for (auto& p : sinks) cs.push_back(p.get());
  telsim::Calibration cal = telsim::calibrate(cs, co);
  std::vector<std::string> header;
  for (auto& f : a.files) {
    auto j = telsim::cli::input_file(f, "cdr");
    header.push_back(fmt::format("source: {}{}", f, j["sha256"].is_null() ? std::string(" (stdin)")
                                                                           : " (sha256 " + j["sha256"].get<std::string>() + ")"));
  }
  if (!a.registry.empty()) header.push_back("numbering registry: " + a.registry);
  header.push_back(fmt::format("read: {}", summary_line(s)));
  header.push_back(fmt::format("origin of a call: {}; time zone of the file: {}; redial window {} s", origin,
                               a.tz.empty() ? std::string("UTC") : a.tz, a.redial_window));
  telsim::cli::emit(telsim::calibration_toml(cal, a.to, header), a.out);
}

}  // namespace

void setup_cdr(CLI::App& app) {
  auto a = std::make_shared<CdrArgs>();
  auto* stats = app.add_subcommand(
      "stats",
      "ASR, NER, ABR, ACD, SDR, PDD and outcome counts from CDR files, overall and per group:\n"
      "  telsim cdr stats Master.csv --tz Europe/Moscow --by hour --by outcome --format json");
  add_read_options(*stats, *a);
  stats->add_option("--by", a->by, "Group by (repeatable, composite key): hour, day, operator, prefix, trunk, channel, "
                                    "called, outcome")
      ->delimiter(',')
      ->allow_extra_args(false);
  stats->add_option("--prefix-digits", a->prefix_digits, "Digits of the destination prefix (E.164 without +, default 4)")
      ->check(telsim::cli::within(1, 15, true));
  stats->add_option("--registry", a->registry, "Numbering registry (telsim numbering import) for --by operator");
  telsim::cli::add_format(*stats, a->format);
  telsim::out::add_out_option(*stats, a->out, "Write the report to this file (atomically) instead of stdout");
  telsim::cli::add_gate_options(*stats, a->gates);
  stats->callback([a] { run_stats(*a); });

  auto* replay = app.add_subcommand(
      "replay",
      "Log every call of CDR files into the pool database and attribute it to sessions or channels:\n"
      "  telsim cdr replay Master.csv --db telsim.db --tz Europe/Moscow --leases leases.csv");
  add_read_options(*replay, *a);
  const char* env_db = std::getenv("TELSIM_DB");
  a->db = env_db && *env_db ? env_db : "telsim.db";
  replay->add_option("--db", a->db, "Pool database (default $TELSIM_DB or ./telsim.db); must exist (telsim pool init)");
  replay->add_option("--leases", a->leases, "CSV of lease events (time,pool,session[,source,medium,campaign]) applied "
                                            "before the calls");
  telsim::cli::add_format(*replay, a->format);
  telsim::out::add_out_option(*replay, a->out, "Write the summary to this file (atomically) instead of stdout");
  replay->callback([a] { run_replay(*a); });

  auto* calibrate = app.add_subcommand(
      "calibrate",
      "Scenario traffic estimated from CDR files, as an include with a 95% interval on every value:\n"
      "  telsim cdr calibrate Master.csv --registry numbering.reg --tz Europe/Moscow --out traffic.toml");
  add_read_options(*calibrate, *a);
  calibrate->add_option("--registry", a->registry, "Numbering registry (telsim numbering import): origin operator of "
                                                    "each caller");
  calibrate->add_option("--origin", a->origin, "What names a call's origin operator: registry (the caller's range "
                                               "holder; default with --registry), channel (the incoming trunk, "
                                               "default otherwise) or none")
      ->check(CLI::IsMember({"registry", "channel", "none"}));
  calibrate->add_option("--operator", a->operator_keys, "NAME=KEY: calls whose registry operator name contains NAME "
                                                       "come from the scenario operator KEY (repeatable)");
  calibrate->add_option("--to", a->to, "The scenario operator the calls go to (default ours)");
  calibrate->add_option("--redial-window", a->redial_window, "Seconds: a call from the same caller to the same number "
                                                             "within this time of an unanswered call's start is a "
                                                             "redial (default 1800)")
      ->check(telsim::cli::within(1, 86400, true));
  calibrate->add_option("--days", a->days, "Days the CDR covers (default: calendar days from the first call's to the "
                                           "last call's)")
      ->check(telsim::cli::positive());
  telsim::out::add_out_option(*calibrate, a->out, "Write the include to this file (atomically) instead of stdout");
  calibrate->callback([a] { run_calibrate(*a); });

}
