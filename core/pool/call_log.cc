#include "core/pool/call_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "core/base/csv.h"
#include "core/base/disposition.h"
#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/text.h"
#include "core/base/timestamp.h"
#include "core/phone/phone.h"

namespace telsim {

// --- logging -------------------------------------------------------------------

CallLog::ForeignKeysOff::ForeignKeysOff(sql::Db& d) : db(d) { db.exec("PRAGMA foreign_keys = OFF"); }
CallLog::ForeignKeysOff::~ForeignKeysOff() { sqlite3_exec(db.get(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr); }

namespace {
const char* kInsertHead =
    "INSERT INTO calls(at, caller, number_id, duration, disposition, attribution, pool_id, lease_id, source, medium, "
    "campaign, reason) VALUES ";
const char* kInsertRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr int kColumnsPerRow = 12;
// Rows per INSERT statement: one statement run per 64 calls instead of per
// call halves the cost of logging a call.
constexpr size_t kBatchRows = 64;

std::string insert_sql(size_t rows) {
  std::string sql = kInsertHead;
  for (size_t i = 0; i < rows; ++i) sql += (i ? ", " : "") + std::string(kInsertRow);
  return sql;
}
}  // namespace

CallLog::CallLog(PoolStore& store)
    : fk_off_(store.sql()),
      tx_(store.sql()),
      attributor_(store),
      insert_(store.sql(), insert_sql(1).c_str()),
      same_(store.sql(), "SELECT 1 FROM calls WHERE number_id = ?1 AND at = ?2 AND caller = ?3 AND duration = ?4 "
             "AND disposition = ?5 LIMIT 1"),
      latest_at_(store.sql(), "SELECT max(at) FROM calls WHERE number_id = ?") {
  pending_.reserve(kBatchRows);
}

CallLog::~CallLog() = default;

bool CallLog::owns(const std::string& e164) { return attributor_.number_id(e164) != 0; }

bool CallLog::logged_before(const Call& c, int64_t number_id) {
  // A call later than every call logged to its number (the usual import: the
  // day after the last) cannot be one of them: one index lookup per number
  // instead of one per call, which cost a fifth of the import.
  auto [it, fresh] = latest_.try_emplace(number_id, INT64_MIN);
  if (fresh) {
    latest_at_.bind(1, number_id);
    if (latest_at_.step() && !latest_at_.is_null(0)) it->second = latest_at_.i64(0);
    latest_at_.reset();
  }
  if (c.at > it->second) {
    it->second = c.at;  // logged next (the caller logs it): later calls compare with it
    return false;
  }
  for (const Pending& p : pending_)
    if (p.call.at == c.at && p.number_id == number_id && p.call.caller == c.caller &&
        p.call.duration == c.duration && p.call.disposition == c.disposition)
      return true;
  same_.bind(1, number_id).bind(2, c.at).bind_ref(3, c.caller).bind(4, c.duration).bind_ref(5, c.disposition);
  bool found = same_.step();
  same_.reset();
  return found;
}

std::optional<Attribution> CallLog::log(const Call& c) {
  int64_t id = attributor_.number_id(c.called);
  if (!id)
    throw InputError(fmt::format("called number {} is not a number of this operator (add it with `telsim number add`)",
                                 c.called.empty() ? "(empty)" : c.called));
  if (c.duration < 0) throw InputError(fmt::format("duration {} is negative", c.duration));
  if (logged_before(c, id)) {
    ++duplicates_;
    return std::nullopt;
  }
  Pending p;
  p.call = c;
  p.number_id = id;
  p.attribution = attributor_.attribute(id, c.at, &p.pool_id);
  pending_.push_back(std::move(p));
  if (pending_.size() == kBatchRows) flush();
  ++logged_;
  return pending_.empty() ? last_ : pending_.back().attribution;
}

void CallLog::bind_row(sql::Stmt& st, int base, const Pending& p) {
  const Attribution& a = p.attribution;
  // The row stays in pending_ until the statement has run: bind without copies.
  st.bind(base + 1, p.call.at).bind_ref(base + 2, p.call.caller).bind(base + 3, p.number_id);
  st.bind(base + 4, p.call.duration).bind_ref(base + 5, p.call.disposition).bind_ref(base + 6, to_string(a.kind));
  if (p.pool_id) st.bind(base + 7, p.pool_id);
  else st.bind_null(base + 7);
  if (a.lease_id) st.bind(base + 8, a.lease_id);
  else st.bind_null(base + 8);
  st.bind_opt_ref(base + 9, a.channel.source).bind_opt_ref(base + 10, a.channel.medium);
  st.bind_opt_ref(base + 11, a.channel.campaign).bind_opt_ref(base + 12, a.reason);
}

void CallLog::flush() {
  if (pending_.size() == kBatchRows) {
    if (!insert_batch_) insert_batch_.emplace(fk_off_.db, insert_sql(kBatchRows).c_str());
    for (size_t i = 0; i < pending_.size(); ++i)
      bind_row(*insert_batch_, static_cast<int>(i) * kColumnsPerRow, pending_[i]);
    insert_batch_->run();
  } else {
    for (auto& p : pending_) {
      bind_row(insert_, 0, p);
      insert_.run();
    }
  }
  if (!pending_.empty()) last_ = std::move(pending_.back().attribution);
  pending_.clear();
}

void CallLog::commit() {
  flush();
  tx_.commit();
}

// --- CSV import ----------------------------------------------------------------

namespace {

const char* const kColumns[] = {"time", "caller", "called", "duration", "disposition"};

// A quoted field may hold line breaks (RFC 4180): a record whose quote is
// still open at the end of its line takes the next lines, up to this many.
// A quote left open for longer is a broken row, not a field: it is refused,
// and the lines it took are read again as rows of their own.
constexpr int kMaxRecordLines = 100;

// A caller is a number or a name a switch shows (tens of bytes); a longer
// field is a column gone wrong (a shifted export), not something to store
// and print in every listing.
constexpr size_t kMaxCallerBytes = 256;

// Physical lines of the file, with lines given back read again first.
class LineReader {
 public:
  explicit LineReader(FILE* f) : f_(f) {}
  ~LineReader() { std::free(buf_); }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  // The next line without its end of line, and its number; false at the end.
  bool next(std::string* line, int64_t* number) {
    if (!back_.empty()) {
      *line = std::move(back_.back().first);
      *number = back_.back().second;
      back_.pop_back();
      return true;
    }
    ssize_t len = getline(&buf_, &cap_, f_);
    if (len == -1) return false;
    std::string_view v(buf_, static_cast<size_t>(len));
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
    if (++read_ == 1) v = strip_bom(v);
    line->assign(v);
    *number = read_;
    return true;
  }
  // Lines to read again, in file order.
  void give_back(std::vector<std::pair<std::string, int64_t>> lines) {
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) back_.push_back(std::move(*it));
  }

 private:
  FILE* f_;
  char* buf_ = nullptr;
  size_t cap_ = 0;
  int64_t read_ = 0;
  std::vector<std::pair<std::string, int64_t>> back_;  // the next line last
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

ImportResult import_calls_csv(PoolStore& store, const std::string& path, const std::string& region, bool skip_bad) {
  std::error_code ec;
  // fopen() opens a folder, and reading it fails as if the file were empty.
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a folder, not a calls CSV file", path));
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(fmt::format("{}: cannot open it: {}", path, std::strerror(errno)));
  std::unique_ptr<FILE, int (*)(FILE*)> closer(f, std::fclose);
  PhoneNormaliser phones(region);
  ImportResult res;
  CallLog log(store);

  LineReader lines(f);
  std::string record, more;
  int64_t line_no = 0, more_no = 0;
  int col[5] = {-1, -1, -1, -1, -1};
  size_t ncols = 0;
  CsvSplitter fields(',', CsvMode::kLenient);
  Call c;
  bool refused = false;  // a bad row without --skip-bad: keep reading only to report
  constexpr size_t kMaxReported = 20;
  auto problem = [&](const std::string& what) {
    if (res.problems.size() < kMaxReported) res.problems.push_back(fmt::format("{}:{}: {}", path, line_no, what));
    ++res.skipped;
    if (!skip_bad) refused = true;
  };
  while (lines.next(&record, &line_no)) {
    if (record.empty()) continue;
    fields.split(record);
    if (fields.open_quote()) {
      // A quoted field with line breaks: the next lines are part of it.
      std::vector<std::pair<std::string, int64_t>> taken;
      std::string joined = record;
      while (fields.open_quote() && static_cast<int>(taken.size()) + 1 < kMaxRecordLines && lines.next(&more, &more_no)) {
        joined += '\n';
        joined += more;
        taken.emplace_back(std::move(more), more_no);
        fields.split(joined);
      }
      // Still open, or closed by a quote further down into a record that
      // is not a row (a stray quote met a quoted field of a later row): the
      // first line is a broken row, the lines it took are rows of their own.
      if (fields.open_quote() || (ncols != 0 && fields.count() != ncols)) {
        if (ncols == 0) throw InputError(fmt::format("{}:{}: header has an unclosed quote", path, line_no));
        problem("unclosed quote");
        lines.give_back(std::move(taken));
        continue;
      }
      record = std::move(joined);
      fields.split(record);
    }
    size_t nf = fields.count();
    if (ncols == 0) {  // the header: the five names in any letter case, each once (others are ignored)
      ncols = nf;
      CsvHeader header(fields, true);
      for (int k = 0; k < 5; ++k) {
        col[k] = -1;
        for (size_t i = 0; i < header.size(); ++i) {
          if (lower(header[i]) != kColumns[k]) continue;
          if (col[k] >= 0)
            throw InputError(fmt::format("{}:{}: header names column {} twice (columns {} and {})", path, line_no,
                                         quote_field(header[i]), col[k] + 1, i + 1));
          col[k] = static_cast<int>(i);
        }
        if (col[k] < 0)
          throw InputError(fmt::format(
              "{}:{}: header has no column '{}' (expected: time,caller,called,duration,disposition)", path, line_no,
              kColumns[k]));
      }
      continue;
    }
    if (nf != ncols) {
      problem(fmt::format("{} fields, the header has {}", nf, ncols));
      continue;
    }
    std::string_view t = trim(fields[col[0]]);
    if (!parse_pool_time(t, &c.at)) {
      problem(fmt::format("time {} is not a time ({})", quote_field(t), kPoolTimeForms));
      continue;
    }
    std::string_view called = trim(fields[col[2]]);
    PhoneNumber pn = phones.normalise(called);
    if (!pn.ok()) {
      problem(fmt::format("called number {} is not a full phone number", quote_field(called)));
      continue;
    }
    c.called = std::move(pn.text);
    if (!log.owns(c.called)) {
      problem(fmt::format("called number {} is not a number of this operator", c.called));
      continue;
    }
    std::string_view d = trim(fields[col[3]]);
    auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), c.duration);
    if (d.empty() || ec != std::errc() || ptr != d.data() + d.size() || c.duration < 0) {
      problem(fmt::format("duration {} is not a whole number of seconds", quote_field(d)));
      continue;
    }
    c.disposition.assign(trim(fields[col[4]]));
    for (auto& ch : c.disposition) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    Outcome outcome;
    if (!parse_disposition(c.disposition, &outcome)) {
      problem(fmt::format("disposition {} is not one of {}", quote_field(fields[col[4]]), disposition_words()));
      continue;
    }
    // The caller is kept as text (a name, when it is not a number): the log
    // and every output are UTF-8, so a caller in another encoding (a cp1251
    // name from an old switch) is a bad row, not stored to break JSON later.
    std::string_view caller = trim(fields[col[1]]);
    if (caller.size() > kMaxCallerBytes) {
      problem(fmt::format("caller {} is longer than {} bytes: not a caller's number or name", quote_field(caller),
                          kMaxCallerBytes));
      continue;
    }
    if (std::string e = not_utf8("caller", caller); !e.empty()) {
      problem(e);
      continue;
    }
    PhoneNumber cp = phones.normalise(caller);
    if (cp.kind == PhoneNumber::Kind::kInvalid) c.caller.assign(caller);
    else c.caller.swap(cp.text);
    if (!refused) log.log(c);
  }
  if (ncols == 0) throw InputError(fmt::format("{}: empty file, expected a header line", path));
  if (refused) {
    std::string msg =
        fmt::format("{}: {} bad row{}; nothing was imported", path, res.skipped, res.skipped == 1 ? "" : "s");
    for (auto& p : res.problems) msg += "\n  " + p;
    if (res.skipped > static_cast<int64_t>(res.problems.size()))
      msg += fmt::format("\n  ... and {} more", res.skipped - static_cast<int64_t>(res.problems.size()));
    throw InputError(msg, Topic::kSkipBad);
  }
  log.commit();
  res.imported = log.logged();
  res.duplicates = log.duplicates();
  return res;
}

}  // namespace telsim
