#include "tools/gate_paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "tools/cli.h"
#include "tools/guide.h"

namespace telsim::gates {

// The text of docs/schema/NAME.schema.json, built in (CMakeLists.txt writes
// this function into the build tree); null for a name it does not hold.
const char* output_schema(const char* name);

namespace {

using json = nlohmann::ordered_json;

// The command a kind of document comes from, its schema, and where in the
// schema the gated document is.
struct Source {
  const char* command;
  const char* schema;
  const char* pointer;
};

Source source(Reads r) {
  switch (r) {
    case Reads::kSimRun: return {"sim run", "sim-run", ""};
    case Reads::kSimCompare: return {"sim compare", "sim-compare", ""};
    case Reads::kSimSweepPoint: return {"sim sweep", "sim-sweep", "/properties/points/items"};
    case Reads::kSimSweepComparePoint: return {"sim sweep", "sim-sweep-compare", "/properties/points/items"};
    case Reads::kCdrStats: return {"cdr stats", "cdr-stats", ""};
  }
  std::abort();
}

// Parsed once per schema per process (a deque: what it holds never moves).
const json& schema(const char* name) {
  static std::deque<std::pair<std::string, json>> parsed;
  for (auto& [n, j] : parsed)
    if (n == name) return j;
  const char* text = output_schema(name);
  if (!text) throw std::logic_error(fmt::format("no built-in schema {}", name));  // a build defect
  parsed.emplace_back(name, json::parse(text));
  return parsed.back().second;
}

// As gates::evaluate reads an index (tools/gates.cc).
bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

// Where a path stops being one an output can have.
struct Miss {
  size_t at = 0;                  // the step that fails; the path's length when it ends on a non-number
  std::string is;                 // at the path's end or past a leaf: "an object", "a string", ...
  std::vector<std::string> keys;  // the keys there are at the failing step (or, for an object, in it)
};

class Walker {
 public:
  Walker(const json& root, const std::vector<std::string>& steps) : root_(root), steps_(steps) {}

  // Nothing when `steps` from `i` on can name a number (or null) under `node`.
  std::optional<Miss> walk(const json& at, size_t i) const {
    const json& node = deref(at);
    if (!node.is_object()) return std::nullopt;  // `true` or an unknown form: anything goes
    if (i < steps_.size() && node.contains("properties") && node["properties"].contains(steps_[i]))
      return walk(node["properties"][steps_[i]], i + 1);
    for (const char* any : {"oneOf", "anyOf", "allOf"}) {
      if (!node.contains(any)) continue;
      // One branch that holds is enough; otherwise the miss that got furthest.
      std::optional<Miss> best;
      for (const json& branch : node[any]) {
        auto m = walk(branch, i);
        if (!m) return std::nullopt;
        if (!best || m->at > best->at) best = m;
        else if (m->at == best->at) best->keys.insert(best->keys.end(), m->keys.begin(), m->keys.end());
      }
      // The node's own keys beside its parts' (cdr stats' labels beside its metrics).
      if (best && best->at == i && best->is.empty()) {
        std::vector<std::string> own = keys_of(node);
        best->keys.insert(best->keys.end(), own.begin(), own.end());
      }
      return best;
    }
    // A fixed value (`const`, `enum`): a leaf of the type of its values.
    if (node.contains("const") || node.contains("enum")) {
      std::string is = fixed_type(node);
      if (i == steps_.size()) return is == "a number" ? std::nullopt : std::optional<Miss>(Miss{i, is, {}});
      return Miss{i, is, {}};
    }
    if (i == steps_.size()) return end(node, i);
    const std::string& step = steps_[i];
    if (has_type(node, "array") || node.contains("items")) {
      if (!node.contains("items")) return std::nullopt;
      // A name, not an index, steps into the element of a one-element
      // array, as gates::evaluate reads it (differences.completed.mean).
      return walk(node["items"], is_index(step) ? i + 1 : i);
    }
    if (node.contains("properties") || node.contains("additionalProperties")) {
      const json* more = node.contains("additionalProperties") ? &node["additionalProperties"] : nullptr;
      if (more && more->is_object()) return walk(*more, i + 1);
      if (more && more->is_boolean() && more->get<bool>()) return std::nullopt;
      return Miss{i, "", keys_of(node)};
    }
    // An object whose keys the schema does not list (inputs.options): any may be there.
    if (has_type(node, "object")) return std::nullopt;
    if (node.contains("type")) return Miss{i, type_name(node), {}};  // a leaf, and the path goes on
    return std::nullopt;
  }

