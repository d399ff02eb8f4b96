#include "core/net/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/base/file_check.h"
#include "core/base/quote.h"
#include "core/base/spelling.h"
#include "core/base/text.h"
#include "core/base/toml_reader.h"

namespace telsim {
namespace fs = std::filesystem;

int Scenario::operator_index(const std::string& name) const {
  for (size_t i = 0; i < operators.size(); ++i)
    if (operators[i].name == name) return static_cast<int>(i);
  return -1;
}

int Scenario::interconnect_index(const std::string& name) const {
  for (size_t i = 0; i < interconnects.size(); ++i)
    if (interconnects[i].name == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Scenario::destinations() const {
  std::vector<std::string> out;
  for (auto& s : streams)
    if (std::find(out.begin(), out.end(), s.to) == out.end()) out.push_back(s.to);
  return out;
}

int Scenario::find_route(const std::string& from, const std::string& to, const std::string& called) const {
  int best = -1;
  size_t best_len = 0;
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    if (r.from != from || r.to != to) continue;
    if (called.compare(0, r.prefix.size(), r.prefix) != 0) continue;
    if (best < 0 || r.prefix.size() > best_len) {
      best = static_cast<int>(i);
      best_len = r.prefix.size();
    }
  }
  return best;
}

namespace {

// Overlay `top` onto `base`: tables merge key by key, anything else replaces.
// Nodes are moved, not copied: toml++ keeps a node's source (file and line,
// for error messages) only when it is moved.
void merge_into(toml::table& base, toml::table&& top) {
  for (auto&& [k, v] : top) {
    toml::node* existing = base.get(k);
    if (existing && existing->is_table() && v.is_table()) merge_into(*existing->as_table(), std::move(*v.as_table()));
    else base.insert_or_assign(k, std::move(v));
  }
}

// `stack`: the files being read, outermost first (canonical path, as named).
using IncludeStack = std::vector<std::pair<std::string, std::string>>;

toml::table load_with_includes(const std::string& path, IncludeStack& stack, std::vector<std::string>* read = nullptr) {
  std::error_code ec;
  fs::path canon = fs::weakly_canonical(path, ec);
  // The error_code forms throughout: a name too long for the system
  // (ENAMETOOLONG) or a path it cannot look at is "no such file", not a
  // filesystem_error.
  if (!fs::exists(path, ec)) throw InputError(fmt::format("{}: no such scenario file", path));
  refuse_folder(path, "", "a scenario file");
  for (size_t i = 0; i < stack.size(); ++i)
    if (stack[i].first == canon.string()) {
      std::string chain;
      for (size_t k = i; k < stack.size(); ++k) chain += (k == i ? "" : ", which includes ") + stack[k].second;
      throw InputError(fmt::format("{}: include cycle: {}, which includes {} again", stack.back().second, chain, path));
    }
  stack.emplace_back(canon.string(), path);
  if (read) read->push_back(path);
  toml::table top = parse_toml_file(path, "scenario file");
  toml::table result;
  if (const toml::node* inc = top.get("include")) {
    std::vector<std::string> files;
    if (auto s = inc->value_exact<std::string>()) files.push_back(*s);
    else if (auto* arr = inc->as_array()) {
      for (auto& e : *arr) {
        if (auto s = e.value_exact<std::string>()) files.push_back(*s);
        else throw InputError(fmt::format("{}: include: expected file names", source_of(*inc, path)));
      }
    } else {
      throw InputError(fmt::format("{}: include: expected a file name or an array of them", source_of(*inc, path)));
    }
    for (auto& f : files) {
      fs::path p = fs::path(f).is_absolute() ? fs::path(f) : fs::path(path).parent_path() / f;
      if (!fs::exists(p, ec))
        throw InputError(fmt::format("{}: include: no such file {}", source_of(*inc, path), quote_field(p.string())));
      if (fs::is_directory(p, ec))
        throw InputError(fmt::format("{}: include: {} is a folder, not a scenario file", source_of(*inc, path),
                                     quote_field(p.string())));
      merge_into(result, load_with_includes(p.string(), stack, read));
    }
    top.erase("include");
  } else {
    stack.pop_back();
    return top;
  }
  merge_into(result, std::move(top));
  stack.pop_back();
  return result;
}

// `s` as a TOML basic string: "..." with quotes, backslashes and control
// characters escaped (a --set value that is not TOML is taken as text).
std::string toml_basic_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += std::string("\\") + static_cast<char>(c);
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04x}", c);
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

void apply_override(toml::table& root, const std::string& key, const std::string& value, const std::string& file) {
  if (key.empty()) throw InputError("an override needs a key: KEY=VALUE", Topic::kEmptyOverride);
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  // The tables that hold named things: a name missing from one of them is
  // a misspelt or absent operator, interconnect, ..., never filled in.
  static const std::set<std::string> kNamed = {"operators", "interconnects", "routes", "streams", "pools", "sources"};
  // The optional top-level tables of fixed keys (docs/scenario-format.md).
  // Not [uncertain]: its keys are dotted paths in quotes, which a --set key
  // split at its dots cannot name.
  static const std::set<std::string> kOptional = {"simulation", "control", "economics", "gates", "hops", "forwarding"};
  // The key as messages show it: cut past a few hundred bytes (a --set may be 128 KB).
  const std::string shown = key.size() <= kQuotedFieldMax ? key : quote_field(key);
  toml::table* t = &root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* n = t->get(parts[i]);
    // An optional table the file leaves out ([simulation], [gates], an
    // interconnect's [incidents], a stream's [redial], ...): the override
    // fills it in, and validation then judges its keys as it judges the
    // file's. Not so for a missing top-level table of named things, or a
    // missing name in one (`interconnects.trunkk.channels`), or a top-level
    // table that is not one of the scenario's.
    bool named = i <= 1 && kNamed.count(parts[0]);
    if (!n && named) {
      std::string kind = parts[0].substr(0, parts[0].size() - 1), names;
      if (i == 1)
        for (auto&& [k, v] : *t) names += (names.empty() ? "" : ", ") + std::string(k.str());
      names = cut_list(names);
      std::string has = i == 0 ? fmt::format("it has no [{}]", parts[0])
                        : names.empty() ? "it has none"
                                        : fmt::format("its {}: {}", parts[0], names);
      // The file is named: with several networks (sim compare) the key may be
      // missing from one of them only.
      throw InputError(fmt::format("{}: no {} named {} in {} ({})", shown, kind, quote_field(parts[1]), file, has),
                       Topic::kOverride);
    }
    if (!n && i == 0 && !kOptional.count(parts[0]))
      throw InputError(fmt::format("{}: unknown key {}", shown, quote_field(parts[0])), Topic::kOverride);
    if (!n) n = t->insert(parts[i], toml::table{}).first->second.as_table();
    if (!n->is_table())
      throw InputError(fmt::format("{}: {} is not a table", shown, quote_field(parts[i])), Topic::kOverride);
    t = n->as_table();
  }
  // The value is TOML (a number, true, "text", [..], {..}); a bare word is a
  // string. Parsed with its origin as the source name, "FILE: override
  // KEY=VALUE", so that a message about it names the override, not a line of
  // the file (toml_reader.cc); tools/ names the option that gave it.
  // TOML is UTF-8, and so is every output the value may reach (JSON).
  if (!valid_utf8(value)) throw InputError(fmt::format("{}: the value is not valid UTF-8 text", shown), Topic::kOverride);
  // As messages show it: control characters escaped (a newline would break
  // the message), cut past a few hundred bytes.
  std::string seen;
  for (unsigned char c : value) seen += c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, char(c));
  const std::string origin = fmt::format("{}: override {}={}", file, shown,
                                         seen.size() <= kQuotedFieldMax ? seen : quote_field(seen));
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value, origin);
  } catch (const toml::parse_error&) {
    parsed = toml::parse("v = " + toml_basic_string(value), origin);  // valid UTF-8, escaped: parses
  }
  // "1\nbogus = 5" parses as two keys: the second must not go unnoticed.
  if (parsed.size() != 1)
    throw InputError(fmt::format("{}: the value holds more than one TOML value (a line break, then another key?)", shown),
                     Topic::kOverride);
  const std::string& leaf = parts.back();
  if (!t->contains(leaf)) {
    // A key that the file leaves at its default is allowed; validation
    // rejects names that are not keys at all.
  }
  t->insert_or_assign(leaf, std::move(*parsed.get("v")));  // moved: a copy loses the source
}

