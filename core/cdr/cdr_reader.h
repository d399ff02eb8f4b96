#pragma once
// Reading CDR files of any supported format into calls: files, stdin ("-")
// and gzip, streamed in constant memory; plain files are read by offset in
// pieces (pread), cut at line boundaries into one chunk per thread. Bad rows
// are reported (file:line: reason) and counted, or stop the run in strict
// mode.
//
// The simple entry point for other layers (the simulator's replay) is
// for_each_call(); `cdr stats` uses read_cdr() with one sink per thread.
#include <array>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/text.h"  // printable_utf8, for callers printing what was read
#include "core/cdr/cdr.h"
#include "core/cdr/cdr_mapped.h"
#include "core/cdr/cdr_outcome.h"

namespace telsim {

/// The layout of a CDR file: Asterisk's Master.csv, FreeSWITCH's default
/// CSV template, or any CSV with a header read through a mapping file.
/// kAuto tells Asterisk from FreeSWITCH by the column count of the first rows.
enum class CdrFormat { kAuto, kAsterisk, kFreeswitch, kMapped };
/// "auto", "asterisk", "freeswitch", "mapped"; false for anything else.
bool parse_cdr_format(const std::string& s, CdrFormat* out);

/// How to read: the format and its mapping, the zone the times were written
/// in, how numbers are normalised, and what to do with bad rows. The
/// pointers are borrowed and must outlive the read.
struct CdrReadOptions {
  CdrFormat format = CdrFormat::kAuto;  // auto: mapped if `mapping`, else from the first row's column count
  const CdrMapping* mapping = nullptr;  // required for kMapped
  std::string tz;                       // zone of the times in the file; empty: the mapping's, else UTC
  std::string region = "RU";            // for numbers without a country code
  std::string date_format;              // times' layout (TimeFormat); empty: the format's or the mapping's
  const OutcomeMap* outcomes = nullptr;  // nullptr: the default table
  bool strict = false;     // first bad row: throw InputError (file:line: reason) and stop
  int threads = 2;         // chunks of a plain file read in parallel (1 = in file order)
  int64_t window = 3600;   // seconds: a leg joins an open call with its id only within this gap
  // Rows: a call stays open for legs at least this many rows after its last
  // leg, whatever the times say, so files that are not in time order (parts
  // of several switches concatenated) group the same with any thread count.
  int64_t reach_rows = 10000;
  bool normalise = true;   // caller/called to E.164 (false keeps them as written: faster)
  bool keep_numbers = true;   // false: caller/called left empty (metrics that do not need them)
  bool keep_channels = true;  // false: trunk/channel left empty
  std::FILE* diagnostics = stderr;  // where bad rows and warnings are reported (nullptr: nowhere)
  int warnings_shown = 100;         // per kind; the rest are only counted
};

/// What a run read. Every row is either made into a call or skipped with one
/// reason: rows == kept + skipped. The counts do not depend on the number of
/// threads.
struct CdrSummary {
  int64_t rows = 0;     // CSV rows (header and blank lines excluded)
  int64_t calls = 0;    // calls after grouping legs
  int64_t skipped = 0;  // rows skipped, by reason below
  std::array<int64_t, kSkipReasonCount> skipped_by{};
  std::array<int64_t, kWarningCount> warnings{};  // rows kept with a warning
};

/// Receives calls. read_cdr() gives each thread its own sink, so a sink needs
/// no lock; calls are whole (all their legs folded) when they arrive, and
/// each call arrives exactly once.
class CallSink {
 public:
  virtual ~CallSink() = default;
  virtual void add(const CdrCall& call) = 0;
};

/// Reads `files` (a "-" is stdin) in order. `sinks` must hold one sink per
/// thread (opts.threads, at least 1); which thread sees which call depends on
/// the chunking, so sinks must be merged by commutative sums for results that
/// do not depend on the thread count. Throws InputError on unusable input
/// (missing file, unknown format, bad mapping) and, in strict mode, on the
/// first bad row.
CdrSummary read_cdr(const std::vector<std::string>& files, const CdrReadOptions& opts,
                    const std::vector<CallSink*>& sinks);

/// The simple API: every call of every file, in one thread, in the order the
/// calls complete in the file (roughly file order, not sorted by start).
CdrSummary for_each_call(const std::vector<std::string>& files, const CdrReadOptions& opts,
                         const std::function<void(const CdrCall&)>& on_call);

}  // namespace telsim
