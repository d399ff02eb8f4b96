// Inputs the fuzz targets (tests/fuzz, docs/reliability.md) found that broke
// telsim, each through the entry point it broke, with the answer it must get.
// The inputs are kept as found, in tests/fixtures/fuzz or in the target's
// committed corpus, tests/fuzz/corpus/TARGET.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstdio>

#include "core/base/error.h"
#include "core/base/timezone.h"
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

TEST_CASE("fuzz finding: a mapping that names a required column as \"\" is refused, not read at index -1") {
  // Found by fuzz_mapping (kept as tests/fixtures/fuzz/mapping-empty-start.toml):
  // `start = ""` in [columns]. An empty name left the column unbound (-1), as
  // an optional column's "" rightly does, and every row then read field -1 of
  // the splitter (UndefinedBehaviorSanitizer: index out of bounds); the
  // release build reported every row as "start time is empty".
  const std::string found = test::source("tests/fixtures/fuzz/mapping-empty-start.toml");
  auto r = test::telsim("cdr stats --input mapped --mapping " + found + " " +
                        test::source("tests/fixtures/cdr/export.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("mapping-empty-start.toml:8: columns.start: empty: name the CSV column that holds it") !=
        std::string::npos);

  test::TempDir d;
  for (const char* key : {"called", "disposition"}) {
    std::string text = "delimiter = \";\"\ndate_format = \"%d.%m.%Y %H:%M:%S\"\ncodes = \"sip\"\n"
                       "[columns]\nstart = \"start_time\"\nend = \"end_time\"\n";
    text += std::string("called = \"") + (key == std::string("called") ? "" : "dst") + "\"\n";
    text += std::string("disposition = \"") + (key == std::string("disposition") ? "" : "status") + "\"\n";
    test::write_file(d.file("m.toml"), text);
    auto k = test::telsim("cdr stats --input mapped --mapping " + d.file("m.toml") + " " +
                          test::source("tests/fixtures/cdr/export.csv"));
    CHECK(k.exit_code == 2);
    CHECK(k.err.find(fmt::format("columns.{}: empty", key)) != std::string::npos);
  }
  // The same file with every column named reads.
  test::write_file(d.file("m.toml"), "delimiter = \";\"\ndate_format = \"%d.%m.%Y %H:%M:%S\"\ncodes = \"sip\"\n"
                                     "[columns]\nstart = \"start_time\"\nend = \"end_time\"\ncalled = \"dst\"\n"
                                     "disposition = \"status\"\ncaller = \"\"\n");
  auto ok = test::telsim("cdr stats --input mapped --mapping " + d.file("m.toml") + " " +
                         test::source("tests/fixtures/cdr/export.csv"));
  CHECK(ok.exit_code == 0);
}

TEST_CASE("fuzz finding: a time zone name longer than a file name can be is an unknown zone") {
  // Found by fuzz_mapping (kept as tests/fixtures/fuzz/mapping-long-time-zone.toml):
  // a time_zone of 301 bytes. std::filesystem::is_regular_file threw
  // filesystem_error (File name too long) instead of answering false, and
  // telsim ended with an uncaught exception. The same name through --tz.
  const std::string found = test::source("tests/fixtures/fuzz/mapping-long-time-zone.toml");
  auto r = test::telsim("cdr stats --input mapped --mapping " + found + " " +
                        test::source("tests/fixtures/cdr/export.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("mapping-long-time-zone.toml:1: time_zone: '-3000000") != std::string::npos);
  CHECK(r.err.find("unknown time zone") != std::string::npos);

  const std::string long_name(5000, 'x');
  CHECK_THROWS_AS(TimeZone{long_name}, InputError);
  try {
    TimeZone z(long_name);
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).size() < 400);  // the name is quoted cut, not whole
  }
  CHECK_THROWS_AS(TimeZone{"Europe/" + std::string(300, 'M')}, InputError);
  CHECK(TimeZone("Europe/Moscow").name() == "Europe/Moscow");

  auto tz = test::telsim("cdr stats --input asterisk --tz Europe/" + std::string(300, 'F') + " " +
                         test::source("tests/fixtures/cdr/asterisk_messy.csv"));
  CHECK(tz.exit_code == 2);
  CHECK(tz.out.empty());
  CHECK(tz.err.find("unknown time zone") != std::string::npos);
}

TEST_CASE("fuzz finding: an include name too long for a file name is a missing include, not a crash") {
  // Found by fuzz_scenario after 4.5 million executions (kept as
  // tests/fixtures/fuzz/scenario-long-include.toml): an include of 200-odd
  // bytes. std::filesystem::exists threw filesystem_error ("File name too
  // long") and sim run ended with an uncaught exception, exit 1. The same for
  // the scenario file's own name on the command line.
  const std::string found = test::source("tests/fixtures/fuzz/scenario-long-include.toml");
  auto r = test::telsim("sim run " + found + " --format json");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("scenario-long-include.toml:2: include: no such file '") != std::string::npos);

  test::TempDir d;
  const std::string long_name = d.file(std::string(300, 's') + ".toml");
  auto own = test::telsim("sim run " + long_name + " --format json");
  CHECK(own.exit_code == 2);
  CHECK(own.err.find("no such scenario file") != std::string::npos);
}
