#include "tools/gate_paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.h"
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

// Parsed once per schema per process (a command checks one kind).
const json& schema(const char* name) {
  static std::vector<std::pair<std::string, json>> parsed;
  for (auto& [n, j] : parsed)
    if (n == name) return j;
  const char* text = output_schema(name);
  if (!text) std::abort();  // a Reads without its schema built in: a build defect
  parsed.emplace_back(name, json::parse(text));
  return parsed.back().second;
}

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
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
      if (ref.rfind("#", 0) != 0) std::abort();  // the built-in schemas refer within themselves only
      n = &root_.at(json::json_pointer(ref.substr(1)));
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
    return "a number";
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

void check_paths(const std::vector<Gate>& gates, Reads reads, const std::vector<Absent>& absent) {
  if (gates.empty()) return;
  Source src = source(reads);
  const json& root = schema(src.schema);
  const json& doc = root.at(json::json_pointer(src.pointer));
  for (const Gate& g : gates) {
    std::string where = fmt::format("{} '{}'", g.origin, g.text);
    for (const Absent& a : absent)
      if (g.path == a.path || g.path.rfind(a.path + ".", 0) == 0)
        throw InputError(fmt::format("{}: '{}' is in the output of {} only {}", where, a.path, src.command, a.hint));
    std::vector<std::string> steps = split(g.path);
    // The output's own `gates` (the results) is written after the gates are evaluated.
    std::optional<Miss> m = steps[0] == "gates" ? Miss{0, "", {}} : Walker(root, steps).walk(doc, 0);
    if (!m) continue;
    std::vector<std::string> keys;  // once each, in the schema's order (branches may repeat them)
    for (auto& k : m->keys)
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    m->keys = keys;
    std::string here = joined(steps, m->at + 1);
    if (m->at == steps.size()) {  // the path ends on something other than a number
      here = g.path;
      std::string what = fmt::format("{}: '{}' is {} in the output of {}, not a number", where, here, m->is, src.command);
      if (!m->keys.empty()) what += fmt::format("; under it: {}", cli::join_list(m->keys, ", "));
      throw InputError(what);
    }
    if (!m->is.empty())
      throw InputError(fmt::format("{}: '{}' is {} in the output of {}; the path ends there", where,
                                   joined(steps, m->at), m->is, src.command));
    std::string what = fmt::format("{}: the output of {} has no '{}'", where, src.command, here);
    auto near = cli::nearest_words(steps[m->at], m->keys);
    if (!near.empty()) {
      std::vector<std::string> paths;
      for (auto& w : near) {
        std::vector<std::string> fixed = steps;
        fixed[m->at] = w;
        paths.push_back("'" + joined(fixed, fixed.size()) + "'");
      }
      what += fmt::format(" (did you mean {}?)", cli::join_list(paths, " or "));
    } else if (!m->keys.empty()) {
      std::string parent = joined(steps, m->at);
      what += fmt::format("; {} holds {}", parent.empty() ? "it" : "'" + parent + "'", cli::join_list(m->keys, ", "));
    }
    throw InputError(what);
  }
}

}  // namespace telsim::gates
