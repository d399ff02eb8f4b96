// The pool database through its core API, with fixed times.
#include "core/pool/pool_db.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/pool/call_log.h"
#include "core/base/error.h"
#include "core/base/timestamp.h"
#include "tests/test_util.h"

using namespace telsim;

namespace {

UnixTime T(const char* s) {
  UnixTime t;
  REQUIRE(parse_time(s, &t));
  return t;
}

// A database with ten numbers +74951234500..09 and +74951234599, a dynamic
// pool "shop" of three numbers with +74951234599 as overflow, and a static
// pool "ads" holding +74951234505 for a billboard.
struct Fixture {
  test::TempDir dir;
  std::unique_ptr<PoolStore> store = PoolStore::open(dir.file("t.db"), PoolAccess::kCreate);
  std::unique_ptr<PoolDb> db = std::make_unique<PoolDb>(*store);
  Fixture() {
    std::vector<std::string> nums;
    for (int i = 0; i < 10; ++i) nums.push_back("+7495123450" + std::to_string(i));
    nums.push_back("+74951234599");
    db->add_numbers(nums, T("2026-01-01"));
    PoolSpec shop;
    shop.name = "shop";
    shop.overflow_number = "+74951234599";
    db->create_pool(shop, T("2026-01-02"));
    db->allocate("shop", {}, 3, {}, T("2026-01-02"));
    PoolSpec ads;
    ads.name = "ads";
    ads.kind = PoolKind::kStatic;
    db->create_pool(ads, T("2026-01-02"));
    db->allocate("ads", {"+74951234505"}, 0, {"billboard", "offline", "spring"}, T("2026-01-02"));
  }
};

}  // namespace

TEST_CASE("pool db: a fresh database has the current schema, WAL and foreign keys") {
  test::TempDir dir;
  auto store = PoolStore::open(dir.file("t.db"), PoolAccess::kCreate);
  CHECK(store->schema_version() == kPoolSchemaVersion);
  sql::Stmt wal(store->sql(), "PRAGMA journal_mode");
  REQUIRE(wal.step());
  CHECK(wal.text(0) == "wal");
  sql::Stmt fk(store->sql(), "PRAGMA foreign_keys");
  REQUIRE(fk.step());
  CHECK(fk.i64(0) == 1);
  // Opening again is a no-op migration.
  wal.reset();
  fk.reset();
  CHECK(PoolDb::open(dir.file("t.db"))->schema_version() == kPoolSchemaVersion);
}

