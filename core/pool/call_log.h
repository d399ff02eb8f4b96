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
//     if (auto a = log.log(c)) { ... }      // attributed and inserted (nullopt:
//                                           // the call was logged before)
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
/// as of their own time (Attributor), in any order. A call is the same call
/// when its time, caller, called number, duration and disposition are: one
/// already in the log (a file imported twice, two exports that overlap) is
/// not logged again, and counted (duplicates()). Two calls in the same
/// second from one caller to one number that differ in anything else are
/// two calls.
class CallLog {
 public:
  /// Begins the transaction on `store`, which must outlive the log.
  explicit CallLog(PoolStore& store);
  ~CallLog();
  /// True when `e164` is a number of the operator (any state).
  bool owns(const std::string& e164);
  /// Attributes and records one call (rows are written in batches; all are
  /// in the database, visible to others, after commit()), or nullopt when
  /// the same call is in the log already (this batch included). Throws
  /// InputError when the called number is not the operator's (check owns()
  /// first).
  std::optional<Attribution> log(const Call& call);
  int64_t logged() const { return logged_; }
  int64_t duplicates() const { return duplicates_; }
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
  bool logged_before(const Call& call, int64_t number_id);

  sql::Stmt insert_;
  sql::Stmt same_;  // the same call among the rows written (calls_number index)
  sql::Stmt latest_at_;  // the latest call logged to a number
  /// Per number: no call logged (or about to be) is later than this.
  std::unordered_map<int64_t, UnixTime> latest_;
  /// The kBatchRows-row INSERT, prepared when the first batch fills: its
  /// parse costs more than a small import (a few rows) does in all.
  std::optional<sql::Stmt> insert_batch_;
  std::vector<Pending> pending_;
  Attribution last_;
  int64_t logged_ = 0, duplicates_ = 0;
};

/// What import_calls_csv did with a file.
struct ImportResult {
  int64_t imported = 0, skipped = 0;
  int64_t duplicates = 0;  // good rows whose call was in the log already
  std::vector<std::string> problems;  // "FILE:LINE: reason", in file order
};

/// Reads the simple calls CSV (header with time, caller, called, duration,
/// disposition in any order and any letter case; extra columns ignored;
/// RFC 4180 quoting, a quoted field may hold line breaks) and logs every row
/// in one transaction. A bad row refuses the whole import (InputError listing
/// the first problems with their line numbers) unless `skip_bad`, which logs
/// the good rows and reports the bad ones in the result. A call already in
/// the log is not logged twice (ImportResult::duplicates).
ImportResult import_calls_csv(PoolStore& store, const std::string& path, const std::string& region, bool skip_bad);

}  // namespace telsim
