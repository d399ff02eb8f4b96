#include "core/pool/sqlite.h"

#include <fmt/format.h>

#include <stdexcept>

#include "core/base/error.h"

namespace telsim::sql {

namespace {
// A file that is damaged or not a database at all (SQLite finds out only
// when it reads the page concerned, so on any statement) is bad input, exit
// 2; every other failure of SQLite is telsim's or the system's.
[[noreturn]] void raise(int rc, std::string msg) {
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) throw InputError(std::move(msg));
  throw std::runtime_error(std::move(msg));
}
[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  raise(db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM,
        fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}
// `path` as a file: URI (RFC 3986 escapes for what URIs give a meaning to).
std::string file_uri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) uri += fmt::format("%{:02X}", c);
    else uri += static_cast<char>(c);
  }
  return uri + "?" + query;
}
}  // namespace

Db::Db(const std::string& path, Mode mode) : path_(path) {
  int flags = SQLITE_OPEN_NOMUTEX;
  std::string name = path;
  switch (mode) {
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::kImmutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = file_uri(path, "immutable=1");
      break;
  }
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw InputError(fmt::format("cannot open database {}: {}", path, msg));
  }
  // Concurrent writers wait for each other instead of failing at once.
  sqlite3_busy_timeout(db_, 60000);
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    raise(rc, fmt::format("database {}: {}", path_, msg));
  }
}

Stmt::Stmt(Db& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK)
    fail(db.get(), fmt::format("database {}: preparing `{}`", db.path(), sql));
}

Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  sqlite3_bind_double(st_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_ref(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = fmt::format("database {}: {}", db_.path(), sqlite3_errmsg(db_.get()));
  sqlite3_reset(st_);
  raise(rc, std::move(msg));
}

void Stmt::run() {
  while (step()) {
  }
  reset();
}

void Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, col)) : std::string();
}

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Transaction::Transaction(Db& db, Stmt* begin, Stmt* commit) : db_(db), commit_(commit) { begin->run(); }

void Transaction::commit() {
  if (commit_) commit_->run();
  else db_.exec("COMMIT");
  done_ = true;
}

}  // namespace telsim::sql
