// Readers: time zones, the three formats, legs into calls,
// and the for_each_call() API the simulator replays from.
#include "core/cdr/cdr_reader.h"

#include <doctest/doctest.h>

#include <functional>

#include "core/base/error.h"
#include "core/base/timezone.h"
#include "tests/test_util.h"

using namespace telsim;

namespace {
std::vector<CdrCall> calls_of(const std::string& path, CdrReadOptions o = {}) {
  std::vector<CdrCall> out;
  std::string diag;
  o.diagnostics = nullptr;
  for_each_call({path}, o, [&](const CdrCall& c) { out.push_back(c); });
  return out;
}
UnixTime utc(const char* s) {
  UnixTime t = 0;
  REQUIRE(parse_time(s, &t));
  return t;
}
}  // namespace

TEST_CASE("time formats and zones") {
  TimeFormat f;
  int64_t t;
  REQUIRE(f.parse("2026-10-01 10:00:00", &t));
  CHECK(t == utc("2026-10-01 10:00:00"));
  CHECK_FALSE(f.parse("2026-02-30 10:00:00", &t));
  CHECK_FALSE(f.parse("2026-10-01 24:00:00", &t));
  CHECK_FALSE(f.parse("2026-10-01T10:00:00", &t));
  TimeFormat dm("%d.%m.%Y %H:%M:%S");
  REQUIRE(dm.parse("01.10.2026 10:00:00.250", &t));
  CHECK(t == utc("2026-10-01 10:00:00"));
  CHECK_THROWS_AS(TimeFormat("%Y-%j"), InputError);

  TimeZone moscow("Europe/Moscow");  // UTC+3, no DST since 2014
  TzCache c(moscow);
  int32_t off = 0;
  CHECK(c.to_utc(utc("2026-10-01 10:00:00"), &off) == utc("2026-10-01 07:00:00"));
  CHECK(off == 3 * 3600);
  TimeZone berlin("Europe/Berlin");  // DST: +2 in summer, +1 in winter
  TzCache b(berlin);
  CHECK(b.to_utc(utc("2026-07-01 12:00:00")) == utc("2026-07-01 10:00:00"));
  CHECK(b.to_utc(utc("2026-12-01 12:00:00")) == utc("2026-12-01 11:00:00"));
  TimeZone fixed("-05:30");
  TzCache x(fixed);
  CHECK(x.to_utc(utc("2026-10-01 00:00:00")) == utc("2026-10-01 05:30:00"));
  CHECK_THROWS_AS(TimeZone("Mars/Olympus"), InputError);
  CHECK_THROWS_AS(TimeZone("../../etc/passwd"), InputError);
}

TEST_CASE("Asterisk: legs grouped by linkedid, numbers normalised, local time to UTC") {
  CdrReadOptions o;
  o.tz = "Europe/Moscow";
  auto calls = calls_of(test::source("tests/fixtures/cdr/asterisk_messy.csv"), o);
  REQUIRE(calls.size() == 6);
  const CdrCall* a = nullptr;
  const CdrCall* b = nullptr;
  for (auto& c : calls) {
    if (c.line == 1) a = &c;
    if (c.line == 2) b = &c;
  }
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->start == utc("2026-10-01 07:00:00"));  // 10:00 Moscow
  CHECK(a->answer == utc("2026-10-01 07:00:05"));
  CHECK(a->end == utc("2026-10-01 07:01:05"));
  CHECK(a->caller == "+79161234567");
  CHECK(a->caller_e164);
  CHECK(a->called == "+74951000001");
  CHECK(a->billsec == 60);
  CHECK(a->outcome == Outcome::kAnswered);
  CHECK(a->trunk == "SIP/client-pbx");
  CHECK(a->channel == "SIP/mts-in");
  // CdrCall B: a leg that rang out, then a leg that answered for 3 s.
  CHECK(b->legs == 2);
  CHECK(b->outcome == Outcome::kAnswered);
  CHECK(b->start == utc("2026-10-01 07:05:00"));
  CHECK(b->answer == utc("2026-10-01 07:05:24"));
  CHECK(b->duration == 27);
  CHECK(b->billsec == 3);
  CHECK(b->caller == "+79031234567");
  // The short local number stays local, marked as such.
  bool local = false;
  for (auto& c : calls)
    if (c.caller == "221133") local = !c.caller_e164;
  CHECK(local);
}

TEST_CASE("FreeSWITCH: a B leg logged before its A leg joins the same call") {
  auto calls = calls_of(test::source("tests/fixtures/cdr/freeswitch.csv"));
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].legs + calls[1].legs + calls[2].legs + calls[3].legs == 5);
  int answered = 0, seized = 0;
  for (auto& c : calls) {
    answered += c.outcome == Outcome::kAnswered;
    seized += c.seized;
    if (c.outcome == Outcome::kBusy) CHECK(c.q850 == 17);
    if (c.outcome == Outcome::kFailed) CHECK(c.q850 == 3);  // NO_ROUTE_DESTINATION
  }
  CHECK(answered == 1);
  CHECK(seized == 3);
}

TEST_CASE("mapped CSV: header, mapping file, its own date format and zone, SIP codes") {
  CdrMapping m = CdrMapping::load(test::source("tests/fixtures/cdr/export.toml"));
  CdrReadOptions o;
  o.mapping = &m;
  auto calls = calls_of(test::source("tests/fixtures/cdr/export.csv"), o);
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].start == utc("2026-10-01 07:00:00"));  // the mapping's Moscow time
  CHECK(calls[0].billsec == 120);                        // no billsec column: end - answer
  CHECK(calls[1].called == "+74951000002");              // 8495... normalised
  CHECK(calls[1].outcome == Outcome::kNoAnswer);         // SIP 480
  CHECK(calls[1].q850 == 19);
  CHECK(calls[2].outcome == Outcome::kCongestion);  // SIP 503
  CHECK_FALSE(calls[2].seized);                     // empty trunk: never got a channel
  // --tz wins over the mapping file.
  o.tz = "UTC";
  auto u = calls_of(test::source("tests/fixtures/cdr/export.csv"), o);
  CHECK(u[0].start == utc("2026-10-01 10:00:00"));
}

