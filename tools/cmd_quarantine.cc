// telsim quarantine check|release|settings: numbers given back wait until
// they stop ringing before anyone else gets them.
#include <fmt/format.h>

#include <cstdint>

#include "core/base/error.h"
#include "tools/cli.h"
#include "tools/contract.h"
#include "tools/pool_cli.h"

namespace {

constexpr int64_t kUnset = INT64_MIN;  // option not given

struct QuarantineArgs {
  telsim::cli::DbArgs db;
  bool apply = false;
  int64_t min_days = kUnset, max_calls = kUnset, window_days = kUnset;
};

telsim::cli::Rows verdict_rows(const std::vector<telsim::QuarantineRow>& rows) {
  telsim::cli::Rows out;
  out.header = {"number", "pool", "since", "days", "calls", "verdict", "why"};
  out.numeric = {false, false, false, true, true, false, false};
  for (auto& r : rows)
    out.rows.push_back({r.number, r.pool, telsim::format_time(r.since), std::to_string(r.days),
                        std::to_string(r.calls), telsim::to_string(r.verdict.verdict), r.verdict.why});
  return out;
}

}  // namespace

void setup_quarantine(CLI::App& app) {
  auto a = std::make_shared<QuarantineArgs>();
  using telsim::cli::add_db_options;

  auto* check = app.add_subcommand(
      "check", "Numbers in quarantine with calls in the window, days served and verdict: telsim quarantine check");
  add_db_options(*check, a->db, true, false);
  check->callback([a] {
    auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kRead);
    telsim::cli::emit(verdict_rows(db->quarantine_check(telsim::cli::now_of(a->db)))
                          .render_list(a->db.format, "telsim.quarantine-check/1", "numbers"), a->db.out);
  });

  auto* release = app.add_subcommand(
      "release", "Make the releasable numbers available again (dry run unless --apply): telsim quarantine release --apply");
  release->add_flag("--apply", a->apply, "Really release (default: only say what would happen)");
  add_db_options(*release, a->db, true, false);
  release->callback([a] {
    // A dry run only reads.
    auto db = telsim::cli::open_pool_db(a->db, a->apply ? telsim::PoolAccess::kWrite : telsim::PoolAccess::kRead);
    auto rows = db->quarantine_release(telsim::cli::now_of(a->db), a->apply);
    telsim::cli::Rows out;
    out.header = {"number", "verdict", "action", "why"};
    int64_t released = 0, dirty = 0, waiting = 0;
    for (auto& r : rows) {
      std::string action;
      switch (r.verdict.verdict) {
        case telsim::Verdict::kReleasable:
          action = a->apply ? "released" : "would release";
          ++released;
          break;
        case telsim::Verdict::kDirty:
          action = "stays: dirty";
          ++dirty;
          break;
        case telsim::Verdict::kWaiting:
          action = "stays: waiting";
          ++waiting;
          break;
      }
      out.rows.push_back({r.number, telsim::to_string(r.verdict.verdict), action, r.verdict.why});
    }
    std::string summary = fmt::format("{} {} number{}; {} stay dirty; {} still waiting\n",
                                      a->apply ? "released" : "would release (dry run, use --apply)", released,
                                      released == 1 ? "" : "s", dirty, waiting);
    if (a->db.format == "table") telsim::cli::emit(out.render("table") + "\n" + summary, a->db.out);
    else {
      telsim::cli::emit(out.render_list(a->db.format, "telsim.quarantine-release/1", "numbers"), a->db.out);
      telsim::cli::warn(fmt::format("telsim: {}", summary));
    }
  });

  auto* settings = app.add_subcommand(
      "settings",
      "Show or change the dirty-number rule: telsim quarantine settings --min-days 60 --max-calls 3 --window-days 90");
  // Days up to a century (QuarantineRules::kMaxDays); beyond, a window in
  // seconds would overflow.
  const double max_days = static_cast<double>(telsim::QuarantineRules::kMaxDays);
  settings->add_option("--min-days", a->min_days, "Least days a number given back stays in quarantine")
      ->check(telsim::cli::within(0, max_days, true));
  settings->add_option("--max-calls", a->max_calls, "Releasable only with fewer calls than this in the window")
      ->check(telsim::cli::within(1, 1e9, true));
  settings->add_option("--window-days", a->window_days, "Length of the window calls are counted in, days")
      ->check(telsim::cli::within(1, max_days, true));
  add_db_options(*settings, a->db, false, false);
  settings->callback([a] {
    bool change = a->min_days != kUnset || a->max_calls != kUnset || a->window_days != kUnset;
    auto db = telsim::cli::open_pool_db(a->db, change ? telsim::PoolAccess::kWrite : telsim::PoolAccess::kRead);
    telsim::QuarantineRules r = db->rules();
    if (change) {
      if (a->min_days != kUnset) r.min_days = a->min_days;
      if (a->max_calls != kUnset) r.max_calls = a->max_calls;
      if (a->window_days != kUnset) r.window_days = a->window_days;
      db->set_rules(r);
    }
    nlohmann::ordered_json rec{{"min_days", r.min_days}, {"max_calls", r.max_calls}, {"window_days", r.window_days}};
    telsim::cli::emit(telsim::cli::render_record(telsim::cli::stamped("telsim.quarantine-settings/1", rec, a->db.format), a->db.format), a->db.out);
  });
}
