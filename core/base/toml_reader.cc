#include "core/base/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/spelling.h"

namespace telsim {

std::string source_of(const toml::node& n, const std::string& fallback_file) {
  const auto& src = n.source();
  std::string file = src.path ? std::string(*src.path) : fallback_file;
  // A value an override set (scenario.cc names its source "FILE: override
  // KEY=VALUE"): no line to give.
  if (src.begin.line == 0 || file.find(": override ") != std::string::npos) return file;
  return fmt::format("{}:{}", file, src.begin.line);
}

toml::table parse_toml_file(const std::string& path, const std::string& what) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    if (src.begin.line == 0) throw InputError(fmt::format("{}: cannot read {}: {}", path, what, e.description()));
    throw InputError(fmt::format("{}:{}:{}: syntax error: {}", path, src.begin.line, src.begin.column,
                                 e.description()));
  } catch (const std::exception& e) {
    throw InputError(fmt::format("{}: cannot read {}: {}", path, what, e.what()));
  }
}

TomlReader::TomlReader(const toml::table& table, std::string prefix, std::string file)
    : table_(table), prefix_(std::move(prefix)), file_(std::move(file)) {}

std::string TomlReader::key_path(const std::string& key) const {
  if (prefix_.empty()) return key;
  if (key.empty()) return prefix_;
  return prefix_ + "." + key;
}

std::string TomlReader::where(const std::string& key) const {
  const toml::node* n = key.empty() ? &table_ : table_.get(key);
  if (!n) n = &table_;
  return source_of(*n, file_);
}

void TomlReader::fail(const std::string& key, const std::string& what) const {
  throw InputError(fmt::format("{}: {}: {}", where(key), cut_field(key_path(key)), what));
}

bool TomlReader::has(const std::string& key) const {
  asked_.insert(key);
  return table_.contains(key);
}

const toml::node& TomlReader::require(const std::string& key) {
  seen_.insert(key);
  const toml::node* n = table_.get(key);
  if (!n) fail(key, "missing (required)" + misspelling_hint(key));
  return *n;
}

std::string TomlReader::misspelling_hint(const std::string& key) const {
  // A required key that is missing is often there, misspelt ("chanels"): a
  // key of the table not read so far, one edit from it (a letter left out,
  // added, changed, or two swapped), is pointed at. Only as a question: it
  // may be a key the reader has not come to yet (caller when called is missing).
  for (auto& [k, v] : table_) {
    std::string other(k.str());
    if (seen_.count(other) || asked_.count(other)) continue;
    size_t gap = other.size() > key.size() ? other.size() - key.size() : key.size() - other.size();
    if (gap <= 1 && other.size() <= 64 && key.size() <= 64 && edit_distance(other, key) <= 1)
      return fmt::format("; is '{}' ({}) a misspelling of it?", other, source_of(v, file_));
  }
  return "";
}

const toml::node* TomlReader::node(const std::string& key) {
  seen_.insert(key);
  return table_.get(key);
}

double TomlReader::number(const std::string& key, std::optional<double> def) {
  if (!has(key) && def) {
    seen_.insert(key);
    return *def;
  }
  const toml::node& n = require(key);
  if (auto v = n.value_exact<double>()) return *v;
  if (auto v = n.value_exact<int64_t>()) return static_cast<double>(*v);
  fail(key, fmt::format("expected a number, got {}", toml::impl::node_type_friendly_names[static_cast<int>(n.type())]));
}

double TomlReader::probability(const std::string& key, std::optional<double> def) {
  double v = number(key, def);
  if (!(v >= 0 && v <= 1)) fail(key, fmt::format("probability {} is outside [0, 1]", v));
  return v;
}

double TomlReader::positive(const std::string& key, std::optional<double> def) {
  double v = number(key, def);
  if (!(v > 0)) fail(key, fmt::format("must be positive, got {}", v));
  return v;
}

double TomlReader::non_negative(const std::string& key, std::optional<double> def) {
  double v = number(key, def);
  if (!(v >= 0)) fail(key, fmt::format("must not be negative, got {}", v));
  return v;
}

int64_t TomlReader::integer(const std::string& key, std::optional<int64_t> def) {
  if (!has(key) && def) {
    seen_.insert(key);
    return *def;
  }
  const toml::node& n = require(key);
  if (auto v = n.value_exact<int64_t>()) return *v;
  fail(key, fmt::format("expected an integer, got {}", toml::impl::node_type_friendly_names[static_cast<int>(n.type())]));
}

bool TomlReader::boolean(const std::string& key, std::optional<bool> def) {
  if (!has(key) && def) {
    seen_.insert(key);
    return *def;
  }
  const toml::node& n = require(key);
  if (auto v = n.value_exact<bool>()) return *v;
  fail(key, "expected true or false");
}

std::string TomlReader::string(const std::string& key, std::optional<std::string> def) {
  if (!has(key) && def) {
    seen_.insert(key);
    return *def;
  }
  const toml::node& n = require(key);
  if (auto v = n.value_exact<std::string>()) return *v;
  fail(key, "expected a string");
}

std::string TomlReader::choice(const std::string& key, const std::vector<std::string>& allowed,
                               std::optional<std::string> def) {
  std::string v = string(key, def);
  for (auto& a : allowed)
    if (a == v) return v;
  std::string list;
  for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  fail(key, fmt::format("{} is not one of: {}", quote_field(v), list));
}

const toml::array* TomlReader::array(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_array()) fail(key, "expected an array");
  return n->as_array();
}

std::vector<double> TomlReader::numbers(const std::string& key) {
  const toml::array* a = array(key);
  if (!a) fail(key, "missing (required)");
  std::vector<double> out;
  for (auto& e : *a) {
    if (auto v = e.value_exact<double>()) out.push_back(*v);
    else if (auto i = e.value_exact<int64_t>()) out.push_back(static_cast<double>(*i));
    else fail(key, "expected an array of numbers");
  }
  return out;
}

std::vector<std::string> TomlReader::strings(const std::string& key) {
  const toml::array* a = array(key);
  if (!a) fail(key, "missing (required)");
  std::vector<std::string> out;
  for (auto& e : *a) {
    if (auto v = e.value_exact<std::string>()) out.push_back(*v);
    else fail(key, "expected an array of strings");
  }
  return out;
}

const toml::table* TomlReader::table(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_table()) fail(key, "expected a table");
  return n->as_table();
}

void TomlReader::finish() const {
  for (auto& [k, v] : table_) {
    std::string key(k.str());
    if (seen_.count(key)) continue;
    // The keys this table may hold: those read or asked for.
    std::vector<std::string> known;
    for (const std::set<std::string>* s : {&seen_, static_cast<const std::set<std::string>*>(&asked_)})
      for (auto& x : *s)
        if (x != key && std::find(known.begin(), known.end(), x) == known.end()) known.push_back(x);
    std::sort(known.begin(), known.end());
    std::string hint;
    if (auto near = nearest_words(key, known); !near.empty()) {
      for (auto& w : near) hint += (hint.empty() ? " (did you mean '" : "' or '") + w;
      hint += "'?)";
    } else if (!known.empty() && known.size() <= 16) {
      for (auto& w : known) hint += (hint.empty() ? "; the keys here: " : ", ") + w;
    }
    throw InputError(fmt::format("{}: {}: unknown key{}", source_of(v, file_), cut_field(key_path(key)), hint));
  }
}

}  // namespace telsim