// "unknown interconnect 't1-our' (did you mean 't1-ours'?)", or with the names there are.
template <typename Named>
std::string unknown_name(const char* kind, const std::string& name, const std::vector<Named>& there) {
  std::vector<std::string> names;
  for (auto& x : there) names.push_back(x.name);
  std::string s = fmt::format("unknown {} {}", kind, quote_field(name));
  if (auto near = nearest_words(name, names); !near.empty()) {
    std::string options;
    for (auto& w : near) options += (options.empty() ? "" : " or ") + quote_field(w);
    return s + fmt::format(" (did you mean {}?)", options);
  }
  std::string list;
  for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
  list = cut_list(list);
  return list.empty() ? s : s + fmt::format("; the {}s: {}", kind, list);
}

// A key of [simulation] or [control] written at the top of the file (before
// any table header, or after the file's own tables): "unknown key" alone
// would not say where it belongs.
void refuse_misplaced_keys(const toml::table& root, const std::string& path) {
  static const std::pair<const char*, const char*> kBelongs[] = {
      {"days", "simulation"},        {"warmup_days", "simulation"},       {"seed", "simulation"},
      {"replications", "simulation"}, {"monitoring", "control"},          {"detection_minutes", "control"},
      {"reroute_minutes", "control"}, {"drop_calls_on_failure", "control"}};
  for (auto& [key, table] : kBelongs)
    if (const toml::node* n = root.get(key))
      throw InputError(fmt::format("{}: {}: unknown key at the top of the file; it belongs in [{}] (a key written "
                                   "before any [table] header is at the top)",
                                   source_of(*n, path), key, table));
}

