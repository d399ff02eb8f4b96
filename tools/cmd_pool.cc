// telsim pool init|create|list|show|allocate|return|lease|attribute|size|report:
// clients' pools of tracking numbers and dynamic number insertion.
#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>

#include "core/base/error.h"
#include "core/pool/pool.h"
#include "tools/cli.h"
#include "tools/contract.h"
#include "tools/pool_cli.h"

namespace {

using telsim::InputError;
using telsim::cli::DbArgs;

struct PoolArgs {
  DbArgs db;
  std::string name, client, kind = "dynamic", overflow, session, called, caller, from, reason;
  std::vector<std::string> numbers;
  double hold_minutes = 15;
  int64_t count = 0;
  bool all = false;
  telsim::Channel channel;
  // pool size
  double visitors = -1, visit_minutes = -1, size_hold = -1, max_overflow = 0.01;
  std::string pool_opt;  // --pool of `pool size` and `pool report`
};

std::string f6(double x) { return fmt::format("{:.6g}", x); }
std::string f4(double x) { return fmt::format("{:.4f}", x); }

void add_channel(CLI::App& cmd, telsim::Channel& ch) {
  cmd.add_option("--source", ch.source, "Channel source (e.g. google)");
  cmd.add_option("--medium", ch.medium, "Channel medium (e.g. cpc)");
  cmd.add_option("--campaign", ch.campaign, "Channel campaign");
}

std::vector<std::string> e164_all(const std::vector<std::string>& raw, const std::string& region) {
  std::vector<std::string> out;
  for (auto& r : raw) out.push_back(telsim::cli::e164_or_throw(r, region, "NUMBER"));
  return out;
}

using telsim::cli::stamped;

std::string list_numbers(const std::string& verb, const std::string& pool, const std::vector<std::string>& nums,
                         const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json j = telsim::cli::document("telsim.pool-" + verb + "/1");
    j["pool"] = pool;
    j[verb] = nums;
    return telsim::cli::json_text(j);
  }
  telsim::cli::Rows rows;
  rows.header = {"number", "pool", "action"};
  for (auto& n : nums) rows.rows.push_back({n, pool, verb});
  return rows.render(format);
}

nlohmann::ordered_json attribution_json(const telsim::Attribution& a) {
  return {{"attribution", telsim::to_string(a.kind)},
          {"pool", a.pool},
          {"session", a.session},
          {"source", a.channel.source},
          {"medium", a.channel.medium},
          {"campaign", a.channel.campaign},
          {"reason", a.reason}};
}

std::string pool_row_value(double x) { return std::isfinite(x) ? f4(x) : "0"; }

using telsim::PoolAccess;
using telsim::cli::emit;
using telsim::cli::render_record;

void run_init(const PoolArgs& a) {
  std::string path = telsim::cli::db_path(a.db);
  // An empty file (made by touch, or by a command that failed) holds no
  // database: init creates one in it.
  struct stat st;
  bool existed = stat(path.c_str(), &st) == 0 && st.st_size > 0;
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kCreate);
  nlohmann::ordered_json rec{{"db", path}, {"schema_version", db->schema_version()}, {"created", !existed}};
  emit(render_record(stamped("telsim.pool-init/1", rec, a.db.format), a.db.format), a.db.out);
}

void run_create(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kWrite);
  telsim::PoolSpec spec;
  spec.name = a.name;
  spec.client = a.client;
  telsim::parse_pool_kind(a.kind, &spec.kind);
  if (a.hold_minutes * 60 < 0.5)
    throw InputError(fmt::format("--hold-minutes {}: a lease must last at least a second (1/60 minute)", f6(a.hold_minutes)));
  if (a.hold_minutes > 525600)
    throw InputError(fmt::format("--hold-minutes {}: a lease lasts at most a year (525600 minutes)", f6(a.hold_minutes)));
  spec.hold_seconds = static_cast<int64_t>(std::llround(a.hold_minutes * 60));
  if (!a.overflow.empty()) spec.overflow_number = telsim::cli::e164_or_throw(a.overflow, a.db.region, "--overflow");
  db->create_pool(spec, telsim::cli::now_of(a.db));
  nlohmann::ordered_json rec{{"pool", spec.name},
                             {"client", spec.client},
                             {"kind", a.kind},
                             {"hold_minutes", spec.hold_seconds / 60.0},
                             {"overflow_number", spec.overflow_number}};
  emit(render_record(stamped("telsim.pool-create/1", rec, a.db.format), a.db.format), a.db.out);
}

