// The numbering registry: import of the regulator's CSVs, the compact file,
// lookups, and grouping CDR statistics by destination operator.
#include "core/cdr/numbering.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "tests/test_util.h"

using namespace telsim;

namespace {
const std::string kAbc = test::source("tests/fixtures/numbering/ABC-4xx.csv");
const std::string kDef = test::source("tests/fixtures/numbering/DEF-9xx.csv");
using test::has;
// Imports and writes the registry image to `path` (only when the import succeeds).
RegistryImport import_to(const std::vector<std::string>& csvs, const std::string& path, bool strict, std::FILE* diag) {
  std::string image;
  RegistryImport r = Numbering::import(csvs, &image, strict, diag);
  test::write_file(path, image);
  return r;
}
}  // namespace

TEST_CASE("registry import: both editions, BOM, bare quotes in names; bad and overlapping rows reported") {
  test::TempDir d;
  std::string reg = d.file("n.reg");
  std::FILE* diag = std::tmpfile();
  RegistryImport r = import_to({kAbc, kDef}, reg, false, diag);
  CHECK(r.rows == 8);
  CHECK(r.ranges == 6);
  CHECK(r.skipped == 1);
  CHECK(r.overlaps == 1);
  CHECK(r.operators == 6);
  CHECK(r.regions == 4);
  std::rewind(diag);
  char buf[4096] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, diag);
  std::fclose(diag);
  std::string err(buf, n);
  CHECK(has(err, "ABC-4xx.csv:5: skipped: range 'abc'"));
  CHECK(has(err, "ABC-4xx.csv:6: skipped: range 4952050000..4952059999 overlaps the range of"));

  Numbering nb = Numbering::load(reg);
  CHECK(nb.ranges() == 6);
  RangeInfo i;
  REQUIRE(nb.lookup("+79161234567", &i));
  CHECK(i.op == "ПАО \"Мобильные ТелеСистемы\"");
  CHECK(i.region == "г. Москва и Московская область");
  CHECK(i.kind == RangeInfo::Kind::kMobile);
  CHECK(i.code == 916);
  REQUIRE(nb.lookup("84951000000", &i));  // first number of a range
  CHECK(i.op == "ПАО \"МГТС\"");
  CHECK(i.kind == RangeInfo::Kind::kFixed);
  REQUIRE(nb.lookup("4951999999", &i));  // last number of the same range
  CHECK(i.op == "ПАО \"МГТС\"");
  REQUIRE(nb.lookup("+79000061999", &i));
  CHECK(i.op == "ООО \"Т2 Мобайл\"");
  CHECK_FALSE(nb.lookup("+79000062000", &i));  // just past the end
  CHECK_FALSE(nb.lookup("+74950999999", &i));  // just before the start
  CHECK_FALSE(nb.lookup("+12025550123", &i));  // not Russian
  CHECK_FALSE(nb.lookup("214943", &i));
}

TEST_CASE("registry import: strict refuses, a failed import keeps the old file, damaged files are refused") {
  test::TempDir d;
  std::string reg = d.file("n.reg");
  import_to({kDef}, reg, false, nullptr);
  std::string before = test::slurp(reg);
  CHECK_THROWS_WITH_AS(import_to({kAbc}, reg, true, nullptr), doctest::Contains("ABC-4xx.csv:5"), InputError);
  CHECK(test::slurp(reg) == before);
  test::write_file(d.file("empty.csv"), "АВС/ DEF;От;До;Емкость;Оператор;Регион\n");
  CHECK_THROWS_AS(import_to({d.file("empty.csv")}, reg, false, nullptr), InputError);
  CHECK(test::slurp(reg) == before);
  test::write_file(d.file("short.reg"), before.substr(0, before.size() / 2));
  CHECK_THROWS_WITH_AS(Numbering::load(d.file("short.reg")), doctest::Contains("not a telsim numbering registry"),
                       InputError);
  CHECK_THROWS_AS(Numbering::load(kDef), InputError);
  test::write_file(d.file("hdr.csv"), "Код;Начало;Конец\n916;0;1\n");
  CHECK_THROWS_WITH_AS(import_to({d.file("hdr.csv")}, reg, false, nullptr), doctest::Contains("hdr.csv:1"),
                       InputError);
}

