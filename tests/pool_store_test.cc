// PoolStore: which files open as a pool database, and how. Read-only
// commands never create, migrate or write, and read from read-only media.
#include "core/pool/pool_store.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/base/error.h"
#include "core/pool/pool_db.h"
#include "tests/test_util.h"

using namespace telsim;
using telsim::test::Run;
using telsim::test::TempDir;

namespace {

std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Makes `dir` and the file `file` in it unwritable, as on a read-only medium.
// Root ignores permission bits, so as root the immutable attribute is used
// (chattr +i, CAP_LINUX_IMMUTABLE); otherwise chmod 0555 / 0444. Undone at
// scope exit so the temp dir can be removed.
class ReadOnly {
 public:
  ReadOnly(const std::string& dir, const std::string& file) : dir_(dir), file_(file) {
    if (geteuid() == 0) {
      chattr_ = std::system(("chattr +i '" + file + "' '" + dir + "' 2>/dev/null").c_str()) == 0;
      ok_ = chattr_;
    } else {
      ok_ = chmod(file.c_str(), 0444) == 0 && chmod(dir.c_str(), 0555) == 0;
    }
    // Proof that it took: creating a file in the folder must fail.
    if (ok_) {
      std::string probe = dir + "/probe";
      FILE* f = std::fopen(probe.c_str(), "w");
      if (f) {
        std::fclose(f);
        std::remove(probe.c_str());
        ok_ = false;
      }
    }
  }
  ~ReadOnly() {
    if (chattr_) std::system(("chattr -i '" + file_ + "' '" + dir_ + "' 2>/dev/null").c_str());
    chmod(dir_.c_str(), 0755);
    chmod(file_.c_str(), 0644);
  }
  bool ok() const { return ok_; }

 private:
  std::string dir_, file_;
  bool chattr_ = false, ok_ = false;
};

}  // namespace

TEST_CASE("pool store: a folder, an empty file and a non-SQLite file are refused, and left as they were") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(PoolStore::open(dir.path(), PoolAccess::kRead), doctest::Contains("is a folder"), InputError);
  CHECK_THROWS_WITH_AS(PoolStore::open(dir.path(), PoolAccess::kCreate), doctest::Contains("is a folder"), InputError);
  std::string empty = dir.file("empty.db");
  test::write_file(empty, "");
  for (PoolAccess access : {PoolAccess::kRead, PoolAccess::kWrite}) {
    CHECK_THROWS_WITH_AS(PoolStore::open(empty, access),
                         doctest::Contains(("no database at " + empty + " (the file is empty)").c_str()), InputError);
    CHECK(std::filesystem::file_size(empty) == 0);
  }
  std::string text = dir.file("notes.db");
  test::write_file(text, "time,caller\n");
  for (PoolAccess access : {PoolAccess::kRead, PoolAccess::kWrite, PoolAccess::kCreate})
    CHECK_THROWS_WITH_AS(PoolStore::open(text, access),
                         (text + ": not a telsim pool database (not an SQLite file)").c_str(), InputError);
  CHECK(test::slurp(text) == "time,caller\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"empty.db", "notes.db"});
  // pool init is what turns an empty file into a database.
  CHECK(PoolStore::open(empty, PoolAccess::kCreate)->schema_version() == kPoolSchemaVersion);
}

TEST_CASE("pool store: a damaged database, or an SQLite header on something else, is bad input (exit 2)") {
  TempDir dir;
  // The 16-byte header of an SQLite file, then anything: SQLite reads the
  // header as its own and finds out on the first statement.
  std::string fake = dir.file("fake.db");
  test::write_file(fake, std::string("SQLite format 3\0", 16) + std::string(4096, '\xff'));
  Run r = test::telsim("number list --db " + fake);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: database " + fake + ": file is not a database\n");
  // A real pool database with a page in the middle overwritten (a bad copy,
  // a bad disk): every command that meets the page says so, exit 2, and
  // writes nothing.
  std::string db = dir.file("t.db");
  {
    std::vector<std::string> numbers;
    for (int i = 0; i < 2000; ++i) numbers.push_back("+7495" + std::to_string(1000000 + i));
    PoolDb::open(db, PoolAccess::kCreate)->add_numbers(numbers, 0);
  }
  std::string bytes = test::slurp(db);
  REQUIRE(bytes.size() > 8 * 4096);
  for (size_t i = 4 * 4096; i < bytes.size() - 4096; ++i) bytes[i] = '\xaa';
  test::write_file(db, bytes);
  for (const char* command : {"number list --db ", "number add +74959999999 --db "}) {
    r = test::telsim(command + db);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("telsim: database " + db + ": ") == 0);
    CHECK(r.err.find("malformed") != std::string::npos);
  }
  CHECK(test::slurp(db) == bytes);
}

