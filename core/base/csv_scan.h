#pragma once
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
#include <csv.h>

#include <string>
#include <string_view>
#include <vector>

namespace telsim {

/// Splits one line (without its line terminator) into fields. One splitter per
/// thread; the views it returns stay valid until the next call.
class CsvSplitter {
 public:
  explicit CsvSplitter(char delimiter = ',');
  ~CsvSplitter();
  CsvSplitter(const CsvSplitter&) = delete;
  CsvSplitter& operator=(const CsvSplitter&) = delete;

  /// Returns false when the line's quoting is broken (a quote inside an
  /// unquoted field, text after a closing quote, an unterminated quote).
  /// At most `max_fields` fields are stored; `count()` still tells how many
  /// the line had.
  bool split(std::string_view line);
  /// Same, always through libcsv (used by tests to check both paths agree).
  bool split_slow(std::string_view line);

  size_t count() const { return count_; }
  std::string_view operator[](size_t i) const { return fields_[i]; }
  char delimiter() const { return delim_; }

  static constexpr size_t kMaxFields = 64;

 private:
  void init();
  static void on_field(void* s, size_t len, void* self);
  static void on_record(int c, void* self);

  char delim_;
  size_t count_ = 0;
  std::string_view fields_[kMaxFields];
  // libcsv state, reused for every slow line.
  csv_parser parser_;
  std::string scratch_;
  std::vector<std::pair<size_t, size_t>> spans_;
  int records_ = 0;
};

}  // namespace telsim