 private:
  const json& deref(const json& node) const {
    const json* n = &node;
    for (int hops = 0; n->is_object() && n->contains("$ref") && hops < 32; ++hops) {
      std::string ref = (*n)["$ref"].get<std::string>();
      // The built-in schemas refer within themselves only, by plain pointers.
      try {
        if (ref.rfind("#", 0) != 0) throw std::out_of_range("not within the schema");
        n = &root_.at(json::json_pointer(ref.substr(1)));
      } catch (const std::exception& e) {
        throw std::logic_error(fmt::format("built-in schema: $ref {}: {}", ref, e.what()));
      }
    }
    return *n;
  }

  static bool has_type(const json& node, const char* t) {
    if (!node.contains("type")) return false;
    const json& ty = node["type"];
    if (ty.is_string()) return ty == t;
    for (auto& x : ty)
      if (x == t) return true;
    return false;
  }

  static std::string type_name(const json& node) {
    if (has_type(node, "object") || node.contains("properties")) return "an object";
    if (has_type(node, "array")) return "a list";
    if (has_type(node, "string")) return "a string";
    if (has_type(node, "boolean")) return "true or false";
    if (has_type(node, "null") && !has_type(node, "number") && !has_type(node, "integer")) return "null";
    return "a number";
  }

  // What a `const` or `enum` holds: "a number" when a number (or null) may be it.
  static std::string fixed_type(const json& node) {
    std::vector<json> values;
    if (node.contains("const")) values.push_back(node["const"]);
    if (node.contains("enum"))
      for (auto& v : node["enum"]) values.push_back(v);
    for (auto& v : values)
      if (v.is_number() || v.is_null()) return "a number";
    if (!values.empty() && values[0].is_boolean()) return "true or false";
    if (!values.empty() && values[0].is_object()) return "an object";
    if (!values.empty() && values[0].is_array()) return "a list";
    return "a string";
  }

  static std::vector<std::string> keys_of(const json& node) {
    std::vector<std::string> keys;
    if (node.contains("properties"))
      for (auto& [k, v] : node["properties"].items()) keys.push_back(k);
    return keys;
  }

  // The path ends here: a number or null is what a gate compares.
  std::optional<Miss> end(const json& node, size_t i) const {
    if (!node.contains("type")) {
      if (node.contains("properties")) return Miss{i, "an object", numeric_keys(node)};
      return std::nullopt;
    }
    if (has_type(node, "number") || has_type(node, "integer") || has_type(node, "null")) return std::nullopt;
    return Miss{i, type_name(node), has_type(node, "object") ? numeric_keys(node) : std::vector<std::string>{}};
  }

  // An object's keys that hold a number, or else all of them.
  std::vector<std::string> numeric_keys(const json& node) const {
    std::vector<std::string> numbers, all;
    if (!node.contains("properties")) return all;
    for (auto& [k, v] : node["properties"].items()) {
      all.push_back(k);
      const json& d = deref(v);
      if (has_type(d, "number") || has_type(d, "integer")) numbers.push_back(k);
    }
    return numbers.empty() ? all : numbers;
  }

  const json& root_;
  const std::vector<std::string>& steps_;
};

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> steps;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    steps.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return steps;
    start = dot + 1;
  }
}

// Whether `pattern` is `steps` or leads to them: a step "*" stands for any
// one, "#N" for an index of N or more.
bool covers(const std::vector<std::string>& pattern, const std::vector<std::string>& steps) {
  if (pattern.size() > steps.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "*" || pattern[i] == steps[i]) continue;
    if (pattern[i].size() > 1 && pattern[i][0] == '#' && is_index(steps[i]) &&
        std::stoul(steps[i]) >= std::stoul(pattern[i].substr(1)))
      continue;
    return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& steps, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && i < steps.size(); ++i) s += (i ? "." : "") + steps[i];
  return s;
}

}  // namespace

std::vector<Gate> parse_all(const std::vector<std::string>& texts, const std::string& origin) {
  std::vector<Gate> gs;
  for (auto& t : texts) gs.push_back(parse(t, origin));
  return gs;
}

