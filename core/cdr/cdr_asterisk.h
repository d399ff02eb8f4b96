#pragma once
// Asterisk cdr_csv (Master.csv): no header, 16 base columns, then optionally
// uniqueid and userfield (18), then optionally peeraccount, linkedid and
// sequence (21). The variant is read from each row's column count, so files
// written across a configuration change are read whole.
#include <vector>

#include "core/cdr/cdr_row.h"

namespace telsim {

/// What an AsteriskParser needs, borrowed from the reader.
struct AsteriskConfig {
  const TimeZone* tz = nullptr;
  const OutcomeMap* outcomes = nullptr;
  std::string date_format;  // empty: the switch's own "%Y-%m-%d %H:%M:%S"
};

/// Rows of Asterisk's Master.csv (16, 18 or 21 columns) into legs.
class AsteriskParser : public RowParser {
 public:
  explicit AsteriskParser(const AsteriskConfig& c) : c_(c), tz_(*c.tz), fmt_(TimeFormat::or_default(c.date_format)) {}
  bool parse(const CsvSplitter& row, Leg* leg, RowStatus* st) override;

 private:
  AsteriskConfig c_;
  TzCache tz_;
  TimeFormat fmt_;  // Asterisk writes "%Y-%m-%d %H:%M:%S"; re-exports may not
  // The five dispositions repeat on every row: a tiny cache beats hashing.
  struct Seen {
    std::string text;
    Disposition d;
  };
  std::vector<Seen> seen_;
};

}  // namespace telsim
