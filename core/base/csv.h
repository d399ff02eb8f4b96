#pragma once
// The one CSV splitter and the one header binder of the code base.
//
// Splitting CSV lines into fields without allocating per field.
//
// Records are physical lines: CDR writers put one record per line, and
// treating a quoted newline as a broken quote keeps one bad row from
// swallowing the rest of a file. Lines can therefore be found with memchr,
// which is what lets a large file be cut into chunks for several threads.
//
// Fields are split by a hand-written scanner: views straight into the input,
// or into a reused scratch buffer for quoted fields with doubled quotes ("").
// A line whose quotes the scanner cannot place (a quote inside an unquoted
// field, text after a closing quote, no closing quote) goes to libcsv in
// strict mode, the authority on what is broken quoting: it either accepts the
// line (and splits it) or the row is reported as broken.
//
// The lenient mode is for files that are not RFC 4180 but still meant as
// CSV (the numbering registry writes bare quotes inside operator names,
// people export calls by hand): a quote opens a quoted field only at the
// start of a field and is text anywhere else, text after a closing quote is
// kept, and a quote left open runs to the end of the line.
#include <csv.h>

#include <initializer_list>

#include <string>
#include <string_view>
#include <vector>

namespace telsim {

enum class CsvMode {
  kStrict,   // broken quoting refuses the line (libcsv strict is the judge)
  kLenient,  // every line splits; see open_quote()
  kRepair,   // strict, but a line strict refuses is read again by the usual
             // lenient rule for database exports (see repaired())
};

/// Splits one line (without its line terminator) into fields. One splitter per
/// thread; the views it returns stay valid until the next call.
class CsvSplitter {
 public:
  explicit CsvSplitter(char delimiter = ',', CsvMode mode = CsvMode::kStrict);
  ~CsvSplitter();
  CsvSplitter(const CsvSplitter&) = delete;
  CsvSplitter& operator=(const CsvSplitter&) = delete;

  /// Strict: returns false when the line's quoting is broken (a quote inside
  /// an unquoted field, text after a closing quote, an unterminated quote).
  /// Lenient: always true. At most kMaxFields fields are stored; `count()`
  /// still tells how many the line had.
  bool split(std::string_view line) {
    if (mode_ == CsvMode::kLenient) return split_lenient(line);
    repaired_ = false;
    return split_strict(line);
  }
  /// Same, always through libcsv (used by tests to check both paths agree).
  bool split_slow(std::string_view line);

  size_t count() const { return count_; }
  std::string_view operator[](size_t i) const { return fields_[i]; }
  char delimiter() const { return delim_; }
  /// Lenient mode: the last line left a quote open (its last field then runs
  /// to the end of the line). Readers that want whole fields refuse it.
  bool open_quote() const { return open_quote_; }
  /// Repair mode: the last line was refused by the strict rules and read by
  /// the repair rule instead. Inside a quoted field "" is one quote, a quote
  /// followed by the delimiter or the end of the line closes the field, and
  /// any other quote is a character (`""Name" <1115>"` is `"Name" <1115>`);
  /// a quote inside an unquoted field is a character. A line that still has
  /// a field left open (or a carriage return inside) is refused.
  bool repaired() const { return repaired_; }
  /// Empties every field that is exactly `word` (the NULL of database
  /// exports), after split().
  void blank_fields_equal_to(std::string_view word) {
    size_t n = count_ < kMaxFields ? count_ : kMaxFields;
    for (size_t i = 0; i < n; ++i)
      if (fields_[i] == word) fields_[i] = std::string_view();
  }

  static constexpr size_t kMaxFields = 64;

 private:
  bool split_strict(std::string_view line);
  bool split_lenient(std::string_view line);
  bool split_repair(std::string_view line);
  void init();
  static void on_field(void* s, size_t len, void* self);
  static void on_record(int c, void* self);

  char delim_;
  CsvMode mode_;
  bool open_quote_ = false;
  bool repaired_ = false;
  size_t count_ = 0;
  std::string_view fields_[kMaxFields];
  // libcsv state, reused for every slow line.
  csv_parser parser_;
  std::string scratch_;
  std::vector<std::pair<size_t, size_t>> spans_;
  int records_ = 0;
};

/// The columns of a header row, found by name: the one binder every reader
/// of a CSV with a header uses. Names are kept as written (trimmed when
/// asked); where a name appears twice the first column wins.
class CsvHeader {
 public:
  /// Takes the names from `row`, the split header line (strip the UTF-8 BOM
  /// of the line before splitting it: text.h strip_bom).
  explicit CsvHeader(const CsvSplitter& row, bool trim_names = false);
  size_t size() const { return names_.size(); }
  const std::string& operator[](size_t i) const { return names_[i]; }
  /// The column named exactly `name`, or -1.
  int find(std::string_view name) const;
  /// The first column whose name contains one of `parts`, or -1.
  int find_containing(std::initializer_list<std::string_view> parts) const;
  /// "a, b, c": the names, for messages that say what the header has.
  std::string list() const;

 private:
  std::vector<std::string> names_;
};

}  // namespace telsim
