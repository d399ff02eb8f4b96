#include "core/base/clock.h"

#include <cstdio>

namespace telsim {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp + (mp < 10 ? 3 : -9);
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

namespace {bool is_digit(char c) { return c >= '0' && c <= '9'; }
int num(const std::string& s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
  return v;
}
}  // namespace

bool parse_time(const std::string& s, UnixTime* out) {
  if (s.size() < 10) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(s[i])) return false;
  if (s[4] != '-' || s[7] != '-') return false;
  int y = num(s, 0, 4), mo = num(s, 5, 2), d = num(s, 8, 2);
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return false;
  int h = 0, mi = 0, se = 0, off = 0;
  size_t p = 10;
  if (p < s.size()) {
    if (s[p] != ' ' && s[p] != 'T') return false;
    if (s.size() < p + 9) return false;
    for (size_t i : {p + 1, p + 2, p + 4, p + 5, p + 7, p + 8})
      if (!is_digit(s[i])) return false;
    if (s[p + 3] != ':' || s[p + 6] != ':') return false;
    h = num(s, p + 1, 2);
    mi = num(s, p + 4, 2);
    se = num(s, p + 7, 2);
    if (h > 23 || mi > 59 || se > 60) return false;
    p += 9;
    if (p < s.size() && s[p] == '.') {  // fractional seconds: ignored
      ++p;
      while (p < s.size() && is_digit(s[p])) ++p;
    }
    if (p < s.size()) {
      if (s[p] == 'Z' && p + 1 == s.size()) {
        p++;
      } else if ((s[p] == '+' || s[p] == '-') && s.size() == p + 6 && s[p + 3] == ':' && is_digit(s[p + 1]) &&
                 is_digit(s[p + 2]) && is_digit(s[p + 4]) && is_digit(s[p + 5])) {
        off = (num(s, p + 1, 2) * 3600 + num(s, p + 4, 2) * 60) * (s[p] == '+' ? 1 : -1);
        p += 6;
      } else {
        return false;
      }
    }
  }
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  return true;
}

std::string format_time(UnixTime t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>((secs / 60) % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace telsim