TEST_CASE("pool db: refuses a missing file, a newer schema and a foreign database") {
  test::TempDir dir;
  // core/ says what is wrong in domain words; the command's hint
  // (`telsim pool init --db PATH`) is tools/' and needs the path.
  try {
    PoolDb::open(dir.file("none.db"));
    FAIL("a missing database opened");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "no database at " + dir.file("none.db"));
    CHECK(e.topic() == Topic::kNoDatabase);
    CHECK(e.subject() == dir.file("none.db"));
  }
  {
    sql::Db raw(dir.file("new.db"), true);
    raw.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH_AS(PoolDb::open(dir.file("new.db")), doctest::Contains("schema version 99, newer"), InputError);
  {
    sql::Db raw(dir.file("other.db"), true);
    raw.exec("CREATE TABLE x(a)");
  }
  CHECK_THROWS_WITH_AS(PoolDb::open(dir.file("other.db")), doctest::Contains("not a telsim one"), InputError);
  CHECK_THROWS_AS(PoolDb::open(dir.file("other.db"), PoolAccess::kCreate), InputError);  // pool init refuses it too
  // Refusing leaves a foreign file as it was (no switch to WAL).
  sql::Db raw(dir.file("other.db"), false);
  sql::Stmt mode(raw, "PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.text(0) == "delete");
}

TEST_CASE("pool db: adding numbers is all or nothing") {
  Fixture f;
  CHECK_THROWS_WITH_AS(f.db->add_numbers({"+74950000001", "+74951234503"}, T("2026-01-03")),
                       doctest::Contains("+74951234503 is already in the database"), InputError);
  CHECK(f.db->numbers().size() == 11);  // +74950000001 was not added either
  CHECK_THROWS_AS(f.db->add_numbers({"+74950000001", "+74950000001"}, T("2026-01-03")), InputError);
}

TEST_CASE("pool db: allocation takes the lowest available numbers and records history") {
  Fixture f;
  auto shop = f.db->numbers("allocated", "shop");
  REQUIRE(shop.size() == 4);  // three in rotation + the overflow number
  CHECK(shop[0].e164 == "+74951234500");
  CHECK(shop[2].e164 == "+74951234502");
  CHECK(shop[3].overflow);
  auto h = f.db->history("+74951234500");
  REQUIRE(h.size() == 2);
  CHECK(h[1].from == "available");
  CHECK(h[1].to == "allocated");
  CHECK(h[1].pool == "shop");
  CHECK(h[1].at == T("2026-01-02"));
  CHECK_THROWS_WITH_AS(f.db->allocate("shop", {}, 100, {}, T("2026-01-03")),
                       doctest::Contains("only 6 numbers are available"), InputError);
  CHECK(f.db->numbers("available").size() == 6);  // nothing half-allocated
  CHECK_THROWS_WITH_AS(f.db->allocate("shop", {"+74951234505"}, 0, {}, T("2026-01-03")),
                       doctest::Contains("is in state allocated"), InputError);
  CHECK_THROWS_AS(f.db->allocate("shop", {"+74951234506"}, 0, {"google", "", ""}, T("2026-01-03")), InputError);
}

TEST_CASE("pool db: leases - new, renewed, expired, least recently used, overflow") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  LeaseResult a = f.db->lease("shop", "a", {"google", "cpc", "x"}, t0);
  CHECK(a.number == "+74951234500");
  CHECK_FALSE(a.overflow);
  CHECK_FALSE(a.renewed);
  CHECK(a.expires == t0 + 900);
  CHECK(f.db->lease("shop", "b", {}, t0).number == "+74951234501");
  CHECK(f.db->lease("shop", "c", {}, t0).number == "+74951234502");
  // Exhausted: the overflow number, counted.
  LeaseResult d = f.db->lease("shop", "d", {}, t0 + 60);
  CHECK(d.overflow);
  CHECK(d.number == "+74951234599");
  CHECK(f.db->pool("shop", t0 + 60).overflows == 1);
  CHECK(f.db->pool("shop", t0).overflows == 0);  // as of t0 it had not overflowed yet
  // A returning session keeps its number; the lease runs from its last activity.
  LeaseResult a2 = f.db->lease("shop", "a", {}, t0 + 600);
  CHECK(a2.renewed);
  CHECK(a2.number == "+74951234500");
  CHECK(a2.expires == t0 + 600 + 900);
  // At t0+900 b's and c's leases have ended; a's still runs. A new visitor
  // gets the number free longest (b's, then c's), never a's.
  LeaseResult e = f.db->lease("shop", "e", {}, t0 + 900);
  CHECK(e.number == "+74951234501");
  LeaseResult g = f.db->lease("shop", "g", {}, t0 + 900);
  CHECK(g.number == "+74951234502");
  CHECK(f.db->lease("shop", "h", {}, t0 + 900).overflow);
  // Session b comes back after its lease ended: it is a new lease.
  LeaseResult b2 = f.db->lease("shop", "b", {}, t0 + 1500);
  CHECK_FALSE(b2.renewed);
  CHECK(b2.number == "+74951234500");  // a's lease ended at t0+1500
  CHECK_THROWS_WITH_AS(f.db->lease("ads", "s", {}, t0), doctest::Contains("static"), InputError);
  CHECK_THROWS_AS(f.db->lease("nope", "s", {}, t0), InputError);
}

