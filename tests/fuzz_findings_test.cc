// Inputs the fuzz targets (tests/fuzz, docs/reliability.md) found that broke
// telsim, each through the entry point it broke, with the answer it must get.
// The inputs are kept as found, in tests/fixtures/fuzz or in the target's
// committed corpus, tests/fuzz/corpus/TARGET.
#include <doctest/doctest.h>

#include <cstdio>

#include "core/base/error.h"
#include "core/base/timezone.h"
#include "core/cdr/cdr_mapped.h"
#include "core/cdr/numbering.h"
#include "tests/test_util.h"
#include "tools/gates.h"

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

TEST_CASE("fuzz finding: a gate's number followed by a NUL byte and more is not a number") {
  // Found by fuzz_fail_if (kept as tests/fuzz/corpus/fail_if/crash-nul-after-number):
  // "overall.asr < 0", a NUL byte, then bytes that are not UTF-8. strtod stops
  // at the NUL, so the gate was taken as "overall.asr < 0" and everything after
  // it ignored; writing the gate in the JSON output then threw on the bytes
  // (exit 1). A TOML string can hold the NUL ("\u0000"), so a scenario's
  // [gates] reaches this too; its message must not end at the NUL.
  std::string found = test::slurp(test::source("tests/fuzz/corpus/fail_if/crash-nul-after-number"));
  REQUIRE(found.find('\0') != std::string::npos);
  std::string line = found.substr(0, found.find('\n'));
  CHECK_THROWS_AS(gates::parse(line, "--fail-if"), InputError);
  CHECK_THROWS_AS(gates::parse(std::string("overall.asr < 0\0 and more", 25), "--fail-if"), InputError);
  CHECK(gates::parse("overall.asr < 0.5", "--fail-if").threshold == 0.5);

  test::TempDir d;
  test::write_file(d.file("s.toml"), test::slurp(test::source("scenarios/erlang-b.toml")) +
                                         "\n[gates]\nfail_if = [\"overall.lost.mean > 0\\u0000 junk\"]\n");
  auto r = test::telsim("sim run " + d.file("s.toml") + " --days 0.1 --replications 1 --format json");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("[gates] fail_if") != std::string::npos);
  CHECK(r.err.find("'overall.lost.mean > 0': a NUL byte at byte 22 (expected PATH OP NUMBER)") != std::string::npos);
}

TEST_CASE("fuzz finding: a time zone name too long for a file name is an unknown zone, not a crash") {
  // Found by fuzz_mapping (kept as tests/fuzz/corpus/mapping/crash-long-time-zone):
  // a mapping's time_zone of some 300 bytes. Looking for its file under
  // /usr/share/zoneinfo threw std::filesystem_error ("File name too long"),
  // and every command taking a zone (--tz, a mapping's time_zone) died with
  // exit 1 instead of saying the zone is unknown.
  const std::string found = test::source("tests/fuzz/corpus/mapping/crash-long-time-zone");
  REQUIRE(test::slurp(found).find("time_zone = \"Europe") != std::string::npos);
  CHECK_THROWS_AS(CdrMapping::load(found), InputError);
  const std::string zone = "Europe/" + std::string(300, 'F');
  CHECK_THROWS_AS(TimeZone{zone}, InputError);
  CHECK(TimeZone("Europe/Moscow").name() == "Europe/Moscow");

  auto r = test::telsim("cdr stats --input asterisk --tz " + zone + " " +
                        test::source("tests/fixtures/cdr/asterisk_messy.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown time zone") != std::string::npos);
}