Duration read_duration(TomlReader& r, const std::string& unit_suffix, double scale, double default_mean) {
  Duration d;
  std::string dist = r.choice("distribution", {"exponential", "lognormal", "deterministic"}, "exponential");
  d.mean = r.positive("mean_" + unit_suffix, default_mean) * scale;
  if (dist == "exponential") d.kind = Duration::Kind::kExponential;
  if (dist == "deterministic") d.kind = Duration::Kind::kDeterministic;
  if (dist == "lognormal") {
    d.kind = Duration::Kind::kLognormal;
    d.sd = r.positive("sd_" + unit_suffix) * scale;
  } else if (r.has("sd_" + unit_suffix)) {
    r.fail("sd_" + unit_suffix, "only a lognormal distribution takes a standard deviation");
  }
  return d;
}

// Walks a path from `from` and returns the operator it ends at; fails with the
// route's key when an interconnect does not touch the current operator.
void check_path(TomlReader& r, const Scenario& sc, const Route& route, const std::vector<int>& path,
                size_t path_no) {
  std::string at = route.from;
  for (int ic : path) {
    const Interconnect& x = sc.interconnects[ic];
    if (x.a == at) at = x.b;
    else if (x.b == at) at = x.a;
    else
      r.fail("paths", fmt::format("path {} does not connect: interconnect '{}' joins {} and {}, but the path is at {}",
                                  path_no + 1, x.name, x.a, x.b, at));
  }
  if (at != route.to)
    r.fail("paths", fmt::format("path {} ends at {}, not at the destination {}", path_no + 1, at, route.to));
}

// TOML allows inf and nan, but no key of a scenario means anything with them
// (an infinite run never ends, an infinite rate never advances the clock).
// One walk over the merged tree refuses them wherever they are.
void refuse_non_finite(const toml::node& node, const std::string& key, const std::string& path) {
  if (const toml::table* t = node.as_table()) {
    for (auto& [k, v] : *t) {
      std::string name(k.str());
      refuse_non_finite(v, key.empty() ? name : key + "." + name, path);
    }
  } else if (const toml::array* a = node.as_array()) {
    for (auto& e : *a) refuse_non_finite(e, key, path);
  } else if (auto v = node.value_exact<double>(); v && !std::isfinite(*v)) {
    throw InputError(fmt::format("{}: {}: must be a finite number, got {}", source_of(node, path), key, *v));
  }
}

// Limits that keep a run finite in time and memory. Incidents and node
// failures are drawn in full before the run and each one becomes events of a
// SimGrid state profile (about a kilobyte and a millisecond each), so their
// expected number over a replication is capped.
constexpr double kMaxDays = 36500;              // a century
constexpr double kMaxCallsPerDay = 1e9;         // about 11,600 calls a second
constexpr double kMaxFailuresPerReplication = 1e6;

