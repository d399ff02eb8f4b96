#include "core/base/timezone.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "core/base/error.h"

namespace telsim {

namespace {
// TZ is process-wide state: every conversion through the C library holds
// this lock, and the cache above makes that rare.
std::mutex g_tz_mutex;

bool parse_offset(const std::string& s, int32_t* out) {
  // +HH:MM, -HH:MM, +HHMM, +HH
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  std::string d;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':' && i == 3) continue;
    if (s[i] < '0' || s[i] > '9') return false;
    d += s[i];
  }
  if (d.size() != 2 && d.size() != 4) return false;
  int h = std::stoi(d.substr(0, 2)), m = d.size() == 4 ? std::stoi(d.substr(2)) : 0;
  if (h > 14 || m > 59) return false;
  *out = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
  return true;
}
}  // namespace

TimeZone::TimeZone(const std::string& name) : name_(name) {
  if (name.empty() || name == "UTC" || name == "Z" || name == "utc") {
    name_ = "UTC";
    return;
  }
  if (parse_offset(name, &offset_)) return;
  // IANA names only: a path or anything the tz database does not hold would
  // make the C library silently fall back to UTC.
  if (name.find("..") != std::string::npos || name[0] == '/' ||
      !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name))
    throw InputError(fmt::format("--tz {}: unknown time zone (use UTC, an offset such as +03:00, or an IANA name "
                                 "such as Europe/Moscow)",
                                 name));
  fixed_ = false;
}

int32_t TimeZone::offset_at_local(int64_t local) const {
  if (fixed_) return offset_;
  std::lock_guard<std::mutex> lock(g_tz_mutex);
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", name_.c_str(), 1);
  tzset();
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t secs = local - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  std::tm tm{};
  tm.tm_year = static_cast<int>(y - 1900);
  tm.tm_mon = static_cast<int>(m) - 1;
  tm.tm_mday = static_cast<int>(d);
  tm.tm_hour = static_cast<int>(secs / 3600);
  tm.tm_min = static_cast<int>(secs / 60 % 60);
  tm.tm_sec = static_cast<int>(secs % 60);
  tm.tm_isdst = -1;
  time_t utc = mktime(&tm);
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  return static_cast<int32_t>(local - static_cast<int64_t>(utc));
}

TimeFormat::TimeFormat(std::string pattern) : pattern_(std::move(pattern)) {
  if (pattern_ == "unix") {
    unix_ = true;
    return;
  }
  fast_ = pattern_ == "%Y-%m-%d %H:%M:%S";
  bool y = false, mo = false, d = false;
  for (size_t i = 0; i < pattern_.size(); ++i) {
    if (pattern_[i] != '%') continue;
    if (i + 1 == pattern_.size()) throw InputError(fmt::format("date format '{}': ends with a lone %", pattern_));
    char c = pattern_[++i];
    if (c == 'Y') y = true;
    else if (c == 'm') mo = true;
    else if (c == 'd') d = true;
    else if (c != 'H' && c != 'M' && c != 'S' && c != '%')
      throw InputError(fmt::format("date format '{}': %{} is not supported (use %Y %m %d %H %M %S, or \"unix\")",
                                   pattern_, c));
  }
  if (!y || !mo || !d) throw InputError(fmt::format("date format '{}': needs %Y, %m and %d", pattern_));
}

namespace {
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
inline bool civil(int y, int mo, int d, int h, int mi, int s, int64_t* out) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 60) return false;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  *out = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}
}  // namespace

bool TimeFormat::parse(std::string_view s, int64_t* out) const {
  if (unix_) {
    if (s.empty() || s.size() > 12) return false;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (fast_) {
    const char* p = s.data();
    if (s.size() != 19 || p[4] != '-' || p[7] != '-' || p[10] != ' ' || p[13] != ':' || p[16] != ':') return false;
    if (!digits(p + 11, 2, &h) || !digits(p + 14, 2, &mi) || !digits(p + 17, 2, &se) || h > 23 || mi > 59 || se > 60)
      return false;
    // Rows of one file share a handful of dates: remember the last one.
    thread_local char last_date[10] = {};
    thread_local int64_t last_days = 0;
    if (std::memcmp(p, last_date, 10) != 0) {
      if (!digits(p, 4, &y) || !digits(p + 5, 2, &mo) || !digits(p + 8, 2, &d)) return false;
      int64_t day0;
      if (!civil(y, mo, d, 0, 0, 0, &day0)) return false;
      std::memcpy(last_date, p, 10);
      last_days = day0;
    }
    *out = last_days + h * 3600 + mi * 60 + se;
    return true;
  }
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
    int n = c == 'Y' ? 4 : 2;
    int v;
    if (i + n > s.size() || !digits(s.data() + i, n, &v)) return false;
    i += n;
    switch (c) {
      case 'Y': y = v; break;
      case 'm': mo = v; break;
      case 'd': d = v; break;
      case 'H': h = v; break;
      case 'M': mi = v; break;
      case 'S':
        se = v;
        if (i < s.size() && s[i] == '.') {  // fractional seconds: dropped
          ++i;
          while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        }
        break;
    }
  }
  if (i != s.size()) return false;
  return civil(y, mo, d, h, mi, se, out);
}

}  // namespace telsim