void run_list(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kRead);
  telsim::cli::Rows rows;
  rows.header = {"pool", "client", "kind", "hold_minutes", "numbers", "live_leases", "leases", "overflows", "overflow_number"};
  rows.numeric = {false, false, false, true, true, true, true, true, false};
  for (auto& p : db->pools(telsim::cli::now_of(a.db)))
    rows.rows.push_back({p.spec.name, p.spec.client, telsim::to_string(p.spec.kind), f6(p.spec.hold_seconds / 60.0),
                         std::to_string(p.numbers), std::to_string(p.live_leases), std::to_string(p.leases),
                         std::to_string(p.overflows), p.spec.overflow_number});
  emit(rows.render_list(a.db.format, "telsim.pool-list/1", "pools"), a.db.out);
}

void run_show(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kRead);
  const telsim::UnixTime at = telsim::cli::now_of(a.db);
  telsim::PoolInfo p = db->pool(a.name, at);
  nlohmann::ordered_json rec{{"pool", p.spec.name},
                             {"client", p.spec.client},
                             {"kind", telsim::to_string(p.spec.kind)},
                             {"hold_minutes", p.spec.hold_seconds / 60.0},
                             {"created", telsim::format_time(p.created)},
                             {"numbers", p.numbers},
                             {"live_leases", p.live_leases},
                             {"leases", p.leases},
                             {"overflows", p.overflows},
                             {"overflow_number", p.spec.overflow_number}};
  telsim::cli::Rows rows;
  rows.header = {"number", "role", "source", "medium", "campaign", "since"};
  for (auto& n : db->members(a.name, at))
    rows.rows.push_back({n.e164, n.overflow ? "overflow" : "rotation", n.channel.source, n.channel.medium,
                         n.channel.campaign, telsim::format_time(n.since)});
  if (a.db.format == "json") {
    rec["members"] = rows.json();
    emit(telsim::cli::json_text(stamped("telsim.pool-show/1", rec, "json")), a.db.out);
  } else if (a.db.format == "csv") {
    emit(rows.render("csv"), a.db.out);
  } else {
    emit(render_record(rec, "table") + "\n" + rows.render("table"), a.db.out);
  }
}

void run_allocate(const PoolArgs& a) {
  if (!a.numbers.empty() && a.count > 0)
    throw InputError("pool allocate: give NUMBER... or --count N, not both");
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kWrite);
  auto nums = db->allocate(a.name, e164_all(a.numbers, a.db.region), a.count, a.channel,
                           telsim::cli::now_of(a.db));
  emit(list_numbers("allocated", a.name, nums, a.db.format), a.db.out);
}

void run_return(const PoolArgs& a) {
  if (a.numbers.empty() == !a.all) throw InputError("pool return: give NUMBER... or --all (not both)");
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kWrite);
  auto nums = db->give_back(a.name, e164_all(a.numbers, a.db.region), telsim::cli::now_of(a.db), a.reason);
  emit(list_numbers("returned", a.name, nums, a.db.format), a.db.out);
}

void run_lease(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kWrite);
  telsim::LeaseResult r = db->lease(a.name, a.session, a.channel, telsim::cli::now_of(a.db));
  nlohmann::ordered_json rec{{"pool", a.name},
                             {"session", a.session},
                             {"number", r.number},
                             {"lease", r.overflow ? "overflow" : r.renewed ? "renewed" : "new"},
                             {"renewed", r.renewed},
                             {"started", telsim::format_time(r.started)},
                             {"expires", telsim::format_time(r.expires)}};
  emit(render_record(stamped("telsim.pool-lease/1", rec, a.db.format), a.db.format), a.db.out);
}

