// The `[forwarding]` table of a scenario: what is read, the defaults, and
// bad input refused with file, line and key (exit 2 from `telsim sim run`).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/base/error.h"
#include "core/net/scenario.h"
#include "tests/test_util.h"

using namespace telsim;

namespace {

// A minimal valid network (15 lines) to which each case appends a [forwarding] table at line 16.
const char* kMinimalNetwork =
    "[operators.a]\nkind = \"mobile\"\n"
    "[operators.b]\nkind = \"ours\"\n"
    "[interconnects.ab]\nbetween = [\"a\", \"b\"]\nchannels = 10\n"
    "[routes.r]\nfrom = \"a\"\nto = \"b\"\npaths = [[\"ab\"]]\n"
    "[streams.s]\nfrom = \"a\"\nto = \"b\"\ncalls_per_day = 100\n";
constexpr int kFirstLine = 16;  // the line after kMinimalNetwork

std::string error_of(const test::TempDir& dir, const std::string& forwarding) {
  const std::string f = dir.file("s.toml");
  test::write_file(f, std::string(kMinimalNetwork) + forwarding);
  try {
    load_scenario(f);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("[forwarding]: absent means no forwarding; every key read, defaults as documented") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  test::write_file(f, kMinimalNetwork);
  CHECK(!load_scenario(f).forwarding);

  test::write_file(f, std::string(kMinimalNetwork) + "[forwarding]\n");
  Scenario sc = load_scenario(f);
  REQUIRE(sc.forwarding);
  const ForwardingConfig& d = *sc.forwarding;
  CHECK(d.scheme == ForwardingConfig::Scheme::kSequential);
  REQUIRE(d.lines.size() == 1);
  CHECK(d.lines[0].answer == 1.0);
  CHECK(d.lines[0].answer_time.kind == Duration::Kind::kExponential);
  CHECK(d.lines[0].answer_time.mean == 10);
  CHECK(d.lines[0].ring_seconds == 20);
  CHECK(d.total_ring_seconds == 60);
  CHECK(d.hours.always_open);
  CHECK(d.hours.first_weekday == 3);
  CHECK(d.fallback.kind == ForwardingFallback::Kind::kNone);

  test::write_file(f, std::string(kMinimalNetwork) +
                          "[forwarding]\n"
                          "scheme = \"parallel\"\n"
                          "lines = 3\n"
                          "answer = [0.9, 0.8, 0.5]\n"
                          "answer_distribution = \"lognormal\"\n"
                          "mean_answer_seconds = 12\n"
                          "sd_answer_seconds = [4, 5, 6]\n"
                          "ring_seconds = 25\n"
                          "total_ring_seconds = 90\n"
                          "first_weekday = \"mon\"\n"
                          "hours = { mon = \"09:00-18:00\", fri = \"09:00-13:00, 14:00-17:00\", sat = \"closed\" }\n"
                          "fallback = { kind = \"mobile\", answer = 0.6, mean_answer_seconds = 15, ring_seconds = 30 }\n");
  sc = load_scenario(f);
  REQUIRE(sc.forwarding);
  const ForwardingConfig& c = *sc.forwarding;
  CHECK(c.scheme == ForwardingConfig::Scheme::kParallel);
  REQUIRE(c.lines.size() == 3);
  CHECK(c.lines[1].answer == 0.8);
  CHECK(c.lines[2].answer_time.kind == Duration::Kind::kLognormal);
  CHECK(c.lines[2].answer_time.mean == 12);
  CHECK(c.lines[2].answer_time.sd == 6);
  CHECK(c.lines[0].ring_seconds == 25);
  CHECK(c.total_ring_seconds == 90);
  CHECK(!c.hours.always_open);
  CHECK(c.hours.first_weekday == 0);
  CHECK(c.hours.open[0].size() == 1);
  CHECK(c.hours.open[1].empty());  // a day not listed is closed
  CHECK(c.hours.open[4].size() == 2);
  CHECK(c.hours.open[5].empty());
  CHECK(c.hours.is_open(9 * 3600.0));
  CHECK(!c.hours.is_open(86400 + 10 * 3600.0));
  CHECK(c.fallback.kind == ForwardingFallback::Kind::kMobile);
  CHECK(c.fallback.answer == 0.6);
  CHECK(c.fallback.answer_time.mean == 15);
  CHECK(c.fallback.ring_seconds == 30);

  // --set reaches its keys like any other.
  sc = load_scenario(f, {{"forwarding.lines", "2"}, {"forwarding.answer", "0.7"}, {"forwarding.sd_answer_seconds", "3"}});
  CHECK(sc.forwarding->lines.size() == 2);
  CHECK(sc.forwarding->lines[1].answer == 0.7);
}

TEST_CASE("[forwarding]: bad input is refused with file, line and key") {
  test::TempDir dir;
  struct Bad {
    const char* text;
    int line;  // offset from the [forwarding] line
    const char* key_and_what;
  };
  const Bad cases[] = {
      {"[forwarding]\nlinez = 2\n", 1, "forwarding.linez: unknown key"},
      {"[forwarding]\nlines = \"two\"\n", 1, "forwarding.lines: expected an integer"},
      {"[forwarding]\nlines = 0\n", 1, "forwarding.lines: must be between 1 and 100, got 0"},
      {"[forwarding]\nanswer = 1.2\n", 1, "forwarding.answer: probability 1.2 is outside [0, 1]"},
      {"[forwarding]\nlines = 2\nanswer = [0.5, 1.5]\n", 2, "forwarding.answer: line 2: probability 1.5 is outside [0, 1]"},
      {"[forwarding]\nlines = 2\nanswer = [0.5]\n", 2, "forwarding.answer: an array needs one value per line (2), got 1"},
      {"[forwarding]\nanswer = [\"x\"]\n", 1, "forwarding.answer: expected a number or an array of numbers"},
      {"[forwarding]\nscheme = \"round-robin\"\n", 1,
       "forwarding.scheme: 'round-robin' is not one of: sequential, parallel"},
      {"[forwarding]\nring_seconds = 0\n", 1, "forwarding.ring_seconds: must be positive, got 0"},
      {"[forwarding]\ntotal_ring_seconds = 100000\n", 1,
       "forwarding.total_ring_seconds: at most 86400 seconds (a day), got 100000"},
      {"[forwarding]\nmean_answer_seconds = -3\n", 1, "forwarding.mean_answer_seconds: must be positive, got -3"},
      {"[forwarding]\nsd_answer_seconds = 3\n", 1,
       "forwarding.sd_answer_seconds: only a lognormal answer_distribution takes a standard deviation"},
      {"[forwarding]\nanswer_distribution = \"lognormal\"\n", 0, "forwarding.sd_answer_seconds: missing (required)"},
      {"[forwarding]\nfirst_weekday = \"monday\"\n", 1, "forwarding.first_weekday: 'monday' is not one of: mon, tue"},
      {"[forwarding]\nhours = { mon = \"9-18\" }\n", 1,
       "forwarding.hours.mon: expected \"closed\" or \"HH:MM-HH:MM\" ranges separated by commas, got '9-18'"},
      {"[forwarding]\nhours = { mon = \"18:00-09:00\" }\n", 1, "forwarding.hours.mon: '18:00-09:00' closes before it opens"},
      {"[forwarding]\nhours = { monday = \"09:00-18:00\" }\n", 1, "forwarding.hours.monday: unknown key"},
      {"[forwarding]\nhours = { mon = 9 }\n", 1, "forwarding.hours.mon: expected a string"},
      {"[forwarding]\nfallback = { kind = \"fax\" }\n", 1, "forwarding.fallback.kind: 'fax' is not one of: voicemail, mobile"},
      {"[forwarding]\nfallback = { kind = \"mobile\" }\n", 1, "forwarding.fallback.answer: missing (required)"},
      {"[forwarding]\nfallback = { kind = \"voicemail\", ring_seconds = 20 }\n", 1,
       "forwarding.fallback.ring_seconds: a voicemail picks up at once"},
      {"[forwarding]\nfallback = \"voicemail\"\n", 1, "forwarding.fallback: expected a table"},
  };
  for (auto& b : cases) {
    INFO(b.text);
    const std::string err = error_of(dir, b.text);
    const std::string where = "s.toml:" + std::to_string(kFirstLine + b.line) + ": ";
    if (b.line == 0) CHECK(err.find(std::string("s.toml:") + std::to_string(kFirstLine)) != std::string::npos);
    else CHECK(err.find(where + b.key_and_what) != std::string::npos);
    CHECK(err.find(b.key_and_what) != std::string::npos);
  }
}

TEST_CASE("telsim sim run: a bad [forwarding] key exits 2 with file, line and key, and writes nothing") {
  test::TempDir dir;
  const std::string f = dir.file("s.toml");
  test::write_file(f, std::string(kMinimalNetwork) + "[forwarding]\nlines = 2\nanswer = [0.5, 1.5]\n");
  const std::string out = dir.file("result.json");
  auto r = test::telsim("sim run " + f + " --out " + out);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("s.toml:" + std::to_string(kFirstLine + 2) +
                   ": forwarding.answer: line 2: probability 1.5 is outside [0, 1]") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(!std::filesystem::exists(out));
}
