// Speed of the number-pool database against the targets of issue 3:
//   import 1,000,000 logged calls                      < 10 s
//   quarantine check, 10,000,000 calls, 100,000 numbers < 1 s
//   leases from one process                            >= 20,000 / s
// Not run by ctest. Usage: pool_bench [--quick] [DIR]   (DIR: where the
// databases go, default $TMPDIR or /tmp; they are removed afterwards).
// Figures and the machine they came from: docs/performance.md.
#include <fmt/format.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/pool/call_log.h"
#include "core/pool/pool_db.h"

using namespace telsim;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double ref_tx = 0;
std::string telsim_bin;  // the telsim binary of the same build: ../telsim next to this program

/// Wall and CPU time of a step. The machine is shared: CPU time (user +
/// system of this process) is what the code costs, wall time what it got.
struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = cpu_seconds();
  /// Prints and returns the rate per wall second.
  double report(const std::string& what, int64_t n, const char* unit) {
    double w = seconds_since(wall), c = cpu_seconds() - cpu;
    fmt::print("{}: {} {} in {:.3f} s wall ({:.0f}/s), {:.3f} s CPU ({:.0f}/s)\n", what, n, unit, w, n / w, c, n / c);
    std::fflush(stdout);
    return n / w;
  }
};

const UnixTime kT0 = 1767225600;  // 2026-01-01 00:00:00

std::string number(int i) { return fmt::format("+7495{:07d}", i); }

// A pool database and the store under it: the call log and the reference
// transactions work on the store, the rest through PoolDb.
struct Opened {
  std::unique_ptr<PoolStore> store;
  std::unique_ptr<PoolDb> db;  // declared after: destroyed before the store
  PoolDb* operator->() { return db.get(); }
  void reset() {
    db.reset();
    store.reset();
  }
};

Opened open_db(const std::string& path, PoolAccess access) {
  Opened o;
  o.store = PoolStore::open(path, access);
  o.db = std::make_unique<PoolDb>(*o.store);
  return o;
}

