#include "core/call_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <unordered_map>

#include "core/error.h"
#include "core/phone.h"

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
    while (n.step()) ids.emplace(n.text(1), n.i64(0));
    sql::Stmt p(db, "SELECT id, name, kind FROM pools");
    while (p.step()) {
      PoolMeta m;
      m.name = p.text(1);
      parse_pool_kind(p.text(2), &m.kind);
      pools.emplace(p.i64(0), std::move(m));
    }
  }
  const std::vector<Span>& spans(int64_t id) {
    auto it = timelines.find(id);
    if (it != timelines.end()) return it->second;
    std::vector<Span> v;
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
    return timelines.emplace(id, std::move(v)).first->second;
  }

  sql::Stmt history, lease;
  std::unordered_map<std::string, int64_t> ids;
  std::unordered_map<int64_t, PoolMeta> pools;
  std::unordered_map<int64_t, std::vector<Span>> timelines;
};

Attributor::Attributor(PoolDb& db) : impl_(std::make_unique<Impl>(db.db())) {}
Attributor::~Attributor() = default;

int64_t Attributor::number_id(const std::string& e164) {
  auto it = impl_->ids.find(e164);
  return it == impl_->ids.end() ? 0 : it->second;
}

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
  if (s.state == NumberState::kQuarantine) {
    a.reason = kReasonQuarantine;
    if (impl_->pools.count(s.pool_id)) a.pool = impl_->pools[s.pool_id].name;
    return a;
  }
  if (s.state != NumberState::kAllocated || !impl_->pools.count(s.pool_id)) {
    a.reason = kReasonNotInPool;
    return a;
  }
  const PoolMeta& pool = impl_->pools[s.pool_id];
  a.pool = pool.name;
  *pool_id = s.pool_id;
  if (s.overflow) {
    a.reason = kReasonOverflow;
    return a;
  }
  if (pool.kind == PoolKind::kStatic) {
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

CallLog::CallLog(PoolDb& db)
    : db_(db),
      tx_(db.db()),
      attributor_(db),
      insert_(db.db(),
              "INSERT INTO calls(at, caller, number_id, duration, disposition, attribution, pool_id, lease_id, source, "
              "medium, campaign, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

CallLog::~CallLog() = default;

bool CallLog::owns(const std::string& e164) { return attributor_.number_id(e164) != 0; }

Attribution CallLog::log(const Call& c) {
  int64_t id = attributor_.number_id(c.called);
  if (!id)
    throw InputError(fmt::format("called number {} is not a number of this operator (add it with `telsim number add`)",
                                 c.called.empty() ? "(empty)" : c.called));
  if (c.duration < 0) throw InputError(fmt::format("duration {} is negative", c.duration));
  int64_t pool_id = 0;
  Attribution a = attributor_.attribute(id, c.at, &pool_id);
  insert_.bind(1, c.at).bind(2, c.caller).bind(3, id).bind(4, c.duration).bind(5, c.disposition);
  insert_.bind(6, to_string(a.kind));
  if (pool_id) insert_.bind(7, pool_id);
  else insert_.bind_null(7);
  if (a.lease_id) insert_.bind(8, a.lease_id);
  else insert_.bind_null(8);
  insert_.bind_opt(9, a.channel.source).bind_opt(10, a.channel.medium).bind_opt(11, a.channel.campaign);
  insert_.bind_opt(12, a.reason);
  insert_.run();
  ++logged_;
  return a;
}

void CallLog::commit() { tx_.commit(); }

// --- CSV import ----------------------------------------------------------------

namespace {

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines). False when
/// a quote is left open.
bool split_csv(std::string_view line, std::vector<std::string>* out) {
  out->clear();
  std::string field;
  size_t i = 0;
  bool quoted = false, was_quoted = false;
  while (i <= line.size()) {
    if (quoted) {
      if (i == line.size()) return false;
      char c = line[i++];
      if (c == '"') {
        if (i < line.size() && line[i] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (i == line.size() || line[i] == ',') {
      out->push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++i;
      continue;
    }
    char c = line[i++];
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else {
      field += c;
    }
  }
  return true;
}

std::string trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\r");
  size_t b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

const char* const kColumns[] = {"time", "caller", "called", "duration", "disposition"};
const char* const kDispositions[] = {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"};

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
  std::vector<std::string> fields;
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
    if (line_no == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.empty()) continue;
    if (!split_csv(line, &fields)) {
      if (ncols == 0) {
        std::free(buf);
        throw InputError(fmt::format("{}:{}: header has an unclosed quote", path, line_no));
      }
      problem("unclosed quote");
      continue;
    }
    if (ncols == 0) {  // the header
      ncols = fields.size();
      for (size_t i = 0; i < fields.size(); ++i)
        for (int k = 0; k < 5; ++k)
          if (trim(fields[i]) == kColumns[k]) col[k] = static_cast<int>(i);
      for (int k = 0; k < 5; ++k)
        if (col[k] < 0) {
          std::free(buf);
          throw InputError(fmt::format(
              "{}:{}: header has no column '{}' (expected: time,caller,called,duration,disposition)", path, line_no,
              kColumns[k]));
        }
      continue;
    }
    if (fields.size() != ncols) {
      problem(fmt::format("{} fields, the header has {}", fields.size(), ncols));
      continue;
    }
    Call c;
    std::string t = trim(fields[col[0]]);
    if (!parse_time(t, &c.at)) {
      problem(fmt::format("time '{}' is not YYYY-MM-DD HH:MM:SS", t));
      continue;
    }
    std::string called = trim(fields[col[2]]);
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
    std::string d = trim(fields[col[3]]);
    auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), c.duration);
    if (d.empty() || ec != std::errc() || ptr != d.data() + d.size() || c.duration < 0) {
      problem(fmt::format("duration '{}' is not a whole number of seconds", d));
      continue;
    }
    c.disposition = trim(fields[col[4]]);
    for (auto& ch : c.disposition) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (std::find_if(std::begin(kDispositions), std::end(kDispositions),
                     [&](const char* k) { return c.disposition == k; }) == std::end(kDispositions)) {
      problem(fmt::format("disposition '{}' is not one of ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION",
                          fields[col[4]]));
      continue;
    }
    std::string caller = trim(fields[col[1]]);
    PhoneNumber cp = phones.normalise(caller);
    c.caller = cp.kind == PhoneNumber::Kind::kInvalid ? caller : cp.text;
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
