#include "core/cdr/cdr.h"

#include <cstring>

namespace telsim {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kAnswered: return "answered";
    case Outcome::kBusy: return "busy";
    case Outcome::kNoAnswer: return "no_answer";
    case Outcome::kFailed: return "failed";
    case Outcome::kCongestion: return "congestion";
  }
  return "?";
}

bool parse_outcome(std::string_view s, Outcome* out) {
  for (int i = 0; i < kOutcomeCount; ++i)
    if (s == to_string(static_cast<Outcome>(i))) {
      *out = static_cast<Outcome>(i);
      return true;
    }
  return false;
}

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

bool valid_utf8(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* e = p + s.size();
  while (p < e) {
    // Mostly ASCII: skip eight bytes at a time.
    while (e - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p == e) break;
    unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) n = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, min = 0x10000, c &= 0x07;
    else return false;
    if (e - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

}  // namespace telsim