// Counts the interconnect incidents and node failures a replication should
// expect, and refuses the key whose rate takes the total over the cap.
class FailureBudget {
 public:
  explicit FailureBudget(const Simulation& sim) : days_(sim.days + sim.warmup_days) {}

  /// `expected` events of kind `what` ("incidents", "node failures") for the rate read at `key` of `r`.
  void add(TomlReader& r, const std::string& key, double expected, const char* what) {
    total_ += expected;
    if (total_ <= kMaxFailuresPerReplication) return;
    std::string others =
        total_ > expected ? fmt::format(" ({:.2g} with the incidents and failures above)", total_) : "";
    r.fail(key, fmt::format("about {:.2g} {} per replication over {:g} days (warm-up included){}; a run holds at "
                            "most {:.0f} incidents and failures in memory",
                            expected, what, days_, others, kMaxFailuresPerReplication));
  }
  double hours() const { return days_ * 24; }

 private:
  double days_;
  double total_ = 0;
};

Simulation read_simulation(TomlReader& top, const std::string& path) {
  Simulation sim;
  const toml::table* t = top.table("simulation");
  if (!t) return sim;
  TomlReader r(*t, "simulation", path);
  sim.days = r.positive("days", 30);
  if (sim.days > kMaxDays) r.fail("days", fmt::format("at most {:g} days (a century), got {:g}", kMaxDays, sim.days));
  sim.warmup_days = r.non_negative("warmup_days", 0);
  if (sim.warmup_days > kMaxDays)
    r.fail("warmup_days", fmt::format("at most {:g} days (a century), got {:g}", kMaxDays, sim.warmup_days));
  int64_t seed = r.integer("seed", 1);
  if (seed < 0) r.fail("seed", "must not be negative");
  sim.seed = static_cast<uint64_t>(seed);
  int64_t reps = r.integer("replications", 1);
  if (reps < 1 || reps > 100000) r.fail("replications", "must be between 1 and 100000");
  sim.replications = static_cast<int>(reps);
  r.finish();
  return sim;
}

// Reads `detection_minutes` (minutes or "never") into `detection_seconds` and
// `never`, and refuses a value that contradicts `monitoring` (see Control).
void read_detection(TomlReader& r, bool monitoring, double default_minutes, double* detection_seconds, bool* never) {
  const char* key = "detection_minutes";
  if (r.has(key) && r.node(key)->value_exact<std::string>()) {
    std::string v = r.string(key);
    if (v != "never") r.fail(key, "expected minutes or \"never\"");
    if (monitoring)
      r.fail(key, "\"never\" contradicts control.monitoring = true (live monitoring sees every outage); set "
                  "monitoring = false");
    *never = true;
    return;
  }
  double minutes = r.non_negative(key, default_minutes);
  if (r.has(key) && !monitoring && minutes < kMaxMonitoredDetectionMinutes)
    r.fail(key, fmt::format("{:g} minutes contradicts control.monitoring = false: without live monitoring an outage "
                            "is noticed after {:g} minutes or more (or \"never\"); set monitoring = true",
                            minutes, kMaxMonitoredDetectionMinutes));
  if (r.has(key) && monitoring && minutes > kMaxMonitoredDetectionMinutes)
    r.fail(key, fmt::format("{:g} minutes contradicts control.monitoring = true: live monitoring sees an outage "
                            "within {:g} minutes; set monitoring = false for late detection",
                            minutes, kMaxMonitoredDetectionMinutes));
  *never = false;
  *detection_seconds = minutes * 60;
}

Control read_control(TomlReader& top, const std::string& path) {
  Control c;
  const toml::table* t = top.table("control");
  if (!t) {
    c.detection_seconds = 120;
    c.reroute_seconds = 450;
    return c;
  }
  TomlReader r(*t, "control", path);
  c.monitoring = r.boolean("monitoring", true);
  read_detection(r, c.monitoring, c.monitoring ? 2 : 240, &c.detection_seconds, &c.never_detected);
  c.reroute_seconds = r.non_negative("reroute_minutes", 7.5) * 60;
  c.drop_calls_on_failure = r.boolean("drop_calls_on_failure", true);
  r.finish();
  return c;
}