void run_attribute(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kRead);
  std::string called = telsim::cli::e164_or_throw(a.called, a.db.region, "--called");
  telsim::UnixTime at = telsim::cli::now_of(a.db);
  nlohmann::ordered_json rec{{"called", called}, {"caller", a.caller}, {"at", telsim::format_time(at)}};
  nlohmann::ordered_json who = attribution_json(db->attribute(called, at));
  for (auto& [k, v] : who.items()) rec[k] = v;
  emit(render_record(stamped("telsim.pool-attribute/1", rec, a.db.format), a.db.format), a.db.out);
}

// `pool size --pool NAME`: a pool's numbers against its lease history.
void run_size_check(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kRead);
  telsim::UnixTime to = a.db.at.empty() ? INT64_MAX : telsim::cli::now_of(a.db);
  telsim::UnixTime from = a.from.empty() ? INT64_MIN : telsim::cli::parse_time_option("--from", a.from);
  telsim::PoolUsage u = db->usage(a.pool_opt, from, to);
  telsim::PoolCheck c = telsim::check_pool(u.numbers, u.peak, u.load, a.max_overflow);
  nlohmann::ordered_json rec{{"pool", a.pool_opt},
                             {"from", u.sessions ? telsim::format_time(u.from) : ""},
                             {"to", u.sessions ? telsim::format_time(u.to) : ""},
                             {"sessions", u.sessions},
                             {"numbers", c.numbers},
                             {"peak_sessions", c.peak},
                             {"mean_load", std::round(c.load * 1e4) / 1e4},
                             {"recommended", c.recommended},
                             {"verdict", c.verdict},
                             {"why", c.why}};
  emit(render_record(stamped("telsim.pool-check/1", rec, a.db.format), a.db.format), a.db.out);
}

// `pool size` from the expected traffic: numbers for a target overflow.
void run_size_plan(const PoolArgs& a) {
  if (a.visitors < 0 || a.visit_minutes < 0 || a.size_hold < 0)
    throw InputError("pool size: give --visitors-per-hour, --visit-minutes and --hold-minutes (or --pool NAME)");
  telsim::PoolSizing s = telsim::size_pool(a.visitors, a.visit_minutes, a.size_hold, a.max_overflow);
  nlohmann::ordered_json rec{{"visitors_per_hour", a.visitors},
                             {"visit_minutes", a.visit_minutes},
                             {"hold_minutes", a.size_hold},
                             {"max_overflow", a.max_overflow},
                             {"offered_load", std::round(s.offered_load * 1e4) / 1e4},
                             {"numbers", s.numbers},
                             {"overflow", std::round(s.overflow * 1e6) / 1e6},
                             {"utilisation", std::round(s.utilisation * 1e4) / 1e4}};
  emit(render_record(stamped("telsim.pool-size/1", rec, a.db.format), a.db.format), a.db.out);
}

void run_size(const PoolArgs& a) {
  // Two questions, each with its own options: a plan from the traffic, or a
  // check of a pool against its leases. Options of the other are refused,
  // not ignored.
  const bool plan = a.visitors >= 0 || a.visit_minutes >= 0 || a.size_hold >= 0;
  if (!a.pool_opt.empty() && plan)
    throw InputError(
        "pool size: --pool checks an existing pool against its leases; --visitors-per-hour, --visit-minutes and "
        "--hold-minutes plan a new one: give one or the other");
  if (a.pool_opt.empty() && !a.from.empty()) throw InputError("pool size: --from goes with --pool");
  if (!a.pool_opt.empty()) run_size_check(a);
  else run_size_plan(a);
}

// `pool report` in its three formats; `pools` holds the rows per pool.
std::string report_json(const telsim::PoolReport& r, const telsim::cli::Rows& pools) {
  nlohmann::ordered_json j = telsim::cli::document("telsim.pool-report/1");
  j["from"] = telsim::format_time(r.from);
  j["to"] = telsim::format_time(r.to);
  j["states"] = nlohmann::ordered_json::object();
  for (auto& [s, n] : r.states) j["states"][s] = n;
  j["pools"] = pools.json();
  j["quarantine"] = {{"dirty", r.dirty}, {"waiting", r.waiting}, {"releasable", r.releasable}};
  j["dirty_numbers"] = r.dirty_numbers;
  return telsim::cli::json_text(j);
}

