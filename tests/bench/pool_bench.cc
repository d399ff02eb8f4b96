// Speed of the number-pool database against the targets of issue 3:
//   import 1,000,000 logged calls                      < 10 s
//   quarantine check, 10,000,000 calls, 100,000 numbers < 1 s
//   leases from one process                            >= 20,000 / s
// Not run by ctest. Usage: pool_bench [--quick] [DIR]   (DIR: where the
// databases go, default $TMPDIR or /tmp; they are removed afterwards).
// Figures and the machine they came from: docs/performance.md.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/call_log.h"
#include "core/pool_db.h"

using namespace telsim;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

const UnixTime kT0 = 1767225600;  // 2026-01-01 00:00:00

std::string number(int i) { return fmt::format("+7495{:07d}", i); }

// 100,000 numbers: 20,000 in 100 dynamic pools of 200, 10,000 in 10 static
// pools, 20,000 given back to quarantine, the rest available.
std::unique_ptr<PoolDb> make_db(const std::string& path, int numbers) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = PoolDb::open(path, true);
  std::vector<std::string> all;
  for (int i = 0; i < numbers; ++i) all.push_back(number(i));
  db->add_numbers(all, kT0);
  int next = 0;
  int dyn = numbers / 5 / 200, stat = numbers / 10 / 1000;
  for (int p = 0; p < dyn; ++p) {
    PoolSpec s;
    s.name = fmt::format("dyn{:03d}", p);
    db->create_pool(s, kT0);
    std::vector<std::string> nums(all.begin() + next, all.begin() + next + 200);
    next += 200;
    db->allocate(s.name, nums, 0, {}, kT0);
  }
  for (int p = 0; p < stat; ++p) {
    PoolSpec s;
    s.name = fmt::format("static{:02d}", p);
    s.kind = PoolKind::kStatic;
    db->create_pool(s, kT0);
    std::vector<std::string> nums(all.begin() + next, all.begin() + next + 1000);
    next += 1000;
    db->allocate(s.name, nums, 0, {"billboard", "offline", s.name}, kT0);
  }
  // Quarantine: allocate to a pool, then give back.
  PoolSpec gone;
  gone.name = "gone";
  db->create_pool(gone, kT0);
  std::vector<std::string> q(all.begin() + next, all.begin() + next + numbers / 5);
  db->allocate("gone", q, 0, {}, kT0);
  db->give_back("gone", q, kT0 + 86400, "");
  return db;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") quick = true;
    else dir = a;
  }
  const int kNumbers = 100000;
  const int kImport = quick ? 100000 : 1000000;
  const int64_t kLogged = quick ? 1000000 : 10000000;
  const int kLeases = quick ? 20000 : 200000;
  std::string path = dir + "/telsim-pool-bench.db";

  // --- leases -----------------------------------------------------------------
  {
    auto db = make_db(path, kNumbers);
    // Visitors arrive 20 a second on one pool of 200 numbers with a 15-minute
    // hold: 18,000 sessions live on 200 numbers, so most requests overflow;
    // a second pool has room. Alternate between them.
    auto t = std::chrono::steady_clock::now();
    int overflow = 0;
    for (int i = 0; i < kLeases; ++i) {
      UnixTime at = kT0 + 2 * 86400 + i / 20;
      LeaseResult r = db->lease(i % 2 ? "dyn000" : "dyn001", fmt::format("s{}", i % 3000), {"google", "cpc", "x"}, at);
      overflow += r.overflow;
    }
    double s = seconds_since(t);
    fmt::print("leases: {} in {:.2f} s = {:.0f} leases/s, one transaction each ({} overflowed)\n", kLeases, s,
               kLeases / s, overflow);
  }

  // --- import through the binary's code path ------------------------------------------
  {
    std::string csv = dir + "/telsim-pool-bench-calls.csv";
    {
      FILE* f = std::fopen(csv.c_str(), "wb");
      std::fputs("time,caller,called,duration,disposition\n", f);
      for (int i = 0; i < kImport; ++i) {
        UnixTime at = kT0 + 2 * 86400 + static_cast<UnixTime>(i) * 3;
        int called = static_cast<int>((static_cast<int64_t>(i) * 7919) % kNumbers);
        std::string t = format_time(at);
        // Switch-style national numbers, so the normaliser does real work.
        fmt::print(f, "{},8916{:07d},8495{:07d},{},{}\n", t, i % 9999999, called, i % 600,
                   i % 5 ? "ANSWERED" : "NO ANSWER");
      }
      std::fclose(f);
    }
    auto t = std::chrono::steady_clock::now();
    auto db = PoolDb::open(path);
    ImportResult r = import_calls_csv(*db, csv, "RU", false);
    double s = seconds_since(t);
    fmt::print("import: {} calls in {:.2f} s = {:.0f} calls/s (parse, normalise, attribute, insert, commit)\n",
               r.imported, s, r.imported / s);
    std::filesystem::remove(csv);
  }

  // --- quarantine check over a large log -------------------------------------------
  {
    auto db = PoolDb::open(path);
    int64_t have = db->call_count();
    auto t = std::chrono::steady_clock::now();
    {
      // Bulk-fill the log straight through the CallLog API: a year of calls
      // spread over every number.
      CallLog log(*db);
      Call c;
      c.caller = "+79161234567";
      c.disposition = "ANSWERED";
      for (int64_t i = have; i < kLogged; ++i) {
        c.at = kT0 + i * (365 * 86400) / kLogged;  // a year, evenly
        c.called = number(static_cast<int>((i * 7919) % kNumbers));
        c.duration = i % 300;
        log.log(c);
      }
      log.commit();
    }
    fmt::print("fill: log grown to {} calls in {:.1f} s\n", db->call_count(), seconds_since(t));
    UnixTime at = kT0 + 200 * 86400;
    for (int round = 0; round < 2; ++round) {  // cold-ish, then warm cache
      t = std::chrono::steady_clock::now();
      auto rows = db->quarantine_check(at);
      double s = seconds_since(t);
      int64_t calls = 0;
      for (auto& r : rows) calls += r.calls;
      fmt::print("quarantine check: {} numbers in quarantine, {} calls in their windows, over {} logged calls and {} "
                 "numbers: {:.3f} s\n",
                 rows.size(), calls, db->call_count(), kNumbers, s);
    }
    // Worst case: every number in quarantine.
    db->db().exec("UPDATE numbers SET state = 'quarantine'");
    t = std::chrono::steady_clock::now();
    auto rows = db->quarantine_check(at);
    fmt::print("quarantine check, all {} numbers in quarantine: {:.3f} s\n", rows.size(), seconds_since(t));
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
