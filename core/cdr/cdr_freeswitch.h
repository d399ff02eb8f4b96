#pragma once
// FreeSWITCH mod_cdr_csv with its default template (15 columns, no header):
// caller_id_name, caller_id_number, destination_number, context,
// start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause,
// uuid, bleg_uuid, accountcode, read_codec, write_codec. Other templates are
// read with a header and a mapping file (core/cdr/cdr_mapped.h).
#include "core/cdr/cdr_row.h"

namespace telsim {

/// What a FreeswitchParser needs, borrowed from the reader.
struct FreeswitchConfig {
  const TimeZone* tz = nullptr;
  const OutcomeMap* outcomes = nullptr;
  std::string date_format;  // empty: the switch's own "%Y-%m-%d %H:%M:%S"
};

/// Rows of FreeSWITCH's default CSV template (15 columns) into legs.
class FreeswitchParser : public RowParser {
 public:
  explicit FreeswitchParser(const FreeswitchConfig& c) : c_(c), tz_(*c.tz), fmt_(TimeFormat::or_default(c.date_format)) {}
  bool parse(const CsvSplitter& row, Leg* leg, RowStatus* st) override;

 private:
  FreeswitchConfig c_;
  TzCache tz_;
  TimeFormat fmt_;
};

}  // namespace telsim