// One CSV table in long form: section, pool, metric, value.
std::string report_csv(const telsim::PoolReport& r, const telsim::cli::Rows& pools) {
  telsim::cli::Rows rows;
  rows.header = {"section", "pool", "metric", "value"};
  for (auto& [s, n] : r.states) rows.rows.push_back({"states", "", s, std::to_string(n)});
  for (auto& row : pools.rows)
    for (size_t i = 3; i < row.size(); ++i) rows.rows.push_back({"pools", row[0], pools.header[i], row[i]});
  rows.rows.push_back({"quarantine", "", "dirty", std::to_string(r.dirty)});
  rows.rows.push_back({"quarantine", "", "waiting", std::to_string(r.waiting)});
  rows.rows.push_back({"quarantine", "", "releasable", std::to_string(r.releasable)});
  for (auto& n : r.dirty_numbers) rows.rows.push_back({"dirty_numbers", "", "number", n});
  return rows.render("csv");
}

std::string report_table(const telsim::PoolReport& r, const telsim::cli::Rows& pools) {
  telsim::cli::Rows states;
  states.header = {"state", "numbers"};
  for (auto& [s, n] : r.states) states.rows.push_back({s, std::to_string(n)});
  std::string text = fmt::format("period {} .. {}\n\n", telsim::format_time(r.from), telsim::format_time(r.to));
  text += states.render("table") + "\n" + pools.render("table") + "\n";
  text += fmt::format("quarantine: {} dirty, {} waiting, {} releasable\n", r.dirty, r.waiting, r.releasable);
  for (auto& n : r.dirty_numbers) text += "dirty: " + n + "\n";
  return text;
}

void run_report(const PoolArgs& a) {
  auto db = telsim::cli::open_pool_db(a.db, PoolAccess::kRead);
  telsim::UnixTime to = telsim::cli::now_of(a.db);
  telsim::UnixTime from = a.from.empty() ? to - 30 * 86400 : telsim::cli::parse_time_option("--from", a.from);
  telsim::PoolReport r = db->report(from, to, a.pool_opt);
  telsim::cli::Rows pools;
  pools.header = {"pool", "client", "kind", "numbers", "leases", "overflows", "overflow_rate", "utilisation",
                  "leases_per_number", "calls", "attributed", "calls_per_number_month"};
  pools.numeric = {false, false, false, true, true, true, true, true, true, true, true, true};
  for (auto& p : r.pools)
    pools.rows.push_back({p.pool, p.client, p.kind, std::to_string(p.numbers), std::to_string(p.leases),
                          std::to_string(p.overflows), pool_row_value(p.overflow_rate), pool_row_value(p.utilisation),
                          pool_row_value(p.leases_per_number), std::to_string(p.calls), std::to_string(p.attributed),
                          pool_row_value(p.calls_per_number_month)});
  const std::string& fmt_ = a.db.format;
  if (fmt_ == "json") emit(report_json(r, pools), a.db.out);
  else if (fmt_ == "csv") emit(report_csv(r, pools), a.db.out);
  else emit(report_table(r, pools), a.db.out);
}

}  // namespace