TEST_CASE("pool db: a renewal dated before another session's lease of the number is refused") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 12:00:00");
  // Three numbers: two held by sessions that stay, so a and b share the third.
  f.db->lease("shop", "x", {}, t0);
  f.db->lease("shop", "y", {}, t0);
  LeaseResult a = f.db->lease("shop", "a", {}, t0 + 60);
  CHECK(a.number == "+74951234502");
  f.db->lease("shop", "x", {}, t0 + 800);
  f.db->lease("shop", "y", {}, t0 + 800);
  LeaseResult b = f.db->lease("shop", "b", {}, t0 + 60 + 900 + 300);  // a's lease ended 5 minutes before
  CHECK(b.number == a.number);
  // a comes back with a time inside its old lease, after b got the number:
  // extending a's lease would make the number live for both.
  CHECK_THROWS_WITH_AS(f.db->lease("shop", "a", {}, t0 + 600),
                       "session 'a' cannot renew its lease of +74951234502 at 2026-01-03 12:10:00: session 'b' has "
                       "held the number since 2026-01-03 12:21:00 (leases of a number must be in time order)",
                       InputError);
  // Nothing changed: a's lease still ends where it did, and a call while b
  // holds the number is b's.
  CHECK(f.db->attribute(a.number, t0 + 60 + 900 + 360).session == "b");
  CHECK(f.db->attribute(a.number, t0 + 60 + 900 + 60).reason == std::string(kReasonNoLease));
  // A renewal that ends before b's lease starts is still a renewal.
  LeaseResult a2 = f.db->lease("shop", "a", {}, t0 + 120);
  CHECK(a2.renewed);
  CHECK(a2.expires == t0 + 120 + 900);
}

TEST_CASE("pool db: attribution to session, static channel, or a reason") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  f.db->lease("shop", "visitor-1", {"google", "cpc", "spring"}, t0);
  Attribution a = f.db->attribute("+74951234500", t0 + 300);
  CHECK(a.kind == Attribution::Kind::kSession);
  CHECK(a.session == "visitor-1");
  CHECK(a.channel.source == "google");
  CHECK(a.channel.campaign == "spring");
  CHECK(a.pool == "shop");
  CHECK(f.db->attribute("+74951234500", t0 + 900).reason == std::string(kReasonNoLease));
  CHECK(f.db->attribute("+74951234500", t0 - 1).reason == std::string(kReasonNoLease));
  CHECK(f.db->attribute("+74951234599", t0).reason == std::string(kReasonOverflow));
  Attribution s = f.db->attribute("+74951234505", t0);
  CHECK(s.kind == Attribution::Kind::kStatic);
  CHECK(s.channel.source == "billboard");
  CHECK(f.db->attribute("+74951234507", t0).reason == std::string(kReasonNotInPool));
  f.db->give_back("shop", {"+74951234501"}, T("2026-01-04"), "");
  CHECK(f.db->attribute("+74951234501", T("2026-01-05")).reason == std::string(kReasonQuarantine));
  // The past keeps its state: before the return the number was in the pool.
  CHECK(f.db->attribute("+74951234501", T("2026-01-03")).reason == std::string(kReasonNoLease));
  // Before the operator allocated it, it was in no pool.
  CHECK(f.db->attribute("+74951234500", T("2026-01-01 12:00:00")).reason == std::string(kReasonNotInPool));
  CHECK_THROWS_WITH_AS(f.db->attribute("+79990000000", t0), doctest::Contains("not a number of this operator"),
                       InputError);
}

TEST_CASE("pool db: giving a number back ends its lease; quarantine remembers the pool") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  f.db->lease("shop", "a", {}, t0);
  f.db->give_back("shop", {"+74951234500"}, t0 + 60, "client cancelled");
  CHECK(f.db->attribute("+74951234500", t0 + 30).kind == Attribution::Kind::kSession);
  CHECK(f.db->attribute("+74951234500", t0 + 120).reason == std::string(kReasonQuarantine));
  NumberInfo n = f.db->number("+74951234500");
  CHECK(n.state == NumberState::kQuarantine);
  CHECK(n.pool == "shop");
  CHECK(f.db->history("+74951234500").back().reason == "client cancelled");
  // The session comes back: its number is gone, it gets another one.
  CHECK(f.db->lease("shop", "a", {}, t0 + 90).number == "+74951234501");
  CHECK_THROWS_WITH_AS(f.db->give_back("ads", {"+74951234501"}, t0, ""), doctest::Contains("another pool"),
                       InputError);
}

