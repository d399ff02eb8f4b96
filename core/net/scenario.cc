#include "core/net/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/base/error.h"
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

toml::table load_with_includes(const std::string& path, std::set<std::string>& stack,
                               std::vector<std::string>* read = nullptr) {
  std::error_code ec;
  fs::path canon = fs::weakly_canonical(path, ec);
  if (!fs::exists(path)) throw InputError(fmt::format("{}: no such scenario file", path));
  if (stack.count(canon.string())) throw InputError(fmt::format("{}: include cycle", path));
  stack.insert(canon.string());
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
      if (!fs::exists(p))
        throw InputError(fmt::format("{}: include: no such file '{}'", source_of(*inc, path), p.string()));
      merge_into(result, load_with_includes(p.string(), stack, read));
    }
    top.erase("include");
  } else {
    stack.erase(canon.string());
    return top;
  }
  merge_into(result, std::move(top));
  stack.erase(canon.string());
  return result;
}

void apply_override(toml::table& root, const std::string& key, const std::string& value) {
  if (key.empty()) throw InputError("--set: empty key (use --set KEY=VALUE)");
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  toml::table* t = &root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* n = t->get(parts[i]);
    // [simulation] and [control] are optional tables whose keys all have
    // defaults: --set may fill one in that the file leaves out.
    if (!n && i == 0 && (parts[0] == "simulation" || parts[0] == "control"))
      n = t->insert(parts[0], toml::table{}).first->second.as_table();
    if (!n) throw InputError(fmt::format("--set {}: unknown key '{}'", key, parts[i]));
    if (!n->is_table()) throw InputError(fmt::format("--set {}: '{}' is not a table", key, parts[i]));
    t = n->as_table();
  }
  // The value is TOML (a number, true, "text", [..], {..}); a bare word is a string.
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value, std::string_view("--set " + key));
  } catch (const toml::parse_error&) {
    parsed = toml::table{{"v", value}};
  }
  const std::string& leaf = parts.back();
  if (!t->contains(leaf)) {
    // A key that the file leaves at its default is allowed; validation
    // rejects names that are not keys at all.
  }
  t->insert_or_assign(leaf, *parsed.get("v"));
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

// `name` and `[gates]`: what labels the network and what checks its results.
void read_identity(TomlReader& top, Scenario& sc) {
  sc.name = top.string("name", "");
  if (sc.name.empty()) sc.name = fs::path(sc.file).stem().string();
  if (const toml::table* t = top.table("gates")) {
    TomlReader r(*t, "gates", sc.file);
    if (r.has("fail_if")) sc.gates = r.strings("fail_if");
    r.finish();
  }
}

}  // namespace

