// Golden tests of the number-pool commands: the real binary, a database in a
// temp dir, the exact output. They double as the examples in docs/pool.md.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/pool/sqlite.h"
#include "tests/test_util.h"

using telsim::test::Run;
using telsim::test::TempDir;

namespace {

// Runs `telsim ARGS --db DIR/t.db` and requires success.
struct Cli {
  TempDir dir;
  std::string db = "--db " + dir.file("t.db");
  Run run(const std::string& args) { return telsim::test::telsim(args + " " + db); }
  std::string ok(const std::string& args) {
    Run r = run(args);
    INFO("telsim " << args << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  // A database with a dynamic pool `shop` (two numbers, overflow +74951234509)
  // and a static pool `ads` (one billboard number).
  void setup() {
    ok("pool init");
    telsim::test::write_file(dir.file("nums.txt"), "# tracking numbers\n+74951234500\n8 (495) 123-45-01\n\n+74951234502\n");
    ok("number add --file " + dir.file("nums.txt") + " --at 2026-01-01");
    ok("number add --range +74951234503 +74951234509 --at 2026-01-01");
    ok("pool create shop --client Shop --overflow +74951234509 --at 2026-01-02");
    ok("pool allocate shop --count 2 --at 2026-01-02");
    ok("pool create ads --kind static --at 2026-01-02");
    ok("pool allocate ads +74951234505 --source billboard --medium offline --campaign spring --at 2026-01-02");
  }
};

const char* kCalls =
    "time,caller,called,duration,disposition\n"
    "2026-01-03 10:06:00,89161234567,+74951234500,30,ANSWERED\n"
    "2026-01-03 10:07:00,+79161234568,84951234509,0,NO ANSWER\n"
    "2026-01-03 11:00:00,89161234569,+74951234505,61,ANSWERED\n"
    "2026-01-03 11:00:00,,+74951234507,5,BUSY\n";

}  // namespace

TEST_CASE("pool cli: init creates, then finds the database up to date") {
  Cli c;
  CHECK(c.ok("pool init --format csv") == "db,schema_version,created\n" + c.dir.file("t.db") + ",1,true\n");
  CHECK(c.ok("pool init --format csv") == "db,schema_version,created\n" + c.dir.file("t.db") + ",1,false\n");
  // An empty file holds no database: init creates one in it.
  telsim::test::write_file(c.dir.file("empty.db"), "");
  CHECK(telsim::test::telsim("pool init --format csv --db " + c.dir.file("empty.db")).out ==
        "db,schema_version,created\n" + c.dir.file("empty.db") + ",1,true\n");
  // A folder that does not exist is named (SQLite said "unable to open database file").
  Run nodir = telsim::test::telsim("pool init --db " + c.dir.file("nodir/x.db"));
  CHECK(nodir.exit_code == 2);
  CHECK(nodir.err == "telsim: --db " + c.dir.file("nodir/x.db") + ": the folder " + c.dir.file("nodir") +
                         " does not exist\n");
  // TELSIM_DB is the default database.
  Run r = telsim::test::telsim("quarantine settings --format csv", "TELSIM_DB=" + c.dir.file("t.db"));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "min_days,max_calls,window_days\n90,3,90\n");
  // --out writes the same text to a file, nothing to stdout.
  r = c.run("quarantine settings --format csv --out " + c.dir.file("s.csv"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(telsim::test::slurp(c.dir.file("s.csv")) == "min_days,max_calls,window_days\n90,3,90\n");
  // A database from a newer telsim is refused, not touched.
  telsim::sql::Db(c.dir.file("t.db"), false).exec("PRAGMA user_version = 7");
  r = c.run("pool list");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: database " + c.dir.file("t.db") +
                     " has schema version 7, newer than this telsim understands (1): use a newer telsim\n");
  CHECK(c.run("pool init").exit_code == 2);
  r = telsim::test::telsim("number list --db " + c.dir.file("missing.db"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no database at " + c.dir.file("missing.db")) != std::string::npos);
}

TEST_CASE("pool cli: number add, list, show, block, retire") {
  Cli c;
  c.setup();
  CHECK(c.ok("number add +74951234510 --at 2026-01-01") == "added:  1\nfirst:  +74951234510\nlast:   +74951234510\n");
  CHECK(c.ok("number list --state available --format csv") ==
        "number,state,pool,source,medium,campaign,since,overflow\n"
        "+74951234502,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234503,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234504,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234506,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234507,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234508,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234510,available,,,,,2026-01-01 00:00:00,false\n");
  CHECK(c.ok("number list --pool ads") ==
        "number        state      pool  source     medium   campaign  since\n"
        "--------------------------------------------------------------------------------\n"
        "+74951234505  allocated  ads   billboard  offline  spring    2026-01-02 00:00:00\n");
  CHECK(c.ok("number block 84951234506 --reason fraud --at 2026-01-05 --format json") ==
        "{\n  \"schema\": \"telsim.number-block/1\",\n  \"telsim_version\": \"0.1.0\",\n"
        "  \"number\": \"+74951234506\",\n  \"state\": \"blocked\",\n  \"at\": \"2026-01-05 00:00:00\"\n}\n");
  CHECK(c.ok("number retire +74951234506 --at 2026-01-06 --format csv") ==
        "number,state,at\n+74951234506,retired,2026-01-06 00:00:00\n");
  CHECK(c.ok("number show +74951234506 --format csv") ==
        "at,from,to,pool,reason\n"
        "2026-01-01 00:00:00,,available,,added\n"
        "2026-01-05 00:00:00,available,blocked,,fraud\n"
        "2026-01-06 00:00:00,blocked,retired,,retired\n");
  std::string show = c.ok("number show +74951234505");
  CHECK(show.find("state:     allocated\n") != std::string::npos);
  CHECK(show.find("source:    billboard\n") != std::string::npos);

  Run r = c.run("number block +74951234506");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: number +74951234506 is in state retired: cannot block it; allowed moves: none, retired is "
                 "final\n");
  r = c.run("number add +74951234500 +74951234599");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: number +74951234500 is already in the database (allocated); nothing was added\n");
  CHECK(c.run("number show +74951234599").exit_code == 2);  // never added: the pair was refused whole
  r = c.run("number add 12ab");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("'12ab' is not a full phone number") != std::string::npos);
  telsim::test::write_file(c.dir.file("bad.txt"), "+74951234520\nhello\n");
  r = c.run("number add --file " + c.dir.file("bad.txt"));
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: " + c.dir.file("bad.txt") + ":2: 'hello' is not a full phone number; nothing was added\n");
  CHECK(c.run("number show +74951234520").exit_code == 2);
  CHECK(c.run("number add --range +74951234530 +74951234520").exit_code == 2);
}

TEST_CASE("pool cli: pool create, list, show, allocate, return") {
  Cli c;
  c.setup();
  CHECK(c.ok("pool list --at 2026-01-03 --format csv") ==
        "pool,client,kind,hold_minutes,numbers,live_leases,leases,overflows,overflow_number\n"
        "ads,,static,15,1,0,0,0,\n"
        "shop,Shop,dynamic,15,2,0,0,0,+74951234509\n");
  CHECK(c.ok("pool show shop --at 2026-01-03") ==
        "pool:             shop\n"
        "client:           Shop\n"
        "kind:             dynamic\n"
        "hold_minutes:     15.0\n"
        "created:          2026-01-02 00:00:00\n"
        "numbers:          2\n"
        "live_leases:      0\n"
        "leases:           0\n"
        "overflows:        0\n"
        "overflow_number:  +74951234509\n"
        "\n"
        "number        role      source  medium  campaign  since\n"
        "---------------------------------------------------------------------\n"
        "+74951234500  rotation                            2026-01-02 00:00:00\n"
        "+74951234501  rotation                            2026-01-02 00:00:00\n"
        "+74951234509  overflow                            2026-01-02 00:00:00\n");
  CHECK(c.ok("pool allocate shop +74951234502 --at 2026-01-04 --format json") ==
        "{\n  \"schema\": \"telsim.pool-allocated/1\",\n  \"telsim_version\": \"0.1.0\",\n  \"pool\": \"shop\",\n"
        "  \"allocated\": [\n    \"+74951234502\"\n  ]\n}\n");
  CHECK(c.ok("pool return shop +74951234502 --reason 'client cut budget' --at 2026-01-05") ==
        "number        pool  action\n----------------------------\n+74951234502  shop  returned\n");
  CHECK(c.ok("number show +74951234502 --format csv").find("2026-01-05 00:00:00,allocated,quarantine,shop,client cut budget\n") !=
        std::string::npos);

  Run r = c.run("pool create shop");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: pool 'shop' already exists\n");
  r = c.run("pool allocate shop +74951234502");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("number +74951234502 is in state quarantine: cannot allocate it") != std::string::npos);
  r = c.run("pool allocate shop --count 50");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: --count 50: only 5 numbers are available; nothing was allocated\n");
  CHECK(c.run("pool return shop").exit_code == 2);  // neither numbers nor --all
  CHECK(c.run("pool create x --kind weird").exit_code == 2);
  CHECK(c.run("pool show nope").exit_code == 2);
}

TEST_CASE("pool cli: lease and attribute") {
  Cli c;
  c.setup();
  CHECK(c.ok("pool lease shop --session s1 --source google --medium cpc --at '2026-01-03 10:00:00' --format json") ==
        "{\n"
        "  \"schema\": \"telsim.pool-lease/1\",\n"
        "  \"telsim_version\": \"0.1.0\",\n"
        "  \"pool\": \"shop\",\n"
        "  \"session\": \"s1\",\n"
        "  \"number\": \"+74951234500\",\n"
        "  \"lease\": \"new\",\n"
        "  \"renewed\": false,\n"
        "  \"started\": \"2026-01-03 10:00:00\",\n"
        "  \"expires\": \"2026-01-03 10:15:00\"\n"
        "}\n");
  CHECK(c.ok("pool lease shop --session s2 --at '2026-01-03 10:01:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\nshop,s2,+74951234501,new,false,2026-01-03 10:01:00,2026-01-03 10:16:00\n");
  CHECK(c.ok("pool lease shop --session s3 --at '2026-01-03 10:02:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\n"
        "shop,s3,+74951234509,overflow,false,2026-01-03 10:02:00,2026-01-03 10:17:00\n");
  CHECK(c.ok("pool lease shop --session s1 --at '2026-01-03 10:05:00'") ==
        "pool:     shop\n"
        "session:  s1\n"
        "number:   +74951234500\n"
        "lease:    renewed\n"
        "renewed:  true\n"
        "started:  2026-01-03 10:00:00\n"
        "expires:  2026-01-03 10:20:00\n");
  CHECK(c.ok("pool attribute --called 84951234500 --caller +79161234567 --at '2026-01-03 10:19:59'") ==
        "called:       +74951234500\n"
        "caller:       +79161234567\n"
        "at:           2026-01-03 10:19:59\n"
        "attribution:  session\n"
        "pool:         shop\n"
        "session:      s1\n"
        "source:       google\n"
        "medium:       cpc\n"
        "campaign:     \n"
        "reason:       \n");
  CHECK(c.ok("pool attribute --called +74951234500 --at '2026-01-03 10:20:00' --format csv") ==
        "called,caller,at,attribution,pool,session,source,medium,campaign,reason\n"
        "+74951234500,,2026-01-03 10:20:00,unattributed,shop,,,,,no lease\n");
  CHECK(c.ok("pool attribute --called +74951234505 --at 2026-01-03 --format csv") ==
        "called,caller,at,attribution,pool,session,source,medium,campaign,reason\n"
        "+74951234505,,2026-01-03 00:00:00,static,ads,,billboard,offline,spring,\n");
  Run r = c.run("pool lease ads --session x");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("pool ads is static") != std::string::npos);
  CHECK(c.run("pool lease shop").exit_code == 2);  // --session required
  r = c.run("pool lease shop --session x --at yesterday");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--at 'yesterday': not a time") != std::string::npos);
}

TEST_CASE("pool cli: calls import and list, with attribution") {
  Cli c;
  c.setup();
  c.ok("pool lease shop --session s1 --source google --medium cpc --at '2026-01-03 10:00:00'");
  telsim::test::write_file(c.dir.file("calls.csv"), kCalls);
  CHECK(c.ok("calls import " + c.dir.file("calls.csv") + " --format csv") ==
        "file,imported,already_logged,skipped\n" + c.dir.file("calls.csv") + ",4,0,0\n");
  CHECK(c.ok("calls list") ==
        "time                 caller        called        duration  disposition  attribution   pool  session  source     medium   campaign  reason\n"
        "-------------------------------------------------------------------------------------------------------------------------------------------------------\n"
        "2026-01-03 10:06:00  +79161234567  +74951234500        30  ANSWERED     session       shop  s1       google     cpc\n"
        "2026-01-03 10:07:00  +79161234568  +74951234509         0  NO ANSWER    unattributed  shop                                         overflow number\n"
        "2026-01-03 11:00:00  +79161234569  +74951234505        61  ANSWERED     static        ads            billboard  offline  spring\n"
        "2026-01-03 11:00:00                +74951234507         5  BUSY         unattributed                                               number not in a pool\n");
  CHECK(c.ok("calls list --number 84951234505 --format json") ==
        "{\n  \"schema\": \"telsim.calls-list/1\",\n  \"telsim_version\": \"" TELSIM_VERSION "\",\n  \"calls\": [\n    {\n"
        "      \"time\": \"2026-01-03 11:00:00\",\n"
        "      \"caller\": \"+79161234569\",\n"
        "      \"called\": \"+74951234505\",\n"
        "      \"duration\": 61,\n"
        "      \"disposition\": \"ANSWERED\",\n"
        "      \"attribution\": \"static\",\n"
        "      \"pool\": \"ads\",\n"
        "      \"session\": \"\",\n"
        "      \"source\": \"billboard\",\n"
        "      \"medium\": \"offline\",\n"
        "      \"campaign\": \"spring\",\n"
        "      \"reason\": \"\"\n"
        "    }\n  ]\n}\n");
  CHECK(c.ok("calls list --from '2026-01-03 10:07:00' --to '2026-01-03 11:00:00' --format csv") ==
        "time,caller,called,duration,disposition,attribution,pool,session,source,medium,campaign,reason\n"
        "2026-01-03 10:07:00,+79161234568,+74951234509,0,NO ANSWER,unattributed,shop,,,,,overflow number\n");
}

TEST_CASE("pool cli: quarantine settings, check and release") {
  Cli c;
  c.setup();
  telsim::test::write_file(c.dir.file("calls.csv"), kCalls);
  c.ok("calls import " + c.dir.file("calls.csv"));
  c.ok("pool return shop --all --at 2026-01-10");
  CHECK(c.ok("quarantine settings") == "min_days:     90\nmax_calls:    3\nwindow_days:  90\n");
  CHECK(c.ok("quarantine settings --min-days 60 --max-calls 1 --format csv") ==
        "min_days,max_calls,window_days\n60,1,90\n");
  CHECK(c.ok("quarantine check --at 2026-03-15") ==
        "number        pool  since                days  calls  verdict     why\n"
        "-------------------------------------------------------------------------------------------------------------------------\n"
        "+74951234500  shop  2026-01-10 00:00:00    64      1  dirty       rang 1 time in the last 90 days (releasable below 1)\n"
        "+74951234501  shop  2026-01-10 00:00:00    64      0  releasable  rang 0 times in the last 90 days, 64 days in quarantine\n"
        "+74951234509  shop  2026-01-10 00:00:00    64      1  dirty       rang 1 time in the last 90 days (releasable below 1)\n");
  CHECK(c.ok("quarantine check --at 2026-02-15 --format csv") ==
        "number,pool,since,days,calls,verdict,why\n"
        "+74951234500,shop,2026-01-10 00:00:00,36,1,dirty,rang 1 time in the last 90 days (releasable below 1)\n"
        "+74951234501,shop,2026-01-10 00:00:00,36,0,waiting,served 36 of 60 days in quarantine\n"
        "+74951234509,shop,2026-01-10 00:00:00,36,1,dirty,rang 1 time in the last 90 days (releasable below 1)\n");
  std::string dry = c.ok("quarantine release --at 2026-03-15");
  CHECK(dry.find("+74951234501  releasable  would release") != std::string::npos);
  CHECK(dry.find("would release (dry run, use --apply) 1 number; 2 stay dirty; 0 still waiting\n") != std::string::npos);
  CHECK(c.ok("number list --state quarantine --format csv").find("+74951234501") != std::string::npos);
  CHECK(c.ok("quarantine release --apply --at 2026-03-15") ==
        "number        verdict     action        why\n"
        "-----------------------------------------------------------------------------------------------\n"
        "+74951234500  dirty       stays: dirty  rang 1 time in the last 90 days (releasable below 1)\n"
        "+74951234501  releasable  released      rang 0 times in the last 90 days, 64 days in quarantine\n"
        "+74951234509  dirty       stays: dirty  rang 1 time in the last 90 days (releasable below 1)\n"
        "\n"
        "released 1 number; 2 stay dirty; 0 still waiting\n");
  CHECK(c.ok("number list --state available --format csv").find("+74951234501,available,,,,,2026-03-15 00:00:00,false") !=
        std::string::npos);
  // The window moves on: in June the January calls no longer count.
  CHECK(c.ok("quarantine check --at 2026-06-15 --format csv").find("+74951234500,shop,2026-01-10 00:00:00,156,0,releasable") !=
        std::string::npos);
  CHECK(c.run("quarantine settings --window-days 0").exit_code == 2);
}

TEST_CASE("pool cli: pool size from traffic and against the database") {
  Cli c;
  CHECK(c.ok("pool size --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15 --max-overflow 0.01 --format json") ==
        "{\n"
        "  \"schema\": \"telsim.pool-size/1\",\n"
        "  \"telsim_version\": \"0.1.0\",\n"
        "  \"visitors_per_hour\": 200.0,\n"
        "  \"visit_minutes\": 3.0,\n"
        "  \"hold_minutes\": 15.0,\n"
        "  \"max_overflow\": 0.01,\n"
        "  \"offered_load\": 60.0,\n"
        "  \"numbers\": 75,\n"
        "  \"overflow\": 0.008327,\n"
        "  \"utilisation\": 0.7933\n"
        "}\n");
  Run r = c.run("pool size --visit-minutes 3");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("give --visitors-per-hour") != std::string::npos);
  CHECK(c.run("pool size --visitors-per-hour 10 --visit-minutes 3 --hold-minutes 15 --max-overflow 2").exit_code == 2);
  c.setup();
  for (const char* s : {"a", "b", "c"}) c.ok(std::string("pool lease shop --session ") + s + " --at '2026-01-03 10:00:00'");
  CHECK(c.ok("pool size --pool shop --format csv") ==
        "pool,from,to,sessions,numbers,peak_sessions,mean_load,recommended,verdict,why\n"
        "shop,2026-01-03 10:00:00,2026-01-03 10:15:00,3,2,3,3.0,8,too small,peak 3 concurrent sessions on 2 numbers; "
        "add 6 to reach 8\n");  // 3 erlangs for 15 minutes: Erlang B wants 8 numbers for 1% overflow
}

TEST_CASE("pool cli: report in table, JSON and CSV") {
  Cli c;
  c.setup();
  c.ok("pool lease shop --session s1 --at '2026-01-03 10:00:00'");
  c.ok("pool lease shop --session s2 --at '2026-01-03 10:00:00'");
  c.ok("pool lease shop --session s3 --at '2026-01-03 10:00:00'");
  telsim::test::write_file(c.dir.file("calls.csv"), kCalls);
  c.ok("calls import " + c.dir.file("calls.csv"));
  std::string json = c.ok("pool report --from 2026-01-03 --at 2026-01-04 --format json");
  CHECK(json.find("\"states\": {\n    \"available\": 6,\n    \"allocated\": 4,\n") != std::string::npos);
  CHECK(json.find("\"overflow_rate\": 0.3333") != std::string::npos);
  CHECK(c.ok("pool report --pool shop --from 2026-01-03 --at 2026-01-04 --format csv") ==
        "section,pool,metric,value\n"
        "states,,available,6\n"
        "states,,allocated,4\n"
        "states,,quarantine,0\n"
        "states,,blocked,0\n"
        "states,,retired,0\n"
        "pools,shop,numbers,2\n"
        "pools,shop,leases,2\n"
        "pools,shop,overflows,1\n"
        "pools,shop,overflow_rate,0.3333\n"
        "pools,shop,utilisation,0.0104\n"
        "pools,shop,leases_per_number,1.0000\n"
        "pools,shop,calls,2\n"
        "pools,shop,attributed,1\n"
        "pools,shop,calls_per_number_month,30.0000\n"
        "quarantine,,dirty,0\n"
        "quarantine,,waiting,0\n"
        "quarantine,,releasable,0\n");
  // A report for a past date does not change when the pool changes later.
  std::string before = c.ok("pool report --from 2026-01-03 --at 2026-01-04");
  c.ok("pool return shop --all --at 2026-02-01");
  CHECK(c.ok("pool report --from 2026-01-03 --at 2026-01-04") == before);
  CHECK(before.find("quarantine: 0 dirty, 0 waiting, 0 releasable\n") != std::string::npos);
}

TEST_CASE("pool cli: an empty or non-SQLite file and a folder are bad input; reading creates nothing") {
  Cli c;
  std::string empty = c.dir.file("empty.db"), text = c.dir.file("calls.csv");
  telsim::test::write_file(empty, "");
  telsim::test::write_file(text, kCalls);
  for (const char* cmd : {"pool list", "pool report", "number list", "calls list", "quarantine check",
                          "quarantine settings", "pool show shop", "pool size --pool shop"}) {
    INFO(cmd);
    Run r = telsim::test::telsim(std::string(cmd) + " --db " + empty);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "telsim: no database at " + empty + " (the file is empty): create it with `telsim pool init --db " +
                       empty + "`\n");
    r = telsim::test::telsim(std::string(cmd) + " --db " + text);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "telsim: " + text + ": not a telsim pool database (not an SQLite file)\n");
    r = telsim::test::telsim(std::string(cmd) + " --db " + c.dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "telsim: --db " + c.dir.path() + ": is a folder, not a database file\n");
  }
  CHECK(telsim::test::slurp(empty).empty());
  CHECK(telsim::test::slurp(text) == kCalls);
  // pool init does not overwrite a file that is not a database.
  Run r = telsim::test::telsim("pool init --db " + text);
  CHECK(r.exit_code == 2);
  CHECK(telsim::test::slurp(text) == kCalls);
  // Folders where the pool commands take a file.
  c.setup();
  r = c.run("calls import " + c.dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: " + c.dir.path() + ": is a folder, not a calls CSV file\n");
  r = c.run("number add --file " + c.dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: --file " + c.dir.path() + ": is a folder, not a file of numbers\n");
}

TEST_CASE("pool cli: messages quote at most 200 bytes of a bad field") {
  Cli c;
  c.setup();
  std::string big(1 << 20, '7');  // a 1 MB "time"
  telsim::test::write_file(c.dir.file("big.csv"),
                           "time,caller,called,duration,disposition\n" + big + ",1,+74951234500,1,ANSWERED\n");
  Run r = c.run("calls import " + c.dir.file("big.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: " + c.dir.file("big.csv") +
                     ": 1 bad row; nothing was imported (--skip-bad imports the good rows)\n  " + c.dir.file("big.csv") +
                     ":2: time '" + big.substr(0, 200) + "...' (1048576 bytes) is not a time (YYYY-MM-DD HH:MM:SS (or with T) or YYYY-MM-DD, in UTC unless +HH:MM or -HH:MM follows; or @UNIXSECONDS)\n");
  std::string name(100000, 'p');
  r = c.run("pool show " + name);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: pool '" + name.substr(0, 200) + "...' (100000 bytes) does not exist (see `telsim pool list`)\n");
  r = c.run("pool attribute --called " + name);
  CHECK(r.exit_code == 2);
  CHECK(r.err.size() < 400);
}

TEST_CASE("pool cli: a renewal dated before another session's lease is refused") {
  Cli c;
  c.ok("pool init");
  c.ok("number add +74951234500 --at 2026-01-01");
  c.ok("pool create shop --at 2026-01-01");
  c.ok("pool allocate shop +74951234500 --at 2026-01-01");
  CHECK(c.ok("pool lease shop --session A --at '2026-01-02 12:00:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\nshop,A,+74951234500,new,false,2026-01-02 12:00:00,2026-01-02 12:15:00\n");
  CHECK(c.ok("pool lease shop --session B --at '2026-01-02 12:20:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\nshop,B,+74951234500,new,false,2026-01-02 12:20:00,2026-01-02 12:35:00\n");
  // A's lease had 5 minutes left at 12:10: renewed then, it would run to
  // 12:25 and overlap B's from 12:20.
  Run r = c.run("pool lease shop --session A --at '2026-01-02 12:10:00'");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "telsim: session 'A' cannot renew its lease of +74951234500 at 2026-01-02 12:10:00: session 'B' has "
                 "held the number since 2026-01-02 12:20:00 (leases of a number must be in time order)\n");
  // Nothing was written: the pool shows one live lease (B's) at 12:22.
  CHECK(c.ok("pool list --at '2026-01-02 12:22:00' --format csv") ==
        "pool,client,kind,hold_minutes,numbers,live_leases,leases,overflows,overflow_number\n"
        "shop,,dynamic,15,1,1,2,0,\n");
  CHECK(c.ok("pool attribute --called +74951234500 --at '2026-01-02 12:22:00' --format csv") ==
        "called,caller,at,attribution,pool,session,source,medium,campaign,reason\n"
        "+74951234500,,2026-01-02 12:22:00,session,shop,B,,,,\n");
}

TEST_CASE("pool cli: text that is not UTF-8 is refused on input; a database holding some still prints JSON") {
  Cli c;
  c.setup();
  // A cp1251 session id (a website that does not speak UTF-8): exit 2, no lease.
  Run r = c.run("pool lease shop --session \"$(printf 'v\\351')\" --at '2026-01-03 10:00:00' --format json");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(telsim::test::has(r.err, "session 'v?' is not UTF-8 text"));
  r = c.run("pool create \"$(printf '\\300\\355')\" --at 2026-01-03");
  CHECK(r.exit_code == 2);
  CHECK(telsim::test::has(r.err, "pool name '?\?' is not UTF-8 text"));
  CHECK(telsim::test::has(c.ok("pool show shop --at '2026-01-03 10:00:00'"), "leases:           0\n"));
  // Written by another program: shown with U+FFFD, the command does not fail.
  telsim::sql::Db(c.dir.file("t.db"), false).exec("UPDATE pools SET client = CAST(X'C0EDEE' AS TEXT) WHERE name = 'shop'");
  for (const char* cmd : {"pool list --format json", "pool report --at 2026-01-05 --format json"}) {
    CAPTURE(cmd);
    CHECK(telsim::test::has(c.ok(cmd), "\"client\": \"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
  }
}

TEST_CASE("pool cli: options of another question, or out of range, are refused, not ignored") {
  Cli c;
  c.setup();
  struct Case {
    std::string args, message;
  };
  for (const Case& k : std::vector<Case>{
           {"pool allocate shop +74951234503 --count 2 --at 2026-01-03", "give NUMBER... or --count N, not both"},
           {"pool size --pool shop --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15",
            "--pool checks an existing pool against its leases"},
           {"pool size --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15 --from 2026-01-01",
            "--from goes with --pool"},
           {"pool create p --hold-minutes 0.001 --at 2026-01-03", "a lease must last at least a second"},
           {"pool create p --hold-minutes 1e17 --at 2026-01-03", "--hold-minutes 1e+17: a lease lasts at most a year (525600 minutes)"},
           {"quarantine settings --window-days 999999999999999", "--window-days: must be from 1 to 36500"},
           {"quarantine settings --window-days 99999999999999999999", "--window-days: must be from 1 to 36500"},
           {"quarantine settings --min-days 36501", "--min-days: must be from 0 to 36500"},
           {"quarantine settings --max-calls 0", "--max-calls: must be from 1 to"}}) {
    CAPTURE(k.args);
    Run r = c.run(k.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(telsim::test::has(r.err, k.message));
  }
  CHECK(c.ok("quarantine settings") == "min_days:     90\nmax_calls:    3\nwindow_days:  90\n");
  CHECK(c.ok("number list --state available --format csv").find("+74951234503,available") != std::string::npos);
}

TEST_CASE("pool cli: number add --file: a byte order mark, a number twice, no numbers at all") {
  Cli c;
  c.ok("pool init");
  telsim::test::write_file(c.dir.file("bom.txt"), "\xef\xbb\xbf+74951234600\r\n+74951234601\r\n");
  CHECK(c.ok("number add --file " + c.dir.file("bom.txt") + " --at 2026-01-01") ==
        "added:  2\nfirst:  +74951234600\nlast:   +74951234601\n");
  telsim::test::write_file(c.dir.file("twice.txt"), "+74951234700\n# again, in national form\n8 495 123-47-00\n");
  Run r = c.run("number add --file " + c.dir.file("twice.txt"));
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: " + c.dir.file("twice.txt") +
                     ":3: +74951234700 is listed twice (first on line 1); nothing was added\n");
  telsim::test::write_file(c.dir.file("none.txt"), "# nothing yet\n\n");
  r = c.run("number add --file " + c.dir.file("none.txt"));
  CHECK(r.exit_code == 2);
  CHECK(telsim::test::has(r.err, "no numbers in it (only blank or # comment lines)"));
  CHECK(c.ok("number list --format csv") ==
        "number,state,pool,source,medium,campaign,since,overflow\n"
        "+74951234600,available,,,,,2026-01-01 00:00:00,false\n"
        "+74951234601,available,,,,,2026-01-01 00:00:00,false\n");
}

TEST_CASE("pool cli: a renewed overflow session keeps 'overflow' and says renewed; JSON keeps the pool's name") {
  Cli c;
  c.setup();  // shop: two numbers and the overflow +74951234509
  c.ok("pool lease shop --session a --at '2026-01-03 10:00:00'");
  c.ok("pool lease shop --session b --at '2026-01-03 10:00:00'");
  CHECK(c.ok("pool lease shop --session o --at '2026-01-03 10:01:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\n"
        "shop,o,+74951234509,overflow,false,2026-01-03 10:01:00,2026-01-03 10:16:00\n");
  CHECK(c.ok("pool lease shop --session o --at '2026-01-03 10:05:00' --format csv") ==
        "pool,session,number,lease,renewed,started,expires\n"
        "shop,o,+74951234509,overflow,true,2026-01-03 10:01:00,2026-01-03 10:20:00\n");
  std::string json = c.ok("number list --pool shop --format json");
  CHECK(telsim::test::has(json, "\"schema\": \"telsim.number-list/2\""));
  CHECK(telsim::test::has(json, "\"number\": \"+74951234509\",\n      \"state\": \"allocated\",\n      \"pool\": \"shop\",\n"));
  CHECK(telsim::test::has(json, "\"since\": \"2026-01-02 00:00:00\",\n      \"overflow\": true\n"));
  CHECK(telsim::test::has(c.ok("number list --pool shop"), "shop (overflow)"));
}