TEST_CASE("pool db: a pool as of a past time: its members, channels and counts then, from the history") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  f.db->lease("shop", "a", {}, t0);
  f.db->give_back("shop", {"+74951234500"}, t0 + 3600, "");
  f.db->allocate("shop", {"+74951234506"}, 0, {}, t0 + 7200);
  f.db->give_back("ads", {"+74951234505"}, t0 + 3600, "");
  // Before the return: the first three; after the new allocation: the
  // other two and the new one. The overflow number is a member as of both.
  auto e164s = [](const std::vector<NumberInfo>& ns) {
    std::vector<std::string> out;
    for (auto& n : ns) out.push_back(n.e164 + (n.overflow ? "*" : ""));
    return out;
  };
  CHECK(e164s(f.db->members("shop", t0)) ==
        std::vector<std::string>{"+74951234500", "+74951234501", "+74951234502", "+74951234599*"});
  CHECK(e164s(f.db->members("shop", t0 + 7200)) ==
        std::vector<std::string>{"+74951234501", "+74951234502", "+74951234506", "+74951234599*"});
  CHECK(f.db->members("shop", t0 + 7200)[2].since == t0 + 7200);
  CHECK(f.db->pool("shop", t0).numbers == 3);
  CHECK(f.db->pool("shop", t0 + 3600).numbers == 2);
  CHECK(f.db->pool("shop", t0 + 7200).numbers == 3);
  CHECK(f.db->pool("shop", t0 + 3600).spec.overflow_number == "+74951234599");
  // Leases counted up to the time asked.
  CHECK(f.db->pool("shop", t0 - 1).leases == 0);
  CHECK(f.db->pool("shop", t0).leases == 1);
  // A static pool's number with the channel it was bound to, while it was.
  auto ads = f.db->members("ads", t0);
  REQUIRE(ads.size() == 1);
  CHECK(ads[0].channel.source == "billboard");
  CHECK(ads[0].channel.campaign == "spring");
  CHECK(f.db->members("ads", t0 + 3600).empty());
  // Read from the numbers table while nothing changed after the time asked,
  // from the history once something did: the same answer either way.
  auto seen = [&](UnixTime at) {
    std::vector<std::string> out;
    for (auto& p : f.db->pools(at))
      out.push_back(fmt::format("{} {} {} {} {} {}", p.spec.name, p.numbers, p.spec.overflow_number, p.live_leases,
                                p.leases, p.overflows));
    for (const char* pool : {"shop", "ads"})
      for (auto& n : f.db->members(pool, at))
        out.push_back(fmt::format("{} {} {} {} {}", n.e164, n.overflow, n.channel.source, n.channel.campaign, n.since));
    return out;
  };
  UnixTime later = t0 + 86400;
  auto from_numbers = seen(later);
  f.db->move_by_hand("+74951234508", Move::kBlock, later + 86400, "spam");  // a change after `later`
  CHECK(seen(later) == from_numbers);
  CHECK(from_numbers.size() == 2 + 4 + 0);
  // Before a pool was created it is not listed, and showing it is refused.
  CHECK(f.db->pools(T("2026-01-01")).empty());
  CHECK(f.db->pools(T("2026-01-02")).size() == 2);
  CHECK_THROWS_WITH_AS(f.db->pool("shop", T("2026-01-01")),
                       "pool shop did not exist yet at 2026-01-01 00:00:00: it was created at 2026-01-02 00:00:00",
                       InputError);
}

