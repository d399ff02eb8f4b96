#include "core/cdr/cdr.h"


namespace telsim {

const char* to_string(SkipReason r) {
  switch (r) {
    case SkipReason::kBrokenQuoting: return "broken_quoting";
    case SkipReason::kTooFewColumns: return "too_few_columns";
    case SkipReason::kTooManyColumns: return "too_many_columns";
    case SkipReason::kBadDate: return "bad_date";
    case SkipReason::kMissingDate: return "missing_date";
    case SkipReason::kBadNumber: return "bad_number";
    case SkipReason::kNegativeDuration: return "negative_duration";
    case SkipReason::kEndBeforeStart: return "end_before_start";
    case SkipReason::kUnknownDisposition: return "unknown_disposition";
  }
  return "?";
}

const char* to_string(Warning w) {
  switch (w) {
    case Warning::kNonUtf8: return "non_utf8_text";
    case Warning::kAnswerDerived: return "answer_time_derived";
    case Warning::kAnswerIgnored: return "answer_time_ignored";
    case Warning::kBillsecOverDuration: return "billsec_over_duration";
    case Warning::kQuotingRepaired: return "quoting_repaired";
  }
  return "?";
}

std::string_view channel_peer(std::string_view ch) {
  // Drop ";1"/";2" of Local channels, then the "-<hex>" channel sequence.
  size_t semi = ch.find(';');
  if (semi != std::string_view::npos) ch = ch.substr(0, semi);
  size_t dash = ch.rfind('-');
  size_t slash = ch.find('/');
  if (dash != std::string_view::npos && slash != std::string_view::npos && dash > slash && dash + 1 < ch.size()) {
    bool hex = true;
    for (size_t i = dash + 1; i < ch.size(); ++i) {
      char c = ch[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) hex = false;
    }
    if (hex) ch = ch.substr(0, dash);
  }
  return ch;
}

}  // namespace telsim