TEST_CASE("mapping files: errors name the file, line and key") {
  test::TempDir d;
  auto bad = [&](const std::string& text, const std::string& expect) {
    test::write_file(d.file("m.toml"), text);
    try {
      CdrMapping::load(d.file("m.toml"));
      FAIL("accepted: " << text);
    } catch (const InputError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(expect) != std::string::npos);
    }
  };
  bad("[columns]\nstart='s'\ncalled='c'\n", "columns.disposition");
  bad("[columns]\nstart='s'\ncalled='c'\ndisposition='d'\n", "map `end` or `duration`");
  bad("date_format='%Q'\n[columns]\nstart='s'\ncalled='c'\ndisposition='d'\nend='e'\n", "date_format");
  bad("[columns]\nstart='s'\ncalled='c'\ndisposition='d'\nend='e'\nstrat='x'\n", "m.toml:6: columns.strat: unknown key");
  // A mapped column missing from the header is refused before any row is read.
  test::write_file(d.file("m.toml"), "[columns]\nstart='s'\ncalled='c'\ndisposition='d'\nend='nope'\n");
  test::write_file(d.file("x.csv"), "s,c,d,e\n2026-10-01 10:00:00,1,ANSWERED,2026-10-01 10:00:00\n");
  CdrMapping m = CdrMapping::load(d.file("m.toml"));
  CdrReadOptions o;
  o.mapping = &m;
  CHECK_THROWS_WITH_AS(calls_of(d.file("x.csv"), o), doctest::Contains("columns.end = 'nope'"), InputError);
}

TEST_CASE("strict mode throws at the first bad row with file and line") {
  CdrReadOptions o;
  o.strict = true;
  std::string path = test::source("tests/fixtures/cdr/asterisk_messy.csv");
  CHECK_THROWS_WITH_AS(calls_of(path, o), doctest::Contains("asterisk_messy.csv:4: skipped (broken_quoting)"),
                       InputError);
}

TEST_CASE("reader errors speak the domain and carry the topic tools/ names an option for") {
  auto error_of = [](const std::function<void()>& f) -> std::pair<std::string, Topic> {
    try {
      f();
    } catch (const InputError& e) {
      return {e.what(), e.topic()};
    }
    return {"", Topic::kNone};
  };
  CdrReadOptions o;
  o.strict = true;
  auto [strict, t1] = error_of([&] { calls_of(test::source("tests/fixtures/cdr/asterisk_messy.csv"), o); });
  CHECK(t1 == Topic::kStrictStop);
  CHECK(strict.find("--") == std::string::npos);
  test::TempDir d;
  test::write_file(d.file("x.csv"), "a,b,c\n1,2,3\n");
  auto [format, t2] = error_of([&] { calls_of(d.file("x.csv")); });
  CHECK(t2 == Topic::kCdrFormat);
  CHECK(format.find("cannot tell the CDR format") != std::string::npos);
  CHECK(format.find("--") == std::string::npos);
  CdrReadOptions bad_zone;
  bad_zone.tz = "Mars/Base";
  auto [zone, t3] = error_of([&] { calls_of(d.file("x.csv"), bad_zone); });
  CHECK(t3 == Topic::kTimeZone);
  CHECK(zone.find("--") == std::string::npos);
}

TEST_CASE("outcome table: defaults and overrides from a file") {
  OutcomeMap m;
  Disposition d;
  REQUIRE(m.lookup("NO ANSWER", OutcomeMap::Codes::kQ850, &d));
  CHECK(d.outcome == Outcome::kNoAnswer);
  REQUIRE(m.lookup("user_busy", OutcomeMap::Codes::kQ850, &d));  // case-insensitive
  CHECK(d.q850 == 17);
  REQUIRE(m.lookup("486", OutcomeMap::Codes::kSip, &d));
  CHECK(d.outcome == Outcome::kBusy);
  REQUIRE(m.lookup("34", OutcomeMap::Codes::kQ850, &d));
  CHECK(d.outcome == Outcome::kCongestion);
  CHECK_FALSE(m.lookup("WEIRD", OutcomeMap::Codes::kQ850, &d));
  CHECK(m.delivered(17));
  CHECK_FALSE(m.delivered(20));
  test::TempDir dir;
  test::write_file(dir.file("o.toml"),
                   "[dispositions]\n\"FAILED\" = { outcome = \"failed\", q850 = 1 }\n"
                   "\"WEIRD\" = { outcome = \"no_answer\", q850 = 19 }\n[ner]\ndelivered = [16, 17, 18, 19, 20, 21]\n");
  m.load(dir.file("o.toml"));
  REQUIRE(m.lookup("FAILED", OutcomeMap::Codes::kQ850, &d));
  CHECK(d.q850 == 1);
  REQUIRE(m.lookup("weird", OutcomeMap::Codes::kQ850, &d));
  CHECK(d.outcome == Outcome::kNoAnswer);
  CHECK(m.delivered(20));
  test::write_file(dir.file("bad.toml"), "[dispositions]\n\"X\" = { outcome = \"lost\" }\n");
  CHECK_THROWS_WITH_AS(m.load(dir.file("bad.toml")), doctest::Contains("dispositions.X.outcome"), InputError);
}