TEST_CASE("pool db: quarantine check and release follow the database settings") {
  Fixture f;
  f.db->give_back("shop", {}, T("2026-01-10"), "");  // all four, overflow included
  CHECK(f.db->numbers("quarantine").size() == 4);
  {
    CallLog log(*f.store);
    // +74951234500 keeps ringing (3 calls in the window), 501 got 2 calls, one long ago.
    for (const char* t : {"2026-02-01", "2026-03-01", "2026-04-01"})
      log.log({T(t), "+79161234567", "+74951234500", 10, "ANSWERED"});
    log.log({T("2026-01-05"), "+79161234567", "+74951234501", 10, "ANSWERED"});
    log.log({T("2026-04-05"), "+79161234567", "+74951234501", 10, "ANSWERED"});
    log.commit();
  }
  UnixTime at = T("2026-04-20");  // 100 days after the return
  auto rows = f.db->quarantine_check(at);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].number == "+74951234500");
  CHECK(rows[0].calls == 3);
  CHECK(rows[0].days == 100);
  CHECK(rows[0].verdict.verdict == Verdict::kDirty);
  CHECK(rows[1].calls == 1);  // the January call is outside the 90-day window
  CHECK(rows[1].verdict.verdict == Verdict::kReleasable);
  CHECK(f.db->quarantine_check(T("2026-03-01"))[1].verdict.verdict == Verdict::kWaiting);

  // Dry run changes nothing.
  f.db->quarantine_release(at, false);
  CHECK(f.db->numbers("quarantine").size() == 4);
  auto released = f.db->quarantine_release(at, true);
  CHECK(f.db->numbers("quarantine").size() == 1);
  CHECK(f.db->number("+74951234501").state == NumberState::kAvailable);
  CHECK(f.db->number("+74951234501").pool.empty());
  CHECK(f.db->history("+74951234501").back().reason.find("quarantine release") == 0);

  // Stricter rule from the settings: at most 0 calls in 30 days... via max_calls 1.
  f.db->set_rules({30, 1, 30});
  QuarantineRules r = f.db->rules();
  CHECK(r.min_days == 30);
  CHECK(r.max_calls == 1);
  CHECK(r.window_days == 30);
  CHECK_THROWS_AS(f.db->set_rules({30, 0, 30}), InputError);
  CHECK_THROWS_AS(f.db->set_rules({-1, 3, 30}), InputError);
}

TEST_CASE("pool db: state changes are refused when they go back in time") {
  Fixture f;
  f.db->give_back("shop", {"+74951234500"}, T("2026-02-01"), "");
  CHECK_THROWS_WITH_AS(f.db->move_by_hand("+74951234500", Move::kBlock, T("2026-01-15"), ""),
                       doctest::Contains("became quarantine at 2026-02-01 00:00:00, after 2026-01-15 00:00:00"),
                       InputError);
  CHECK(f.db->number("+74951234500").state == NumberState::kQuarantine);
  CHECK_NOTHROW(f.db->move_by_hand("+74951234500", Move::kBlock, T("2026-02-01"), ""));  // same instant is fine
}

TEST_CASE("pool db: block and retire by hand, with the allowed moves enforced") {
  Fixture f;
  f.db->move_by_hand("+74951234507", Move::kBlock, T("2026-01-05"), "fraud");
  CHECK(f.db->number("+74951234507").state == NumberState::kBlocked);
  CHECK_THROWS_WITH_AS(f.db->allocate("shop", {"+74951234507"}, 0, {}, T("2026-01-06")),
                       doctest::Contains("number +74951234507 is in state blocked"), InputError);
  f.db->move_by_hand("+74951234507", Move::kRetire, T("2026-01-06"), "");
  CHECK_THROWS_AS(f.db->move_by_hand("+74951234507", Move::kBlock, T("2026-01-07"), ""), InputError);
  // Blocking a number in use ends its lease.
  UnixTime t0 = T("2026-01-03 10:00:00");
  f.db->lease("shop", "a", {}, t0);
  f.db->move_by_hand("+74951234500", Move::kBlock, t0 + 60, "complaint");
  CHECK(f.db->attribute("+74951234500", t0 + 120).reason == std::string(kReasonNotInPool));
  CHECK_THROWS_WITH_AS(f.db->move_by_hand("+74951234599", Move::kBlock, t0, ""), doctest::Contains("overflow number"),
                       InputError);
}

