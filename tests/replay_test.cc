// `telsim sim run|compare --traffic-from-cdr`: the CDR's own calls replayed
// through a scenario's network.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using json = nlohmann::json;
using namespace telsim;

namespace {

// Asterisk Master.csv, 16 columns: 4 answered (60 s billed each), 1 busy,
// 1 unanswered, 1 failed; one call to a number outside the +7495 prefix.
const char* kCdr =
    "\"\",\"89161234567\",\"74951000001\",\"in\",\"\",\"SIP/mts-1\",\"SIP/pbx-1\",\"Dial\",\"\",\"2026-10-01 10:00:00\",\"2026-10-01 10:00:05\",\"2026-10-01 10:01:05\",65,60,\"ANSWERED\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234568\",\"74951000002\",\"in\",\"\",\"SIP/mts-2\",\"SIP/pbx-2\",\"Dial\",\"\",\"2026-10-01 10:00:10\",\"2026-10-01 10:00:15\",\"2026-10-01 10:01:15\",65,60,\"ANSWERED\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234569\",\"74951000003\",\"in\",\"\",\"SIP/mts-3\",\"SIP/pbx-3\",\"Dial\",\"\",\"2026-10-01 10:00:20\",\"2026-10-01 10:00:25\",\"2026-10-01 10:01:25\",65,60,\"ANSWERED\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234570\",\"74951000004\",\"in\",\"\",\"SIP/mts-4\",\"SIP/pbx-4\",\"Dial\",\"\",\"2026-10-01 10:00:30\",\"2026-10-01 10:00:35\",\"2026-10-01 10:01:35\",65,60,\"ANSWERED\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234571\",\"74951000005\",\"in\",\"\",\"SIP/mts-5\",\"SIP/pbx-5\",\"Dial\",\"\",\"2026-10-01 10:00:40\",,\"2026-10-01 10:00:42\",2,0,\"BUSY\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234572\",\"74951000006\",\"in\",\"\",\"SIP/mts-6\",\"SIP/pbx-6\",\"Dial\",\"\",\"2026-10-01 10:00:50\",,\"2026-10-01 10:01:20\",30,0,\"NO ANSWER\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234573\",\"74951000007\",\"in\",\"\",\"SIP/mts-7\",\"SIP/pbx-7\",\"Dial\",\"\",\"2026-10-01 10:00:55\",,\"2026-10-01 10:00:56\",1,0,\"FAILED\",\"DOCUMENTATION\"\n"
    "\"\",\"89161234574\",\"78121000008\",\"in\",\"\",\"SIP/mts-8\",\"SIP/pbx-8\",\"Dial\",\"\",\"2026-10-01 10:00:58\",\"2026-10-01 10:01:00\",\"2026-10-01 10:02:00\",62,60,\"ANSWERED\",\"DOCUMENTATION\"\n";

// Five channels: the four answered calls (60 s from 10:00:00, :10, :20, :30)
// hold four until 10:01:00 at least; the busy call (:40) passes, holding
// nothing; the unanswered one (:50) rings on the fifth for its 30 s; so the
// failed call (:55) finds all five busy and is blocked. The stream only takes
// +7495 numbers.
const char* kScenario =
    "[simulation]\nseed = 5\n"
    "[operators.mts]\nkind = \"mobile\"\n[operators.ours]\nkind = \"ours\"\n"
    "[interconnects.direct]\nbetween = [\"mts\", \"ours\"]\nchannels = 5\n"
    "[routes.r]\nfrom = \"mts\"\nto = \"ours\"\nprefix = \"+7495\"\npaths = [[\"direct\"]]\n"
    "[streams.s]\nfrom = \"mts\"\nto = \"ours\"\nprefix = \"+7495\"\ncalls_per_day = 1000\n"
    "callee = { answer = 1.0 }\n"
    "redial = { share = 1.0, max_attempts = 5 }\n";

}  // namespace

