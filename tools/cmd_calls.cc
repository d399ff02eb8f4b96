// telsim calls import|list: the log of every call to the operator's numbers.
#include <fmt/format.h>

#include "core/pool/call_log.h"
#include "core/base/error.h"
#include "tools/cli.h"
#include "tools/contract.h"
#include "tools/pool_cli.h"

namespace {

struct CallsArgs {
  telsim::cli::DbArgs db;
  std::string file, number, from, to;
  bool skip_bad = false;
  int64_t limit = -1;
};

}  // namespace

void setup_calls(CLI::App& app) {
  auto a = std::make_shared<CallsArgs>();
  using telsim::cli::add_db_options;

  auto* imp = app.add_subcommand(
      "import",
      "Log calls from a CSV (header: time,caller,called,duration,disposition), attributing each: telsim calls import calls.csv");
  imp->add_option("FILE", a->file, "The CSV file")->required();
  imp->add_flag("--skip-bad", a->skip_bad, "Import the good rows and report the bad ones (default: refuse the whole file)");
  add_db_options(*imp, a->db, false, true);
  imp->callback([a] {
    auto store = telsim::cli::open_pool_store(a->db, telsim::PoolAccess::kWrite);
    telsim::ImportResult r = telsim::import_calls_csv(*store, a->file, a->db.region, a->skip_bad);
    // The bad rows, one a line (the first ones, then how many more).
    std::string problems;
    for (auto& p : r.problems) problems += "\n  " + p;
    if (r.skipped > static_cast<int64_t>(r.problems.size()))
      problems += fmt::format("\n  ... and {} more", r.skipped - static_cast<int64_t>(r.problems.size()));
    // Every row bad: nothing was imported, which is no success to a script
    // (cdr stats refuses a file without one readable row alike).
    if (r.imported == 0 && r.duplicates == 0 && r.skipped > 0)
      throw telsim::InputError(
          fmt::format("{}: every row is bad ({}); nothing was imported{}", a->file, r.skipped, problems));
    if (r.skipped > 0)
      telsim::cli::warn(fmt::format("telsim: skipped {} bad row{}:{}\n", r.skipped, r.skipped == 1 ? "" : "s", problems));
    // Not an error (re-importing yesterday's export with today's is how
    // overlapping exports go), but never silent.
    if (r.duplicates > 0)
      telsim::cli::warn(fmt::format("telsim: {} call{} already in the log (the same time, caller, called number, duration and disposition): not logged again\n",
                 r.duplicates, r.duplicates == 1 ? " was" : "s were"));
    nlohmann::ordered_json rec{{"file", a->file},
                               {"imported", r.imported},
                               {"already_logged", r.duplicates},
                               {"skipped", r.skipped}};
    telsim::cli::emit(telsim::cli::render_record(telsim::cli::stamped("telsim.calls-import/1", rec, a->db.format), a->db.format), a->db.out);
  });

  auto* list = app.add_subcommand(
      "list", "Logged calls with their attribution: telsim calls list --number +74951234500 --from 2026-03-01");
  list->add_option("--number", a->number, "Only calls to this number");
  list->add_option("--from", a->from, "From this time (inclusive)");
  list->add_option("--to", a->to, "Up to this time (exclusive)");
  list->add_option("--limit", a->limit, "At most this many calls")->check(telsim::cli::non_negative(true));
  add_db_options(*list, a->db, false, true);
  list->callback([a] {
    auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kRead);
    telsim::CallFilter f;
    if (!a->number.empty()) f.number = telsim::cli::e164_or_throw(a->number, a->db.region, "--number");
    if (!a->from.empty()) f.from = telsim::cli::parse_time_option("--from", a->from);
    if (!a->to.empty()) f.to = telsim::cli::parse_time_option("--to", a->to);
    f.limit = a->limit;
    telsim::cli::Rows rows;
    rows.header = {"time", "caller", "called", "duration", "disposition", "attribution", "pool", "session",
                   "source", "medium", "campaign", "reason"};
    rows.numeric = {false, false, false, true};
    for (auto& c : db->calls(f)) {
      const telsim::Attribution& t = c.attribution;
      rows.rows.push_back({telsim::format_time(c.at), c.caller, c.called, std::to_string(c.duration), c.disposition,
                           telsim::to_string(t.kind), t.pool, t.session, t.channel.source, t.channel.medium,
                           t.channel.campaign, t.reason});
    }
    telsim::cli::emit(rows.render_list(a->db.format, "telsim.calls-list/1", "calls"), a->db.out);
  });
}