TEST_CASE("pool db: the call log keeps every call once, attributed as of its time") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  f.db->lease("shop", "a", {"google", "cpc", ""}, t0);
  {
    CallLog log(*f.store);
    CHECK(log.owns("+74951234500"));
    CHECK_FALSE(log.owns("+79990000000"));
    CHECK(log.log({t0 + 10, "+79161234567", "+74951234500", 42, "ANSWERED"})->session == "a");
    log.log({t0 + 20, "+79161234567", "+74951234507", 0, "NO ANSWER"});
    // The same call twice in one batch (time, caller and called number):
    // logged once.
    CHECK_FALSE(log.log({t0 + 20, "+79161234567", "+74951234507", 0, "NO ANSWER"}).has_value());
    CHECK(log.duplicates() == 1);
    CHECK_THROWS_AS(log.log({t0, "x", "+79990000000", 1, "ANSWERED"}), InputError);
    log.commit();
  }
  {
    CallLog uncommitted(*f.store);
    uncommitted.log({t0 + 30, "+79161234567", "+74951234500", 1, "ANSWERED"});
  }  // destroyed without commit: rolled back
  {
    // A later batch (the same file imported again) finds the calls logged.
    CallLog again(*f.store);
    CHECK_FALSE(again.log({t0 + 10, "+79161234567", "+74951234500", 42, "ANSWERED"}).has_value());
    CHECK(again.log({t0 + 30, "+79161234567", "+74951234500", 1, "ANSWERED"}).has_value());  // rolled back before
    CHECK(again.log({t0 + 10, "", "+74951234500", 5, "ANSWERED"}).has_value());  // another caller (anonymous)
    CHECK(again.logged() == 2);
    CHECK(again.duplicates() == 1);
  }  // not committed either
  auto calls = f.db->calls({});
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].attribution.kind == Attribution::Kind::kSession);
  CHECK(calls[0].attribution.session == "a");
  CHECK(calls[0].attribution.channel.medium == "cpc");
  CHECK(calls[1].attribution.reason == kReasonNotInPool);
  CallFilter only;
  only.number = "+74951234507";
  CHECK(f.db->calls(only).size() == 1);
}

TEST_CASE("pool db: usage and report count leases, overflow and calls") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  for (const char* s : {"a", "b", "c", "d", "e"}) f.db->lease("shop", s, {}, t0);
  PoolUsage u = f.db->usage("shop", INT64_MIN, INT64_MAX);
  CHECK(u.numbers == 3);
  CHECK(u.peak == 5);  // overflowed sessions are demand too
  CHECK(u.sessions == 5);
  CHECK(u.load == doctest::Approx(5.0));  // all five live over the whole period
  PoolReport r = f.db->report(T("2026-01-03"), T("2026-01-04"));
  REQUIRE(r.pools.size() == 2);
  const PoolReportRow& shop = r.pools[1];
  CHECK(shop.pool == "shop");
  CHECK(shop.leases == 3);
  CHECK(shop.overflows == 2);
  CHECK(shop.overflow_rate == doctest::Approx(0.4));
  CHECK(shop.utilisation == doctest::Approx(3 * 900.0 / (3 * 86400.0)));
  CHECK(r.states[0] == std::make_pair(std::string("available"), int64_t(6)));
  CHECK(r.states[1] == std::make_pair(std::string("allocated"), int64_t(5)));
}

