#pragma once
// The connection to one pool database file: the lower layer that PoolDb
// (numbers, pools, leases, quarantine, reports) and the call log (CallLog,
// Attributor) are both built on, so neither needs the other's insides.
#include <memory>
#include <string>

#include "core/pool/sqlite.h"

namespace telsim {

/// The schema this build writes. A database with a higher version is refused.
constexpr int kPoolSchemaVersion = 1;

/// What a command will do with the database, decided before it is opened.
enum class PoolAccess {
  /// Reads only: the file must already be a telsim database of the current
  /// schema; it is never created, migrated or written, and it can be read
  /// from a read-only folder or medium.
  kRead,
  /// Reads and writes a database that exists; an older schema is migrated.
  kWrite,
  /// `pool init`: like kWrite, but a missing or empty file becomes a new database.
  kCreate,
};

/// One open connection to a pool database file, checked and migrated.
///
/// Promises: open() refuses (InputError, nothing changed on disk) a folder,
/// a missing or empty file unless kCreate, a file that is not SQLite, an
/// SQLite database that is not telsim's, and a schema newer than this build.
/// Once open, the schema is kPoolSchemaVersion, foreign keys are on and the
/// journal is WAL (readers never block the writer; a killed process loses
/// nothing committed). A kRead store never writes: the connection is
/// query-only, and on a read-only medium, where SQLite cannot create the WAL
/// index, the file is read as immutable (no locks; its -wal, if any, unread).
///
/// Not shared between threads; several processes may each open their own.
/// The units of core/pool use sql() to prepare their statements; nothing
/// outside core/pool should.
class PoolStore {
 public:
  static std::unique_ptr<PoolStore> open(const std::string& path, PoolAccess access);
  ~PoolStore();
  PoolStore(const PoolStore&) = delete;
  PoolStore& operator=(const PoolStore&) = delete;

  sql::Db& sql() { return *db_; }
  const std::string& path() const { return db_->path(); }
  PoolAccess access() const { return access_; }
  int schema_version();

 private:
  PoolStore(std::unique_ptr<sql::Db> db, PoolAccess access);
  std::unique_ptr<sql::Db> db_;
  PoolAccess access_;
};

}  // namespace telsim
