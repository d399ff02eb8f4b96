// telsim number add|list|show|block|retire: the operator's tracking numbers.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/base/text.h"
#include "core/phone/phone.h"
#include "tools/cli.h"
#include "tools/contract.h"
#include "tools/pool_cli.h"

namespace {

using telsim::InputError;
using telsim::cli::DbArgs;

struct NumberArgs {
  DbArgs db;
  std::vector<std::string> numbers, range;
  std::string file, state, pool, reason;
};

// Numbers from FROM to TO inclusive, both E.164 of the same length.
std::vector<std::string> expand_range(const std::string& from, const std::string& to) {
  if (from.size() != to.size())
    throw InputError(fmt::format("--range {} {}: both ends must have the same number of digits", from, to));
  long long a = std::stoll(from.substr(1)), b = std::stoll(to.substr(1));
  if (a > b) throw InputError(fmt::format("--range {} {}: the first number is after the last", from, to));
  constexpr long long kMaxRange = 1000000;
  if (b - a + 1 > kMaxRange)
    throw InputError(fmt::format("--range {} {}: {} numbers, more than {} at once", from, to, b - a + 1, kMaxRange));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(b - a + 1));
  for (long long x = a; x <= b; ++x) out.push_back(fmt::format("+{:0{}}", x, from.size() - 1));
  return out;
}

std::vector<std::string> read_number_file(const std::string& path, const std::string& region) {
  std::error_code ec;
  // An ifstream opens a folder, and reading it fails as if the file were empty.
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("--file {}: is a folder, not a file of numbers", path));
  std::ifstream f(path);
  if (!f) throw InputError(fmt::format("--file {}: cannot open it: {}", path, std::strerror(errno)));
  telsim::PhoneNormaliser phones(region);
  std::vector<std::string> out;
  std::unordered_map<std::string, int> line_of;  // number -> the line it was first on
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (n == 1) line = std::string(telsim::strip_bom(line));  // saved by a spreadsheet or Notepad
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t a = line.find_first_not_of(" \t");
    if (a == std::string::npos || line[a] == '#') continue;
    std::string raw = line.substr(a, line.find_last_not_of(" \t") - a + 1);
    telsim::PhoneNumber p = phones.normalise(raw);
    if (!p.ok())
      throw InputError(fmt::format("{}:{}: {} is not a full phone number; nothing was added", path, n,
                                     telsim::quote_field(raw)));
    if (auto [it, fresh] = line_of.emplace(p.text, n); !fresh)
      throw InputError(fmt::format("{}:{}: {} is listed twice (first on line {}); nothing was added", path, n, p.text,
                                   it->second));
    out.push_back(p.text);
  }
  if (out.empty()) throw InputError(fmt::format("--file {}: no numbers in it (only blank or # comment lines)", path));
  return out;
}

std::string print_state_change(const DbArgs& a, const std::string& verb, const std::string& number, const char* state,
                               telsim::UnixTime at) {
  nlohmann::ordered_json rec{{"number", number}, {"state", state}, {"at", telsim::format_time(at)}};
  return telsim::cli::render_record(telsim::cli::stamped("telsim.number-" + verb + "/1", rec, a.format), a.format);
}

}  // namespace

