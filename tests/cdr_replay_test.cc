// `telsim cdr replay`: CDR calls logged into the pool database (issue 3's
// call log) and attributed to sessions of lease events, static channels, or
// a reason.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using namespace telsim;

namespace {
using test::has;

// A database with a dynamic pool (two numbers, an overflow number) and a
// static pool (one number bound to a billboard), as of before the CDR.
std::string make_db(const test::TempDir& d) {
  std::string db = " --db " + d.file("t.db") + " --at 2026-09-01";
  auto ok = [](const test::Run& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  ok(test::telsim("pool init --db " + d.file("t.db")));
  ok(test::telsim("number add --range +74951000001 +74951000004" + db));
  ok(test::telsim("pool create shop --client Shop --kind dynamic --hold-minutes 15 --overflow +74951000003" + db));
  ok(test::telsim("pool allocate shop +74951000001 +74951000002" + db));
  ok(test::telsim("pool create ads --client Shop --kind static" + db));
  ok(test::telsim("pool allocate ads +74951000004 --source billboard --medium offline" + db));
  test::write_file(d.file("leases.csv"),
                   "time,pool,session,source,medium,campaign\n"
                   "2026-10-01 07:04:00,shop,s-2,yandex,cpc,spring\n"  // out of order on purpose
                   "2026-10-01 06:58:00,shop,s-1,google,cpc,spring\n");
  return d.file("t.db");
}
}  // namespace

TEST_CASE("cdr replay logs every call and attributes it to a session, a static channel or a reason") {
  test::TempDir d;
  std::string db = make_db(d);
  std::string messy = test::source("tests/fixtures/cdr/asterisk_messy.csv");
  auto r = test::telsim("cdr replay " + messy + " --tz Europe/Moscow --db " + db + " --leases " + d.file("leases.csv") +
                        " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rows"] == 16);
  CHECK(j["skipped"] == 9);
  CHECK(j["leases_applied"] == 2);
  CHECK(j["logged"] == 6);
  // 07:00 UTC to ...01 while s-1 (leased 06:58) held it; 07:05 to ...02 held by s-2.
  CHECK(j["attributed_session"] == 2);
  CHECK(j["attributed_static"] == 1);  // ...04 on the billboard
  CHECK(j["unattributed"] == 3);
  CHECK(j["unattributed_by_reason"]["overflow number"] == 1);
  CHECK(j["unattributed_by_reason"]["no lease"] == 2);  // ...01 again at 08:30 and 21:30: the lease had ended
  CHECK(has(r.err, "asterisk_messy.csv:4: skipped (broken_quoting)"));

  auto calls = test::telsim("calls list --db " + db + " --format json");
  REQUIRE(calls.exit_code == 0);
  auto doc = nlohmann::json::parse(calls.out);
  CHECK(doc["schema"] == "telsim.calls-list/1");
  auto c = doc["calls"];
  REQUIRE(c.is_array());
  REQUIRE(c.size() == 6);
  CHECK(calls.out.find("s-1") != std::string::npos);
  CHECK(calls.out.find("billboard") != std::string::npos);

  // The same replay again changes nothing: its leases and calls are there.
  r = test::telsim("cdr replay " + messy + " --tz Europe/Moscow --db " + db + " --leases " + d.file("leases.csv") +
                   " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["leases_applied"] == 0);
  CHECK(j["leases_already_applied"] == 2);
  CHECK(j["logged"] == 0);
  CHECK(j["already_logged"] == 6);
  CHECK(nlohmann::json::parse(test::telsim("calls list --db " + db + " --format json").out)["calls"].size() == 6);
}

TEST_CASE("cdr replay: calls to numbers the operator does not own are counted, not logged") {
  test::TempDir d;
  std::string db = make_db(d);
  test::write_file(d.file("x.csv"),
                   "\"\",\"89161234567\",\"84959999999\",\"c\",\"\",\"SIP/a-1\",\"SIP/b-2\",\"Dial\",\"\","
                   "\"2026-10-01 10:00:00\",,\"2026-10-01 10:00:20\",20,0,\"NO ANSWER\",\"DOCUMENTATION\"\n"
                   "\"\",\"89161234567\",\"s\",\"c\",\"\",\"SIP/a-1\",\"\",\"Dial\",\"\","
                   "\"2026-10-01 10:00:00\",,\"2026-10-01 10:00:20\",20,0,\"FAILED\",\"DOCUMENTATION\"\n");
  auto r = test::telsim("cdr replay " + d.file("x.csv") + " --db " + db + " --format json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["logged"] == 0);
  CHECK(j["not_operator_number"] == 1);
  CHECK(j["not_e164"] == 1);
}

TEST_CASE("cdr replay --strict: a bad row leaves the database untouched") {
  test::TempDir d;
  std::string db = make_db(d);
  auto r = test::telsim("cdr replay " + test::source("tests/fixtures/cdr/asterisk_messy.csv") + " --strict --db " + db +
                        " --leases " + d.file("leases.csv"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "asterisk_messy.csv:4"));
  auto calls = test::telsim("calls list --db " + db + " --format json");
  CHECK(nlohmann::json::parse(calls.out)["calls"].empty());
  auto pool = test::telsim("pool show shop --db " + db + " --format json");
  CHECK(pool.out.find("s-1") == std::string::npos);  // the leases were not applied either
  // Bad lease events are refused before anything is written, with the line.
  test::write_file(d.file("bad.csv"), "time,pool,session\nyesterday,shop,s-9\n");
  r = test::telsim("cdr replay " + test::source("tests/fixtures/cdr/freeswitch.csv") + " --db " + db + " --leases " +
                   d.file("bad.csv"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "bad.csv:2: time 'yesterday' does not parse"));
  r = test::telsim("cdr replay " + test::source("tests/fixtures/cdr/freeswitch.csv") + " --db " + d.file("none.db"));
  CHECK(r.exit_code == 2);
}
