// libFuzzer target: `calls import` (import_calls_csv, core/pool/call_log.h).
// The input is a calls CSV, imported into a copy of a small pool database
// (numbers, a dynamic pool with a live lease and an overflow number, a static
// pool), first all-or-nothing, then with bad rows skipped.
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
  static const std::string bytes = fuzz::slurp(make_template());
  std::string csv = fuzz::write("calls.csv", fuzz::as_text(data, size));
  std::string db_file = fuzz::write("work.db", bytes);
  std::filesystem::remove(db_file + "-wal");
  std::filesystem::remove(db_file + "-shm");
  auto store = PoolStore::open(db_file, PoolAccess::kWrite);
  for (bool skip_bad : {false, true})
    fuzz::expect_input_errors([&] { import_calls_csv(*store, csv, "RU", skip_bad); });
  return 0;
}
