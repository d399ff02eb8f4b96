// core/base/timezone: local CDR times to UTC through cctz, including the
// hours that do not exist or exist twice at DST changes.
#include "core/base/timezone.h"

#include <doctest/doctest.h>

#include "core/base/error.h"
#include "core/base/timestamp.h"

using namespace telsim;

namespace {
// Seconds of a civil time (the clock on the wall, no zone).
int64_t civil(const char* s) {
  UnixTime t = 0;
  REQUIRE(parse_time(s, &t));
  return t;
}
// UTC of a local time in `zone`.
int64_t utc_of(const char* zone, const char* local) {
  TimeZone z(zone);
  return civil(local) - z.offset_at_local(civil(local));
}
}  // namespace

TEST_CASE("time zones: offsets outside DST changes") {
  CHECK(utc_of("Europe/Moscow", "2026-10-01 10:00:00") == civil("2026-10-01 07:00:00"));
  CHECK(utc_of("Europe/Moscow", "2012-07-01 10:00:00") == civil("2012-07-01 06:00:00"));  // UTC+4 in 2011-2014
  CHECK(utc_of("Europe/Berlin", "2026-07-01 12:00:00") == civil("2026-07-01 10:00:00"));
  CHECK(utc_of("Europe/Berlin", "2026-12-01 12:00:00") == civil("2026-12-01 11:00:00"));
  CHECK(utc_of("Asia/Kolkata", "2026-01-01 05:30:00") == civil("2026-01-01 00:00:00"));
  CHECK(utc_of("+03:00", "2026-01-01 03:00:00") == civil("2026-01-01 00:00:00"));
  CHECK(utc_of("UTC", "2026-01-01 03:00:00") == civil("2026-01-01 03:00:00"));
}

TEST_CASE("time zones: a time in a gap takes the offset before the change") {
  // Berlin jumps 02:00 -> 03:00 on 2026-03-29: 02:30 is read as CET (+1).
  CHECK(utc_of("Europe/Berlin", "2026-03-29 02:30:00") == civil("2026-03-29 01:30:00"));
  // New York jumps 02:00 -> 03:00 on 2026-03-08: 02:30 is read as EST (-5).
  CHECK(utc_of("America/New_York", "2026-03-08 02:30:00") == civil("2026-03-08 07:30:00"));
  // Dublin (negative DST in the tz database) jumps 01:00 -> 02:00 on
  // 2026-03-29: 01:30 is read as GMT, as in every other zone (mktime said IST).
  CHECK(utc_of("Europe/Dublin", "2026-03-29 01:30:00") == civil("2026-03-29 01:30:00"));
}

TEST_CASE("time zones: a time in an overlap is its first occurrence") {
  // Berlin falls back 03:00 -> 02:00 on 2026-10-25: 02:30 CEST (+2) first.
  CHECK(utc_of("Europe/Berlin", "2026-10-25 02:30:00") == civil("2026-10-25 00:30:00"));
  CHECK(utc_of("America/New_York", "2026-11-01 01:30:00") == civil("2026-11-01 05:30:00"));
  // Moscow left UTC+4 for UTC+3 at 02:00 on 2014-10-26: 01:30 happened twice.
  CHECK(utc_of("Europe/Moscow", "2014-10-26 01:30:00") == civil("2014-10-25 21:30:00"));
}

TEST_CASE("time zones: names, offsets and refusals") {
  CHECK(TimeZone("utc").name() == "UTC");
  CHECK(TimeZone("-05:30").fixed());
  CHECK_FALSE(TimeZone("Europe/Moscow").fixed());
  for (const char* bad : {"Mars/Olympus", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "zone.tab",
                          "Fixed/UTC+03:00:00", "+15:00"}) {
    INFO(bad);
    try {
      TimeZone z(bad);
      FAIL("accepted");
    } catch (const InputError& e) {
      // Core speaks of the zone, never of an option.
      CHECK(std::string(e.what()).find("--") == std::string::npos);
      CHECK(e.topic() == Topic::kTimeZone);
    }
  }
}
