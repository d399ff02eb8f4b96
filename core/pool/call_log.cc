#include "core/pool/call_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <unordered_map>

#include "core/base/csv.h"
#include "core/base/disposition.h"
#include "core/base/error.h"
#include "core/base/text.h"
#include "core/base/timestamp.h"
#include "core/phone/phone.h"

namespace telsim {

// --- attribution -------------------------------------------------------------

namespace {
/// What a number was from `from` on (until the next span).
struct Span {
  UnixTime from = 0;
  NumberState state = NumberState::kAvailable;
  int64_t pool_id = 0;
  Channel channel;
  bool overflow = false;
};
struct PoolMeta {
  std::string name;
  PoolKind kind = PoolKind::kDynamic;
};
}  // namespace

/// E.164 text to a 64-bit key (digits and length), 0 when not "+digits".
uint64_t e164_key(std::string_view e164) {
  if (e164.size() < 2 || e164.size() > 16 || e164[0] != '+') return 0;
  uint64_t v = 0;
  for (size_t i = 1; i < e164.size(); ++i) {
    char c = e164[i];
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v * 16 + e164.size();
}

/// Number key -> id, open addressing: one cache miss per lookup, which is
/// what a million-call import pays per row.
class NumberIndex {
 public:
  void build(const std::vector<std::pair<uint64_t, int64_t>>& entries) {
    size_t cap = 16;
    while (cap < entries.size() * 2) cap *= 2;
    mask_ = cap - 1;
    slots_.assign(cap, {0, 0});
    for (auto& [k, v] : entries) {
      size_t i = slot(k);
      while (slots_[i].first != 0 && slots_[i].first != k) i = (i + 1) & mask_;
      slots_[i] = {k, v};
    }
  }
  int64_t find(uint64_t k) const {
    if (k == 0) return 0;
    for (size_t i = slot(k);; i = (i + 1) & mask_) {
      if (slots_[i].first == k) return slots_[i].second;
      if (slots_[i].first == 0) return 0;
    }
  }

 private:
  size_t slot(uint64_t k) const { return static_cast<size_t>((k * 0x9E3779B97F4A7C15ull) >> 20) & mask_; }
  std::vector<std::pair<uint64_t, int64_t>> slots_;
  size_t mask_ = 0;
};

struct Attributor::Impl {
  explicit Impl(sql::Db& db)
      : history(db,
                "SELECT at, to_state, pool_id, source, medium, campaign, overflow FROM history WHERE number_id = ? "
                "ORDER BY at, id"),
        lease(db,
              "SELECT id, session, source, medium, campaign FROM leases WHERE number_id = ?1 AND started_at <= ?2 "
              "AND expires_at > ?2 ORDER BY started_at DESC, id DESC LIMIT 1") {
    // Numbers and pools are few (100k) next to calls (millions): hold them in memory.
    sql::Stmt n(db, "SELECT id, e164 FROM numbers");
    std::vector<std::pair<uint64_t, int64_t>> entries;
    int64_t max_id = 0;
    while (n.step()) {
      entries.emplace_back(e164_key(n.text(1)), n.i64(0));
      max_id = std::max(max_id, n.i64(0));
    }
    ids.build(entries);
    timelines.resize(static_cast<size_t>(max_id) + 1);
    loaded.resize(static_cast<size_t>(max_id) + 1, false);
    sql::Stmt p(db, "SELECT id, name, kind FROM pools");
    while (p.step()) {
      PoolMeta m;
      m.name = p.text(1);
      parse_pool_kind(p.text(2), &m.kind);
      pools.emplace(p.i64(0), std::move(m));
    }
  }
  // The state history of a number, read once per batch.
  const std::vector<Span>& spans(int64_t id) {
    size_t i = static_cast<size_t>(id);
    if (loaded[i]) return timelines[i];
    std::vector<Span>& v = timelines[i];
    history.bind(1, id);
    while (history.step()) {
      Span s;
      s.from = history.i64(0);
      parse_state(history.text(1), &s.state);
      s.pool_id = history.is_null(2) ? 0 : history.i64(2);
      s.channel = {history.text(3), history.text(4), history.text(5)};
      s.overflow = history.i64(6) != 0;
      v.push_back(std::move(s));
    }
    history.reset();
    loaded[i] = true;
    return v;
  }
  const PoolMeta* pool(int64_t id) const {
    auto it = pools.find(id);
    return it == pools.end() ? nullptr : &it->second;
  }

  sql::Stmt history, lease;
  NumberIndex ids;
  std::unordered_map<int64_t, PoolMeta> pools;
  std::vector<std::vector<Span>> timelines;  // by number id
  std::vector<bool> loaded;
};

Attributor::Attributor(PoolDb& db) : impl_(std::make_unique<Impl>(db.db())) {}
Attributor::~Attributor() = default;

int64_t Attributor::number_id(const std::string& e164) { return impl_->ids.find(e164_key(e164)); }

Attribution Attributor::attribute(int64_t number_id, UnixTime at, int64_t* pool_id) {
  Attribution a;
  *pool_id = 0;
  // The number's state when the call came, not now: imports replay the past.
  const auto& spans = impl_->spans(number_id);
  auto it = std::upper_bound(spans.begin(), spans.end(), at, [](UnixTime t, const Span& s) { return t < s.from; });
  if (it == spans.begin()) {
    a.reason = kReasonNotInPool;  // before the operator had the number
    return a;
  }
  const Span& s = *(it - 1);
  const PoolMeta* pool = impl_->pool(s.pool_id);
  if (s.state == NumberState::kQuarantine) {
    a.reason = kReasonQuarantine;
    if (pool) a.pool = pool->name;
    return a;
  }
  if (s.state != NumberState::kAllocated || !pool) {
    a.reason = kReasonNotInPool;
    return a;
  }
  a.pool = pool->name;
  *pool_id = s.pool_id;
  if (s.overflow) {
    a.reason = kReasonOverflow;
    return a;
  }
  if (pool->kind == PoolKind::kStatic) {
    a.kind = Attribution::Kind::kStatic;
    a.channel = s.channel;
    return a;
  }
  sql::Stmt& l = impl_->lease;
  l.bind(1, number_id).bind(2, at);
  if (l.step()) {
    a.kind = Attribution::Kind::kSession;
    a.lease_id = l.i64(0);
    a.session = l.text(1);
    a.channel = {l.text(2), l.text(3), l.text(4)};
  } else {
    a.reason = kReasonNoLease;
  }
  l.reset();
  return a;
}

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

CallLog::CallLog(PoolDb& db)
    : db_(db),
      fk_off_(db.db()),
      tx_(db.db()),
      attributor_(db),
      insert_(db.db(), insert_sql(1).c_str()),
      insert_batch_(db.db(), insert_sql(kBatchRows).c_str()) {
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
    for (size_t i = 0; i < pending_.size(); ++i)
      bind_row(insert_batch_, static_cast<int>(i) * kColumnsPerRow, pending_[i]);
    insert_batch_.run();
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

ImportResult import_calls_csv(PoolDb& db, const std::string& path, const std::string& region, bool skip_bad) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(fmt::format("{}: cannot open", path));
  std::unique_ptr<FILE, int (*)(FILE*)> closer(f, std::fclose);
  PhoneNormaliser phones(region);
  ImportResult res;
  CallLog log(db);

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
      problem(fmt::format("time '{}' is not YYYY-MM-DD HH:MM:SS", t));
      continue;
    }
    std::string_view called = trim(fields[col[2]]);
    PhoneNumber pn = phones.normalise(called);
    if (!pn.ok()) {
      problem(fmt::format("called number '{}' is not a full phone number", called));
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
      problem(fmt::format("duration '{}' is not a whole number of seconds", d));
      continue;
    }
    c.disposition.assign(trim(fields[col[4]]));
    for (auto& ch : c.disposition) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    Outcome outcome;
    if (!parse_disposition(c.disposition, &outcome)) {
      problem(fmt::format("disposition '{}' is not one of {}", fields[col[4]], disposition_words()));
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
    std::string msg = fmt::format("{}: {} bad row{}; nothing was imported (--skip-bad imports the good rows)", path,
                                  res.skipped, res.skipped == 1 ? "" : "s");
    for (auto& p : res.problems) msg += "\n  " + p;
    if (res.skipped > static_cast<int64_t>(res.problems.size()))
      msg += fmt::format("\n  ... and {} more", res.skipped - static_cast<int64_t>(res.problems.size()));
    throw InputError(msg);
  }
  log.commit();
  res.imported = log.logged();
  return res;
}

}  // namespace telsim