TEST_CASE("pool db: lease_many leases in one transaction, all or none") {
  Fixture f;
  UnixTime t0 = T("2026-01-03 10:00:00");
  auto r = f.db->lease_many({{"shop", "a", {"google", "", ""}, t0}, {"shop", "b", {}, t0}, {"shop", "a", {}, t0 + 60}});
  REQUIRE(r.size() == 3);
  CHECK(r[0].number == "+74951234500");
  CHECK(r[1].number == "+74951234501");
  CHECK(r[2].renewed);
  CHECK(r[2].number == "+74951234500");
  // A bad request anywhere refuses the whole group.
  CHECK_THROWS_AS(f.db->lease_many({{"shop", "c", {}, t0}, {"nope", "d", {}, t0}}), InputError);
  CHECK(f.db->pool("shop", t0).leases == 2);
  CHECK(f.db->lease("shop", "c", {}, t0).number == "+74951234502");
}

TEST_CASE("pool db: no allocation before its pool existed, no lease of a number before it was in the pool") {
  Fixture f;  // shop created and allocated 500..502 on 2026-01-02
  PoolSpec late;
  late.name = "late";
  f.db->create_pool(late, T("2026-03-01"));
  CHECK_THROWS_WITH_AS(f.db->allocate("late", {"+74951234508"}, 0, {}, T("2026-02-01")),
                       "pool late did not exist yet at 2026-02-01 00:00:00: it was created at 2026-03-01 00:00:00",
                       InputError);
  CHECK(f.db->number("+74951234508").state == NumberState::kAvailable);
  f.db->allocate("late", {"+74951234508"}, 0, {}, T("2026-03-01"));
  CHECK_THROWS_WITH_AS(f.db->lease("late", "s", {}, T("2026-02-15")),
                       "pool late did not exist yet at 2026-02-15 00:00:00: it was created at 2026-03-01 00:00:00",
                       InputError);
  CHECK(f.db->lease("late", "s", {}, T("2026-03-02")).number == "+74951234508");

  // A pool whose one number came later: a lease dated before that finds no
  // number (the pool overflows), rather than one that was not in it then.
  PoolSpec p2;
  p2.name = "p2";
  f.db->create_pool(p2, T("2026-01-02"));
  f.db->allocate("p2", {"+74951234506"}, 0, {}, T("2026-01-20"));
  LeaseResult early = f.db->lease("p2", "v", {}, T("2026-01-10"));
  CHECK(early.overflow);
  CHECK(early.number.empty());
  CHECK(f.db->lease("p2", "w", {}, T("2026-01-20")).number == "+74951234506");
}

TEST_CASE("pool db: a number cannot leave its pool before a lease of it began; a session's lease not before its last") {
  Fixture f;
  UnixTime noon = T("2026-01-03 12:00:00");
  CHECK(f.db->lease("shop", "x", {}, noon).number == "+74951234500");
  CHECK_THROWS_WITH_AS(f.db->give_back("shop", {"+74951234500"}, noon - 3600, ""),
                       "number +74951234500 was leased to session 'x' at 2026-01-03 12:00:00, after 2026-01-03 "
                       "11:00:00: state changes must be in time order",
                       InputError);
  CHECK(f.db->attribute("+74951234500", noon + 300).session == "x");  // nothing changed
  CHECK_THROWS_WITH_AS(f.db->lease("shop", "x", {}, noon - 60),
                       "session 'x' has a lease that started at 2026-01-03 12:00:00, after 2026-01-03 11:59:00: "
                       "leases must be in time order",
                       InputError);
  CHECK_NOTHROW(f.db->give_back("shop", {"+74951234500"}, noon, ""));  // the same instant is in order
}

TEST_CASE("pool db: a number listed twice is said to be, not taken for an illegal move") {
  Fixture f;
  CHECK_THROWS_WITH_AS(f.db->allocate("ads", {"+74951234506", "+74951234506"}, 0, {}, T("2026-01-05")),
                       "number +74951234506 is listed twice", InputError);
  CHECK(f.db->number("+74951234506").state == NumberState::kAvailable);
  CHECK_THROWS_WITH_AS(f.db->give_back("shop", {"+74951234500", "+74951234500"}, T("2026-01-05"), ""),
                       "number +74951234500 is listed twice", InputError);
}

