// libFuzzer target: `calls import` (import_calls_csv, core/pool/call_log.h).
// The input is a calls CSV, imported into a small pool database (numbers, a
// dynamic pool with a live lease and an overflow number, a static pool),
// first all-or-nothing, then with bad rows skipped.
//
// What is reused between inputs, and why it does not change what is tested:
// the database is made once (template.db) and one PoolStore is opened once on
// a working copy, work.db, as `calls import` opens it. Before each input the
// working copy gets the template's pages back through SQLite's backup API (on
// the open connection, which then sees exactly the template's content), so
// every input starts from the same database; opening the store, checking its
// schema and setting its pragmas, which no input reaches, are not repeated
// (that was most of the time of an input). After each input the connection
// must be as an import leaves it (no transaction open, foreign keys back on):
// otherwise a state would carry over, and that is a finding.
#include <sqlite3.h>

#include "core/pool/call_log.h"
#include "core/pool/pool_db.h"
#include "core/pool/pool_store.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

constexpr telsim::UnixTime kDay = 86400, kJan1 = 1767225600;  // 2026-01-01 00:00:00 UTC

// The database every input is imported into, made once per process.
std::string make_template() {
  using namespace telsim;
  std::string file = fuzz::path("template.db");
  auto db = PoolDb::open(file, PoolAccess::kCreate);
  std::vector<std::string> numbers;
  for (int i = 0; i < 10; ++i) numbers.push_back("+7495123450" + std::to_string(i));
  db->add_numbers(numbers, kJan1);
  db->create_pool({"shop", "Shop", PoolKind::kDynamic, kDefaultHoldSeconds, "+74951234509"}, kJan1 + kDay);
  db->allocate("shop", {}, 2, {}, kJan1 + kDay);
  db->create_pool({"ads", "", PoolKind::kStatic, kDefaultHoldSeconds, ""}, kJan1 + kDay);
  db->allocate("ads", {"+74951234505"}, 0, {"billboard", "offline", "spring"}, kJan1 + kDay);
  db->lease("shop", "visitor-1", {"google", "cpc", "brand"}, kJan1 + 2 * kDay + 36000);
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace telsim;
  static sqlite3* const base = [] {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(make_template().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) std::abort();
    return db;
  }();
  static const std::unique_ptr<PoolStore> store = [] {
    std::string file = fuzz::write("work.db", fuzz::slurp(fuzz::path("template.db")));
    return PoolStore::open(file, PoolAccess::kWrite);
  }();
  sqlite3* work = store->sql().get();
  sqlite3_backup* copy = sqlite3_backup_init(work, "main", base, "main");
  if (!copy || sqlite3_backup_step(copy, -1) != SQLITE_DONE || sqlite3_backup_finish(copy) != SQLITE_OK) std::abort();

  std::string csv = fuzz::write("calls.csv", fuzz::as_text(data, size));
  for (bool skip_bad : {false, true})
    fuzz::expect_input_errors([&] { import_calls_csv(*store, csv, "RU", skip_bad); });

  if (!sqlite3_get_autocommit(work)) std::abort();  // an import left a transaction open
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(work, "PRAGMA foreign_keys", -1, &st, nullptr) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
      sqlite3_column_int(st, 0) != 1)
    std::abort();  // an import left the foreign keys off
  sqlite3_finalize(st);
  return 0;
}