bool scenario_has_key(const std::string& path, const std::string& key) {
  std::set<std::string> stack;
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
  std::set<std::string> stack;
  Scenario sc;
  toml::table root = load_with_includes(path, stack, &sc.files);
  for (auto& [k, v] : overrides) apply_override(root, k, v);

  sc.file = path;
  TomlReader top(root, "", path);
  sc.description = top.string("description", "");
  read_identity(top, sc);

  if (const toml::table* t = top.table("simulation")) {
    TomlReader r(*t, "simulation", path);
    sc.sim.days = r.positive("days", 30);
    sc.sim.warmup_days = r.non_negative("warmup_days", 0);
    int64_t seed = r.integer("seed", 1);
    if (seed < 0) r.fail("seed", "must not be negative");
    sc.sim.seed = static_cast<uint64_t>(seed);
    int64_t reps = r.integer("replications", 1);
    if (reps < 1 || reps > 100000) r.fail("replications", "must be between 1 and 100000");
    sc.sim.replications = static_cast<int>(reps);
    r.finish();
  }

  if (const toml::table* t = top.table("control")) {
    TomlReader r(*t, "control", path);
    sc.control.monitoring = r.boolean("monitoring", true);
    double default_detect = sc.control.monitoring ? 2 : 240;
    if (r.has("detection_minutes") && r.node("detection_minutes")->value_exact<std::string>()) {
      std::string v = r.string("detection_minutes");
      if (v != "never") r.fail("detection_minutes", "expected minutes or \"never\"");
      sc.control.never_detected = true;
    } else {
      sc.control.detection_seconds = r.non_negative("detection_minutes", default_detect) * 60;
    }
    sc.control.reroute_seconds = r.non_negative("reroute_minutes", 7.5) * 60;
    r.finish();
  } else {
    sc.control.detection_seconds = 120;
    sc.control.reroute_seconds = 450;
  }

  const toml::table* ops = top.table("operators");
  if (!ops || ops->empty()) top.fail("operators", "a scenario needs at least one operator ([operators.NAME])");
  for (auto& [k, v] : *ops) {
    std::string name(k.str());
    TomlReader outer(*ops, "operators", path);
    if (!v.is_table()) outer.fail(name, "expected a table");
    TomlReader r(*v.as_table(), "operators." + name, path);
    Operator op;
    op.name = name;
    op.kind = r.choice("kind", {"ours", "mobile", "fixed", "transit", "small"});
    op.registry = r.string("registry", "");
    if (const toml::table* nt = r.table("node")) {
      TomlReader n(*nt, "operators." + name + ".node", path);
      int64_t comps = n.integer("components", 1);
      if (comps < 1 || comps > 64) n.fail("components", "must be between 1 and 64");
      op.node.components = static_cast<int>(comps);
      int64_t req = n.integer("required", 1);
      if (req < 1 || req > comps) n.fail("required", fmt::format("must be between 1 and components ({})", comps));
      op.node.required = static_cast<int>(req);
      op.node.mtbf_hours = n.positive("mtbf_hours");
      op.node.mttr_hours = n.positive("mttr_hours");
      n.finish();
    }
    r.finish();
    sc.operators.push_back(op);
  }

  const toml::table* ics = top.table("interconnects");
  if (!ics || ics->empty()) top.fail("interconnects", "a scenario needs at least one interconnect ([interconnects.NAME])");
  for (auto& [k, v] : *ics) {
    std::string name(k.str());
    TomlReader outer(*ics, "interconnects", path);
    if (!v.is_table()) outer.fail(name, "expected a table");
    std::string key = "interconnects." + name;
    TomlReader r(*v.as_table(), key, path);
    Interconnect ic;
    ic.name = name;
    auto between = r.strings("between");
    if (between.size() != 2) r.fail("between", "expected two operator names");
    for (auto& b : between)
      if (sc.operator_index(b) < 0) r.fail("between", fmt::format("unknown operator '{}'", b));
    if (between[0] == between[1]) r.fail("between", "an interconnect joins two different operators");
    ic.a = between[0];
    ic.b = between[1];
    int64_t ch = r.integer("channels");
    if (ch <= 0) r.fail("channels", fmt::format("capacity must be positive, got {}", ch));
    if (ch > 100000000) r.fail("channels", "more than 10^8 channels");
    ic.channels = static_cast<int>(ch);
    ic.completion = r.probability("completion", 1.0);
    if (const toml::table* it = r.table("incidents")) {
      TomlReader in(*it, key + ".incidents", path);
      ic.incidents.mean_between_hours = in.positive("mean_between_hours");
      ic.incidents.duration = read_duration(in, "minutes", 60.0, 30);
      in.finish();
    }
    if (const toml::array* arr = r.array("outages")) {
      for (auto& e : *arr) {
        if (!e.is_table()) r.fail("outages", "expected an array of { start_hours, minutes } tables");
        TomlReader o(*e.as_table(), key + ".outages", path);
        Outage out;
        out.start = o.non_negative("start_hours") * 3600;
        out.duration = o.positive("minutes") * 60;
        o.finish();
        ic.incidents.schedule.push_back(out);
      }
    }
    r.finish();
    sc.interconnects.push_back(ic);
  }

  const toml::table* rts = top.table("routes");
  if (!rts || rts->empty()) top.fail("routes", "a scenario needs at least one route ([routes.NAME])");
  for (auto& [k, v] : *rts) {
    std::string name(k.str());
    TomlReader outer(*rts, "routes", path);
    if (!v.is_table()) outer.fail(name, "expected a table");
    TomlReader r(*v.as_table(), "routes." + name, path);
    Route rt;
    rt.name = name;
    rt.from = r.string("from");
    if (sc.operator_index(rt.from) < 0) r.fail("from", fmt::format("unknown operator '{}'", rt.from));
    rt.to = r.string("to");
    if (sc.operator_index(rt.to) < 0) r.fail("to", fmt::format("unknown operator '{}'", rt.to));
    rt.prefix = r.string("prefix", "");
    const toml::array* paths = r.array("paths");
    if (!paths || paths->empty()) r.fail("paths", "a route needs at least one path (an array of interconnect arrays)");
    for (auto& p : *paths) {
      if (!p.is_array() || p.as_array()->empty())
        r.fail("paths", "each path is a non-empty array of interconnect names");
      std::vector<int> ids;
      for (auto& e : *p.as_array()) {
        auto s = e.value_exact<std::string>();
        if (!s) r.fail("paths", "each path is an array of interconnect names");
        int id = sc.interconnect_index(*s);
        if (id < 0) r.fail("paths", fmt::format("unknown interconnect '{}'", *s));
        ids.push_back(id);
      }
      check_path(r, sc, rt, ids, rt.paths.size());
      rt.paths.push_back(ids);
    }
    r.finish();
    for (auto& other : sc.routes)
      if (other.from == rt.from && other.to == rt.to && other.prefix == rt.prefix)
        r.fail("", fmt::format("same from, to and prefix as route '{}'", other.name));
    sc.routes.push_back(rt);
  }

  const toml::table* sts = top.table("streams");
  if (!sts || sts->empty()) top.fail("streams", "no traffic: a scenario needs at least one stream ([streams.NAME])");
  for (auto& [k, v] : *sts) {
    std::string name(k.str());
    TomlReader outer(*sts, "streams", path);
    if (!v.is_table()) outer.fail(name, "expected a table");
    std::string key = "streams." + name;
    TomlReader r(*v.as_table(), key, path);
    Stream s;
    s.name = name;
    s.from = r.string("from");
    if (sc.operator_index(s.from) < 0) r.fail("from", fmt::format("unknown operator '{}'", s.from));
    s.to = r.string("to");
    if (sc.operator_index(s.to) < 0) r.fail("to", fmt::format("unknown operator '{}'", s.to));
    s.prefix = r.string("prefix", "");
    s.calls_per_day = r.positive("calls_per_day");
    if (r.has("profile")) {
      s.profile = r.numbers("profile");
      if (s.profile.size() != 24)
        r.fail("profile", fmt::format("a 24-hour profile needs 24 values, got {}", s.profile.size()));
      double sum = 0;
      for (double w : s.profile) {
        if (w < 0) r.fail("profile", "weights must not be negative");
        sum += w;
      }
      if (sum <= 0) r.fail("profile", "at least one weight must be positive");
      for (double& w : s.profile) w = w * 24 / sum;
    } else {
      s.profile.assign(24, 1.0);
    }
    if (const toml::table* h = r.table("holding")) {
      TomlReader hr(*h, key + ".holding", path);
      s.holding = read_duration(hr, "seconds", 1.0, 180);
      hr.finish();
    }
    if (const toml::table* c = r.table("callee")) {
      TomlReader cr(*c, key + ".callee", path);
      s.callee.answer = cr.probability("answer");
      s.callee.busy = cr.probability("busy", 0);
      s.callee.no_answer = cr.probability("no_answer", 0);
      s.callee.ring_seconds = cr.non_negative("ring_seconds", 30);
      double sum = s.callee.answer + s.callee.busy + s.callee.no_answer;
      if (std::abs(sum - 1) > 1e-9) cr.fail("", fmt::format("answer + busy + no_answer must be 1, got {}", sum));
      cr.finish();
    }
    if (const toml::table* d = r.table("redial")) {
      TomlReader dr(*d, key + ".redial", path);
      s.redial.share = dr.probability("share");
      s.redial.delay_seconds = dr.non_negative("delay_minutes", 5) * 60;
      int64_t m = dr.integer("max_attempts", 3);
      if (m < 1 || m > 100) dr.fail("max_attempts", "must be between 1 and 100");
      s.redial.max_attempts = static_cast<int>(m);
      dr.finish();
    }
    s.route = sc.find_route(s.from, s.to, s.prefix);
    if (s.route < 0)
      r.fail("", fmt::format("no route from {} to {}{} (add a [routes.NAME] with from = \"{}\", to = \"{}\")", s.from,
                             s.to, s.prefix.empty() ? "" : " for prefix " + s.prefix, s.from, s.to));
    r.finish();
    sc.streams.push_back(s);
  }
  top.finish();
  return sc;
}

}  // namespace telsim