// The four sections of named tables ([operators.NAME], [interconnects.NAME],
// [routes.NAME], [streams.NAME]) share their shape: at least one entry, each
// a table. `read` gets each entry's name and a reader on it, in name order.
template <typename Read>
void read_named_tables(TomlReader& top, const std::string& section, const std::string& none, Read read) {
  const toml::table* entries = top.table(section);
  if (!entries || entries->empty()) top.fail(section, none + top.misspelling_hint(section));  // [stream.x]?
  TomlReader outer(*entries, section, top.file());
  for (auto& [k, v] : *entries) {
    std::string name(k.str());
    if (!v.is_table()) outer.fail(name, "expected a table");
    TomlReader r(*v.as_table(), section + "." + name, top.file());
    read(name, r);
  }
}

Node read_node(TomlReader& n, FailureBudget& budget) {
  Node node;
  int64_t comps = n.integer("components", 1);
  if (comps < 1 || comps > 64) n.fail("components", "must be between 1 and 64");
  node.components = static_cast<int>(comps);
  int64_t req = n.integer("required", 1);
  if (req < 1 || req > comps) n.fail("required", fmt::format("must be between 1 and components ({})", comps));
  node.required = static_cast<int>(req);
  node.mtbf_hours = n.positive("mtbf_hours");
  node.mttr_hours = n.positive("mttr_hours");
  budget.add(n, "mtbf_hours", budget.hours() / (node.mtbf_hours + node.mttr_hours) * comps, "node failures");
  n.finish();
  return node;
}

Operator read_operator(const std::string& name, TomlReader& r, FailureBudget& budget) {
  Operator op;
  op.name = name;
  op.kind = r.choice("kind", {"ours", "mobile", "fixed", "transit", "small"});
  op.registry = r.string("registry", "");
  if (const toml::table* nt = r.table("node")) {
    TomlReader n(*nt, r.key_path("node"), r.file());
    op.node = read_node(n, budget);
  }
  r.finish();
  return op;
}

// `[hops]`: named completion figures (one per carrier hand-over, kept in a
// shared include) that interconnects refer to as completion = "hop:NAME",
// so the same hop never gets two values in two scenarios.
using Hops = std::map<std::string, double>;

Hops read_hops(TomlReader& top) {
  Hops hops;
  const toml::table* t = top.table("hops");
  if (!t) return hops;
  TomlReader r(*t, "hops", top.file());
  for (auto& [k, v] : *t) {
    std::string name(k.str());
    hops[name] = r.probability(name);
  }
  r.finish();
  return hops;
}

// completion: a probability, or "hop:NAME" naming a value of [hops].
double read_completion(TomlReader& r, const Hops& hops) {
  const toml::node* n = r.has("completion") ? r.node("completion") : nullptr;
  if (!n || !n->is_string()) return r.probability("completion", 1.0);
  const std::string v = n->value<std::string>().value_or("");
  if (v.rfind("hop:", 0) != 0)
    r.fail("completion",
           fmt::format("expected a probability or \"hop:NAME\" (a key of [hops]), got {}", quote_field(v)));
  auto it = hops.find(v.substr(4));
  if (it == hops.end()) {
    std::string names;
    for (auto& [k, x] : hops) names += (names.empty() ? "" : ", ") + k;
    r.fail("completion", fmt::format("no hop {} in [hops] ({})", quote_field(v.substr(4)),
                                     names.empty() ? "the scenario has no [hops] table" : "hops: " + cut_list(names)));
  }
  return it->second;
}