void setup_number(CLI::App& app) {
  auto a = std::make_shared<NumberArgs>();
  using telsim::cli::add_db_options;

  auto* add = app.add_subcommand(
      "add",
      "Add numbers to the operator's capacity (available):\n"
      "  telsim number add +74951234500\n"
      "  telsim number add --range +74951234500 +74951234599\n"
      "  telsim number add --file numbers.txt");
  add->add_option("NUMBER", a->numbers, "Numbers to add (E.164 or national form)");
  add->add_option("--range", a->range, "Every number from FIRST to LAST inclusive")->expected(2)->type_name("FIRST LAST");
  add->add_option("--file", a->file, "A file with one number per line (# comments allowed)");
  add_db_options(*add, a->db, true, true);
  add->callback([a] {
    std::vector<std::string> nums;
    for (auto& n : a->numbers) nums.push_back(telsim::cli::e164_or_throw(n, a->db.region, "NUMBER"));
    if (!a->range.empty()) {
      auto r = expand_range(telsim::cli::e164_or_throw(a->range[0], a->db.region, "--range"),
                            telsim::cli::e164_or_throw(a->range[1], a->db.region, "--range"));
      nums.insert(nums.end(), r.begin(), r.end());
    }
    if (!a->file.empty()) {
      auto f = read_number_file(a->file, a->db.region);
      nums.insert(nums.end(), f.begin(), f.end());
    }
    if (nums.empty()) throw InputError("number add: give NUMBER..., --range FIRST LAST or --file FILE");
    auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kWrite);
    telsim::UnixTime at = telsim::cli::now_of(a->db);
    int64_t n = db->add_numbers(nums, at);
    nlohmann::ordered_json rec{{"added", n}, {"first", nums.front()}, {"last", nums.back()}};
    telsim::cli::emit(telsim::cli::render_record(telsim::cli::stamped("telsim.number-add/1", rec, a->db.format), a->db.format), a->db.out);
  });

  auto* list = app.add_subcommand("list", "List numbers: telsim number list --state quarantine");
  list->add_option("--state", a->state, "Only this state (available, allocated, quarantine, blocked, retired)");
  list->add_option("--pool", a->pool, "Only numbers of this pool");
  add_db_options(*list, a->db, false, false);
  list->callback([a] {
    auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kRead);
    telsim::cli::Rows rows;
    // The table marks the overflow number beside its pool; JSON and CSV,
    // which scripts filter by pool, keep the pool's name and say it in a last
    // column, `overflow` (telsim.number-list/2: /1 had "shop (overflow)").
    const bool table = a->db.format == "table";
    rows.header = {"number", "state", "pool", "source", "medium", "campaign", "since"};
    if (!table) rows.header.push_back("overflow");
    for (auto& n : db->numbers(a->state, a->pool)) {
      std::vector<std::string> row{n.e164, telsim::to_string(n.state), n.pool, n.channel.source, n.channel.medium,
                                   n.channel.campaign, telsim::format_time(n.since)};
      if (table && n.overflow) row[2] += " (overflow)";
      if (!table) row.push_back(n.overflow ? "true" : "false");
      rows.rows.push_back(std::move(row));
    }
    if (!table) rows.numeric = {false, false, false, false, false, false, false, true};  // true/false: JSON booleans
    telsim::cli::emit(rows.render_list(a->db.format, "telsim.number-list/2", "numbers"), a->db.out);
  });

  auto* show = app.add_subcommand("show", "One number with its history: telsim number show +74951234500");
  show->add_option("NUMBER", a->numbers, "The number")->required()->expected(1);
  add_db_options(*show, a->db, false, true);
  show->callback([a] {
    auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kRead);
    std::string e = telsim::cli::e164_or_throw(a->numbers.at(0), a->db.region, "NUMBER");
    telsim::NumberInfo n = db->number(e);
    auto hist = db->history(e);
    nlohmann::ordered_json rec{{"number", n.e164},
                               {"state", telsim::to_string(n.state)},
                               {"since", telsim::format_time(n.since)},
                               {"pool", n.pool},
                               {"overflow", n.overflow},
                               {"source", n.channel.source},
                               {"medium", n.channel.medium},
                               {"campaign", n.channel.campaign},
                               {"added", telsim::format_time(n.added)},
                               {"leases", n.leases},
                               {"calls", n.calls}};
    telsim::cli::Rows h;
    h.header = {"at", "from", "to", "pool", "reason"};
    for (auto& e : hist) h.rows.push_back({telsim::format_time(e.at), e.from, e.to, e.pool, e.reason});
    if (a->db.format == "json") {
      rec["history"] = h.json();
      telsim::cli::emit(telsim::cli::json_text(telsim::cli::stamped("telsim.number-show/1", rec, "json")), a->db.out);
    } else if (a->db.format == "csv") {
      telsim::cli::emit(h.render("csv"), a->db.out);  // CSV holds one table: the history
    } else {
      telsim::cli::emit(telsim::cli::render_record(rec, "table") + "\n" + h.render("table"), a->db.out);
    }
  });

  for (auto [verb, move, help] :
       {std::tuple{"block", telsim::Move::kBlock, "Block a number by hand (any state but retired): telsim number block +74951234500 --reason fraud"},
        std::tuple{"retire", telsim::Move::kRetire, "Retire a number for good: telsim number retire +74951234500 --reason 'returned to regulator'"}}) {
    auto* cmd = app.add_subcommand(verb, help);
    cmd->add_option("NUMBER", a->numbers, "The number")->required()->expected(1);
    cmd->add_option("--reason", a->reason, "Why (kept in the history)");
    add_db_options(*cmd, a->db, true, true);
    cmd->callback([a, move = move, verb = std::string(verb)] {
      auto db = telsim::cli::open_pool_db(a->db, telsim::PoolAccess::kWrite);
      std::string e = telsim::cli::e164_or_throw(a->numbers.at(0), a->db.region, "NUMBER");
      telsim::UnixTime at = telsim::cli::now_of(a->db);
      db->move_by_hand(e, move, at, a->reason);
      telsim::cli::emit(print_state_change(a->db, verb, e, telsim::to_string(telsim::target(move)), at), a->db.out);
    });
  }
}
