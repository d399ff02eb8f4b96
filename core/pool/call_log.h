#pragma once
// The call log: every call to a number the operator owns, whatever the
// number's state, with the attribution it gets. This is the API the CDR
// readers (`telsim cdr replay`) and `telsim calls import` write through.
//
//   auto db = telsim::PoolDb::open("telsim.db");
//   telsim::CallLog log(*db);                // BEGIN IMMEDIATE
//   for (...) {
//     telsim::Call c{at, "+79161234567", "+74951234500", 42, "ANSWERED"};
//     if (!log.owns(c.called)) continue;     // not one of our numbers
//     telsim::Attribution a = log.log(c);   // attributed and inserted
//   }
//   log.commit();                            // all calls or none
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"
#include "core/pool/pool.h"
#include "core/pool/pool_db.h"

namespace telsim {

/// One call as the switch saw it. `called` must be E.164 (PhoneNormaliser);
/// `caller` is kept as given (E.164 when it could be normalised).
struct Call {
  UnixTime at = 0;
  std::string caller;
  std::string called;
  int64_t duration = 0;     // seconds
  std::string disposition;  // ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION, ...
};

/// Attributes calls to the session, static channel or reason that explains
/// them, as of the database's numbers, pools, history and leases. Caches the
/// state history of each number it has seen, so it is for one batch.
class Attributor {
 public:
  explicit Attributor(PoolDb& db);
  ~Attributor();
  /// Internal id of an owned number, or 0.
  int64_t number_id(const std::string& e164);
  Attribution attribute(int64_t number_id, UnixTime at, int64_t* pool_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A batch of calls written in one transaction: nothing is visible to others
/// until commit(), and a batch destroyed without commit() (an exception, a
/// killed process) leaves the database as it was.
class CallLog {
 public:
  explicit CallLog(PoolDb& db);
  ~CallLog();
  /// True when `e164` is a number of the operator (any state).
  bool owns(const std::string& e164);
  /// Attributes and records one call (rows are written in batches; all are
  /// in the database, visible to others, after commit()). Throws InputError
  /// when the called number is not the operator's (check owns() first).
  Attribution log(const Call& call);
  int64_t logged() const { return logged_; }
  void commit();

 private:
  /// Foreign keys are not enforced while a batch is written: every id a
  /// call row refers to was just read from the database inside the same
  /// write transaction, and the checks (a parent lookup and a statement
  /// journal per row) cost a quarter of the import time. Restored afterwards.
  struct ForeignKeysOff {
    explicit ForeignKeysOff(sql::Db& db);
    ~ForeignKeysOff();
    sql::Db& db;
  };

  PoolDb& db_;
  ForeignKeysOff fk_off_;
  sql::Transaction tx_;
  Attributor attributor_;
  /// A call attributed and waiting for the next multi-row INSERT.
  struct Pending {
    Call call;
    int64_t number_id = 0, pool_id = 0;
    Attribution attribution;
  };
  void flush();
  static void bind_row(sql::Stmt& st, int base, const Pending& p);

  sql::Stmt insert_, insert_batch_;
  std::vector<Pending> pending_;
  Attribution last_;
  int64_t logged_ = 0;
};

/// Result of reading a calls CSV.
struct ImportResult {
  int64_t imported = 0, skipped = 0;
  std::vector<std::string> problems;  // "FILE:LINE: reason", in file order
};

/// Reads the simple calls CSV (header with time, caller, called, duration,
/// disposition in any order; extra columns ignored) and logs every row in one
/// transaction. A bad row refuses the whole import (InputError listing the
/// first problems with their line numbers) unless `skip_bad`, which logs the
/// good rows and reports the bad ones in the result.
ImportResult import_calls_csv(PoolDb& db, const std::string& path, const std::string& region, bool skip_bad);

}  // namespace telsim