Interconnect read_interconnect(const std::string& name, TomlReader& r, const Scenario& sc, FailureBudget& budget,
                               const Hops& hops) {
  const std::string key = r.key_path("");
  Interconnect ic;
  ic.name = name;
  auto between = r.strings("between");
  if (between.size() != 2) r.fail("between", "expected two operator names");
  for (auto& b : between)
    if (sc.operator_index(b) < 0) r.fail("between", unknown_name("operator", b, sc.operators));
  if (between[0] == between[1]) r.fail("between", "an interconnect joins two different operators");
  ic.a = between[0];
  ic.b = between[1];
  int64_t ch = r.integer("channels");
  if (ch <= 0) r.fail("channels", fmt::format("capacity must be positive, got {}", ch));
  if (ch > 100000000) r.fail("channels", "more than 10^8 channels");
  ic.channels = static_cast<int>(ch);
  ic.completion = read_completion(r, hops);
  // Detection and reroute: [control]'s unless this interconnect sets its own.
  ic.never_detected = sc.control.never_detected;
  ic.detection_seconds = sc.control.detection_seconds;
  ic.reroute_seconds = sc.control.reroute_seconds;
  if (r.has("detection_minutes"))
    read_detection(r, sc.control.monitoring, 0, &ic.detection_seconds, &ic.never_detected);
  if (r.has("reroute_minutes")) ic.reroute_seconds = r.non_negative("reroute_minutes") * 60;
  if (const toml::table* it = r.table("incidents")) {
    TomlReader in(*it, key + ".incidents", r.file());
    ic.incidents.mean_between_hours = in.positive("mean_between_hours");
    budget.add(in, "mean_between_hours", budget.hours() / ic.incidents.mean_between_hours, "incidents");
    ic.incidents.duration = read_duration(in, "minutes", 60.0, 30);
    in.finish();
  }
  if (const toml::array* arr = r.array("outages")) {
    for (auto& e : *arr) {
      if (!e.is_table()) r.fail("outages", "expected an array of { start_hours, minutes } tables");
      TomlReader o(*e.as_table(), key + ".outages", r.file());
      Outage out;
      out.start = o.non_negative("start_hours") * 3600;
      out.duration = o.positive("minutes") * 60;
      o.finish();
      ic.incidents.schedule.push_back(out);
    }
  }
  r.finish();
  return ic;
}

// The value of `key`, which must name an operator of `sc`.
std::string operator_name(TomlReader& r, const Scenario& sc, const std::string& key) {
  std::string name = r.string(key);
  if (sc.operator_index(name) < 0) r.fail(key, unknown_name("operator", name, sc.operators));
  return name;
}

Route read_route(const std::string& name, TomlReader& r, const Scenario& sc) {
  Route rt;
  rt.name = name;
  rt.from = operator_name(r, sc, "from");
  rt.to = operator_name(r, sc, "to");
  rt.prefix = r.string("prefix", "");
  const toml::array* paths = r.array("paths");
  if (!paths || paths->empty()) r.fail("paths", "a route needs at least one path (an array of interconnect arrays)");
  for (auto& p : *paths) {
    if (!p.is_array() || p.as_array()->empty()) r.fail("paths", "each path is a non-empty array of interconnect names");
    std::vector<int> ids;
    for (auto& e : *p.as_array()) {
      auto s = e.value_exact<std::string>();
      if (!s) r.fail("paths", "each path is an array of interconnect names");
      int id = sc.interconnect_index(*s);
      if (id < 0) r.fail("paths", unknown_name("interconnect", *s, sc.interconnects));
      ids.push_back(id);
    }
    check_path(r, sc, rt, ids, rt.paths.size());
    rt.paths.push_back(ids);
  }
  r.finish();
  for (auto& other : sc.routes)
    if (other.from == rt.from && other.to == rt.to && other.prefix == rt.prefix)
      r.fail("", fmt::format("same from, to and prefix as route '{}'", other.name));
  return rt;
}

// 24 hourly weights, normalised to mean 1; flat when absent.
std::vector<double> read_profile(TomlReader& r) {
  if (!r.has("profile")) return std::vector<double>(24, 1.0);
  std::vector<double> profile = r.numbers("profile");
  if (profile.size() != 24)
    r.fail("profile", fmt::format("a 24-hour profile needs 24 values, got {}", profile.size()));
  double sum = 0;
  for (double w : profile) {
    if (w < 0) r.fail("profile", "weights must not be negative");
    sum += w;
  }
  if (sum <= 0) r.fail("profile", "at least one weight must be positive");
  for (double& w : profile) w = w * 24 / sum;
  return profile;
}

Callee read_callee(TomlReader& cr) {
  Callee c;
  c.answer = cr.probability("answer");
  c.busy = cr.probability("busy", 0);
  c.no_answer = cr.probability("no_answer", 0);
  c.ring_seconds = cr.non_negative("ring_seconds", 30);
  double sum = c.answer + c.busy + c.no_answer;
  if (std::abs(sum - 1) > 1e-9) cr.fail("", fmt::format("answer + busy + no_answer must be 1, got {:.10g}", sum));
  cr.finish();
  return c;
}

Redial read_redial(TomlReader& dr) {
  Redial d;
  d.share = dr.probability("share");
  d.delay_seconds = dr.non_negative("delay_minutes", 5) * 60;
  int64_t m = dr.integer("max_attempts", 3);
  if (m < 1 || m > 100) dr.fail("max_attempts", "must be between 1 and 100");
  d.max_attempts = static_cast<int>(m);
  dr.finish();
  return d;
}

