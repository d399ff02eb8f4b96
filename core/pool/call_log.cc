#include "core/pool/call_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
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
      insert_(store.sql(), insert_sql(1).c_str()) {
  pending_.reserve(kBatchRows);
}

CallLog::~CallLog() = default;

bool CallLog::owns(const std::string& e164) { return attributor_.number_id(e164) != 0; }

Attribution CallLog::log(const Call& c) {
  int64_t id = attributor_.number_id(c.called);
  if (!id)
    throw InputError(fmt::format("called number {} is not a number of this operator (add it with `telsim number add`)",
                                 c.called.empty() ? "(empty)" : c.called));
  if (c.duration < 0) throw InputError(fmt::format("duration {} is negative", c.duration));
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

}  // namespace

ImportResult import_calls_csv(PoolStore& store, const std::string& path, const std::string& region, bool skip_bad) {
  std::error_code ec;
  // fopen() opens a folder, and reading it fails as if the file were empty.
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a folder, not a calls CSV file", path));
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(fmt::format("{}: cannot open", path));
  std::unique_ptr<FILE, int (*)(FILE*)> closer(f, std::fclose);
  PhoneNormaliser phones(region);
  ImportResult res;
  CallLog log(store);

  char* buf = nullptr;
  size_t cap = 0;
  ssize_t len;
  int64_t line_no = 0;
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
  while ((len = getline(&buf, &cap, f)) != -1) {
    ++line_no;
    std::string_view line(buf, static_cast<size_t>(len));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line_no == 1) line = strip_bom(line);
    if (line.empty()) continue;
    fields.split(line);
    size_t nf = fields.count();
    if (fields.open_quote()) {
      if (ncols == 0) {
        std::free(buf);
        throw InputError(fmt::format("{}:{}: header has an unclosed quote", path, line_no));
      }
      problem("unclosed quote");
      continue;
    }
    if (ncols == 0) {  // the header
      ncols = nf;
      CsvHeader header(fields, true);
      for (int k = 0; k < 5; ++k)
        if ((col[k] = header.find(kColumns[k])) < 0) {
          std::free(buf);
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
    if (!parse_time(t, &c.at)) {
      problem(fmt::format("time {} is not YYYY-MM-DD HH:MM:SS", quote_field(t)));
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
    std::string_view caller = trim(fields[col[1]]);
    PhoneNumber cp = phones.normalise(caller);
    if (cp.kind == PhoneNumber::Kind::kInvalid) c.caller.assign(caller);
    else c.caller.swap(cp.text);
    if (!refused) log.log(c);
  }
  std::free(buf);
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
  return res;
}

}  // namespace telsim
