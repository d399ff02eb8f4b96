#include "core/pool/pool_store.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/base/error.h"

namespace telsim {

namespace {

// Migration i takes the schema from version i to i + 1. Append, never edit:
// databases in the field have run the old ones.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE settings(
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO settings(key, value) VALUES ('min_days', 90), ('max_calls', 3), ('window_days', 90);

CREATE TABLE pools(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  client TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('static', 'dynamic')),
  hold_seconds INTEGER NOT NULL CHECK (hold_seconds > 0),
  created_at INTEGER NOT NULL
);

CREATE TABLE numbers(
  id INTEGER PRIMARY KEY,
  e164 TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('available', 'allocated', 'quarantine', 'blocked', 'retired')),
  pool_id INTEGER REFERENCES pools(id),
  source TEXT,
  medium TEXT,
  campaign TEXT,
  overflow INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  state_since INTEGER NOT NULL,
  added_at INTEGER NOT NULL
);
CREATE INDEX numbers_free ON numbers(pool_id, lease_until) WHERE state = 'allocated' AND overflow = 0;
CREATE INDEX numbers_overflow ON numbers(pool_id) WHERE state = 'allocated' AND overflow = 1;
CREATE INDEX numbers_state ON numbers(state);

CREATE TABLE history(
  id INTEGER PRIMARY KEY,
  number_id INTEGER NOT NULL REFERENCES numbers(id),
  at INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  pool_id INTEGER REFERENCES pools(id),
  source TEXT,
  medium TEXT,
  campaign TEXT,
  overflow INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL
);
CREATE INDEX history_number ON history(number_id, at);

CREATE TABLE leases(
  id INTEGER PRIMARY KEY,
  pool_id INTEGER NOT NULL REFERENCES pools(id),
  session TEXT NOT NULL,
  number_id INTEGER REFERENCES numbers(id),
  source TEXT,
  medium TEXT,
  campaign TEXT,
  started_at INTEGER NOT NULL,
  last_activity INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX leases_session ON leases(pool_id, session, started_at);
CREATE INDEX leases_number ON leases(number_id, started_at);

CREATE TABLE calls(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  caller TEXT NOT NULL,
  number_id INTEGER NOT NULL REFERENCES numbers(id),
  duration INTEGER NOT NULL CHECK (duration >= 0),
  disposition TEXT NOT NULL,
  attribution TEXT NOT NULL CHECK (attribution IN ('session', 'static', 'unattributed')),
  pool_id INTEGER REFERENCES pools(id),
  lease_id INTEGER REFERENCES leases(id),
  source TEXT,
  medium TEXT,
  campaign TEXT,
  reason TEXT
);
CREATE INDEX calls_number ON calls(number_id, at);
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == kPoolSchemaVersion, "one migration per schema version");

[[noreturn]] void no_database(const std::string& path, const char* why) {
  throw InputError(fmt::format("no database at {}{}", path, why), Topic::kNoDatabase, path);
}

