#pragma once
// Dispositions (Asterisk), hangup causes (FreeSWITCH) and numeric codes
// (Q.850 or SIP, in mapped CSVs) to outcomes and Q.850 causes; the set of
// causes NER counts as delivered. A documented default (docs/cdr.md) that an
// outcomes file can override entry by entry.
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/cdr/cdr.h"

namespace telsim {

/// What one disposition, cause or code means: the outcome and the Q.850
/// cause it is counted with.
struct Disposition {
  Outcome outcome = Outcome::kFailed;
  int q850 = 0;
};

/// The table from what switches write (dispositions, cause names, numeric
/// codes) to outcomes, and the causes NER counts as delivered. Read-only
/// once loaded, so threads share one.
class OutcomeMap {
 public:
  /// How numeric disposition values are read (mapped CSVs only).
  enum class Codes { kQ850, kSip };

  /// The default table.
  OutcomeMap();
  /// Overrides from a TOML file:
  ///   [dispositions]
  ///   "FAILED" = { outcome = "failed", q850 = 1 }
  ///   "sip:480" = { outcome = "no_answer", q850 = 20 }
  ///   [ner]
  ///   delivered = [16, 17, 18, 19, 21, 20]
  /// Throws InputError (file:line: key: what) for anything wrong.
  void load(const std::string& path);

  /// Looks up a disposition or cause name (case-insensitive), or a number
  /// read as `codes`. False when the table has no entry.
  bool lookup(std::string_view text, Codes codes, Disposition* out) const;
  /// True when NER counts a call that ended with this cause as delivered.
  bool delivered(int q850) const { return q850 >= 0 && q850 < 1024 && delivered_[q850]; }

 private:
  void set(const std::string& key, Outcome o, int q850) { table_[key] = Disposition{o, q850}; }
  std::unordered_map<std::string, Disposition> table_;
  bool delivered_[1024] = {};
};

}  // namespace telsim
