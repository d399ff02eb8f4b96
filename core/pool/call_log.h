#pragma once
// The call log: every call to a number the operator owns, whatever the
// number's state, with the attribution it gets. This is the API the CDR
// readers (`telsim cdr replay`) and `telsim calls import` write through.
// Reading the log back is PoolDb's (calls, reports, quarantine).
//
//   auto store = telsim::PoolStore::open("telsim.db", telsim::PoolAccess::kWrite);
//   telsim::CallLog log(*store);             // BEGIN IMMEDIATE
//   for (...) {
//     telsim::Call c{at, "+79161234567", "+74951234500", 42, "ANSWERED"};
//     if (!log.owns(c.called)) continue;     // not one of our numbers
//     telsim::Attribution a = log.log(c);   // attributed and inserted
//   }
//   log.commit();                            // all calls or none
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"
#include "core/pool/attribution.h"
#include "core/pool/pool.h"
#include "core/pool/pool_store.h"

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

/// A batch of calls written in one transaction: nothing is visible to others
/// until commit(), and a batch destroyed without commit() (an exception, a
/// killed process) leaves the database as it was.
///
/// The write lock is held from construction to commit(): other writers (a
/// lease, another import) wait for it, readers do not. Calls are attributed
/// as of their own time (Attributor), in any order; the log keeps every call
/// it is given, duplicates included (it is a log, not a set).
class CallLog {
 public:
  /// Begins the transaction on `store`, which must outlive the log.
  explicit CallLog(PoolStore& store);
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

  sql::Stmt insert_;
  /// The kBatchRows-row INSERT, prepared when the first batch fills: its
  /// parse costs more than a small import (a few rows) does in all.
  std::optional<sql::Stmt> insert_batch_;
  std::vector<Pending> pending_;
  Attribution last_;
  int64_t logged_ = 0;
};

/// What import_calls_csv did with a file.
struct ImportResult {
  int64_t imported = 0, skipped = 0;
  std::vector<std::string> problems;  // "FILE:LINE: reason", in file order
};

/// Reads the simple calls CSV (header with time, caller, called, duration,
/// disposition in any order; extra columns ignored) and logs every row in one
/// transaction. A bad row refuses the whole import (InputError listing the
/// first problems with their line numbers) unless `skip_bad`, which logs the
/// good rows and reports the bad ones in the result.
ImportResult import_calls_csv(PoolStore& store, const std::string& path, const std::string& region, bool skip_bad);

}  // namespace telsim