// 100,000 numbers: 20,000 in 100 dynamic pools of 200, 10,000 in 10 static
// pools, 20,000 given back to quarantine, the rest available.
Opened make_db(const std::string& path, int numbers) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = open_db(path, PoolAccess::kCreate);
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
  telsim_bin = (std::filesystem::absolute(argv[0]).parent_path().parent_path() / "telsim").string();
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
    // One dynamic pool of 1,000 numbers. A request every half second of
    // simulated time; each visitor makes 3 requests (a new lease, then two
    // renewals), so ~600 sessions are live at once: mostly free numbers, some
    // overflow at the peaks. Realistic mix of the three lease outcomes.
    PoolSpec big;
    big.name = "big";
    big.overflow_number = number(kNumbers - 1);
    db->create_pool(big, kT0);
    db->allocate("big", {}, 1000, {}, kT0);
    auto request = [](int i) {
      return LeaseRequest{"big", fmt::format("s{}", i / 3), {"google", "cpc", "spring"}, kT0 + 86400 * 3 + i / 2};
    };
    // Reference: the cheapest write transaction SQLite can do here.
    {
      sql::Db& raw = db.store->sql();
      raw.exec("CREATE TABLE bench_ref(x INTEGER)");
      sql::Stmt begin(raw, "BEGIN IMMEDIATE"), ins(raw, "INSERT INTO bench_ref VALUES (?)"), commit(raw, "COMMIT");
      Timer t;
      for (int i = 0; i < kLeases; ++i) {
        begin.run();
        ins.bind(1, i).run();
        commit.run();
      }
      ref_tx = t.report("reference: BEGIN IMMEDIATE + 1-row INSERT + COMMIT", kLeases, "transactions");
    }
    int overflow = 0, renewed = 0;
    {
      Timer t;
      for (int i = 0; i < kLeases; ++i) {
        LeaseRequest q = request(i);
        LeaseResult r = db->lease(q.pool, q.session, q.channel, q.at);
        overflow += r.overflow;
        renewed += r.renewed;
      }
      double rate = t.report("leases, one transaction each", kLeases, "leases");
      fmt::print("  ({} new, {} renewed, {} overflowed; ratio to reference {:.2f})\n", kLeases - renewed - overflow,
                 renewed, overflow, rate / ref_tx);
    }
    {
      const int kGroup = 50;
      Timer t;
      std::vector<LeaseRequest> group;
      for (int i = kLeases; i < 2 * kLeases; ++i) {
        group.push_back(request(i));
        if (group.size() == kGroup) {
          db->lease_many(group);
          group.clear();
        }
      }
      t.report(fmt::format("leases, grouped {} a transaction (lease_many)", kGroup), kLeases, "leases");
    }
  }

  // --- import through the binary's code path ------------------------------------------
  {
    // Two files of different calls (the second starts where the first ends):
    // the log keeps a call once, so the same file twice would log nothing.
    std::string csv = dir + "/telsim-pool-bench-calls.csv", csv2 = dir + "/telsim-pool-bench-calls-2.csv";
    for (int part = 0; part < 2; ++part) {
      FILE* f = std::fopen((part ? csv2 : csv).c_str(), "wb");
      std::fputs("time,caller,called,duration,disposition\n", f);
      for (int i = 0; i < kImport; ++i) {
        UnixTime at = kT0 + 2 * 86400 + static_cast<UnixTime>(i + part * kImport) * 3;
        int called = static_cast<int>((static_cast<int64_t>(i) * 7919) % kNumbers);
        std::string t = format_time(at);
        // Switch-style national numbers, so the normaliser does real work.
        fmt::print(f, "{},8916{:07d},8495{:07d},{},{}\n", t, i % 9999999, called, i % 600,
                   i % 5 ? "ANSWERED" : "NO ANSWER");
      }
      std::fclose(f);
    }
    {
      Timer t;
      auto store = PoolStore::open(path, PoolAccess::kWrite);
      ImportResult r = import_calls_csv(*store, csv, "RU", false);
      t.report("import (read CSV, normalise, attribute, insert, commit)", r.imported, "calls");
    }
    {
      // The second file through the real binary, process start to exit.
      auto w = std::chrono::steady_clock::now();
      std::string cmd = fmt::format("{} calls import {} --db {} >/dev/null", telsim_bin, csv2, path);
      int rc = std::system(cmd.c_str());
      double s = seconds_since(w);
      fmt::print("import via `telsim calls import` (exit {}): {} calls in {:.3f} s wall ({:.0f}/s)\n", rc, kImport, s,
                 kImport / s);
      std::fflush(stdout);
    }
    {
      // The first file again: every call is in the log already (what
      // re-importing an export costs; nothing is written).
      Timer t;
      auto store = PoolStore::open(path, PoolAccess::kWrite);
      ImportResult r = import_calls_csv(*store, csv, "RU", false);
      if (r.imported != 0 || r.duplicates != kImport) std::abort();
      t.report("import of a file imported before (every call found in the log)", r.duplicates, "calls");
    }
    std::filesystem::remove(csv);
    std::filesystem::remove(csv2);
  }

  // --- quarantine check over a large log -------------------------------------------
  {
    auto db = open_db(path, PoolAccess::kWrite);
    int64_t have = db->call_count();
    auto t = std::chrono::steady_clock::now();
    {
      // Bulk-fill the log straight through the CallLog API: a year of calls
      // spread over every number.
      CallLog log(*db.store);
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
    fmt::print("fill (CallLog API, no CSV): log grown to {} calls in {:.1f} s\n", db->call_count(), seconds_since(t));
    std::fflush(stdout);
    UnixTime at = kT0 + 200 * 86400;
    db.reset();
    std::string cmd = fmt::format("{} quarantine check --db {} --at 2026-07-20 --format csv >/dev/null", telsim_bin, path);
    for (int round = 0; round < 2; ++round) {  // after the fill, then again
      auto w = std::chrono::steady_clock::now();
      int rc = std::system(cmd.c_str());
      fmt::print("`telsim quarantine check` (exit {}), process start to exit: {:.3f} s wall\n", rc, seconds_since(w));
    }
    db = open_db(path, PoolAccess::kWrite);
    for (int round = 0; round < 2; ++round) {
      Timer tq;
      auto rows = db->quarantine_check(at);
      int64_t calls = 0;
      for (auto& r : rows) calls += r.calls;
      tq.report(fmt::format("quarantine check ({} calls in their windows, {} logged calls, {} numbers)", calls,
                            db->call_count(), kNumbers),
                static_cast<int64_t>(rows.size()), "numbers in quarantine");
    }
    // Pools as of a time (pool list|show|report --at). Reference in the same
    // run: the query pool list ran before it read the history, the current
    // counts straight from the numbers table.
    {
      Timer r;
      sql::Stmt st(db.store->sql(),
                   "SELECT p.name, p.client, p.kind, p.hold_seconds, p.created_at, "
                   "(SELECT e164 FROM numbers n WHERE n.pool_id = p.id AND n.state = 'allocated' AND n.overflow = 1), "
                   "(SELECT count(*) FROM numbers n WHERE n.pool_id = p.id AND n.state = 'allocated' AND n.overflow = 0), "
                   "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NOT NULL "
                   "   AND l.started_at <= ?1 AND l.expires_at > ?1), "
                   "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NOT NULL), "
                   "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NULL) "
                   "FROM pools p ORDER BY p.name");
      st.bind(1, at);
      int64_t counted = 0;
      while (st.step()) ++counted;
      double ref = r.report("reference: pools counted from the numbers table, as before --at read the history",
                            counted, "pools");
      // Now (nothing changed since): the numbers table; a past date, before
      // the quarantine's give-back: each number's state from the history.
      const UnixTime past = kT0 + 43200;
      for (UnixTime when : {at, past}) {
        const char* what = when == at ? "now" : "at a past date";
        Timer t;
        auto pools = db->pools(when);
        double rate = t.report(fmt::format("pool list {} ({} numbers)", what, kNumbers),
                               static_cast<int64_t>(pools.size()), "pools");
        fmt::print("  (takes {:.1f} times the reference)\n", (static_cast<double>(pools.size()) / rate) / (counted / ref));
        Timer m;
        auto members = db->members("static00", when);
        m.report(fmt::format("pool show {}: members of one pool", what), static_cast<int64_t>(members.size()), "numbers");
      }
    }
    // Worst case: every number in quarantine.
    db.store->sql().exec("UPDATE numbers SET state = 'quarantine'");
    Timer tq;
    auto rows = db->quarantine_check(at);
    tq.report("quarantine check, every number in quarantine", static_cast<int64_t>(rows.size()), "numbers");
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