// What a stream and a traffic source's calls read alike: the holding time,
// the callee, redials, and the route their calls take; then the table ends.
void read_calls(TomlReader& r, const Scenario& sc, const std::string& key, Stream& s) {
  if (const toml::table* h = r.table("holding")) {
    TomlReader hr(*h, key + ".holding", r.file());
    s.holding = read_duration(hr, "seconds", 1.0, 180);
    hr.finish();
  }
  if (const toml::table* c = r.table("callee")) {
    TomlReader cr(*c, key + ".callee", r.file());
    s.callee = read_callee(cr);
  }
  if (const toml::table* d = r.table("redial")) {
    TomlReader dr(*d, key + ".redial", r.file());
    s.redial = read_redial(dr);
  }
  s.route = sc.find_route(s.from, s.to, s.prefix);
  if (s.route < 0)
    r.fail("", fmt::format("no route from {} to {}{} (add a [routes.NAME] with from = \"{}\", to = \"{}\")", s.from,
                           s.to, s.prefix.empty() ? "" : " for prefix " + cut_field(s.prefix), s.from, s.to));
  r.finish();
}

Stream read_stream(const std::string& name, TomlReader& r, const Scenario& sc) {
  const std::string key = r.key_path("");
  Stream s;
  s.name = name;
  s.from = operator_name(r, sc, "from");
  s.to = operator_name(r, sc, "to");
  s.prefix = r.string("prefix", "");
  s.calls_per_day = r.positive("calls_per_day");
  if (s.calls_per_day > kMaxCallsPerDay)
    r.fail("calls_per_day", fmt::format("at most {:.0f} calls a day, got {:g}", kMaxCallsPerDay, s.calls_per_day));
  s.profile = read_profile(r);
  read_calls(r, sc, key, s);
  return s;
}

// `[pools.NAME]`: a dynamic pool of tracking numbers.
PoolDef read_pool(const std::string& name, TomlReader& r) {
  PoolDef p;
  p.name = name;
  int64_t n = r.integer("numbers");
  if (n < 1 || n > 1000000) r.fail("numbers", fmt::format("must be between 1 and 1000000, got {}", n));
  p.numbers = static_cast<int>(n);
  p.hold_seconds = r.non_negative("hold_minutes", 15) * 60;
  r.finish();
  return p;
}

// `[sources.NAME]`: an ad channel's visitors, their calls, and the stream
// that carries those calls through the network (appended to sc.streams).
void read_source(const std::string& name, TomlReader& r, Scenario& sc) {
  const std::string key = r.key_path("");
  for (auto& s : sc.streams)
    if (s.name == name) r.fail("", fmt::format("a source and a stream share the name {}", quote_field(name)));
  Source src;
  src.name = name;
  src.label = r.string("label", name);
  if (src.label.empty()) r.fail("label", "must not be empty");
  src.visitors_per_day = r.positive("visitors_per_day");
  if (src.visitors_per_day > kMaxCallsPerDay)
    r.fail("visitors_per_day",
           fmt::format("at most {:.0f} visitors a day, got {:g}", kMaxCallsPerDay, src.visitors_per_day));
  src.profile = read_profile(r);
  src.call_share = r.probability("call_share");
  if (const toml::table* v = r.table("visit")) {
    TomlReader vr(*v, key + ".visit", r.file());
    src.visit = read_duration(vr, "minutes", 60.0, 3);
    vr.finish();
  }
  if (const toml::table* d = r.table("call_delay")) {
    TomlReader dr(*d, key + ".call_delay", r.file());
    src.call_delay = read_duration(dr, "minutes", 60.0, 2);
    dr.finish();
  }
  if (r.has("pool")) {
    std::string pool = r.string("pool");
    for (size_t i = 0; i < sc.pools.size(); ++i)
      if (sc.pools[i].name == pool) src.pool = static_cast<int>(i);
    if (src.pool < 0) {
      std::string names;
      for (auto& p : sc.pools) names += (names.empty() ? "" : ", ") + p.name;
      r.fail("pool", fmt::format("no pool {} ({})", quote_field(pool),
                                 names.empty() ? "the scenario has no [pools.NAME]" : "pools: " + cut_list(names)));
    }
  }
  // The calls: a stream of the source's name, driven by its visitors.
  Stream s;
  s.name = name;
  s.from = operator_name(r, sc, "from");
  s.to = operator_name(r, sc, "to");
  s.prefix = r.string("prefix", "");
  s.calls_per_day = src.visitors_per_day * src.call_share;
  s.profile = src.profile;
  read_calls(r, sc, key, s);
  s.source = static_cast<int>(sc.sources.size());
  src.stream = static_cast<int>(sc.streams.size());
  sc.streams.push_back(std::move(s));
  sc.sources.push_back(std::move(src));
}