void setup_pool(CLI::App& app) {
  auto a = std::make_shared<PoolArgs>();
  using telsim::cli::add_db_options;

  auto* init = app.add_subcommand("init", "Create the database or bring its schema up to date: telsim pool init --db telsim.db");
  add_db_options(*init, a->db, false, false);
  init->callback([a] { run_init(*a); });

  auto* create = app.add_subcommand(
      "create", "Create a client's pool: telsim pool create shop --client 'Shop LLC' --kind dynamic --hold-minutes 15 --overflow +74951234599");
  create->add_option("NAME", a->name, "Pool name")->required();
  create->add_option("--client", a->client, "The client the pool belongs to");
  create->add_option("--kind", a->kind, "static (a number per channel) or dynamic (numbers leased to sessions)")->capture_default_str()
      ->check(CLI::IsMember({"static", "dynamic"}));
  create->add_option("--hold-minutes", a->hold_minutes, "Dynamic pools: a lease lasts this long after the session's last activity")->capture_default_str()
      ->check(telsim::cli::positive());
  create->add_option("--overflow", a->overflow, "Dynamic pools: the number shown when every number is leased (must be available)");
  add_db_options(*create, a->db, true, true);
  create->callback([a] { run_create(*a); });

  auto* list = app.add_subcommand("list", "List pools with their numbers and leases: telsim pool list");
  add_db_options(*list, a->db, true, false);
  list->callback([a] { run_list(*a); });

  auto* show = app.add_subcommand("show", "One pool and its numbers: telsim pool show shop");
  show->add_option("NAME", a->name, "Pool name")->required();
  add_db_options(*show, a->db, true, false);
  show->callback([a] { run_show(*a); });

  auto* alloc = app.add_subcommand(
      "allocate",
      "Allocate available numbers to a pool:\n"
      "  telsim pool allocate shop --count 20\n"
      "  telsim pool allocate ads +74951234500 --source billboard --medium offline");
  alloc->add_option("NAME", a->name, "Pool name")->required();
  alloc->add_option("NUMBER", a->numbers, "Numbers to allocate (else --count)");
  alloc->add_option("--count", a->count, "Allocate this many available numbers, lowest first")->check(telsim::cli::positive(true));
  add_channel(*alloc, a->channel);
  add_db_options(*alloc, a->db, true, true);
  alloc->callback([a] { run_allocate(*a); });

  auto* ret = app.add_subcommand(
      "return", "Give numbers back; they go to quarantine:\n"
      "  telsim pool return shop +74951234500\n"
      "  telsim pool return shop --all");
  ret->add_option("NAME", a->name, "Pool name")->required();
  ret->add_option("NUMBER", a->numbers, "Numbers to give back");
  ret->add_flag("--all", a->all, "Give back every number of the pool");
  ret->add_option("--reason", a->reason, "Why (kept in the history)");
  add_db_options(*ret, a->db, true, true);
  ret->callback([a] { run_return(*a); });

  auto* lease = app.add_subcommand(
      "lease",
      "Show a website visitor a number from a dynamic pool: telsim pool lease shop --session s-42 --source google --medium cpc --campaign spring");
  lease->add_option("NAME", a->name, "Pool name")->required();
  lease->add_option("--session", a->session, "Visitor session id")->required();
  add_channel(*lease, a->channel);
  add_db_options(*lease, a->db, true, false);
  lease->callback([a] { run_lease(*a); });

  auto* attr = app.add_subcommand(
      "attribute",
      "Who a call is credited to: telsim pool attribute --called +74951234500 --at '2026-03-01 12:00:00'");
  attr->add_option("--called", a->called, "The tracking number that was called")->required();
  attr->add_option("--caller", a->caller, "The caller (shown back, not needed for attribution)");
  add_db_options(*attr, a->db, true, true);
  attr->callback([a] { run_attribute(*a); });

  auto* size = app.add_subcommand(
      "size",
      "Numbers a dynamic pool needs:\n"
      "  telsim pool size --visitors-per-hour 200 --visit-minutes 3 --hold-minutes 15 --max-overflow 0.01\n"
      "  telsim pool size --pool shop");
  size->add_option("--visitors-per-hour", a->visitors, "Peak visitors an hour")->check(telsim::cli::non_negative());
  size->add_option("--visit-minutes", a->visit_minutes, "Mean visit length, minutes")->check(telsim::cli::non_negative());
  size->add_option("--hold-minutes", a->size_hold, "Hold time after the visit, minutes")->check(telsim::cli::non_negative());
  size->add_option("--max-overflow", a->max_overflow, "Highest acceptable share of visitors shown the overflow number")->capture_default_str();
  size->add_option("--pool", a->pool_opt, "Check an existing pool against the peak concurrent sessions in the database");
  size->add_option("--from", a->from, "With --pool: start of the period looked at (default: all history)");
  add_db_options(*size, a->db, true, false);
  size->callback([a] { run_size(*a); });

  auto* report = app.add_subcommand(
      "report", "Counts by state, utilisation, overflow, leases and calls per number, dirty numbers: telsim pool report --from 2026-02-01 --at 2026-03-01");
  report->add_option("--pool", a->pool_opt, "Only this pool");
  report->add_option("--from", a->from, "Start of the period (default: 30 days before --at)");
  add_db_options(*report, a->db, true, false);
  report->callback([a] { run_report(*a); });
}