void check_paths(const std::vector<Gate>& gates, Reads reads, const std::vector<Absent>& absent_parts) {
  if (gates.empty()) return;
  Source src = source(reads);
  const json& root = schema(src.schema);
  const json& doc = root.at(json::json_pointer(src.pointer));
  const bool sweep = reads == Reads::kSimSweepPoint || reads == Reads::kSimSweepComparePoint;
  // What no gate reads, whatever the options: the gates' own results (written
  // after them) and a sweep point's parameters (keyed by dotted keys).
  std::vector<Absent> absent = absent_parts;
  absent.push_back({"gates", "holds the gates' results, written after the gates are evaluated: no gate reads it"});
  if (sweep)
    absent.push_back({"parameters", "holds the varied keys, which have dots in them: no gate path can name one "
                                    "(gate on the figures the point computed)"});
  for (const Gate& g : gates) {
    std::string where = fmt::format("{} {}", g.origin, quote_field(g.text));
    std::vector<std::string> steps = split(g.path);
    if (std::find(steps.begin(), steps.end(), "") != steps.end())
      throw InputError(
          fmt::format("{}: {} has an empty key (two dots, or a dot at an end)", where, quote_field(g.path)));
    if (sweep && steps[0] == "points")
      throw InputError(fmt::format("{}: a gate of sim sweep reads one point at a time (it is checked at every "
                                   "point): write the path without 'points.N.'",
                                   where));
    for (const Absent& a : absent) {
      std::vector<std::string> pattern = split(a.path);
      if (covers(pattern, steps))
        throw InputError(fmt::format("{}: {} {}", where, quote_field(joined(steps, pattern.size())), a.why));
    }
    std::optional<Miss> m = Walker(root, steps).walk(doc, 0);
    if (!m) continue;
    // Keys to show: once each, in the schema's order (branches may repeat
    // them), none that this run will not write (`why_not` says why).
    auto why_not = [&](const std::string& k) -> const Absent* {
      std::vector<std::string> there(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(std::min(m->at, steps.size())));
      there.push_back(k);
      for (const Absent& a : absent)
        if (covers(split(a.path), there)) return &a;
      return nullptr;
    };
    std::vector<std::string> all_keys, keys;
    for (auto& k : m->keys) {
      if (std::find(all_keys.begin(), all_keys.end(), k) != all_keys.end()) continue;
      all_keys.push_back(k);
      if (!why_not(k)) keys.push_back(k);
    }
    m->keys = keys;
    std::string here = joined(steps, m->at + 1);
    if (m->at == steps.size()) {  // the path ends on something other than a number
      here = g.path;
      std::string what =
          fmt::format("{}: {} is {} in the output of {}, not a number", where, quote_field(here), m->is, src.command);
      if (!m->keys.empty()) what += fmt::format("; under it: {}", cli::join_list(m->keys, ", "));
      throw InputError(what);
    }
    if (!m->is.empty())
      throw InputError(fmt::format("{}: {} is {} in the output of {}; the path ends there", where,
                                   quote_field(joined(steps, m->at)), m->is, src.command));
    std::string what = fmt::format("{}: the output of {} has no {}", where, src.command, quote_field(here));
    // The nearest keys, those this run will not write included: a gate on
    // `economic` is told of `economics`, and why it is not there.
    auto near = cli::nearest_words(steps[m->at], all_keys);
    if (!near.empty()) {
      std::vector<std::string> paths;
      std::string not_here;
      for (auto& w : near) {
        std::vector<std::string> fixed = steps;
        fixed[m->at] = w;
        paths.push_back(quote_field(joined(fixed, fixed.size())));
        if (const Absent* a = why_not(w); a && not_here.empty())
          not_here = fmt::format("; {} {}", quote_field(joined(fixed, m->at + 1)), a->why);
      }
      what += fmt::format(" (did you mean {}?){}", cli::join_list(paths, " or "), not_here);
    } else if (!m->keys.empty()) {
      std::string parent = joined(steps, m->at);
      what += fmt::format("; {} holds {}", parent.empty() ? "it" : quote_field(parent), cli::join_list(m->keys, ", "));
    }
    throw InputError(what);
  }
}

}  // namespace telsim::gates
