#include "tools/pool_cli.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "core/phone/phone.h"
#include "core/base/table.h"
#include "core/base/timestamp.h"
#include "tools/cli.h"
#include "tools/contract.h"
#include "tools/output.h"

namespace telsim::cli {

void add_db_options(CLI::App& cmd, DbArgs& a, bool with_at, bool with_region) {
  cmd.add_option("--db", a.db, "Database file (default: $TELSIM_DB, else ./telsim.db)");
  if (with_at)
    cmd.add_option("--at", a.at, "Act as of this time instead of now (YYYY-MM-DD HH:MM:SS UTC, or @UNIXSECONDS)");
  if (with_region)
    cmd.add_option("--region", a.region, "Region numbers are dialled in (ISO code)")->capture_default_str();
  add_format(cmd, a.format);
  out::add_out_option(cmd, a.out, "Write the output to FILE instead of stdout (atomically)");
}

std::string db_path(const DbArgs& a) {
  if (!a.db.empty()) return a.db;
  const char* env = std::getenv("TELSIM_DB");
  return env && *env ? env : "telsim.db";
}

namespace {
// The database path, refused here when it is a folder so that the message
// names where the path came from (core only knows the path).
std::string file_path(const DbArgs& a) {
  std::string path = db_path(a);
  std::error_code ec;
  const char* from = a.db.empty() ? "TELSIM_DB" : "--db";
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{} {}: is a folder, not a database file", from, path));
  // SQLite says only "unable to open database file" for a missing folder.
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw InputError(fmt::format("{} {}: the folder {} does not exist", from, path, folder.string()));
  return path;
}
}  // namespace

std::unique_ptr<PoolStore> open_pool_store(const DbArgs& a, PoolAccess access) {
  return PoolStore::open(file_path(a), access);
}

std::unique_ptr<PoolDb> open_pool_db(const DbArgs& a, PoolAccess access) { return PoolDb::open(file_path(a), access); }

UnixTime parse_time_option(const std::string& option, const std::string& value) {
  UnixTime t;
  if (!parse_pool_time(value, &t))
    throw InputError(fmt::format("{} {}: not a time ({})", option, quote_field(value), kPoolTimeForms));
  return t;
}

UnixTime now_of(const DbArgs& a) {
  if (a.at.empty()) return SystemClock().now();
  return parse_time_option("--at", a.at);
}

std::string e164_or_throw(const std::string& raw, const std::string& region, const std::string& where) {
  PhoneNormaliser p(region);
  PhoneNumber n = p.normalise(raw);
  if (!n.ok())
    throw InputError(fmt::format("{}{} is not a full phone number (E.164 or national form in region {})",
                                 where.empty() ? "" : where + ": ", quote_field(raw), region));
  return n.text;
}

nlohmann::ordered_json Rows::json() const {
  auto arr = nlohmann::ordered_json::array();
  for (auto& r : rows) {
    nlohmann::ordered_json o;
    for (size_t i = 0; i < header.size(); ++i) {
      bool num = i < numeric.size() && numeric[i];
      if (num && !r[i].empty()) o[header[i]] = nlohmann::ordered_json::parse(r[i]);
      else o[header[i]] = r[i];
    }
    arr.push_back(std::move(o));
  }
  return arr;
}

std::string json_text(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string Rows::render(const std::string& format) const {
  if (format == "json") return json_text(json());
  Table t(header);
  for (auto& r : rows) t.add(r);
  return format == "csv" ? t.csv() : t.text();
}

std::string Rows::render_list(const std::string& format, const std::string& schema, const std::string& key) const {
  if (format != "json") return render(format);
  nlohmann::ordered_json doc = document(schema);
  doc[key] = json();
  return json_text(doc);
}

std::string render_record(const nlohmann::ordered_json& rec, const std::string& format) {
  if (format == "json") return json_text(rec);
  auto str = [](const nlohmann::ordered_json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return std::string();
    return v.dump();
  };
  if (format == "csv") {
    std::string h, r;
    bool first = true;
    for (auto& [k, v] : rec.items()) {
      if (!first) h += ",", r += ",";
      first = false;
      h += csv_field(k);
      r += csv_field(str(v));
    }
    return h + "\n" + r + "\n";
  }
  size_t w = 0;
  for (auto& [k, v] : rec.items()) w = std::max(w, k.size());
  std::string out;
  for (auto& [k, v] : rec.items()) out += fmt::format("{:<{}}  {}\n", k + ":", w + 1, str(v));
  return out;
}

}  // namespace telsim::cli
