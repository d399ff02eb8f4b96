#pragma once
// The Russian numbering plan registry: which operator holds a number range,
// in which region, and whether it is mobile (DEF codes, 9xx) or fixed (ABC
// codes). Imported from the regulator's CSV files into a compact file (a
// sorted array of ranges plus a string table, format in docs/cdr.md) that
// lookups read whole.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace telsim {

/// What the registry says of a number's range. (Named RangeInfo, not
/// NumberInfo: core/pool/pool_db.h's NumberInfo is a tracking number's state.)
struct RangeInfo {
  std::string_view op;      // the range holder (ported numbers keep their range)
  std::string_view region;
  enum class Kind { kMobile, kFixed } kind = Kind::kFixed;
  int code = 0;            // ABC/DEF code, e.g. 916
  uint32_t op_index = 0;   // stable within one registry file: for grouping
};
const char* to_string(RangeInfo::Kind k);

/// What an import read.
struct RegistryImport {
  int64_t rows = 0, ranges = 0, skipped = 0, overlaps = 0;
  int64_t operators = 0, regions = 0;
};

class Numbering {
 public:
  /// Loads a registry written by import(); throws InputError when the file is
  /// missing, not a registry, or damaged.
  static Numbering load(const std::string& path);

  /// Reads registry CSVs (UTF-8, ';', header "АВС/ DEF;От;До;Емкость;Оператор;Регион",
  /// optionally with an INN column) and puts the compact registry file's
  /// bytes in `image` (the caller writes them: tools/output.h does it
  /// atomically). Nothing is put in `image` when it throws. Bad rows are reported on `diag` (file:line: reason) and
  /// skipped, or throw InputError when `strict`. Overlapping ranges are an
  /// error in the data: the later one is dropped and reported.
  static RegistryImport import(const std::vector<std::string>& csvs, std::string* image, bool strict,
                               std::FILE* diag);

  /// Looks up an E.164 number (+7XXXXXXXXXX) or its 11/10 national digits.
  bool lookup(std::string_view number, RangeInfo* out) const;
  size_t ranges() const { return first_.size(); }
  const std::string& op_name(uint32_t i) const { return strings_[i]; }

 private:
  std::vector<uint64_t> first_, last_;  // 10-digit national numbers, sorted, disjoint
  std::vector<uint32_t> op_, region_;   // indexes into strings_
  std::vector<std::string> strings_;
};

}  // namespace telsim
