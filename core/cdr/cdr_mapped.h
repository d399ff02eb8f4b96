#pragma once
// Any CSV with a header row (database exports, custom FreeSWITCH templates),
// read through a TOML mapping file that names the columns. Format of the
// mapping file: docs/cdr.md.
#include <string>
#include <vector>

#include "core/cdr/cdr_row.h"

namespace telsim {

/// The mapping file, as read and checked: which CSV columns hold the call's
/// fields, how times and codes are written. load() refuses a file that
/// could not be used, so a loaded mapping always has start, called,
/// disposition and an end or a duration.
struct CdrMapping {
  std::string file;
  char delimiter = ',';
  std::string date_format = "%Y-%m-%d %H:%M:%S";
  std::string time_zone;  // empty: not set in the file
  OutcomeMap::Codes codes = OutcomeMap::Codes::kQ850;
  // Column names; empty when not mapped.
  std::string start, answer, end, caller, called, duration, billsec, disposition, call_id, leg_id, trunk, channel;

  /// Reads and checks a mapping file; throws InputError (file:line: key: what).
  static CdrMapping load(const std::string& path);
};

/// Column positions of one file's header (-1 for columns not mapped); bind()
/// refuses a header without a mapped column.
struct MappedColumns {
  int start = -1, answer = -1, end = -1, caller = -1, called = -1, duration = -1, billsec = -1, disposition = -1,
      call_id = -1, leg_id = -1, trunk = -1, channel = -1;
  size_t count = 0;  // columns in the header
  /// Finds every mapped column in `header`; throws InputError naming the
  /// column, the mapping key and what the header has.
  static MappedColumns bind(const CdrMapping& m, const CsvSplitter& header, const std::string& where);
};

/// What a MappedParser needs, borrowed from the reader.
struct MappedConfig {
  const CdrMapping* mapping = nullptr;
  MappedColumns columns;
  const TimeZone* tz = nullptr;
  const OutcomeMap* outcomes = nullptr;
  std::string date_format;  // non-empty: overrides the mapping's (--date-format)
};

/// Rows of a mapped CSV into legs (see RowParser).
class MappedParser : public RowParser {
 public:
  explicit MappedParser(const MappedConfig& c) : c_(c), tz_(*c.tz), fmt_(c.date_format.empty() ? c.mapping->date_format : c.date_format) {}
  bool parse(const CsvSplitter& row, Leg* leg, RowStatus* st) override;

 private:
  MappedConfig c_;
  TzCache tz_;
  TimeFormat fmt_;
};

}  // namespace telsim
