#pragma once
// A thin layer over the SQLite C API: a connection, prepared statements and
// a write transaction that rolls back unless committed. Every SQLite failure
// becomes an exception carrying SQLite's own message.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace telsim::sql {

/// One open database connection. Not shared between threads.
class Db {
 public:
  enum class Mode {
    kReadWrite,  // an existing file (read only if the OS write-protects it)
    kCreate,     // created when missing
    kImmutable,  // read only, no locks, no WAL index: a file nobody can change
  };
  /// Opens `path`. Throws InputError when SQLite cannot open it.
  Db(const std::string& path, Mode mode);
  Db(const std::string& path, bool create) : Db(path, create ? Mode::kCreate : Mode::kReadWrite) {}
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  /// Runs one or more statements that return no rows.
  void exec(const std::string& sql);
  /// Runs statements that return no rows; SQLite's result code, never throws.
  int try_exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A prepared statement. Bind indexes start at 1, column indexes at 0.
class Stmt {
 public:
  Stmt(Db& db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  /// Binds NULL for an empty string: optional text columns.
  Stmt& bind_opt(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind(i, v); }
  /// Binds text without copying it: `v` must stay alive and unchanged until
  /// the statement has been run (bulk inserts of rows held in a buffer).
  Stmt& bind_ref(int i, std::string_view v);
  Stmt& bind_opt_ref(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind_ref(i, v); }

  /// Advances; true while there is a row to read.
  bool step();
  /// Steps a statement that returns no rows (INSERT/UPDATE), then resets it.
  void run();
  /// Ready for new bindings and a new run.
  void reset();

  int64_t i64(int col) const { return sqlite3_column_int64(st_, col); }
  double dbl(int col) const { return sqlite3_column_double(st_, col); }
  std::string text(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

 private:
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
};

/// BEGIN IMMEDIATE: takes the write lock at once, so two processes that both
/// read-then-write (e.g. pick a free number, then lease it) are serialised.
/// Rolls back in the destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db);
  /// With prepared BEGIN IMMEDIATE / COMMIT statements, for hot paths.
  Transaction(Db& db, Stmt* begin, Stmt* commit);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  Stmt* commit_ = nullptr;
  bool done_ = false;
};

}  // namespace telsim::sql
