#include "core/base/timezone.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "core/base/error.h"

namespace telsim {

namespace {
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
  // IANA names of the system tz database only: no paths, nothing cctz would
  // make up itself (it reads "Fixed/UTC+03:00:00" without a file).
  // (The error_code form: a name too long for a file name is unknown too,
  // not a filesystem_error.)
  std::error_code ec;
  if (name.find("..") != std::string::npos || name[0] == '/' ||
      !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec) || !cctz::load_time_zone(name, &zone_))
    throw InputError(fmt::format("{}: unknown time zone (use UTC, an offset such as +03:00, or an IANA name such "
                                 "as Europe/Moscow)",
                                 name),
                     Topic::kTimeZone);
  fixed_ = false;
}

int32_t TimeZone::offset_at_local(int64_t local) const {
  if (fixed_) return offset_;
  const cctz::civil_second cs = cctz::civil_second(1970, 1, 1, 0, 0, 0) + local;
  // In a gap (clocks jump forward) and in an overlap (they fall back) the
  // offset in force before the change: the time a clock that has not yet
  // moved shows, and the first of the two moments that share a name.
  const cctz::time_zone::civil_lookup cl = zone_.lookup(cs);
  const int64_t utc = std::chrono::duration_cast<std::chrono::seconds>(cl.pre.time_since_epoch()).count();
  return static_cast<int32_t>(local - utc);
}

}  // namespace telsim
