#include "core/pool/pool_db.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/pool/attribution.h"
#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/text.h"

namespace telsim {

namespace {

NumberState state_of(const std::string& s) {
  NumberState st;
  if (!parse_state(s, &st)) throw std::runtime_error("database holds an unknown number state: " + s);
  return st;
}

Channel channel_at(const sql::Stmt& st, int col) { return {st.text(col), st.text(col + 1), st.text(col + 2)}; }

// Text the database keeps and every output prints (JSON must be UTF-8): a
// name in another encoding (a cp1251 session id) is refused before anything
// is written, not stored to break every later `--format json`.
void require_utf8(const std::string& text, const char* what) {
  if (std::string e = not_utf8(what, text); !e.empty()) throw InputError(e);
}

// The second mention of a number would read as an illegal move ("is in
// state allocated: cannot allocate it"): say what it is.
void check_listed_once(const std::vector<std::string>& numbers) {
  std::unordered_set<std::string> seen;
  for (const auto& n : numbers)
    if (!seen.insert(n).second) throw InputError(fmt::format("number {} is listed twice", n));
}

InputError not_created_yet(const std::string& pool, UnixTime at, UnixTime created) {
  return InputError(fmt::format("pool {} did not exist yet at {}: it was created at {}", pool, format_time(at),
                                format_time(created)));
}

void require_utf8(const Channel& ch) {
  require_utf8(ch.source, "source");
  require_utf8(ch.medium, "medium");
  require_utf8(ch.campaign, "campaign");
}

}  // namespace

struct PoolDb::PoolRow {
  int64_t id = 0;
  std::string name;
  PoolKind kind = PoolKind::kDynamic;
  int64_t hold_seconds = 0;
  UnixTime created = 0;
};

struct PoolDb::NumberRow {
  int64_t id = 0;
  std::string e164;
  NumberState state = NumberState::kAvailable;
  int64_t pool_id = 0;
  UnixTime since = 0;
};

// The statements of the lease hot path, prepared once per connection.
struct PoolDb::LeaseStmts {
  explicit LeaseStmts(sql::Db& db)
      : live(db,
             "SELECT l.id, l.number_id, n.e164, l.started_at, l.expires_at FROM leases l "
             "LEFT JOIN numbers n ON n.id = l.number_id "
             "WHERE l.pool_id = ? AND l.session = ? ORDER BY l.started_at DESC, l.id DESC LIMIT 1"),
        latest(db, "SELECT expires_at FROM leases WHERE number_id = ? ORDER BY started_at DESC, id DESC LIMIT 1"),
        later(db,
              "SELECT session, started_at FROM leases WHERE number_id = ?1 AND id != ?2 AND started_at >= ?3 "
              "AND started_at < ?4 ORDER BY started_at, id LIMIT 1"),
        extend(db, "UPDATE leases SET last_activity = MAX(last_activity, ?2), expires_at = MAX(expires_at, ?3) WHERE id = ?1"),
        number_until(db, "UPDATE numbers SET lease_until = MAX(lease_until, ?2) WHERE id = ?1"),
        // A number allocated after `at` was not in the pool then (an
        // out-of-order --at): it is not free at `at`.
        free(db,
             "SELECT id, e164 FROM numbers WHERE pool_id = ?1 AND state = 'allocated' AND overflow = 0 "
             "AND lease_until <= ?2 AND state_since <= ?2 ORDER BY lease_until, id LIMIT 1"),
        insert(db,
               "INSERT INTO leases(pool_id, session, number_id, source, medium, campaign, started_at, last_activity, "
               "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        overflow(db,
                 "SELECT e164 FROM numbers WHERE pool_id = ?1 AND state = 'allocated' AND overflow = 1 "
                 "AND state_since <= ?2"),
        pool(db, "SELECT id, kind, hold_seconds, created_at FROM pools WHERE name = ?"),
        begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT") {}
  sql::Stmt live, latest, later, extend, number_until, free, insert, overflow, pool, begin, commit;
};

PoolDb::PoolDb(PoolStore& store) : store_(store), db_(store.sql()) {}
PoolDb::~PoolDb() = default;

std::unique_ptr<PoolDb> PoolDb::open(const std::string& path, PoolAccess access) {
  auto store = PoolStore::open(path, access);
  auto db = std::make_unique<PoolDb>(*store);
  db->owned_ = std::move(store);
  return db;
}

int PoolDb::schema_version() { return store_.schema_version(); }

// --- numbers ---------------------------------------------------------------

int64_t PoolDb::add_numbers(const std::vector<std::string>& e164, UnixTime at) {
  sql::Transaction tx(db_);
  sql::Stmt exists(db_, "SELECT state FROM numbers WHERE e164 = ?");
  sql::Stmt ins(db_, "INSERT INTO numbers(e164, state, state_since, added_at) VALUES (?, 'available', ?, ?)");
  sql::Stmt hist(db_,
                 "INSERT INTO history(number_id, at, from_state, to_state, reason) VALUES (?, ?, NULL, 'available', "
                 "'added')");
  check_listed_once(e164);
  for (const auto& n : e164) {
    exists.bind(1, n);
    if (exists.step()) {
      std::string st = exists.text(0);
      exists.reset();
      throw InputError(fmt::format("number {} is already in the database ({}); nothing was added", n, st));
    }
    exists.reset();
    ins.bind(1, n).bind(2, at).bind(3, at).run();
    hist.bind(1, db_.last_id()).bind(2, at).run();
  }
  tx.commit();
  return static_cast<int64_t>(e164.size());
}

// A number read from the columns n.e164, n.state, p.name, n.source,
// n.medium, n.campaign, n.overflow, n.state_since, n.added_at (from column 0).
static NumberInfo number_info_at(const sql::Stmt& st) {
  NumberInfo n;
  n.e164 = st.text(0);
  n.state = state_of(st.text(1));
  n.pool = st.text(2);
  n.channel = channel_at(st, 3);
  n.overflow = st.i64(6) != 0;
  n.since = st.i64(7);
  n.added = st.i64(8);
  return n;
}

std::vector<NumberInfo> PoolDb::numbers(const std::string& state, const std::string& pool) {
  if (!state.empty()) {
    NumberState s;
    if (!parse_state(state, &s))
      throw InputError(
          fmt::format("{}: not a number state (available, allocated, quarantine, blocked, retired)", cut_field(state)),
          Topic::kNumberState);
  }
  int64_t pool_id = pool.empty() ? 0 : find_pool(pool).id;
  sql::Stmt st(db_,
               "SELECT n.e164, n.state, p.name, n.source, n.medium, n.campaign, n.overflow, n.state_since, n.added_at "
               "FROM numbers n LEFT JOIN pools p ON p.id = n.pool_id "
               "WHERE (?1 = '' OR n.state = ?1) AND (?2 = 0 OR n.pool_id = ?2) ORDER BY n.e164");
  st.bind(1, state).bind(2, pool_id);
  std::vector<NumberInfo> out;
  while (st.step()) {
    out.push_back(number_info_at(st));
  }
  return out;
}

PoolDb::NumberRow PoolDb::find_number(const std::string& e164) {
  sql::Stmt st(db_, "SELECT id, state, pool_id, state_since FROM numbers WHERE e164 = ?");
  st.bind(1, e164);
  if (!st.step())
    throw InputError(fmt::format("number {} is not in the database (add it with `telsim number add`)", e164));
  return {st.i64(0), e164, state_of(st.text(1)), st.is_null(2) ? 0 : st.i64(2), st.i64(3)};
}

NumberInfo PoolDb::number(const std::string& e164) {
  NumberRow row = find_number(e164);
  sql::Stmt st(db_,
               "SELECT n.e164, n.state, p.name, n.source, n.medium, n.campaign, n.overflow, n.state_since, n.added_at, "
               "(SELECT count(*) FROM leases l WHERE l.number_id = n.id), "
               "(SELECT count(*) FROM calls c WHERE c.number_id = n.id) "
               "FROM numbers n LEFT JOIN pools p ON p.id = n.pool_id WHERE n.id = ?");
  st.bind(1, row.id);
  st.step();
  NumberInfo n = number_info_at(st);
  n.leases = st.i64(9);
  n.calls = st.i64(10);
  return n;
}

std::vector<HistoryEntry> PoolDb::history(const std::string& e164) {
  NumberRow row = find_number(e164);
  sql::Stmt st(db_,
               "SELECT h.at, h.from_state, h.to_state, p.name, h.reason FROM history h "
               "LEFT JOIN pools p ON p.id = h.pool_id WHERE h.number_id = ? ORDER BY h.at, h.id");
  st.bind(1, row.id);
  std::vector<HistoryEntry> out;
  while (st.step()) out.push_back({st.i64(0), st.text(1), st.text(2), st.text(3), st.text(4)});
  return out;
}

void PoolDb::transition(const NumberRow& n, Move move, int64_t pool_id, const Channel& ch, bool overflow, UnixTime at,
                        const std::string& reason) {
  check_move(n.e164, n.state, move);
  // The history is a timeline that attribution replays: it only grows forward.
  if (at < n.since)
    throw InputError(fmt::format("number {} became {} at {}, after {}: state changes must be in time order", n.e164,
                                 to_string(n.state), format_time(n.since), format_time(at)));
  NumberState to = target(move);
  // A number that leaves a pool takes no more visitors: its live leases end now.
  if (n.state == NumberState::kAllocated) {
    // ... which cannot be before a lease of it started (it would end before
    // it began, and the calls of that visitor would find no pool).
    sql::Stmt later(db_,
                    "SELECT session, started_at FROM leases WHERE number_id = ?1 AND started_at > ?2 "
                    "ORDER BY started_at, id LIMIT 1");
    later.bind(1, n.id).bind(2, at);
    if (later.step())
      throw InputError(fmt::format("number {} was leased to session {} at {}, after {}: state changes must be in time "
                                   "order",
                                   n.e164, quote_field(later.text(0)), format_time(later.i64(1)), format_time(at)));
    sql::Stmt end(db_, "UPDATE leases SET expires_at = ?2 WHERE number_id = ?1 AND expires_at > ?2");
    end.bind(1, n.id).bind(2, at).run();
  }
  // Quarantine remembers the pool that gave the number back; other states
  // outside a pool forget it.
  int64_t keep_pool = to == NumberState::kAllocated ? pool_id : to == NumberState::kQuarantine ? n.pool_id : 0;
  sql::Stmt upd(db_,
                "UPDATE numbers SET state = ?2, pool_id = ?3, source = ?4, medium = ?5, campaign = ?6, overflow = ?7, "
                "lease_until = 0, state_since = ?8 WHERE id = ?1");
  upd.bind(1, n.id).bind(2, to_string(to));
  if (keep_pool) upd.bind(3, keep_pool);
  else upd.bind_null(3);
  upd.bind_opt(4, ch.source).bind_opt(5, ch.medium).bind_opt(6, ch.campaign).bind(7, overflow ? 1 : 0).bind(8, at);
  upd.run();
  sql::Stmt hist(db_,
                 "INSERT INTO history(number_id, at, from_state, to_state, pool_id, source, medium, campaign, overflow, "
                 "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  hist.bind(1, n.id).bind(2, at).bind(3, to_string(n.state)).bind(4, to_string(to));
  int64_t hist_pool = pool_id ? pool_id : n.pool_id;
  if (hist_pool) hist.bind(5, hist_pool);
  else hist.bind_null(5);
  hist.bind_opt(6, ch.source).bind_opt(7, ch.medium).bind_opt(8, ch.campaign).bind(9, overflow ? 1 : 0);
  hist.bind(10, reason);
  hist.run();
}

void PoolDb::move_by_hand(const std::string& e164, Move move, UnixTime at, const std::string& reason) {
  sql::Transaction tx(db_);
  NumberRow n = find_number(e164);
  if (n.state == NumberState::kAllocated) {
    sql::Stmt st(db_, "SELECT overflow FROM numbers WHERE id = ?");
    st.bind(1, n.id);
    if (st.step() && st.i64(0) != 0)
      throw InputError(fmt::format(
          "number {} is the overflow number of its pool: give it back with `telsim pool return` first", e164));
  }
  require_utf8(reason, "reason");
  transition(n, move, 0, {}, false, at, reason.empty() ? (move == Move::kBlock ? "blocked" : "retired") : reason);
  tx.commit();
}

// --- pools -----------------------------------------------------------------

PoolDb::PoolRow PoolDb::find_pool(const std::string& name) {
  sql::Stmt st(db_, "SELECT id, kind, hold_seconds, created_at FROM pools WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) throw InputError(fmt::format("pool {} does not exist (see `telsim pool list`)", quote_field(name)));
  PoolRow p;
  p.id = st.i64(0);
  p.name = name;
  parse_pool_kind(st.text(1), &p.kind);
  p.hold_seconds = st.i64(2);
  p.created = st.i64(3);
  return p;
}

void PoolDb::create_pool(const PoolSpec& spec, UnixTime at) {
  if (spec.name.empty()) throw InputError("pool name must not be empty");
  require_utf8(spec.name, "pool name");
  require_utf8(spec.client, "client");
  if (spec.hold_seconds <= 0) throw InputError("a pool's hold time must be positive", Topic::kHoldTime);
  if (!spec.overflow_number.empty() && spec.kind != PoolKind::kDynamic)
    throw InputError("only dynamic pools have an overflow number", Topic::kOverflowNumber);
  sql::Transaction tx(db_);
  {
    sql::Stmt st(db_, "SELECT 1 FROM pools WHERE name = ?");
    st.bind(1, spec.name);
    if (st.step()) throw InputError(fmt::format("pool {} already exists", quote_field(spec.name)));
  }
  sql::Stmt ins(db_, "INSERT INTO pools(name, client, kind, hold_seconds, created_at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, spec.name).bind(2, spec.client).bind(3, to_string(spec.kind)).bind(4, spec.hold_seconds).bind(5, at);
  ins.run();
  int64_t id = db_.last_id();
  if (!spec.overflow_number.empty())
    transition(find_number(spec.overflow_number), Move::kAllocate, id, {}, true, at,
               fmt::format("overflow number of pool {}", spec.name));
  tx.commit();
}

// Each number's last state change at or before ?1, from the history: what
// `pool list|show|report --at` read, so that a past date reads as it was. One
// index lookup per number (history_number): a window over the whole history
// took six times as long on 100,000 numbers.
static const char* const kStatesAsOf =
    "SELECT n.id AS number_id, h.to_state, h.pool_id, h.overflow, h.at, h.source, h.medium, h.campaign "
    "FROM numbers n JOIN history h ON h.id = (SELECT id FROM history WHERE number_id = n.id AND at <= ?1 "
    "ORDER BY at DESC, id DESC LIMIT 1)";
// The same when no number changed after ?1 (the usual `--at`, now): the
// numbers table holds each number's last change, as history does (a change
// dated before the last one is refused), at a tenth of the cost.
static const char* const kStatesNow =
    "SELECT id AS number_id, state AS to_state, pool_id, overflow, state_since AS at, source, medium, campaign "
    "FROM numbers";

const char* PoolDb::states_as_of(UnixTime at) {
  sql::Stmt st(db_, "SELECT coalesce(max(state_since), 0) FROM numbers");
  st.step();
  return st.i64(0) <= at ? kStatesNow : kStatesAsOf;
}

std::vector<PoolInfo> PoolDb::pools(UnixTime at) {
  // Leases that started by `at`: live then, with a number, without one.
  const char* kLeases =
      "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NOT NULL "
      "   AND l.started_at <= ?1 AND l.expires_at > ?1), "
      "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NOT NULL AND l.started_at <= ?1), "
      "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NULL AND l.started_at <= ?1) ";
  // Numbers held: counted per pool on the numbers table's indexes while
  // nothing changed after `at` (states_as_of), else from each number's state
  // then, gathered once.
  const std::string q =
      states_as_of(at) == kStatesNow
          ? std::string("SELECT p.name, p.client, p.kind, p.hold_seconds, p.created_at, "
                        "(SELECT e164 FROM numbers n WHERE n.pool_id = p.id AND n.state = 'allocated' AND n.overflow = 1), "
                        "(SELECT count(*) FROM numbers n WHERE n.pool_id = p.id AND n.state = 'allocated' AND n.overflow = 0), ") +
                kLeases + "FROM pools p WHERE p.created_at <= ?1 ORDER BY p.name"
          : std::string("WITH asof AS MATERIALIZED (") + kStatesAsOf +
                "), held AS (SELECT pool_id, sum(overflow = 0) AS numbers, max(CASE WHEN overflow = 1 THEN number_id END) "
                "AS overflow_id FROM asof WHERE to_state = 'allocated' GROUP BY pool_id) "
                "SELECT p.name, p.client, p.kind, p.hold_seconds, p.created_at, "
                "(SELECT e164 FROM numbers WHERE id = held.overflow_id), coalesce(held.numbers, 0), " +
                kLeases + "FROM pools p LEFT JOIN held ON held.pool_id = p.id WHERE p.created_at <= ?1 ORDER BY p.name";
  sql::Stmt st(db_, q.c_str());
  st.bind(1, at);
  std::vector<PoolInfo> out;
  while (st.step()) {
    PoolInfo p;
    p.spec.name = st.text(0);
    p.spec.client = st.text(1);
    parse_pool_kind(st.text(2), &p.spec.kind);
    p.spec.hold_seconds = st.i64(3);
    p.created = st.i64(4);
    p.spec.overflow_number = st.text(5);
    p.numbers = st.i64(6);
    p.live_leases = st.i64(7);
    p.leases = st.i64(8);
    p.overflows = st.i64(9);
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<UnixTime> PoolDb::session_activity(const std::string& pool, const std::string& session) {
  sql::Stmt st(db_,
               "SELECT max(l.last_activity) FROM leases l JOIN pools p ON p.id = l.pool_id "
               "WHERE p.name = ?1 AND l.session = ?2");
  st.bind(1, pool).bind(2, session);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.i64(0);
}

PoolInfo PoolDb::pool(const std::string& name, UnixTime at) {
  PoolRow row = find_pool(name);
  for (auto& p : pools(at))
    if (p.spec.name == name) return p;
  throw not_created_yet(name, at, row.created);
}

std::vector<NumberInfo> PoolDb::members(const std::string& pool, UnixTime at) {
  PoolRow p = find_pool(pool);
  const std::string q = std::string("WITH asof AS (") + states_as_of(at) +
                        ") SELECT n.e164, a.to_state, ?2, a.source, a.medium, a.campaign, a.overflow, a.at, n.added_at "
                        "FROM asof a JOIN numbers n ON n.id = a.number_id "
                        "WHERE a.pool_id = ?3 AND a.to_state = 'allocated' ORDER BY n.e164";
  sql::Stmt st(db_, q.c_str());
  st.bind(1, at).bind(2, pool).bind(3, p.id);
  std::vector<NumberInfo> out;
  while (st.step()) out.push_back(number_info_at(st));
  return out;
}

std::vector<std::string> PoolDb::allocate(const std::string& pool, const std::vector<std::string>& e164, int64_t count,
                                          const Channel& channel, UnixTime at) {
  require_utf8(channel);
  sql::Transaction tx(db_);
  PoolRow p = find_pool(pool);
  if (at < p.created) throw not_created_yet(pool, at, p.created);
  if (p.kind == PoolKind::kDynamic && !channel.empty())
    throw InputError(
        fmt::format("pool {} is dynamic: its numbers take the channel of each visitor session, not a fixed one", pool),
        Topic::kFixedChannel);
  std::vector<std::string> picked = e164;
  if (picked.empty()) {
    if (count <= 0) throw InputError("say which numbers to allocate or how many", Topic::kWhichNumbers);
    sql::Stmt st(db_, "SELECT e164 FROM numbers WHERE state = 'available' ORDER BY e164 LIMIT ?");
    st.bind(1, count);
    while (st.step()) picked.push_back(st.text(0));
    if (static_cast<int64_t>(picked.size()) < count)
      throw InputError(
          fmt::format("{}: only {} numbers are available; nothing was allocated", count, picked.size()), Topic::kCount);
  }
  check_listed_once(picked);
  std::string reason = fmt::format("allocated to pool {}", pool);
  for (const auto& n : picked) transition(find_number(n), Move::kAllocate, p.id, channel, false, at, reason);
  tx.commit();
  return picked;
}

std::vector<std::string> PoolDb::give_back(const std::string& pool, const std::vector<std::string>& e164, UnixTime at,
                                           const std::string& reason) {
  require_utf8(reason, "reason");
  sql::Transaction tx(db_);
  PoolRow p = find_pool(pool);
  std::vector<std::string> picked = e164;
  if (picked.empty()) {
    sql::Stmt st(db_, "SELECT e164 FROM numbers WHERE pool_id = ? AND state = 'allocated' ORDER BY e164");
    st.bind(1, p.id);
    while (st.step()) picked.push_back(st.text(0));
  }
  check_listed_once(picked);
  for (const auto& e : picked) {
    NumberRow n = find_number(e);
    if (n.state == NumberState::kAllocated && n.pool_id != p.id)
      throw InputError(fmt::format("number {} is allocated to another pool, not to {}", e, pool));
    transition(n, Move::kReturn, 0, {}, false, at,
               reason.empty() ? fmt::format("given back by pool {}", pool) : reason);
  }
  tx.commit();
  return picked;
}

LeaseResult PoolDb::lease(const std::string& pool, const std::string& session, const Channel& channel, UnixTime at) {
  if (!lease_) lease_ = std::make_unique<LeaseStmts>(db_);
  sql::Transaction tx(db_, &lease_->begin, &lease_->commit);
  LeaseResult r = lease_locked({pool, session, channel, at});
  tx.commit();
  return r;
}

std::vector<LeaseResult> PoolDb::lease_many(const std::vector<LeaseRequest>& requests) {
  if (!lease_) lease_ = std::make_unique<LeaseStmts>(db_);
  sql::Transaction tx(db_, &lease_->begin, &lease_->commit);
  std::vector<LeaseResult> out;
  out.reserve(requests.size());
  for (const auto& q : requests) out.push_back(lease_locked(q));
  tx.commit();
  return out;
}

LeaseResult PoolDb::lease_locked(const LeaseRequest& q) {
  const std::string& pool = q.pool;
  const std::string& session = q.session;
  const Channel& channel = q.channel;
  UnixTime at = q.at;
  if (session.empty()) throw InputError("a session id must not be empty", Topic::kSession);
  require_utf8(session, "session");
  require_utf8(channel);
  LeaseStmts& s = *lease_;
  s.pool.bind(1, pool);
  if (!s.pool.step()) {
    s.pool.reset();
    find_pool(pool);  // throws the usual message
  }
  PoolRow p;
  p.id = s.pool.i64(0);
  parse_pool_kind(s.pool.text(1), &p.kind);
  p.hold_seconds = s.pool.i64(2);
  p.created = s.pool.i64(3);
  s.pool.reset();
  if (p.kind != PoolKind::kDynamic)
    throw InputError(fmt::format("pool {} is static: its numbers are bound to channels, not leased", pool));
  if (at < p.created) throw not_created_yet(pool, at, p.created);
  LeaseResult r;
  UnixTime expires = lease_expiry(at, p.hold_seconds);

  // Renewing touches only the lease row: neither index on leases holds
  // expires_at, and numbers.lease_until is brought up to date lazily, when
  // the number is next considered free (below). Two of three requests of a
  // visitor are renewals, so this halves the pages a lease writes.
  s.live.bind(1, p.id).bind(2, session);
  if (s.live.step() && s.live.i64(4) > at) {
    if (s.live.i64(3) > at) {
      UnixTime started = s.live.i64(3);
      s.live.reset();
      throw InputError(fmt::format("session {} has a lease that started at {}, after {}: leases must be in time order",
                                   quote_field(session), format_time(started), format_time(at)));
    }
    // A returning visitor keeps the number shown before (or the overflow).
    int64_t lease_id = s.live.i64(0);
    bool overflow = s.live.is_null(1);
    r.number = s.live.text(2);
    r.started = s.live.i64(3);
    r.expires = std::max(expires, s.live.i64(4));
    int64_t number_id = overflow ? 0 : s.live.i64(1);
    s.live.reset();
    // A renewal dated before another session's lease of the number (an
    // out-of-order --at) would make the number live for both: refuse it.
    if (number_id) {
      s.later.bind(1, number_id).bind(2, lease_id).bind(3, r.started).bind(4, r.expires);
      if (s.later.step()) {
        std::string other = s.later.text(0);
        UnixTime since = s.later.i64(1);
        s.later.reset();
        throw InputError(fmt::format(
            "session {} cannot renew its lease of {} at {}: session {} has held the number since {} (leases of a "
            "number must be in time order)",
            quote_field(session), r.number, format_time(at), quote_field(other), format_time(since)));
      }
      s.later.reset();
    }
    s.extend.bind(1, lease_id).bind(2, at).bind(3, expires).run();
    r.renewed = true;
    r.overflow = overflow;
    if (overflow) {
      s.overflow.bind(1, p.id).bind(2, at);
      r.number = s.overflow.step() ? s.overflow.text(0) : "";
      s.overflow.reset();
    }
    return r;
  }
  s.live.reset();

  // The least recently used number whose recorded lease_until has passed;
  // lease_until may lag behind a renewal, so check the number's latest lease
  // and, if it is still live, record its real end and look again.
  int64_t number_id = 0;
  for (;;) {
    s.free.bind(1, p.id).bind(2, at);
    if (!s.free.step()) {
      s.free.reset();
      break;
    }
    int64_t candidate = s.free.i64(0);
    std::string e164 = s.free.text(1);
    s.free.reset();
    s.latest.bind(1, candidate);
    UnixTime busy_until = s.latest.step() ? s.latest.i64(0) : 0;
    s.latest.reset();
    if (busy_until <= at) {
      number_id = candidate;
      r.number = std::move(e164);
      break;
    }
    s.number_until.bind(1, candidate).bind(2, busy_until).run();
  }
  s.insert.bind(1, p.id).bind(2, session);
  if (number_id) s.insert.bind(3, number_id);
  else s.insert.bind_null(3);
  s.insert.bind_opt(4, channel.source).bind_opt(5, channel.medium).bind_opt(6, channel.campaign);
  s.insert.bind(7, at).bind(8, at).bind(9, expires).run();
  if (number_id) {
    s.number_until.bind(1, number_id).bind(2, expires).run();
  } else {
    r.overflow = true;
    s.overflow.bind(1, p.id).bind(2, at);
    r.number = s.overflow.step() ? s.overflow.text(0) : "";
    s.overflow.reset();
  }
  r.started = at;
  r.expires = expires;
  return r;
}

Attribution PoolDb::attribute(const std::string& called, UnixTime at) {
  Attributor a(store_);
  int64_t id = a.number_id(called);
  if (!id) throw InputError(fmt::format("number {} is not a number of this operator (not in the database)", called));
  int64_t pool_id = 0;
  return a.attribute(id, at, &pool_id);
}

// --- quarantine ------------------------------------------------------------

QuarantineRules PoolDb::rules() {
  QuarantineRules r;
  sql::Stmt st(db_, "SELECT key, value FROM settings");
  while (st.step()) {
    std::string k = st.text(0);
    if (k == "min_days") r.min_days = st.i64(1);
    else if (k == "max_calls") r.max_calls = st.i64(1);
    else if (k == "window_days") r.window_days = st.i64(1);
  }
  return r;
}

void PoolDb::set_rules(const QuarantineRules& r) {
  const int64_t most = QuarantineRules::kMaxDays;
  if (r.min_days < 0 || r.min_days > most)
    throw InputError(fmt::format("{}: must be from 0 to {} days", r.min_days, most), Topic::kMinDays);
  if (r.max_calls < 1) throw InputError(fmt::format("{}: must be 1 or more", r.max_calls), Topic::kMaxCalls);
  if (r.window_days < 1 || r.window_days > most)
    throw InputError(fmt::format("{}: must be from 1 to {} days", r.window_days, most), Topic::kWindowDays);
  sql::Transaction tx(db_);
  sql::Stmt st(db_, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)");
  st.bind(1, "min_days").bind(2, r.min_days).run();
  st.bind(1, "max_calls").bind(2, r.max_calls).run();
  st.bind(1, "window_days").bind(2, r.window_days).run();
  tx.commit();
}

std::vector<QuarantineRow> PoolDb::quarantine_rows(UnixTime at, const QuarantineRules& rules) {
  // The numbers in quarantine at `at`, from the history when anything
  // changed since (states_as_of), so a past date reads as it was. One index
  // range count per number (calls_number is (number_id, at)), so the cost
  // follows the calls in the window only.
  const std::string q = std::string("WITH asof AS (") + states_as_of(at) +
                        ") SELECT n.id, n.e164, p.name, a.at FROM asof a JOIN numbers n ON n.id = a.number_id "
                        "LEFT JOIN pools p ON p.id = a.pool_id WHERE a.to_state = 'quarantine' ORDER BY n.e164";
  sql::Stmt st(db_, q.c_str());
  st.bind(1, at);
  sql::Stmt count(db_, "SELECT count(*) FROM calls WHERE number_id = ? AND at > ? AND at <= ?");
  UnixTime from = at - rules.window_days * 86400;
  std::vector<QuarantineRow> out;
  while (st.step()) {
    QuarantineRow r;
    r.number = st.text(1);
    r.pool = st.text(2);
    r.since = st.i64(3);
    count.bind(1, st.i64(0)).bind(2, from).bind(3, at);
    count.step();
    r.calls = count.i64(0);
    count.reset();
    r.days = days_between(r.since, at);
    r.verdict = quarantine_verdict(rules, r.calls, r.since, at);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<QuarantineRow> PoolDb::quarantine_check(UnixTime at) { return quarantine_rows(at, rules()); }

std::vector<QuarantineRow> PoolDb::quarantine_release(UnixTime at, bool apply) {
  if (!apply) return quarantine_check(at);  // a dry run only reads
  sql::Transaction tx(db_);
  QuarantineRules r = rules();
  std::vector<QuarantineRow> rows = quarantine_rows(at, r);
  // The rows are the numbers in quarantine at `at`; a release dated then
  // cannot come after a later change of one of them (released since,
  // blocked since): say so, rather than "cannot release it" from its state now.
  std::vector<std::pair<NumberRow, const QuarantineRow*>> releasable;
  for (auto& row : rows) {
    if (row.verdict.verdict != Verdict::kReleasable) continue;
    NumberRow n = find_number(row.number);
    if (n.state != NumberState::kQuarantine || n.since > at)
      throw InputError(fmt::format("a release dated {} would come before a later change of number {}: it is {} since "
                                   "{} (state changes must be in time order)",
                                   format_time(at), row.number, to_string(n.state), format_time(n.since)));
    releasable.emplace_back(std::move(n), &row);
  }
  for (auto& [n, row] : releasable)
    transition(n, Move::kRelease, 0, {}, false, at, "quarantine release: " + row->verdict.why);
  tx.commit();
  return rows;
}

// --- calls and reports -----------------------------------------------------

std::vector<CallRow> PoolDb::calls(const CallFilter& f) {
  int64_t number_id = f.number.empty() ? 0 : find_number(f.number).id;
  sql::Stmt st(db_,
               "SELECT c.at, c.caller, n.e164, c.duration, c.disposition, c.attribution, p.name, l.session, "
               "c.lease_id, c.source, c.medium, c.campaign, c.reason "
               "FROM calls c JOIN numbers n ON n.id = c.number_id LEFT JOIN pools p ON p.id = c.pool_id "
               "LEFT JOIN leases l ON l.id = c.lease_id "
               "WHERE (?1 = 0 OR c.number_id = ?1) AND c.at >= ?2 AND c.at < ?3 ORDER BY c.at, c.id LIMIT ?4");
  st.bind(1, number_id).bind(2, f.from).bind(3, f.to).bind(4, f.limit);
  std::vector<CallRow> out;
  while (st.step()) {
    CallRow c;
    c.at = st.i64(0);
    c.caller = st.text(1);
    c.called = st.text(2);
    c.duration = st.i64(3);
    c.disposition = st.text(4);
    std::string kind = st.text(5);
    c.attribution.kind = kind == "session"  ? Attribution::Kind::kSession
                         : kind == "static" ? Attribution::Kind::kStatic
                                            : Attribution::Kind::kUnattributed;
    c.attribution.pool = st.text(6);
    c.attribution.session = st.text(7);
    c.attribution.lease_id = st.is_null(8) ? 0 : st.i64(8);
    c.attribution.channel = channel_at(st, 9);
    c.attribution.reason = st.text(12);
    out.push_back(std::move(c));
  }
  return out;
}

int64_t PoolDb::call_count() {
  sql::Stmt st(db_, "SELECT count(*) FROM calls");
  st.step();
  return st.i64(0);
}

PoolReport PoolDb::report(UnixTime from, UnixTime to, const std::string& pool) {
  if (to <= from) throw InputError("report period is empty: its start must be before its end", Topic::kReportPeriod);
  PoolReport rep;
  rep.from = from;
  rep.to = to;
  for (NumberState s : {NumberState::kAvailable, NumberState::kAllocated, NumberState::kQuarantine,
                        NumberState::kBlocked, NumberState::kRetired})
    rep.states.emplace_back(to_string(s), 0);
  // States as of `to`, rebuilt from the history, so a report for a past
  // date is the same whenever it is run.
  const std::string kAsOf = std::string("SELECT h.number_id, h.to_state, h.pool_id, h.overflow, h.at, n.e164 FROM (") +
                            kStatesAsOf + ") h JOIN numbers n ON n.id = h.number_id ORDER BY n.e164";
  int64_t only = pool.empty() ? 0 : find_pool(pool).id;
  std::unordered_map<int64_t, int64_t> in_rotation;  // pool id -> numbers allocated and leasable at `to`
  QuarantineRules rules = this->rules();
  sql::Stmt count(db_, "SELECT count(*) FROM calls WHERE number_id = ? AND at > ? AND at <= ?");
  {
    sql::Stmt st(db_, kAsOf.c_str());
    st.bind(1, to);
    while (st.step()) {
      std::string state = st.text(1);
      int64_t pool_id = st.is_null(2) ? 0 : st.i64(2);
      for (auto& [name, n] : rep.states)
        if (name == state) ++n;
      if (state == "allocated" && st.i64(3) == 0 && pool_id) ++in_rotation[pool_id];
      if (state == "quarantine" && (!only || pool_id == only)) {
        count.bind(1, st.i64(0)).bind(2, to - rules.window_days * 86400).bind(3, to);
        count.step();
        int64_t calls = count.i64(0);
        count.reset();
        switch (quarantine_verdict(rules, calls, st.i64(4), to).verdict) {
          case Verdict::kDirty:
            ++rep.dirty;
            rep.dirty_numbers.push_back(st.text(5));
            break;
          case Verdict::kWaiting: ++rep.waiting; break;
          case Verdict::kReleasable: ++rep.releasable; break;
        }
      }
    }
  }
  double period = static_cast<double>(to - from);
  double months = period / (30.0 * 86400);
  sql::Stmt st(db_,
               "SELECT p.id, p.name, p.client, p.kind, "
               "0, "  // numbers in rotation: from the history, below
               "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NOT NULL "
               "   AND l.started_at >= ?1 AND l.started_at < ?2), "
               "(SELECT count(*) FROM leases l WHERE l.pool_id = p.id AND l.number_id IS NULL "
               "   AND l.started_at >= ?1 AND l.started_at < ?2), "
               "(SELECT total(MIN(l.expires_at, ?2) - MAX(l.started_at, ?1)) FROM leases l WHERE l.pool_id = p.id "
               "   AND l.number_id IS NOT NULL AND l.started_at < ?2 AND l.expires_at > ?1), "
               "(SELECT count(*) FROM calls c WHERE c.pool_id = p.id AND c.at >= ?1 AND c.at < ?2), "
               "(SELECT count(*) FROM calls c WHERE c.pool_id = p.id AND c.at >= ?1 AND c.at < ?2 "
               "   AND c.attribution != 'unattributed') "
               "FROM pools p WHERE (?3 = 0 OR p.id = ?3) AND p.created_at <= ?2 ORDER BY p.name");
  st.bind(1, from).bind(2, to).bind(3, only);
  while (st.step()) {
    PoolReportRow r;
    r.pool = st.text(1);
    r.client = st.text(2);
    r.kind = st.text(3);
    r.numbers = in_rotation.count(st.i64(0)) ? in_rotation[st.i64(0)] : 0;
    r.leases = st.i64(5);
    r.overflows = st.i64(6);
    double busy = st.dbl(7);
    r.calls = st.i64(8);
    r.attributed = st.i64(9);
    r.overflow_rate = r.leases + r.overflows > 0 ? static_cast<double>(r.overflows) / (r.leases + r.overflows) : 0;
    r.utilisation = r.numbers > 0 ? busy / (period * r.numbers) : 0;
    r.leases_per_number = r.numbers > 0 ? static_cast<double>(r.leases) / r.numbers : 0;
    r.calls_per_number_month = r.numbers > 0 ? r.calls / (r.numbers * months) : 0;
    rep.pools.push_back(std::move(r));
  }
  return rep;
}

PoolUsage PoolDb::usage(const std::string& pool, UnixTime from, UnixTime to) {
  PoolRow p = find_pool(pool);
  if (p.kind != PoolKind::kDynamic)
    throw InputError(fmt::format("pool {} is static: only dynamic pools are sized by their leases", pool));
  PoolUsage u;
  {
    sql::Stmt st(db_,
                 "SELECT count(*) FROM numbers WHERE pool_id = ? AND state = 'allocated' AND overflow = 0");
    st.bind(1, p.id);
    st.step();
    u.numbers = static_cast<int>(st.i64(0));
  }
  // Overflowed sessions count too: they are demand the pool could not serve.
  sql::Stmt st(db_,
               "SELECT MAX(started_at, ?2), MIN(expires_at, ?3) FROM leases WHERE pool_id = ?1 "
               "AND started_at < ?3 AND expires_at > ?2");
  st.bind(1, p.id).bind(2, from).bind(3, to);
  std::vector<std::pair<UnixTime, UnixTime>> spans;
  UnixTime lo = INT64_MAX, hi = INT64_MIN;
  double busy = 0;
  while (st.step()) {
    UnixTime a = st.i64(0), b = st.i64(1);
    spans.emplace_back(a, b);
    lo = std::min(lo, a);
    hi = std::max(hi, b);
    busy += static_cast<double>(b - a);
  }
  u.sessions = static_cast<int64_t>(spans.size());
  u.peak = peak_concurrency(spans);
  u.from = from == INT64_MIN ? (spans.empty() ? 0 : lo) : from;
  u.to = to == INT64_MAX ? (spans.empty() ? 0 : hi) : to;
  u.load = u.to > u.from ? busy / static_cast<double>(u.to - u.from) : 0;
  return u;
}

}  // namespace telsim
