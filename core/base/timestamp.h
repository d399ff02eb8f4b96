#pragma once
// The one timestamp parser: every date-time read from a user (options, CSV
// columns, CDR fields) goes through this unit, so every reader accepts the
// same calendar (proleptic Gregorian, leap days checked, second 60 allowed
// for leap seconds) and rejects the same mistakes.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/clock.h"

namespace telsim {

/// Parses "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS" (optionally with
/// fractional seconds, which are dropped, and Z or an offset from -12:00 to
/// +14:00, the offsets in use) or "YYYY-MM-DD", as UTC unless an offset is
/// given. Returns false on anything else.
bool parse_time(std::string_view s, UnixTime* out);

/// Parses Unix seconds: an optional '-' and 1 to 18 digits.
bool parse_unix_seconds(std::string_view s, int64_t* out);

/// Parses a date-time by a strftime-like pattern of %Y %m %d %H %M %S, %%
/// and literal characters (such as / - . : and space), or the pattern "unix"
/// (integer seconds, UTC). %Y is four digits; the other fields take one or
/// two digits, so "2020/2/10 22:41" matches "%Y/%m/%d %H:%M" as spreadsheet
/// re-exports write it. A pattern without %S reads times without seconds.
/// Fractional seconds (".123") after %S are ignored. Gives local civil
/// seconds (or UTC seconds for "unix"); false when `s` does not match.
class TimeFormat {
 public:
  /// Throws InputError for a pattern it cannot use.
  explicit TimeFormat(std::string pattern = "%Y-%m-%d %H:%M:%S");
  bool parse(std::string_view s, int64_t* out) const;
  /// Empty: the default pattern.
  static TimeFormat or_default(const std::string& pattern) {
    return pattern.empty() ? TimeFormat() : TimeFormat(pattern);
  }
  bool is_unix() const { return unix_; }
  const std::string& pattern() const { return pattern_; }

 private:
  bool parse_general(std::string_view s, int64_t* out) const;
  std::string pattern_;
  bool unix_ = false;
  bool fast_ = false;  // exactly "%Y-%m-%d %H:%M:%S"
};

}  // namespace telsim
