#pragma once
// Time passed in, never read from a global: commands take a time to act
// as of, real runs the system clock. Reading times from text:
// core/base/timestamp.h.
#include <cstdint>
#include <ctime>
#include <string>

namespace telsim {

/// Seconds since the Unix epoch, UTC.
using UnixTime = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime now() const = 0;
};

class SystemClock : public Clock {
 public:
  UnixTime now() const override { return static_cast<UnixTime>(std::time(nullptr)); }
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
/// The civil date of a day number (the inverse of days_from_civil).
void civil_from_days(int64_t days, int64_t* y, unsigned* m, unsigned* d);

/// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string format_time(UnixTime t);

}  // namespace telsim
