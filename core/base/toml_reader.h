#pragma once
// Strict, typed access to a toml++ table: every key read is remembered so
// that the keys nobody read can be reported as unknown; every error names the
// file, the line and the dotted key. Shared by scenario files and CDR mapping
// files.
#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace telsim {

class TomlReader {
 public:
  /// `table` must outlive the reader; `prefix` is the dotted key of `table`.
  TomlReader(const toml::table& table, std::string prefix, std::string file);

  bool has(const std::string& key) const;
  double number(const std::string& key, std::optional<double> def = {});
  double probability(const std::string& key, std::optional<double> def = {});
  double positive(const std::string& key, std::optional<double> def = {});
  double non_negative(const std::string& key, std::optional<double> def = {});
  int64_t integer(const std::string& key, std::optional<int64_t> def = {});
  bool boolean(const std::string& key, std::optional<bool> def = {});
  std::string string(const std::string& key, std::optional<std::string> def = {});
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     std::optional<std::string> def = {});
  std::vector<double> numbers(const std::string& key);
  std::vector<std::string> strings(const std::string& key);
  const toml::array* array(const std::string& key);
  /// A sub-table; nullptr when absent.
  const toml::table* table(const std::string& key);
  /// Raw node access (marks the key as read).
  const toml::node* node(const std::string& key);

  /// Throws for each key that was never read.
  void finish() const;
  /// For the message about a missing required `key`: "; is 'chanels'
  /// (FILE:LINE) a misspelling of it?" when the table holds an unread key
  /// one edit from it, else "".
  std::string misspelling_hint(const std::string& key) const;

  /// "file:line: key: what" for a key of this table (or the table itself).
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  std::string where(const std::string& key) const;
  std::string key_path(const std::string& key) const;
  const std::string& file() const { return file_; }

 private:
  const toml::node& require(const std::string& key);
  const toml::table& table_;
  std::string prefix_, file_;
  std::set<std::string> seen_;
  mutable std::set<std::string> asked_;  // keys has() was asked about: known to this table, maybe absent
};

/// Parses a TOML file; a syntax error or an unreadable file becomes an
/// InputError "file:line:column: syntax error: ..." (`what` names the kind of
/// file in the unreadable case: "scenario file", "mapping file", ...).
toml::table parse_toml_file(const std::string& path, const std::string& what);

/// "file:line" of a node (the file it came from, for included files).
std::string source_of(const toml::node& n, const std::string& fallback_file);

}  // namespace telsim
