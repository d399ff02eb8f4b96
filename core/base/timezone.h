#pragma once
// Local wall-clock times in CDRs to UTC. Switches write local time; `--tz`
// (or a mapping file) names the zone the file was written in.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <cctz/time_zone.h>

#include "core/base/clock.h"
#include "core/base/timestamp.h"  // TimeFormat, which readers use with a zone

namespace telsim {

/// A time zone: "UTC", a fixed offset ("+03:00", "-05:30") or an IANA name
/// ("Europe/Moscow") resolved with the system tz database through cctz
/// (thread-safe, no process-wide TZ variable).
class TimeZone {
 public:
  /// Throws InputError when `name` is none of the above.
  explicit TimeZone(const std::string& name = "UTC");
  const std::string& name() const { return name_; }
  bool fixed() const { return fixed_; }

  /// Offset (local - UTC, seconds) in force at the local civil time
  /// `local` (seconds since 1970-01-01 00:00 of the local calendar). A time
  /// that does not exist (clocks jumped forward over it) or exists twice
  /// (clocks fell back) gets the offset in force before the change: what
  /// mktime() answered, but for zones with negative DST (Europe/Dublin),
  /// where mktime() took the offset after a gap.
  int32_t offset_at_local(int64_t local) const;

 private:
  std::string name_;
  bool fixed_ = true;
  int32_t offset_ = 0;
  cctz::time_zone zone_;  // when not fixed
};

/// A per-thread cache of offsets by local hour: CDR rows come in time order,
/// so nearly every lookup hits the last hour.
class TzCache {
 public:
  explicit TzCache(const TimeZone& tz) : tz_(tz) {}
  /// UTC seconds of a local civil time; `*offset` gets the offset used.
  int64_t to_utc(int64_t local, int32_t* offset = nullptr) {
    int32_t off;
    if (tz_.fixed()) {
      off = tz_.offset_at_local(local);
    } else {
      int64_t hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;
      if (hour == last_hour_) {
        off = last_offset_;
      } else {
        auto it = map_.find(hour);
        if (it == map_.end()) it = map_.emplace(hour, tz_.offset_at_local(hour * 3600)).first;
        last_hour_ = hour;
        off = last_offset_ = it->second;
      }
    }
    if (offset) *offset = off;
    return local - off;
  }

 private:
  const TimeZone& tz_;
  int64_t last_hour_ = INT64_MIN;
  int32_t last_offset_ = 0;
  std::unordered_map<int64_t, int32_t> map_;
};

}  // namespace telsim