TEST_CASE("telsim numbering import and lookup") {
  test::TempDir d;
  std::string reg = d.file("n.reg");
  auto r = test::telsim("numbering import " + kAbc + " " + kDef + " --registry " + reg + " --format json");
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["ranges"] == 6);
  CHECK(j["skipped"] == 1);
  CHECK(has(r.err, "ABC-4xx.csv:5: skipped"));
  r = test::telsim("numbering lookup 89161234567 +74951500000 214943 --format json --registry " + reg);
  CHECK(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "telsim.numbering-lookup/1");
  j = j["results"];
  CHECK(j[0]["e164"] == "+79161234567");
  CHECK(j[0]["kind"] == "mobile");
  CHECK(j[1]["operator"] == "ПАО \"МГТС\"");
  CHECK(j[1]["kind"] == "fixed");
  CHECK(j[2]["operator"].is_null());
  r = test::telsim("numbering lookup hello --registry " + reg);
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "'hello': not a phone number"));
  r = test::telsim("numbering lookup 89161234567 --registry " + d.file("missing.reg"));
  CHECK(r.exit_code == 2);
  r = test::telsim("numbering import " + kAbc + " --strict --registry " + reg);
  CHECK(r.exit_code == 2);
}

TEST_CASE("cdr stats --by operator groups calls by the destination's range holder") {
  test::TempDir d;
  std::string reg = d.file("n.reg");
  import_to({kAbc, kDef}, reg, false, nullptr);
  // Called numbers of the messy fixture: +7495100000x (МГТС range).
  test::write_file(d.file("c.csv"),
                   "\"\",\"1\",\"89161234567\",\"c\",\"\",\"SIP/a-1\",\"SIP/b-2\",\"Dial\",\"\",\"2026-10-01 10:00:00\","
                   "\"2026-10-01 10:00:02\",\"2026-10-01 10:01:00\",60,58,\"ANSWERED\",\"DOCUMENTATION\"\n"
                   "\"\",\"1\",\"84951000001\",\"c\",\"\",\"SIP/a-1\",\"SIP/b-2\",\"Dial\",\"\",\"2026-10-01 10:00:00\","
                   ",\"2026-10-01 10:00:20\",20,0,\"NO ANSWER\",\"DOCUMENTATION\"\n"
                   "\"\",\"1\",\"84951000002\",\"c\",\"\",\"SIP/a-1\",\"SIP/b-2\",\"Dial\",\"\",\"2026-10-01 10:00:00\","
                   "\"2026-10-01 10:00:05\",\"2026-10-01 10:00:20\",20,15,\"ANSWERED\",\"DOCUMENTATION\"\n"
                   "\"\",\"1\",\"100\",\"c\",\"\",\"SIP/a-1\",\"SIP/b-2\",\"Dial\",\"\",\"2026-10-01 10:00:00\","
                   ",\"2026-10-01 10:00:20\",20,0,\"BUSY\",\"DOCUMENTATION\"\n");
  auto r = test::telsim("cdr stats " + d.file("c.csv") + " --by operator --registry " + reg + " --format json");
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["groups"].size() == 3);
  CHECK(j["groups"][0]["operator"] == "(unknown)");
  CHECK(j["groups"][0]["busy"] == 1);
  CHECK(j["groups"][1]["operator"] == "ПАО \"МГТС\"");
  CHECK(j["groups"][1]["calls"] == 2);
  CHECK(j["groups"][1]["asr"] == 0.5);
  CHECK(j["groups"][2]["operator"] == "ПАО \"Мобильные ТелеСистемы\"");
  CHECK(j["groups"][2]["answered"] == 1);
}

TEST_CASE("numbering import: a message quotes at most a few hundred bytes of a 1 MB header; a folder is refused") {
  test::TempDir d;
  test::write_file(d.file("big.csv"), std::string(1 << 20, 'X') + ";a;b\n1;2;3\n");
  auto r = test::telsim("numbering import " + d.file("big.csv") + " --registry " + d.file("n.reg"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "(1048580 bytes)"));  // the whole header line
  CHECK(r.err.size() < 2000);
  REQUIRE(std::system(("mkdir -p " + d.file("dir")).c_str()) == 0);
  r = test::telsim("numbering lookup 89161234567 --registry " + d.file("dir"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--registry " + d.file("dir") + ": is a folder"));
}