TEST_CASE("pool store: reading never creates, migrates or writes") {
  TempDir dir;
  std::string missing = dir.file("missing.db");
  CHECK_THROWS_WITH_AS(PoolStore::open(missing, PoolAccess::kRead), doctest::Contains("no database at"), InputError);
  CHECK_FALSE(std::filesystem::exists(missing));
  // An SQLite file without tables is not a database to read either.
  std::string bare = dir.file("bare.db");
  sql::Db(bare, true).exec("PRAGMA user_version = 0; VACUUM");
  CHECK_THROWS_WITH_AS(PoolStore::open(bare, PoolAccess::kRead), doctest::Contains("an empty SQLite database"),
                       InputError);
  std::string db = dir.file("t.db");
  PoolDb::open(db, PoolAccess::kCreate)->add_numbers({"+74951234500"}, 0);
  auto store = PoolStore::open(db, PoolAccess::kRead);
  CHECK(PoolDb(*store).numbers().size() == 1);
  CHECK_THROWS(store->sql().exec("DELETE FROM numbers"));  // query-only
  CHECK_THROWS(PoolDb(*store).add_numbers({"+74951234501"}, 0));
  store.reset();
  CHECK(PoolDb::open(db, PoolAccess::kRead)->numbers().size() == 1);
  // A reader leaves no WAL files behind once it is gone.
  CHECK(listing(dir.path()) == std::vector<std::string>{"bare.db", "t.db"});
}

// Its own ctest test (pool_store_read_only, tests/CMakeLists.txt), skipped
// in the file's run: where no folder can be made read-only it exits 77,
// which ctest shows as "Skipped", never as passed.
TEST_CASE("pool store: a database on a read-only medium can be read, not written" * doctest::skip()) {
  TempDir outer;
  std::string dir = outer.file("ro");
  std::filesystem::create_directory(dir);
  std::string db = dir + "/t.db";
  {
    auto p = PoolDb::open(db, PoolAccess::kCreate);
    p->add_numbers({"+74951234500", "+74951234501"}, 0);
  }
  REQUIRE(listing(dir) == std::vector<std::string>{"t.db"});
  ReadOnly ro(dir, db);
  if (!ro.ok()) {
    std::fprintf(stderr,
                 "skipped: cannot make a folder read-only here (as root: no chattr, or a file system "
                 "without the immutable attribute)\n");
    std::error_code ec;
    std::filesystem::remove_all(outer.path(), ec);
    std::_Exit(77);
  }
  CHECK(PoolDb::open(db, PoolAccess::kRead)->numbers().size() == 2);
  CHECK_THROWS_WITH_AS(PoolStore::open(db, PoolAccess::kWrite), doctest::Contains("cannot be written"), InputError);
  // Through the real commands: reads work, writes are bad input.
  Run r = test::telsim("number list --format csv --db " + db);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "number,state,pool,source,medium,campaign,since,overflow\n"
        "+74951234500,available,,,,,1970-01-01 00:00:00,false\n"
        "+74951234501,available,,,,,1970-01-01 00:00:00,false\n");
  CHECK(test::telsim("pool list --db " + db).exit_code == 0);
  CHECK(test::telsim("quarantine release --db " + db).exit_code == 0);  // a dry run reads only
  r = test::telsim("number add +74951234502 --db " + db);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "telsim: database " + db + " cannot be written (read-only file, folder or medium)\n");
  CHECK(listing(dir) == std::vector<std::string>{"t.db"});
}
