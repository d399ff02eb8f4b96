#include "core/base/quote.h"
#include "core/cdr/cdr_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "core/pool/call_log.h"
#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/base/text.h"
#include "core/base/timestamp.h"
#include "core/pool/pool_db.h"

namespace telsim {

std::vector<LeaseEvent> read_lease_events(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot open the lease events file", path));
  CsvSplitter s;
  std::string line;
  int64_t no = 0;
  int c_time = -1, c_pool = -1, c_session = -1, c_source = -1, c_medium = -1, c_campaign = -1;
  size_t columns = 0;
  std::vector<LeaseEvent> out;
  while (std::getline(f, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (no == 1) line.assign(strip_bom(line));
    if (line.empty()) continue;
    std::string where = fmt::format("{}:{}", path, no);
    if (!s.split(line)) throw InputError(where + ": broken quoting");
    if (columns == 0) {
      columns = s.count();
      CsvHeader h(s);
      c_time = h.find("time");
      c_pool = h.find("pool");
      c_session = h.find("session");
      c_source = h.find("source");
      c_medium = h.find("medium");
      c_campaign = h.find("campaign");
      if (c_time < 0 || c_pool < 0 || c_session < 0)
        throw InputError(where + ": the header needs the columns time, pool and session (source, medium, campaign optional)");
      continue;
    }
    if (s.count() != columns)
      throw InputError(fmt::format("{}: {} columns, the header has {}", where, s.count(), columns));
    LeaseEvent e;
    e.line = no;
    std::string_view t = s[c_time];
    // Unix seconds (digits only) or a date-time.
    bool unix = !t.empty() && t[0] != '-' && parse_unix_seconds(t, &e.at);
    if (!unix && !parse_time(t, &e.at)) throw InputError(fmt::format("{}: time {} does not parse", where, quote_field(t)));
    e.pool = std::string(s[c_pool]);
    e.session = std::string(s[c_session]);
    if (e.pool.empty() || e.session.empty()) throw InputError(where + ": pool and session must not be empty");
    if (c_source >= 0) e.channel.source = std::string(s[c_source]);
    if (c_medium >= 0) e.channel.medium = std::string(s[c_medium]);
    if (c_campaign >= 0) e.channel.campaign = std::string(s[c_campaign]);
    out.push_back(std::move(e));
  }
  if (columns == 0) throw InputError(path + ": empty (expected a header: time,pool,session,...)");
  std::stable_sort(out.begin(), out.end(), [](const LeaseEvent& a, const LeaseEvent& b) { return a.at < b.at; });
  return out;
}

ReplayResult replay_into_db(const std::string& db_path, const std::vector<std::string>& files,
                            const CdrReadOptions& opts, const std::vector<LeaseEvent>& leases) {
  ReplayResult r;
  if (opts.strict) {
    // Read everything once before writing anything: strict means all or nothing.
    CdrReadOptions check = opts;
    check.keep_numbers = check.keep_channels = check.normalise = false;
    for_each_call(files, check, [](const CdrCall&) {});
  }
  auto store = PoolStore::open(db_path, PoolAccess::kWrite);
  PoolDb db(*store);
  for (const auto& e : leases) {
    // An event no later than its session's last activity in the pool was
    // applied by an earlier replay of the same events: applied again, it
    // would be refused (leases must be in time order) or extend the lease.
    if (auto last = db.session_activity(e.pool, e.session); last && e.at <= *last) {
      r.leases_already++;
      continue;
    }
    try {
      LeaseResult l = db.lease(e.pool, e.session, e.channel, e.at);
      r.leases++;
      if (l.overflow) r.lease_overflows++;
    } catch (const InputError& err) {
      throw InputError(fmt::format("lease events line {}: {}", e.line, err.what()));
    }
  }
  CdrReadOptions o = opts;
  o.normalise = o.keep_numbers = true;
  CallLog log(*store);
  Call c;
  r.read = for_each_call(files, o, [&](const CdrCall& call) {
    if (!call.called_e164) {
      r.not_e164++;
      return;
    }
    if (!log.owns(call.called)) {
      r.not_ours++;
      return;
    }
    c.at = call.start;
    c.caller = call.caller;
    c.called = call.called;
    c.duration = call.duration;
    c.disposition = disposition_word(call.outcome);
    std::optional<Attribution> logged = log.log(c);
    if (!logged) {
      r.already_logged++;
      return;
    }
    const Attribution& a = *logged;
    r.logged++;
    if (a.kind == Attribution::Kind::kSession) r.session++;
    else if (a.kind == Attribution::Kind::kStatic) r.static_channel++;
    else r.unattributed[a.reason.empty() ? "unknown" : a.reason]++;
  });
  log.commit();
  return r;
}

}  // namespace telsim