// `name` and `[gates]`: what labels the network and what checks its results.
void read_identity(TomlReader& top, Scenario& sc) {
  sc.name = top.string("name", "");
  if (sc.name.empty()) sc.name = fs::path(sc.file).stem().string();
  if (const toml::table* t = top.table("gates")) {
    TomlReader r(*t, "gates", sc.file);
    if (r.has("fail_if")) {
      sc.gates = r.strings("fail_if");
      for (auto& e : *r.array("fail_if")) sc.gate_sources.push_back(source_of(e, sc.file));
    }
    r.finish();
  }
  if (const toml::table* t = top.table("uncertain")) {
    TomlReader r(*t, "uncertain", sc.file);
    for (auto& [k, v] : *t) {
      const std::string key(k.str());
      std::vector<double> range = r.numbers(key);
      if (range.size() != 2 || !(range[0] < range[1]))
        r.fail(key, "an uncertain input is [LOW, HIGH] with LOW < HIGH");
      sc.uncertain.push_back({key, range[0], range[1], source_of(v, sc.file)});
    }
    r.finish();
  }
}

}  // namespace

bool scenario_has_key(const std::string& path, const std::string& key) {
  IncludeStack stack;
  toml::table root = load_with_includes(path, stack);
  const toml::table* t = &root;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    const toml::node* n = t->get(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (!n) return false;
    if (dot == std::string::npos) return true;
    if (!n->is_table()) return false;
    t = n->as_table();
    start = dot + 1;
  }
}

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  IncludeStack stack;
  Scenario sc;
  toml::table root = load_with_includes(path, stack, &sc.files);
  for (auto& [k, v] : overrides) apply_override(root, k, v, path);
  refuse_non_finite(root, "", path);

  sc.file = path;
  TomlReader top(root, "", path);
  sc.description = top.string("description", "");
  read_identity(top, sc);
  sc.sim = read_simulation(top, path);
  sc.control = read_control(top, path);
  sc.economics = read_economics(top);
  FailureBudget budget(sc.sim);
  const Hops hops = read_hops(top);

  read_named_tables(top, "operators", "a scenario needs at least one operator ([operators.NAME])",
                    [&](const std::string& name, TomlReader& r) {
                      sc.operators.push_back(read_operator(name, r, budget));
                    });
  read_named_tables(top, "interconnects", "a scenario needs at least one interconnect ([interconnects.NAME])",
                    [&](const std::string& name, TomlReader& r) {
                      sc.interconnects.push_back(read_interconnect(name, r, sc, budget, hops));
                    });
  read_named_tables(top, "routes", "a scenario needs at least one route ([routes.NAME])",
                    [&](const std::string& name, TomlReader& r) { sc.routes.push_back(read_route(name, r, sc)); });
  // Traffic: plain streams, and callers who come from visitors of ad
  // channels ([sources.NAME]); a scenario with sources needs no stream.
  if (top.has("streams") || !top.has("sources"))
    read_named_tables(top, "streams", "no traffic: a scenario needs at least one stream ([streams.NAME])",
                      [&](const std::string& name, TomlReader& r) { sc.streams.push_back(read_stream(name, r, sc)); });
  if (top.has("pools"))
    read_named_tables(top, "pools", "no pool in [pools]",
                      [&](const std::string& name, TomlReader& r) { sc.pools.push_back(read_pool(name, r)); });
  if (top.has("sources"))
    read_named_tables(top, "sources", "no source in [sources]",
                      [&](const std::string& name, TomlReader& r) { read_source(name, r, sc); });
  if (const toml::table* f = top.table("forwarding")) {
    TomlReader fr(*f, "forwarding", path);
    sc.forwarding = read_forwarding(fr);
  }
  refuse_misplaced_keys(root, path);
  top.finish();
  return sc;
}

}  // namespace telsim
