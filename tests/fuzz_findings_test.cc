// Inputs the fuzz targets (tests/fuzz, docs/reliability.md) found that broke
// telsim, each through the entry point it broke, with the answer it must get.
// The inputs are kept as found, in tests/fixtures/fuzz.
#include <doctest/doctest.h>

#include <cstdio>

#include "core/base/error.h"
#include "core/cdr/numbering.h"
#include "tests/test_util.h"

using namespace telsim;

TEST_CASE("fuzz finding: a registry capacity too long for 64 bits is a warning, not a crash") {
  // Found by fuzz_numbering: row 3's capacity "1099999999999999999999990000"
  // made std::stoull throw out_of_range, and `numbering import` died with
  // "telsim: error: stoull" (exit 1) instead of importing the file.
  const std::string csv = test::source("tests/fixtures/fuzz/numbering-capacity-overflow.csv");
  test::TempDir d;
  std::FILE* diag = std::tmpfile();
  std::string image;
  RegistryImport r = Numbering::import({csv}, &image, false, diag);
  test::write_file(d.file("n.reg"), image);
  std::rewind(diag);
  char buf[8192] = {};
  std::string err(buf, std::fread(buf, 1, sizeof buf - 1, diag));
  std::fclose(diag);
  CHECK(r.rows == 5);
  CHECK(r.ranges == 3);  // rows 3, 4 and 6; 2 and 5 are bad
  CHECK(err.find(":3: warning: capacity 1099999999999999999999990000 differs from the range size 100000 "
                 "(range kept)") != std::string::npos);
  RangeInfo info;
  CHECK(Numbering::load(d.file("n.reg")).lookup("+79462050000", &info));

  test::Run run = test::telsim("numbering import " + csv + " --registry " + d.file("cli.reg") + " --format csv");
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("differs from the range size 100000") != std::string::npos);
}