TEST_CASE("pool db: text that is not UTF-8 is refused before anything is written") {
  Fixture f;
  PoolSpec bad;
  bad.name = "v\xe9";
  CHECK_THROWS_WITH_AS(f.db->create_pool(bad, T("2026-01-05")),
                       "pool name 'v?' is not UTF-8 text ('?' marks the bytes that are not): convert it to UTF-8",
                       InputError);
  PoolSpec client;
  client.name = "ok";
  client.client = "\xc0\xed\xee";
  CHECK_THROWS_WITH_AS(f.db->create_pool(client, T("2026-01-05")), doctest::Contains("client '?\?\?' is not UTF-8"),
                       InputError);
  CHECK(f.db->pools(T("2026-01-05")).size() == 2);
  UnixTime t = T("2026-01-05 10:00:00");
  CHECK_THROWS_WITH_AS(f.db->lease("shop", "v\xe9", {}, t), doctest::Contains("session 'v?' is not UTF-8"), InputError);
  CHECK_THROWS_WITH_AS(f.db->lease("shop", "s", {"g\xff", "", ""}, t), doctest::Contains("source 'g?'"), InputError);
  CHECK(f.db->pool("shop", t).leases == 0);
  CHECK_THROWS_AS(f.db->move_by_hand("+74951234507", Move::kBlock, t, "fraud \xe9"), InputError);
  CHECK(f.db->number("+74951234507").state == NumberState::kAvailable);
  CHECK_NOTHROW(f.db->lease("shop", "посетитель-1", {"яндекс", "cpc", "весна"}, t));  // UTF-8 is welcome
}

TEST_CASE("pool db: quarantine check at a past date lists the numbers in quarantine then") {
  Fixture f;
  f.db->give_back("shop", {"+74951234500"}, T("2026-02-01"), "");
  f.db->move_by_hand("+74951234500", Move::kBlock, T("2026-02-10"), "");
  f.db->give_back("shop", {"+74951234501"}, T("2026-03-05"), "");
  auto then = f.db->quarantine_check(T("2026-02-05"));
  REQUIRE(then.size() == 1);
  CHECK(then[0].number == "+74951234500");
  CHECK(then[0].pool == "shop");
  CHECK(then[0].days == 4);
  auto now = f.db->quarantine_check(T("2026-03-10"));
  REQUIRE(now.size() == 1);
  CHECK(now[0].number == "+74951234501");
  CHECK(now[0].days == 5);
  // Released on 06-10: a release dated 06-05 (it was releasable then) comes
  // after that change, and says so; nothing is written.
  f.db->quarantine_release(T("2026-06-10"), true);
  CHECK(f.db->number("+74951234501").state == NumberState::kAvailable);
  CHECK_THROWS_WITH_AS(f.db->quarantine_release(T("2026-06-05"), true),
                       "a release dated 2026-06-05 00:00:00 would come before a later change of number "
                       "+74951234501: it is available since 2026-06-10 00:00:00 (state changes must be in time order)",
                       InputError);
}

TEST_CASE("pool db: a report for a past period leaves out pools created later; rules have bounds") {
  Fixture f;
  PoolSpec late;
  late.name = "late";
  f.db->create_pool(late, T("2026-06-01"));
  auto names = [](const PoolReport& r) {
    std::vector<std::string> out;
    for (auto& p : r.pools) out.push_back(p.pool);
    return out;
  };
  CHECK(names(f.db->report(T("2026-01-05"), T("2026-02-05"))) == std::vector<std::string>{"ads", "shop"});
  CHECK(names(f.db->report(T("2026-05-05"), T("2026-06-05"))) == std::vector<std::string>{"ads", "late", "shop"});
  // A window beyond a century overflowed into the past: every call fell out of it.
  CHECK_THROWS_WITH_AS(f.db->set_rules({90, 3, 999999999999999}), doctest::Contains("must be from 1 to 36500 days"),
                       InputError);
  CHECK_THROWS_AS(f.db->set_rules({36501, 3, 90}), InputError);
  CHECK_NOTHROW(f.db->set_rules({36500, 3, 36500}));
}