// What can be told from the file system and the first bytes, before SQLite
// touches the file (SQLite would create a missing file, turn an empty one
// into a database, and call anything else "file is not a database").
void check_file(const std::string& path, PoolAccess access) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      if (access == PoolAccess::kCreate) return;
      no_database(path, "");
    }
    throw InputError(fmt::format("cannot open database {}: {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) throw InputError(fmt::format("{}: is a folder, not a database file", path));
  if (st.st_size == 0) {
    if (access == PoolAccess::kCreate) return;
    no_database(path, " (the file is empty)");
  }
  static const char kMagic[16] = "SQLite format 3";  // and its terminating NUL: the header's first 16 bytes
  char head[16] = {};
  std::ifstream f(path, std::ios::binary);
  if (!f) return;  // unreadable: SQLite says why
  f.read(head, sizeof head);
  if (f.gcount() != static_cast<std::streamsize>(sizeof head) || std::memcmp(head, kMagic, sizeof head) != 0)
    throw InputError(fmt::format("{}: not a telsim pool database (not an SQLite file)", path));
}

int read_version(sql::Db& db) {
  sql::Stmt st(db, "PRAGMA user_version");
  return st.step() ? static_cast<int>(st.i64(0)) : 0;
}

bool has_tables(sql::Db& db) {
  sql::Stmt st(db, "SELECT count(*) FROM sqlite_master");
  return st.step() && st.i64(0) > 0;
}

[[noreturn]] void newer(const std::string& path, int version) {
  throw InputError(fmt::format(
      "database {} has schema version {}, newer than this telsim understands ({}): use a newer telsim", path, version,
      kPoolSchemaVersion));
}

// Memory for large scans: imports, quarantine checks and reports walk large
// indexes, and a big page cache and memory-mapped reads keep them off the
// read() path.
void set_cache(sql::Db& db) {
  db.exec("PRAGMA cache_size = -262144");
  db.exec("PRAGMA mmap_size = 1073741824");
  db.exec("PRAGMA temp_store = MEMORY");
}

// A read-only connection: never creates, migrates or writes. The file is
// opened read-write when the OS allows (so the WAL index is shared with
// writers as usual, and the last connection out still tidies the WAL away),
// with query_only set; where SQLite cannot even create the WAL index (a
// read-only folder or medium), the file is read as immutable.
std::unique_ptr<sql::Db> open_for_reading(const std::string& path) {
  auto db = std::make_unique<sql::Db>(path, sql::Db::Mode::kReadWrite);
  int rc = db->try_exec("PRAGMA query_only = 1; SELECT count(*) FROM sqlite_master");
  if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) {
    db = std::make_unique<sql::Db>(path, sql::Db::Mode::kImmutable);
    db->exec("PRAGMA query_only = 1");
  } else if (rc != SQLITE_OK) {
    db->exec("SELECT count(*) FROM sqlite_master");  // throws SQLite's own message
  }
  int version = read_version(*db);
  if (version > kPoolSchemaVersion) newer(path, version);
  if (version == 0) {
    if (has_tables(*db))
      throw InputError(fmt::format("{} is an SQLite database but not a telsim one (no schema version)", path));
    no_database(path, " (an empty SQLite database)");
  }
  if (version < kPoolSchemaVersion)
    throw InputError(
        fmt::format("database {} has schema version {}, older than this telsim's ({})", path, version,
                    kPoolSchemaVersion),
        Topic::kOldSchema, path);
  set_cache(*db);
  return db;
}

std::unique_ptr<sql::Db> open_for_writing(const std::string& path, bool create) {
  auto db = std::make_unique<sql::Db>(path, create ? sql::Db::Mode::kCreate : sql::Db::Mode::kReadWrite);
  // A write-protected file or folder: say so before SQLite fails half-way
  // with "unable to open database file" (it cannot create the WAL index).
  int rc = db->try_exec("SELECT count(*) FROM sqlite_master");
  if (sqlite3_db_readonly(db->get(), "main") == 1 || (rc & 0xff) == SQLITE_READONLY ||
      (rc & 0xff) == SQLITE_CANTOPEN)
    throw InputError(fmt::format("database {} cannot be written (read-only file, folder or medium)", path));
  // Refuse a database from a newer telsim before changing anything in it.
  int version = read_version(*db);
  if (version > kPoolSchemaVersion) newer(path, version);
  db->exec("PRAGMA foreign_keys = ON");
  // WAL: readers never block the writer; NORMAL sync is safe against a
  // killed process (committed data is in the WAL), fast enough for leasing.
  if (version > 0) db->exec("PRAGMA journal_mode = WAL");
  db->exec("PRAGMA synchronous = NORMAL");
  set_cache(*db);
  // Checkpoints fsync: fewer of them (every ~40 MB of WAL) keep small
  // transactions such as leases cheap.
  db->exec("PRAGMA wal_autocheckpoint = 10000");
  if (version < kPoolSchemaVersion) {
    sql::Transaction tx(*db);
    // Re-read under the write lock: another process may have migrated meanwhile.
    version = read_version(*db);
    // A database that holds tables but no version is not ours.
    if (version == 0 && has_tables(*db))
      throw InputError(fmt::format("{} is an SQLite database but not a telsim one (no schema version)", path));
    for (int v = version; v < kPoolSchemaVersion; ++v) db->exec(kMigrations[v]);
    if (version < kPoolSchemaVersion) db->exec(fmt::format("PRAGMA user_version = {}", kPoolSchemaVersion));
    tx.commit();
    if (version == 0) db->exec("PRAGMA journal_mode = WAL");
  }
  return db;
}

}  // namespace

PoolStore::PoolStore(std::unique_ptr<sql::Db> db, PoolAccess access) : db_(std::move(db)), access_(access) {}
PoolStore::~PoolStore() = default;

std::unique_ptr<PoolStore> PoolStore::open(const std::string& path, PoolAccess access) {
  check_file(path, access);
  auto db = access == PoolAccess::kRead ? open_for_reading(path)
                                        : open_for_writing(path, access == PoolAccess::kCreate);
  return std::unique_ptr<PoolStore>(new PoolStore(std::move(db), access));
}

int PoolStore::schema_version() { return read_version(*db_); }

}  // namespace telsim
