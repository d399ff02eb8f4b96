#include "core/pool/attribution.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace telsim {

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

Attributor::Attributor(PoolStore& store) : impl_(std::make_unique<Impl>(store.sql())) {}
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

}  // namespace telsim
