// core/base/timestamp: the one timestamp parser (fixed ISO forms, patterns,
// Unix seconds).
#include "core/base/timestamp.h"

#include <doctest/doctest.h>

#include "core/base/error.h"

using namespace telsim;

TEST_CASE("parse_time: ISO forms, offsets, fractions; impossible dates refused") {
  UnixTime t = 0;
  REQUIRE(parse_time("2024-02-29 13:05:07", &t));
  CHECK(format_time(t) == "2024-02-29 13:05:07");
  REQUIRE(parse_time("2024-02-29T13:05:07+03:00", &t));
  CHECK(format_time(t) == "2024-02-29 10:05:07");
  REQUIRE(parse_time("2024-02-29T13:05:07.250-01:30", &t));
  CHECK(format_time(t) == "2024-02-29 14:35:07");
  REQUIRE(parse_time("2024-02-29T13:05:07Z", &t));
  CHECK(format_time(t) == "2024-02-29 13:05:07");
  REQUIRE(parse_time("1970-01-01", &t));
  CHECK(t == 0);
  // The offsets in use: UTC-12:00 (Baker Island) to UTC+14:00 (Kiribati).
  REQUIRE(parse_time("2024-01-01 00:00:00+14:00", &t));
  CHECK(format_time(t) == "2023-12-31 10:00:00");
  REQUIRE(parse_time("2024-01-01 00:00:00-12:00", &t));
  CHECK(format_time(t) == "2024-01-01 12:00:00");
  REQUIRE(parse_time("2024-01-01 00:00:00+05:45", &t));  // Nepal
  CHECK(format_time(t) == "2023-12-31 18:15:00");
  for (const char* bad : {"2023-02-29 00:00:00", "2024-13-01", "2024-04-31", "yesterday", "2024-01-01 24:00:00",
                          "2024-01-01 10:00", "2024-01-01X10:00:00", "2024-01-01 10:00:00+3", "2024-01-01 10:00:00Zx",
                          "2024-1-01", "2024-01-01 00:00:00+25:00", "2024-01-01 00:00:00+14:01",
                          "2024-01-01 00:00:00-12:30", "2024-01-01 00:00:00+03:60"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad, &t));
  }
}

TEST_CASE("parse_unix_seconds") {
  int64_t t = 0;
  REQUIRE(parse_unix_seconds("1700000000", &t));
  CHECK(t == 1700000000);
  REQUIRE(parse_unix_seconds("-5", &t));
  CHECK(t == -5);
  CHECK_FALSE(parse_unix_seconds("", &t));
  CHECK_FALSE(parse_unix_seconds("-", &t));
  CHECK_FALSE(parse_unix_seconds("12a", &t));
  CHECK_FALSE(parse_unix_seconds("1234567890123456789", &t));  // 19 digits
}

TEST_CASE("TimeFormat: patterns agree with parse_time on the same instants") {
  UnixTime iso = 0;
  REQUIRE(parse_time("2026-10-01 10:00:00", &iso));
  int64_t t = 0;
  TimeFormat f;  // the fast path
  REQUIRE(f.parse("2026-10-01 10:00:00", &t));
  CHECK(t == iso);
  CHECK_FALSE(f.parse("2026-10-01 10:00:00.5", &t));  // the default pattern has no fraction
  CHECK_FALSE(f.parse("2026-02-30 10:00:00", &t));
  TimeFormat dm("%d.%m.%Y %H:%M:%S");
  REQUIRE(dm.parse("01.10.2026 10:00:00.250", &t));
  CHECK(t == iso);
  CHECK_FALSE(dm.parse("31.09.2026 10:00:00", &t));
  TimeFormat unix("unix");
  REQUIRE(unix.parse("1790848800", &t));
  CHECK(t == 1790848800);
  CHECK_FALSE(unix.parse("-1", &t));
  CHECK_FALSE(unix.parse("1234567890123", &t));  // 13 digits
  CHECK_THROWS_AS(TimeFormat("%Y-%j"), InputError);
  CHECK_THROWS_AS(TimeFormat("%H:%M"), InputError);
}

TEST_CASE("TimeFormat: fields without leading zeros, seconds absent when the pattern has none") {
  TimeFormat f("%Y/%m/%d %H:%M");
  int64_t t = 0, u = 0;
  REQUIRE(f.parse("2020/2/10 22:41", &t));
  REQUIRE(f.parse("2020/02/10 22:41", &u));
  CHECK(t == u);
  REQUIRE(parse_time("2020-02-10 22:41:00", &u));
  CHECK(t == u);
  CHECK(f.parse("2020/2/1 2:4", &t));
  CHECK_FALSE(f.parse("2020/2/10 22:41:00", &t));  // seconds the pattern does not have
  CHECK_FALSE(f.parse("2020/123/10 22:41", &t));
  CHECK_FALSE(f.parse("20/2/10 22:41", &t));  // the year has four digits
  TimeFormat dots("%d.%m.%Y %H:%M:%S");
  REQUIRE(dots.parse("5.1.2026 9:03:07", &t));
  REQUIRE(parse_time("2026-01-05 09:03:07", &u));
  CHECK(t == u);
  // The default layout reads non-padded times too, and still refuses fractions.
  TimeFormat def;
  REQUIRE(def.parse("2026-1-5 9:03:07", &t));
  CHECK(t == u);
  CHECK_FALSE(def.parse("2026-01-05 09:03:07.5", &t));
}
