// The CDR rows of a forwarded call's legs (sim/forwarding_cdr.h): one row per
// attempt, failed ones included, all sharing the call's linkedid, readable
// by `telsim cdr stats` as one call.
#include "sim/forwarding_cdr.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

using namespace telsim;

namespace {

constexpr int64_t kEpoch = 1767225600;  // 2026-01-01 00:00:00 UTC

// Fields of one Master.csv line (quoted fields, "" inside).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> f;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      f.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  f.push_back(cur);
  return f;
}

std::vector<std::vector<std::string>> rows_of(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) rows.push_back(fields(line));
  return rows;
}

const ForwardedCall kCall{"1767229200.41", "ads", "+79161234567", "+74951234501", "SIP/mobile-00000029"};

}  // namespace

TEST_CASE("a call with three failed legs and a fourth answered gives four rows sharing the linkedid") {
  // Lines 1-3 never answer, line 4 picks up after 3 s; ring 10 s each.
  ForwardingConfig c;
  c.lines.resize(4);
  for (auto& l : c.lines) {
    l.answer = 0;
    l.ring_seconds = 10;
  }
  c.lines[3].answer = 1;
  c.lines[3].answer_time = Duration{Duration::Kind::kDeterministic, 3, 0};
  Forwarding f(c);
  Rng rng(1);
  const auto r = f.offer(3600, 120, rng);  // 01:00:00 on the epoch's day
  REQUIRE(r.legs.size() == 4);
  REQUIRE(r.answered_by == 3);

  uint64_t seq = 41;
  const std::string csv = forwarding_cdr_rows(kCall, r, kEpoch, &seq);
  CHECK(seq == 45);
  const auto rows = rows_of(csv);
  REQUIRE(rows.size() == 4);
  const char* starts[] = {"2026-01-01 01:00:00", "2026-01-01 01:00:10", "2026-01-01 01:00:20", "2026-01-01 01:00:30"};
  const char* ends[] = {"2026-01-01 01:00:10", "2026-01-01 01:00:20", "2026-01-01 01:00:30", "2026-01-01 01:02:33"};
  for (int i = 0; i < 4; ++i) {
    INFO("row " << i);
    const auto& f = rows[i];
    REQUIRE(f.size() == 21);
    CHECK(f[0] == "ads");
    CHECK(f[1] == kCall.src);
    CHECK(f[2] == kCall.dst);
    CHECK(f[5] == kCall.channel);
    CHECK(f[6] == "SIP/line" + std::to_string(i + 1) + "-0000002" + std::string(1, "abcd"[i]));
    CHECK(f[7] == "Dial");
    CHECK(f[9] == starts[i]);
    CHECK(f[11] == ends[i]);
    CHECK(f[19] == kCall.linkedid);  // every leg shares the call's linkedid
    CHECK(f[20] == std::to_string(42 + i));
  }
  for (int i = 0; i < 3; ++i) {
    CHECK(rows[i][14] == "NO ANSWER");
    CHECK(rows[i][10].empty());  // no answer time
    CHECK(rows[i][12] == "10");  // duration: the ring
    CHECK(rows[i][13] == "0");
    CHECK(rows[i][17] == "19");
  }
  CHECK(rows[3][14] == "ANSWERED");
  CHECK(rows[3][10] == "2026-01-01 01:00:33");
  CHECK(rows[3][12] == "123");  // 3 s of ringing and 120 of conversation
  CHECK(rows[3][13] == "120");
  CHECK(rows[3][17] == "16");
  // Unique ids differ per row; the same inputs give the same bytes.
  CHECK(rows[0][16] != rows[1][16]);
  uint64_t again = 41;
  CHECK(forwarding_cdr_rows(kCall, r, kEpoch, &again) == csv);

  // `cdr stats` joins the four rows into one answered call.
  test::TempDir dir;
  const std::string file = dir.file("Master.csv");
  test::write_file(file, csv);
  auto stats = test::telsim("cdr stats " + file + " --format json");
  INFO(stats.err);
  REQUIRE(stats.exit_code == 0);
  const auto j = nlohmann::json::parse(stats.out);
  CHECK(j["rows"].get<int64_t>() == 4);
  CHECK(j["skipped"].get<int64_t>() == 0);
  CHECK(j["overall"]["calls"].get<int64_t>() == 1);
  CHECK(j["overall"]["answered"].get<int64_t>() == 1);
}

TEST_CASE("legs of every kind map to their disposition and cause") {
  Forwarding::Result r;
  r.answer_s = 100;
  r.legs = {{LegAttempt::kOffice, 50, 50, LegOutcome::kOutOfHours},
            {0, 50, 50, LegOutcome::kBusy},
            {1, 50, 100, LegOutcome::kCancelled},
            {LegAttempt::kFallback, 50, 160, LegOutcome::kAnswered}};
  uint64_t seq = 0;
  const auto rows = rows_of(forwarding_cdr_rows(kCall, r, kEpoch, &seq));
  REQUIRE(rows.size() == 4);
  // Out of hours: nothing dialled, the switch hangs up with cause 21.
  CHECK(rows[0][6].empty());
  CHECK(rows[0][7] == "Hangup");
  CHECK(rows[0][14] == "NO ANSWER");
  CHECK(rows[0][17] == "21");
  CHECK(rows[1][14] == "BUSY");
  CHECK(rows[1][17] == "17");
  CHECK(rows[1][12] == "0");
  CHECK(rows[2][14] == "NO ANSWER");
  CHECK(rows[2][17] == "26");
  CHECK(rows[3][6].rfind("SIP/fallback-", 0) == 0);
  CHECK(rows[3][14] == "ANSWERED");
  CHECK(rows[3][13] == "60");
  for (auto& f : rows) CHECK(f[19] == kCall.linkedid);
}
