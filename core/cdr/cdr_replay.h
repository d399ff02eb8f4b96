#pragma once
// Replaying CDR calls into the pool database (issue 3's core/pool/call_log.h):
// every call to one of the operator's numbers is logged (so quarantine sees
// it) and attributed to the dynamic-pool session, static channel or reason
// the database gives. Sessions come from the database's own leases, or from
// a CSV of lease events applied first.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/cdr/cdr_reader.h"
#include "core/pool/pool.h"

namespace telsim {

/// A visitor session taking a number from a dynamic pool.
struct LeaseEvent {
  UnixTime at = 0;
  std::string pool, session;
  Channel channel;
  int64_t line = 0;
};

/// Reads a lease-events CSV: header with time, pool, session (required) and
/// source, medium, campaign (optional), any order; times as
/// "YYYY-MM-DD HH:MM:SS" in UTC (or with an offset) or unix seconds. All
/// rows are checked before any is used: a bad one throws InputError with
/// file:line and the reason.
std::vector<LeaseEvent> read_lease_events(const std::string& path);

struct ReplayResult {
  CdrSummary read;              // rows, calls, skipped rows of the CDR files
  int64_t leases = 0, lease_overflows = 0;
  int64_t leases_already = 0;   // lease events at or before their session's last activity: applied before (a replay run again)
  int64_t logged = 0;           // calls written to the call log
  int64_t already_logged = 0;   // calls the log held already (the same CDR replayed twice): not logged again
  int64_t not_ours = 0;         // called number is not one of the operator's: not logged
  int64_t not_e164 = 0;         // called number could not be made E.164: not logged
  int64_t session = 0, static_channel = 0;  // attributed
  std::map<std::string, int64_t> unattributed;  // by reason (logged, no attribution)
};

/// Applies `leases` (in time order), then logs every call of `files` in one
/// transaction: all of them or, on an error, none. In strict mode the CDR
/// files are checked first, so a bad row leaves the database untouched.
ReplayResult replay_into_db(const std::string& db_path, const std::vector<std::string>& files,
                            const CdrReadOptions& opts, const std::vector<LeaseEvent>& leases);

}  // namespace telsim
