#include "core/base/timestamp.h"

#include <fmt/format.h>

#include <cstring>

#include "core/base/error.h"
#include "core/base/quote.h"

namespace telsim {

namespace {
// `n` decimal digits at `p`; false when one is not a digit.
inline bool digits(const char* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    unsigned c = static_cast<unsigned char>(p[i]) - '0';
    if (c > 9) return false;
    v = v * 10 + static_cast<int>(c);
  }
  *out = v;
  return true;
}

// Seconds since 1970-01-01 00:00 of a civil date and time; false when the
// date or the time does not exist.
inline bool civil(int y, int mo, int d, int h, int mi, int s, int64_t* out) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 60) return false;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  *out = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}

// "YYYY-MM-DD" at p (10 bytes available).
inline bool ymd(const char* p, int* y, int* mo, int* d) {
  return p[4] == '-' && p[7] == '-' && digits(p, 4, y) && digits(p + 5, 2, mo) && digits(p + 8, 2, d);
}

// "HH:MM:SS" at p (8 bytes available).
inline bool hms(const char* p, int* h, int* mi, int* s) {
  return p[2] == ':' && p[5] == ':' && digits(p, 2, h) && digits(p + 3, 2, mi) && digits(p + 6, 2, s);
}

// Past ".123" at s[i], if there: fractional seconds are dropped.
inline size_t skip_fraction(std::string_view s, size_t i) {
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i;
}
}  // namespace

bool parse_time(std::string_view s, UnixTime* out) {
  int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
  if (s.size() < 10 || !ymd(s.data(), &y, &mo, &d)) return false;
  size_t p = 10;
  if (p < s.size()) {
    if ((s[p] != ' ' && s[p] != 'T') || s.size() < p + 9 || !hms(s.data() + p + 1, &h, &mi, &se)) return false;
    p = skip_fraction(s, p + 9);
    if (p < s.size()) {
      int oh, om;
      if (s[p] == 'Z' && p + 1 == s.size()) {
        // UTC
      } else if ((s[p] == '+' || s[p] == '-') && s.size() == p + 6 && s[p + 3] == ':' && digits(s.data() + p + 1, 2, &oh) &&
                 digits(s.data() + p + 4, 2, &om) && om < 60 &&
                 oh * 60 + om <= (s[p] == '+' ? 14 * 60 : 12 * 60)) {  // UTC-12:00 to UTC+14:00 exist
        off = (oh * 3600 + om * 60) * (s[p] == '+' ? 1 : -1);
      } else {
        return false;
      }
    }
  }
  int64_t t;
  if (!civil(y, mo, d, h, mi, se, &t)) return false;
  *out = t - off;
  return true;
}

bool parse_unix_seconds(std::string_view s, int64_t* out) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = neg ? -v : v;
  return true;
}

TimeFormat::TimeFormat(std::string pattern) : pattern_(std::move(pattern)) {
  if (pattern_ == "unix") {
    unix_ = true;
    return;
  }
  // Messages about a time quote the pattern it should match, once a row: a
  // pattern of a size no date layout has would fill them.
  if (pattern_.size() > kQuotedFieldMax)
    throw InputError(fmt::format("date format {}: more than {} bytes (a layout such as %Y-%m-%d %H:%M:%S)",
                                 quote_field(pattern_), kQuotedFieldMax));
  fast_ = pattern_ == "%Y-%m-%d %H:%M:%S";
  bool y = false, mo = false, d = false;
  for (size_t i = 0; i < pattern_.size(); ++i) {
    if (pattern_[i] != '%') continue;
    if (i + 1 == pattern_.size())
      throw InputError(fmt::format("date format {}: ends with a lone %", quote_field(pattern_)));
    char c = pattern_[++i];
    if (c == 'Y') y = true;
    else if (c == 'm') mo = true;
    else if (c == 'd') d = true;
    else if (c != 'H' && c != 'M' && c != 'S' && c != '%')
      throw InputError(fmt::format("date format {}: %{} is not supported (use %Y %m %d %H %M %S, or \"unix\")",
                                   quote_field(pattern_), c));
  }
  if (!y || !mo || !d) throw InputError(fmt::format("date format {}: needs %Y, %m and %d", quote_field(pattern_)));
}

bool TimeFormat::parse(std::string_view s, int64_t* out) const {
  if (unix_) return s.size() <= 12 && (s.empty() || s[0] != '-') && parse_unix_seconds(s, out);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (fast_) {
    const char* p = s.data();
    // A shorter time may lack leading zeros ("2026-1-5 9:03:00"): the
    // general path reads those. Longer ones (fractions) are refused here.
    if (s.size() < 19) return parse_general(s, out);
    if (s.size() != 19 || p[4] != '-' || p[7] != '-' || p[10] != ' ') return false;
    if (!hms(p + 11, &h, &mi, &se) || h > 23 || mi > 59 || se > 60) return false;
    // Rows of one file share a handful of dates: remember the last one.
    thread_local char last_date[10] = {};
    thread_local int64_t last_days = 0;
    if (std::memcmp(p, last_date, 10) != 0) {
      if (!ymd(p, &y, &mo, &d)) return false;
      int64_t day0;
      if (!civil(y, mo, d, 0, 0, 0, &day0)) return false;
      std::memcpy(last_date, p, 10);
      last_days = day0;
    }
    *out = last_days + h * 3600 + mi * 60 + se;
    return true;
  }
  return parse_general(s, out);
}

bool TimeFormat::parse_general(std::string_view s, int64_t* out) const {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  size_t i = 0;
  for (size_t k = 0; k < pattern_.size(); ++k) {
    char c = pattern_[k];
    if (c != '%') {
      if (i >= s.size() || s[i] != c) return false;
      ++i;
      continue;
    }
    c = pattern_[++k];
    if (c == '%') {
      if (i >= s.size() || s[i] != '%') return false;
      ++i;
      continue;
    }
    int v;
    if (c == 'Y') {
      if (i + 4 > s.size() || !digits(s.data() + i, 4, &v)) return false;
      i += 4;
    } else {  // one or two digits: "2/10" as well as "02/10"
      if (i >= s.size() || !digits(s.data() + i, 1, &v)) return false;
      ++i;
      int v2;
      if (i < s.size() && digits(s.data() + i, 1, &v2)) {
        v = v * 10 + v2;
        ++i;
      }
    }
    switch (c) {
      case 'Y': y = v; break;
      case 'm': mo = v; break;
      case 'd': d = v; break;
      case 'H': h = v; break;
      case 'M': mi = v; break;
      case 'S':
        se = v;
        i = skip_fraction(s, i);
        break;
    }
  }
  if (i != s.size()) return false;
  return civil(y, mo, d, h, mi, se, out);
}

}  // namespace telsim
