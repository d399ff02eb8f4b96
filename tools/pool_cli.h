#pragma once
// What the number-pool commands (pool, number, calls, quarantine) share:
// --db / TELSIM_DB, --at, --region, and rendering rows as table, JSON or CSV.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/pool/pool_db.h"

namespace telsim::cli {

struct DbArgs {
  std::string db;      // --db, else $TELSIM_DB, else ./telsim.db
  std::string at;      // --at, else the system clock
  std::string region = "RU";
  std::string format = "table";
  std::string out;     // --out FILE, written atomically; empty: stdout
};

/// Adds --db, --format and --out. `with_at` adds --at, `with_region` adds --region.
void add_db_options(CLI::App& cmd, DbArgs& a, bool with_at, bool with_region);
std::string db_path(const DbArgs& a);
/// Opens the database of --db for what the command will do with it (a
/// command that only reads opens it with PoolAccess::kRead).
std::unique_ptr<PoolStore> open_pool_store(const DbArgs& a, PoolAccess access);
std::unique_ptr<PoolDb> open_pool_db(const DbArgs& a, PoolAccess access);
/// --at parsed, or now.
UnixTime now_of(const DbArgs& a);
/// Parses a time option (YYYY-MM-DD[ HH:MM:SS] or @UNIXSECONDS) or throws
/// InputError naming the option.
UnixTime parse_time_option(const std::string& option, const std::string& value);
/// A phone number to E.164 or InputError naming the offending value.
std::string e164_or_throw(const std::string& raw, const std::string& region, const std::string& where = "");

/// Rows with a header, emitted as an aligned table, CSV, or a JSON array of
/// objects (numbers stay numbers when `numeric` marks the column).
struct Rows {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
  nlohmann::ordered_json json() const;
  std::string render(const std::string& format) const;
  /// The same, but JSON is a document: {"schema": SCHEMA, "telsim_version",
  /// KEY: [rows...]}, like every other JSON output (docs/schema/).
  std::string render_list(const std::string& format, const std::string& schema, const std::string& key) const;
};

/// `j` as indented JSON with a final newline. Text the database holds that is
/// not UTF-8 (written by another program or an older telsim) is shown as
/// U+FFFD instead of failing the command: telsim refuses such text on input,
/// but a database it did not write may hold it.
std::string json_text(const nlohmann::ordered_json& j);

/// A single record: table as "key: value" lines, CSV as one header + row,
/// JSON as an object.
std::string render_record(const nlohmann::ordered_json& rec, const std::string& format);

}  // namespace telsim::cli