TEST_CASE("replaying a CDR offers its calls with their own times and holding times") {
  test::TempDir dir;
  test::write_file(dir.file("Master.csv"), kCdr);
  test::write_file(dir.file("s.toml"), kScenario);
  auto r = test::telsim("sim run " + dir.file("s.toml") + " --traffic-from-cdr " + dir.file("Master.csv") +
                        " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  const json& o = j["overall"];
  // 7 calls to +7495 numbers, no redials (the CDR already holds them).
  CHECK(o["offered"]["mean"] == 7);
  CHECK(o["callers"]["offered"]["mean"] == 7);
  // Callee behaviour comes from the CDR: busy and unanswered stay so.
  CHECK(o["busy"]["mean"] == 1);
  CHECK(o["no_answer"]["mean"] == 1);
  // The CDR's holding and ringing times fill all five channels at 10:00:55.
  CHECK(o["lost_by_cause"]["blocked"]["mean"] == 1);
  CHECK(o["answered"]["mean"] == 4);
  CHECK(o["answered_minutes"]["mean"].get<double>() == doctest::Approx(4.0));  // 4 x 60 billed seconds
  CHECK(j["days"] == 1.0);
  // The call to +7812 fits no stream: said on stderr, not dropped silently.
  CHECK(r.err.find("fits no stream") != std::string::npos);
  CHECK(r.err.find("1 of 8 CDR calls") != std::string::npos);

  // Strict: the unmatched call is an error.
  auto s = test::telsim("sim run " + dir.file("s.toml") + " --traffic-from-cdr " + dir.file("Master.csv") +
                        " --strict");
  CHECK(s.exit_code == 2);
  CHECK(s.err.find("+78121000008") != std::string::npos);

  // With six channels nothing is blocked, and the failed call's callee,
  // unknown from the CDR, draws from the stream's model (everybody answers).
  auto c = test::telsim("sim run " + dir.file("s.toml") + " --set interconnects.direct.channels=6 --traffic-from-cdr " +
                        dir.file("Master.csv") + " --format json");
  REQUIRE(c.exit_code == 0);
  json cj = json::parse(c.out);
  CHECK(cj["overall"]["lost_by_cause"]["blocked"]["mean"] == 0);
  CHECK(cj["overall"]["answered"]["mean"] == 5);
  // With three, the 4th answered call and everything after it is blocked.
  auto t = test::telsim("sim run " + dir.file("s.toml") + " --set interconnects.direct.channels=3 --traffic-from-cdr " +
                        dir.file("Master.csv") + " --format json");
  CHECK(json::parse(t.out)["overall"]["lost_by_cause"]["blocked"]["mean"] == 4);
  // compare replays the same calls through every network.
  auto cmp = test::telsim("sim compare " + dir.file("s.toml") + " " + dir.file("s.toml") + " --traffic-from-cdr " +
                          dir.file("Master.csv") + " --format json");
  REQUIRE(cmp.exit_code == 0);
  CHECK(json::parse(cmp.out)["networks"][1]["overall"]["offered"]["mean"] == 7);
  // Every network reads the same file: a bad row is reported once, not once per network.
  test::write_file(dir.file("Bad.csv"), std::string(kCdr) + "\"\",\"x\",\"y\"\n");
  auto twice = test::telsim("sim compare " + dir.file("s.toml") + " " + dir.file("s.toml") + " " + dir.file("s.toml") +
                            " --traffic-from-cdr " + dir.file("Bad.csv") + " --format json");
  REQUIRE(twice.exit_code == 0);
  size_t skipped = 0;
  for (size_t at = twice.err.find("Bad.csv:9: skipped"); at != std::string::npos; at = twice.err.find("Bad.csv:9: skipped", at + 1))
    ++skipped;
  CHECK(skipped == 1);
  CHECK(json::parse(twice.out)["networks"][2]["overall"]["offered"]["mean"] == 7);

  auto bad = test::telsim("sim run " + dir.file("s.toml") + " --traffic-from-cdr " + dir.file("nope.csv"));
  CHECK(bad.exit_code == 2);
}

TEST_CASE("replaying a CDR: --date-format reads a re-export's dates, and folders are refused") {
  test::TempDir dir;
  test::write_file(dir.file("s.toml"), kScenario);
  test::write_file(dir.file("Master.csv"), kCdr);
  // The same rows as a spreadsheet writes them back: 2026/10/1 10:0:5.
  std::string text = kCdr;
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  replace_all("2026-10-01 10:00:0", "2026/10/1 10:0:");
  replace_all("2026-10-01 10:01:0", "2026/10/1 10:1:");
  replace_all("2026-10-01 10:02:0", "2026/10/1 10:2:");
  replace_all("2026-10-01 ", "2026/10/1 ");
  REQUIRE(text.find("2026-10-01") == std::string::npos);
  REQUIRE(text.find("10:0:5") != std::string::npos);
  test::write_file(dir.file("export.csv"), text);
  std::string run = "sim run " + dir.file("s.toml") + " --format json --traffic-from-cdr ";
  auto padded = test::telsim(run + dir.file("Master.csv"));
  auto exported = test::telsim(run + dir.file("export.csv") + " --date-format '%Y/%m/%d %H:%M:%S'");
  REQUIRE(padded.exit_code == 0);
  CHECK(exported.exit_code == 0);
  // The same calls at the same times: every figure alike (the inputs block
  // differs: the file, its hash and the option).
  json a = json::parse(padded.out), b = json::parse(exported.out);
  CHECK(b["inputs"]["traffic_from_cdr"]["date_format"] == "%Y/%m/%d %H:%M:%S");
  a.erase("inputs");
  b.erase("inputs");
  CHECK(a == b);
  CHECK(a["overall"]["offered"]["mean"] == 7);
  // Without the option the re-export's dates are not read.
  CHECK(test::telsim(run + dir.file("export.csv")).exit_code == 2);
  auto bad = test::telsim(run + dir.file("export.csv") + " --date-format '%Y/%q'");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err ==
        "telsim: --date-format: date format '%Y/%q': %q is not supported (use %Y %m %d %H %M %S, or "
        "\"unix\")\n");
  // A folder where a file is expected, for each file option of the replay.
  auto folder = test::telsim(run + dir.path());
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "telsim: --traffic-from-cdr " + dir.path() + ": is a folder, not a CDR file\n");
  folder = test::telsim(run + dir.file("Master.csv") + " --mapping " + dir.path());
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "telsim: --mapping " + dir.path() + ": is a folder, not a mapping file\n");
  folder = test::telsim(run + dir.file("Master.csv") + " --registry " + dir.path());
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "telsim: --registry " + dir.path() + ": is a folder, not a numbering registry file\n");
}
