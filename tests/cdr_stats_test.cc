// `telsim cdr stats` end to end: golden output on messy input, strict mode,
// every input path (file, stdin, gzip) and thread count giving the same bytes.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/test_util.h"

using namespace telsim;

// "YYYY-MM-DD HH:MM:SS" in UTC, as Asterisk writes dates configured as UTC.
static std::string stamp(long long x) {
  time_t tt = static_cast<time_t>(x);
  std::tm tm;
  gmtime_r(&tt, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(b);
}

namespace {
const std::string kMessy = test::source("tests/fixtures/cdr/asterisk_messy.csv");

// telsim with stdin from a file (test::telsim reads /dev/null).
test::Run telsim_stdin(const std::string& args, const std::string& input) {
  test::TempDir d;
  std::string cmd = std::string(TELSIM_BIN) + " " + args + " <" + input + " >" + d.file("out") + " 2>" + d.file("err");
  int status = std::system(cmd.c_str());
  test::Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = test::slurp(d.file("out"));
  r.err = test::slurp(d.file("err"));
  return r;
}

using test::has;

// A file large enough to be read in chunks (> 1 MiB), with calls whose two
// legs are written far apart, bad rows sprinkled in, and legs at every
// possible chunk boundary.
std::string big_file() {
  std::string out;
  char line[512];
  long long t = 1790812800;
  for (int i = 0; i < 9000; ++i) {
    t += 7;
    const char* disp[] = {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"};
    int d = i % 5;
    std::string ans = d == 0 ? "\"" + stamp(t + 3) + "\"" : "";
    // Every third call has a second leg, logged 40 rows later.
    std::snprintf(line, sizeof line,
                  "\"\",\"8916%07d\",\"7495%07d\",\"ctx\",\"\"\"N%d\"\" <1>\",\"SIP/in-%08x\",\"SIP/out%d-%08x\",\"Dial\","
                  "\"x\",\"%s\",%s,\"%s\",%d,%d,\"%s\",\"DOCUMENTATION\",\"%d.1\",\"\",\"\",\"L%d\",%d\n",
                  i, i % 300, i, i, i % 4, i, stamp(t).c_str(), ans.c_str(), stamp(t + 30).c_str(), 30,
                  d == 0 ? 27 : 0, disp[d], i, i - (i % 3 == 2 && i >= 40 ? 40 : 0), i);
    out += line;
    if (i % 997 == 0) out += "\"broken\"quote,1,2\n";
    if (i % 1499 == 0) out += "\"\",\"1\",\"2\"\n";
  }
  return out;
}
}  // namespace

TEST_CASE("cdr stats: golden JSON on messy Asterisk input; every bad row reported") {
  // Run from the source tree: the document names its input by the path given.
  auto r = test::telsim("cdr stats tests/fixtures/cdr/asterisk_messy.csv --tz Europe/Moscow --by day --by outcome "
                        "--format json",
                        "cd " + test::source("") + " &&");
  CHECK(r.exit_code == 0);
  CHECK(r.out == test::slurp(test::source("tests/fixtures/cdr/asterisk_messy.stats.json")));
  // Worked by hand from the fixture: 16 rows, 9 skipped, 7 legs -> 6 calls;
  // 5 seized (the FAILED call had no outgoing channel); answered 3 of 5
  // seized (ASR 0.6), delivered 3 answered + 1 busy (NER 0.8), 3 of 6 bids
  // (ABR 0.5); billsec 60 + 3 + 30 (ACD 31), one under 6 s (SDR 1/3);
  // time to answer 5 + 24 + 10 s (PDD 13).
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rows"] == 16);
  CHECK(j["calls"] == 6);
  CHECK(j["skipped"] == 9);
  CHECK(j["overall"]["asr"] == 0.6);
  CHECK(j["overall"]["ner"] == 0.8);
  CHECK(j["overall"]["abr"] == 0.5);
  CHECK(j["overall"]["acd"] == 31.0);
  CHECK(j["overall"]["sdr"] == 0.3333);
  CHECK(j["overall"]["pdd"] == 13.0);
  CHECK(j["groups"].back()["day"] == "2026-10-02");  // after midnight, local time
  const char* expected[] = {
      ":4: skipped (broken_quoting)",    ":5: warning (non_utf8_text)",     ":7: skipped (too_few_columns)",
      ":8: skipped (too_many_columns)",  ":9: skipped (bad_date)",          ":10: skipped (negative_duration)",
      ":11: skipped (unknown_disposition)", ":12: skipped (missing_date)", ":13: skipped (end_before_start)",
      ":15: warning (answer_time_derived)", ":17: skipped (broken_quoting)",
  };
  for (auto* e : expected) {
    INFO(e);
    CHECK(has(r.err, "asterisk_messy.csv" + std::string(e)));
  }
  CHECK(has(r.err, "skipped 9 (broken_quoting 2, too_few_columns 1"));
}

TEST_CASE("cdr stats --strict stops at the first bad row with exit 2 and no output") {
  auto r = test::telsim("cdr stats " + kMessy + " --strict --format json");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, "asterisk_messy.csv:4: skipped (broken_quoting)"));
  // A clean file passes strict mode.
  r = test::telsim("cdr stats " + test::source("tests/fixtures/cdr/export.csv") + " --mapping " +
                   test::source("tests/fixtures/cdr/export.toml") + " --strict");
  CHECK(r.exit_code == 2);  // it has one bad date
  CHECK(has(r.err, "export.csv:6: skipped (bad_date)"));
}

TEST_CASE("cdr stats: stdin and gzip read the same as the plain file") {
  test::TempDir d;
  std::string data = test::slurp(kMessy);
  gzFile gz = gzopen(d.file("m.csv.gz").c_str(), "wb");
  REQUIRE(gz);
  gzwrite(gz, data.data(), static_cast<unsigned>(data.size()));
  gzclose(gz);
  std::string args = " --tz Europe/Moscow --by hour --by trunk --format json";
  auto plain = test::telsim("cdr stats " + kMessy + args);
  auto gzr = test::telsim("cdr stats " + d.file("m.csv.gz") + args);
  auto in = telsim_stdin("cdr stats -" + args, kMessy);
  CHECK(plain.exit_code == 0);
  // The same figures; only the inputs (names and digests) differ.
  auto figures = [](const std::string& out) {
    auto j = nlohmann::json::parse(out);
    j.erase("inputs");
    return j;
  };
  CHECK(figures(gzr.out) == figures(plain.out));
  CHECK(figures(in.out) == figures(plain.out));
  CHECK(has(gzr.err, "m.csv.gz:17: skipped (broken_quoting)"));
  CHECK(has(in.err, "-:17: skipped (broken_quoting)"));
}

TEST_CASE("cdr stats: the same bytes whatever the number of threads") {
  test::TempDir d;
  std::string f = d.file("big.csv");
  test::write_file(f, big_file());
  std::string args = " --by hour --by trunk --by outcome --format json";
  auto one = test::telsim("cdr stats " + f + args + " --threads 1");
  REQUIRE(one.exit_code == 0);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["rows"] == 9000 + 10 + 7);
  CHECK(j["skipped"] == 17);
  int second_legs = 0;
  for (int i = 40; i < 9000; ++i) second_legs += i % 3 == 2;
  CHECK(j["calls"] == 9000 - second_legs);  // second legs joined their calls
  for (int t : {2, 3, 4}) {
    auto many = test::telsim("cdr stats " + f + args + " --threads " + std::to_string(t));
    INFO("threads " << t);
    CHECK(many.exit_code == 0);
    CHECK(many.out == one.out);
    CHECK(many.err == one.err);
  }
}

TEST_CASE("cdr stats: table and CSV formats, --out, grouping by number") {
  test::TempDir d;
  auto r = test::telsim("cdr stats " + kMessy + " --by called --by prefix --prefix-digits 5 --format csv --out " +
                        d.file("s.csv"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  std::string csv = test::slurp(d.file("s.csv"));
  CHECK(csv.rfind("called,prefix,calls,seized,answered,busy,no_answer,failed,congestion,asr,ner,abr,acd,sdr,pdd\n", 0) == 0);
  CHECK(has(csv, "(all),,6,5,3,1,0,1,1,0.6000,0.8000,0.5000,31.0,0.3333,13.0\n"));
  CHECK(has(csv, "+74951000002,74951,1,1,1,0,0,0,0,1.0000,1.0000,1.0000,3.0,1.0000,24.0\n"));
  r = test::telsim("cdr stats " + kMessy);
  CHECK(has(r.out, "rows 16, calls 6, skipped 9"));
  CHECK(has(r.out, "(all)      6       5         3"));
}

TEST_CASE("cdr stats: an outcomes file changes what NER counts as delivered") {
  test::TempDir d;
  test::write_file(d.file("o.toml"), "[dispositions]\n\"CONGESTION\" = { outcome = \"congestion\", q850 = 20 }\n"
                                     "[ner]\ndelivered = [16, 17, 18, 19, 20, 21]\n");
  auto r = test::telsim("cdr stats " + kMessy + " --outcomes " + d.file("o.toml") + " --format json");
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["overall"]["ner"] == 1.0);
  test::write_file(d.file("bad.toml"), "[dispositions]\n\"X\" = { outcome = \"gone\" }\n");
  r = test::telsim("cdr stats " + kMessy + " --outcomes " + d.file("bad.toml"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "bad.toml:2"));
}

TEST_CASE("cdr stats: bad usage exits 2 with a message") {
  auto r = test::telsim("cdr stats " + kMessy + " --by weekday");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--by weekday"));
  r = test::telsim("cdr stats /nonexistent/Master.csv");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "/nonexistent/Master.csv: cannot open"));
  r = test::telsim("cdr stats " + kMessy + " --input mapped");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--mapping"));
  r = test::telsim("cdr stats " + kMessy + " --tz Mars/Base");
  CHECK(r.exit_code == 2);
  r = test::telsim("cdr stats " + kMessy + " --by operator");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--registry"));
  test::TempDir d;
  test::write_file(d.file("x.csv"), "a,b,c\n1,2,3\n");
  r = test::telsim("cdr stats " + d.file("x.csv"));
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "cannot tell the CDR format"));
}

TEST_CASE("cdr stats: FreeSWITCH legs linked across chunk boundaries, same bytes for any thread count") {
  // B legs logged 30 rows before the A leg that names them (bleg_uuid): the
  // union must survive the file being cut anywhere.
  std::string text;
  char line[512];
  const int n = 12000;
  for (int i = 0; i < n + 30; ++i) {
    long long t = 1790812800LL + i * 5;
    if (i < n) {  // the B leg of call i
      std::snprintf(line, sizeof line,
                    "\"Caller %d\",\"8916%07d\",\"7495%07d\",\"public\",\"%s\",\"%s\",\"%s\",\"60\",\"%d\","
                    "\"%s\",\"b-%d\",\"\",\"\",\"PCMA\",\"PCMA\"\n",
                    i, i, i % 50, stamp(t).c_str(), i % 4 ? stamp(t + 4).c_str() : "", stamp(t + 60).c_str(),
                    i % 4 ? 56 : 0, i % 4 ? "NORMAL_CLEARING" : "USER_BUSY", i);
      text += line;
    }
    if (i >= 30) {  // the A leg of call i - 30
      int j = i - 30;
      std::snprintf(line, sizeof line,
                    "\"Caller %d\",\"8916%07d\",\"7495%07d\",\"public\",\"%s\",\"\",\"%s\",\"61\",\"0\","
                    "\"ORIGINATOR_CANCEL\",\"a-%d\",\"b-%d\",\"\",\"PCMA\",\"PCMA\"\n",
                    j, j, j % 50, stamp(1790812800LL + j * 5 - 1).c_str(), stamp(1790812800LL + j * 5 + 60).c_str(),
                    j, j);
      text += line;
    }
  }
  test::TempDir d;
  test::write_file(d.file("fs.csv"), text);
  std::string args = " --by called --by outcome --format json --input freeswitch";
  auto one = test::telsim("cdr stats " + d.file("fs.csv") + args + " --threads 1");
  REQUIRE(one.exit_code == 0);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["rows"] == 2 * n);
  CHECK(j["calls"] == n);
  CHECK(j["overall"]["answered"] == n - n / 4);
  CHECK(j["overall"]["busy"] == n / 4);
  for (int t : {2, 3}) {
    auto many = test::telsim("cdr stats " + d.file("fs.csv") + args + " --threads " + std::to_string(t));
    INFO("threads " << t);
    CHECK(many.out == one.out);
  }
}

TEST_CASE("cdr stats: warnings beyond the first 100 of a kind are counted, not printed") {
  std::string text;
  for (int i = 0; i < 150; ++i)
    text += "\"\",\"8916\",\"7495\",\"c\",\"\xC0\xC1\",\"SIP/a-1\",\"\",\"Dial\",\"\",\"2026-10-01 10:00:00\",,"
            "\"2026-10-01 10:00:01\",1,0,\"FAILED\",\"DOCUMENTATION\"\n";
  test::TempDir d;
  test::write_file(d.file("w.csv"), text);
  auto r = test::telsim("cdr stats " + d.file("w.csv") + " --format json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["warnings"]["non_utf8_text"] == 150);
  size_t shown = 0;
  for (size_t p = r.err.find("warning (non_utf8_text)"); p != std::string::npos;
       p = r.err.find("warning (non_utf8_text)", p + 1))
    ++shown;
  CHECK(shown == 100);
  CHECK(has(r.err, "further non_utf8_text warnings are counted, not shown"));
}

TEST_CASE("cdr stats: random bytes never crash; every row is kept or skipped with a reason") {
  // Lines of valid rows cut and spliced with random bytes (NULs, quotes,
  // commas, cp1251, CRs): the reader must account for every one.
  std::string good = test::slurp(kMessy);
  std::mt19937 rng(11);
  std::string text;
  int lines = 0;
  for (int i = 0; i < 3000; ++i) {
    size_t a = rng() % good.size(), n = rng() % 200;
    std::string piece = good.substr(a, n);
    for (char& c : piece)
      if (rng() % 23 == 0) c = static_cast<char>(rng() % 256);
    piece.erase(std::remove(piece.begin(), piece.end(), '\n'), piece.end());
    if (piece.empty()) continue;
    text += piece + "\n";
    ++lines;
  }
  test::TempDir d;
  test::write_file(d.file("junk.csv"), text);
  for (const char* input : {"asterisk", "freeswitch"}) {
    auto r = test::telsim("cdr stats " + d.file("junk.csv") + " --input " + input + " --format json --by called");
    INFO(input << ": " << r.err.substr(0, 300));
    if (r.exit_code == 2) {  // nothing readable at all: said so, no report
      CHECK(has(r.err, "no row could be read"));
      continue;
    }
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);  // valid JSON even with broken bytes in keys
    int64_t skipped = 0;
    for (auto& [k, v] : j["skipped_by_reason"].items()) skipped += v.get<int64_t>();
    CHECK(j["skipped"] == skipped);
    CHECK(j["rows"].get<int64_t>() <= lines);  // lines that are only a CR are blank
    CHECK(j["rows"].get<int64_t>() >= lines - 200);
  }
}

namespace {
// One switch's Master.csv in time order (rows written when a leg ends, as
// Asterisk does): `calls` calls over one day from 2026-10-01, a third of them
// forwarded (a second leg with the same linkedid after the first ends).
// Ids are "start.sequence" as Asterisk writes them, after `system` (the
// systemname Asterisk puts before ids, so two switches' ids differ).
std::string switch_part(unsigned seed, int calls, const std::string& system) {
  std::mt19937 rng(seed);
  struct Row {
    long long end;
    int seq;
    std::string text;
  };
  std::vector<Row> rows;
  long long t = 1790812800;
  int seq = 0;
  for (int i = 0; i < calls; ++i) {
    t += 1 + static_cast<long long>(rng() % 50);
    std::string linked = system + std::to_string(t) + "." + std::to_string(i);
    int legs = rng() % 3 == 0 ? 2 : 1;
    long long start = t;
    for (int leg = 0; leg < legs; ++leg) {
      bool answered = leg == legs - 1 && rng() % 3 != 0;
      long long ring = 2 + rng() % 10, bill = answered ? 1 + rng() % 600 : 0;
      long long end = start + ring + bill;
      std::string uniq = leg == 0 ? linked : system + std::to_string(start) + ".b" + std::to_string(i);
      std::string row = "\"\",\"8916" + std::to_string(1000000 + rng() % 9000000) + "\",\"74951000" +
                        std::to_string(100 + rng() % 50) +
                        "\",\"from-trunk\",\"\"\"Caller\"\" <89160000000>\",\"SIP/mts-in-0000000a\","
                        "\"SIP/client-pbx-0000000b\",\"Dial\",\"SIP/client-pbx/74951000001,30\",\"" +
                        stamp(start) + "\"," + (answered ? "\"" + stamp(start + ring) + "\"" : "") + ",\"" +
                        stamp(end) + "\"," + std::to_string(end - start) + "," + std::to_string(bill) + ",\"" +
                        (answered ? "ANSWERED" : "NO ANSWER") + "\",\"DOCUMENTATION\",\"" + uniq +
                        "\",\"\",\"\",\"" + linked + "\"," + std::to_string(seq) + "\n";
      rows.push_back(Row{end, seq++, row});
      start = end;
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.end != b.end ? a.end < b.end : a.seq < b.seq; });
  std::string out;
  for (auto& r : rows) out += r.text;
  return out;
}
}  // namespace

namespace {
// An Asterisk row (21 columns) of one leg: linkedid `linked`, its own
// uniqueid `uniq`, from `start` for `ring` seconds then `bill` answered.
std::string leg_row(const std::string& linked, const std::string& uniq, long long start, long long ring, long long bill,
                    int seq) {
  long long end = start + ring + bill;
  return "\"\",\"89161234567\",\"74951000100\",\"from-trunk\",\"\",\"SIP/mts-in-1\",\"SIP/pbx-1\",\"Dial\",\"\",\"" +
         stamp(start) + "\"," + (bill > 0 ? "\"" + stamp(start + ring) + "\"" : "") + ",\"" + stamp(end) + "\"," +
         std::to_string(end - start) + "," + std::to_string(bill) + ",\"" + (bill > 0 ? "ANSWERED" : "NO ANSWER") +
         "\",\"DOCUMENTATION\",\"" + uniq + "\",\"\",\"\",\"" + linked + "\"," + std::to_string(seq) + "\n";
}
}  // namespace

TEST_CASE("cdr stats: out of time order, a call's legs join up to 10,000 rows apart, not beyond") {
  // The first leg of call X rings unanswered at 10:00; then `gap` rows of
  // other calls three hours later (past two windows, so time alone would
  // close X); then X's second leg, forwarded and answered at 10:00:20.
  // Within 10,000 rows it joins X, one answered call, alike for any threads.
  // Far beyond (calls are closed in batches, every 4,096 rows with ids) it
  // starts a call of its own, read by one thread, and X stays an unanswered
  // one; with more threads it may depend on where chunks fall (docs/cdr.md).
  test::TempDir d;
  const long long t = 1790845200;  // 2026-10-01 10:00:00 UTC
  auto file = [&](int gap) {
    std::string s = leg_row("x.1", "x.1", t, 20, 0, 0);
    for (int i = 0; i < gap; ++i) {
      std::string id = "f." + std::to_string(i);
      s += leg_row(id, id, t + 3 * 3600 + i, 5, 30, i + 1);
    }
    return s + leg_row("x.1", "x.2", t + 20, 5, 60, gap + 1);
  };
  std::string near = d.file("near.csv"), far = d.file("far.csv");
  test::write_file(near, file(9999));  // X's legs 10,000 rows apart
  test::write_file(far, file(15000));
  auto one = test::telsim("cdr stats " + near + " --format json --threads 1");
  REQUIRE(one.exit_code == 0);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["calls"] == 10000);
  CHECK(j["overall"]["answered"] == 10000);
  for (int t : {2, 4}) {
    INFO("threads " << t);
    CHECK(test::telsim("cdr stats " + near + " --format json --threads " + std::to_string(t)).out == one.out);
  }
  CHECK(telsim_stdin("cdr stats - --format json --threads 2", near).out.find("\"calls\": 10000,") != std::string::npos);
  auto split = test::telsim("cdr stats " + far + " --format json --threads 1");
  REQUIRE(split.exit_code == 0);
  j = nlohmann::json::parse(split.out);
  CHECK(j["calls"] == 15002);
  CHECK(j["overall"]["answered"] == 15001);
}

TEST_CASE("cdr stats: two switches' Master.csv concatenated give the same calls with any threads, stdin or gzip") {
  // Each part is in time order, the whole file is not: the second part's
  // times start again a day earlier. Reading by time alone closed the second
  // part's calls before their second legs arrived (one thread) or not
  // (another thread count): phantom unanswered calls that depended on --threads.
  test::TempDir d;
  std::string a = switch_part(1, 5000, "pbx-a-"), b = switch_part(2, 5000, "pbx-b-");
  REQUIRE(a.size() + b.size() > (2u << 20));  // big enough to be cut into chunks
  test::write_file(d.file("a.csv"), a);
  test::write_file(d.file("b.csv"), b);
  test::write_file(d.file("ab.csv"), a + b);
  std::string ab = a + b;
  gzFile gz = gzopen(d.file("ab.csv.gz").c_str(), "wb");
  REQUIRE(gz);
  gzwrite(gz, ab.data(), static_cast<unsigned>(ab.size()));
  gzclose(gz);
  auto figures = [](const std::string& out) {
    auto j = nlohmann::json::parse(out);
    j.erase("inputs");
    return j;
  };
  auto calls = [](const std::string& out) { return nlohmann::json::parse(out)["calls"].get<int64_t>(); };
  std::string args = " --by hour --format json --threads ";
  auto pa = test::telsim("cdr stats " + d.file("a.csv") + args + "1");
  auto pb = test::telsim("cdr stats " + d.file("b.csv") + args + "1");
  REQUIRE(pa.exit_code == 0);
  REQUIRE(pb.exit_code == 0);
  auto one = test::telsim("cdr stats " + d.file("ab.csv") + args + "1");
  REQUIRE(one.exit_code == 0);
  // Every call of each part, none split, none joined across the parts.
  CHECK(calls(one.out) == calls(pa.out) + calls(pb.out));
  CHECK(figures(one.out)["overall"]["answered"] ==
        figures(pa.out)["overall"]["answered"].get<int64_t>() + figures(pb.out)["overall"]["answered"].get<int64_t>());
  for (int t : {2, 4}) {
    INFO("threads " << t);
    auto many = test::telsim("cdr stats " + d.file("ab.csv") + args + std::to_string(t));
    CHECK(many.out == one.out);
  }
  auto gzr = test::telsim("cdr stats " + d.file("ab.csv.gz") + args + "2");
  CHECK(figures(gzr.out) == figures(one.out));
  auto in = telsim_stdin("cdr stats -" + args + "2", d.file("ab.csv"));
  CHECK(figures(in.out) == figures(one.out));
  // Switches without a systemname write the same ids: a few calls of one
  // part then join calls of the other at the same time (the file cannot tell
  // them apart), but still alike whatever the way of reading.
  std::string same = switch_part(1, 5000, "") + switch_part(2, 5000, "");
  test::write_file(d.file("same.csv"), same);
  auto s1 = test::telsim("cdr stats " + d.file("same.csv") + args + "1");
  REQUIRE(s1.exit_code == 0);
  for (int t : {2, 4}) {
    INFO("same ids, threads " << t);
    CHECK(test::telsim("cdr stats " + d.file("same.csv") + args + std::to_string(t)).out == s1.out);
  }
  CHECK(figures(telsim_stdin("cdr stats -" + args + "1", d.file("same.csv")).out) == figures(s1.out));
}

TEST_CASE("cdr stats: a MySQL export with bare quotes in caller names and NULLs reads; billsec > duration warned") {
  // Rows 1-2 quote the caller name as `""Ivan" <1115>"`: strict CSV refuses
  // them, the usual lenient reading gives 21 fields. Row 4 still does not fit.
  // Row 3 bills 40 s of a 10 s leg.
  auto r = test::telsim("cdr stats " + test::source("tests/fixtures/cdr/mysql_export.csv") +
                        " --by trunk --format json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rows"] == 4);
  CHECK(j["calls"] == 3);
  CHECK(j["skipped_by_reason"]["broken_quoting"] == 1);
  CHECK(j["warnings"]["quoting_repaired"] == 2);
  CHECK(j["warnings"]["billsec_over_duration"] == 1);
  CHECK(has(r.err, "mysql_export.csv:1: warning (quoting_repaired)"));
  CHECK(has(r.err, "mysql_export.csv:3: warning (billsec_over_duration)"));
  CHECK(has(r.err, "mysql_export.csv:4: skipped (broken_quoting)"));
  // NULL is no trunk: the unanswered call has an empty trunk, not "NULL".
  for (auto& g : j["groups"]) CHECK(g["trunk"] != "NULL");
  CHECK(j["groups"].size() == 2);
  CHECK(j["overall"]["answered"] == 2);  // an answer of NULL is no answer time
}

TEST_CASE("cdr stats: the table and JSON round a figure the same way (half away from zero)") {
  // Four answered calls billed 33, 33, 33 and 34 s: ACD 33.25 s.
  test::TempDir d;
  std::string rows;
  int bills[] = {33, 33, 33, 34};
  for (int i = 0; i < 4; ++i) {
    long long s = 1790812800 + i * 600;
    rows += "\"\",\"89161234567\",\"74951000001\",\"from-trunk\",\"x\",\"SIP/a-00000001\",\"SIP/b-00000002\",\"Dial\","
            "\"x\",\"" + stamp(s) + "\",\"" + stamp(s + 1) + "\",\"" + stamp(s + 1 + bills[i]) + "\"," +
            std::to_string(1 + bills[i]) + "," + std::to_string(bills[i]) +
            ",\"ANSWERED\",\"DOCUMENTATION\",\"id" + std::to_string(i) + "\",\"\",\"\",\"id" + std::to_string(i) +
            "\"," + std::to_string(i) + "\n";
  }
  test::write_file(d.file("m.csv"), rows);
  auto json = test::telsim("cdr stats " + d.file("m.csv") + " --format json");
  auto table = test::telsim("cdr stats " + d.file("m.csv"));
  auto csv = test::telsim("cdr stats " + d.file("m.csv") + " --format csv");
  CHECK(nlohmann::json::parse(json.out)["overall"]["acd"] == 33.3);
  CHECK(has(table.out, " 33.3 "));
  CHECK(has(csv.out, ",33.3,"));
}

TEST_CASE("cdr stats --date-format: dates without leading zeros, as spreadsheets re-export them") {
  test::TempDir d;
  std::string row = "\"\",\"89161234567\",\"74951000001\",\"from-trunk\",\"x\",\"SIP/a-00000001\",\"SIP/b-00000002\","
                    "\"Dial\",\"x\",\"2020/2/10 22:41\",\"2020/2/10 22:41\",\"2020/2/10 22:43\",120,120,\"ANSWERED\","
                    "\"DOCUMENTATION\",\"id1\",\"\",\"\",\"id1\",1\n";
  test::write_file(d.file("m.csv"), row);
  auto bad = test::telsim("cdr stats " + d.file("m.csv") + " --format json");
  CHECK(bad.exit_code == 2);  // the default layout refuses it
  CHECK(has(bad.err, "skipped (bad_date)"));
  auto r = test::telsim("cdr stats " + d.file("m.csv") + " --format json --by day --date-format '%Y/%m/%d %H:%M'");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["overall"]["answered"] == 1);
  CHECK(j["groups"][0]["day"] == "2020-02-10");
  CHECK(j["inputs"]["options"]["date_format"] == "%Y/%m/%d %H:%M");
  auto wrong = test::telsim("cdr stats " + d.file("m.csv") + " --date-format '%Y/%q'");
  CHECK(wrong.exit_code == 2);
  CHECK(has(wrong.err, "--date-format: date format '%Y/%q'"));
  // cdr calibrate reads the CDR the same way: the call is there.
  auto cal = test::telsim("cdr calibrate " + d.file("m.csv") + " --date-format '%Y/%m/%d %H:%M'");
  CHECK(cal.exit_code == 0);
  CHECK(has(cal.out, "# read: rows 1, calls 1, skipped 0"));
  CHECK(test::telsim("cdr calibrate " + d.file("m.csv")).exit_code == 2);
  // The same layout in a mapping file.
  test::write_file(d.file("e.csv"), "start,end,disp,dst\n2020/2/10 9:05,2020/2/10 9:07,ANSWERED,74951000001\n");
  test::write_file(d.file("e.toml"), "date_format = \"%Y/%m/%d %H:%M\"\n[columns]\nstart = \"start\"\nend = "
                                     "\"end\"\ndisposition = \"disp\"\ncalled = \"dst\"\n");
  auto m = test::telsim("cdr stats " + d.file("e.csv") + " --mapping " + d.file("e.toml") + " --format json");
  CHECK(m.exit_code == 0);
  CHECK(has(m.out, "\"answered\": 1"));
}

TEST_CASE("cdr and numbering: a folder where a file is expected is exit 2 \"is a folder\"") {
  test::TempDir d;
  std::string dir = d.file("dir");
  REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
  const std::string cmds[] = {
      "cdr stats " + dir,
      "cdr stats " + kMessy + " --outcomes " + dir,
      "cdr stats " + kMessy + " --mapping " + dir,
      "cdr stats " + kMessy + " --registry " + dir + " --by operator",
      "cdr replay " + kMessy + " --leases " + dir + " --db " + d.file("x.db"),
      "numbering lookup 89161234567 --registry " + dir,
      "numbering import " + dir + " --registry " + d.file("r.reg"),
  };
  for (auto& c : cmds) {
    INFO(c);
    auto r = test::telsim(c);
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, dir + ": is a folder"));
  }
}

TEST_CASE("cdr stats: a message quotes at most a few hundred bytes of a 1 MB field") {
  test::TempDir d;
  std::string huge(1 << 20, 'X');
  test::write_file(d.file("m.csv"),
                   "\"\",\"1\",\"2\",\"c\",\"x\",\"SIP/a-1\",\"\",\"Dial\",\"x\",\"2026-10-01 10:00:00\",,"
                   "\"2026-10-01 10:00:01\",1,0,\"" + huge + "\",\"DOCUMENTATION\",\"id\",\"\",\"\",\"id\",1\n");
  auto r = test::telsim("cdr stats " + d.file("m.csv") + " --input asterisk");
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "skipped (unknown_disposition)"));
  CHECK(has(r.err, "(1048576 bytes)"));
  CHECK(r.err.size() < 2000);
}

TEST_CASE("cdr stats: more than a mebibyte of skip messages per chunk, spilled to disk, keep their order and bytes") {
  // A chunk keeps its diagnostics in memory up to 1 MiB, then moves them to a
  // temporary file (core/cdr/cdr_reader.cc); the messages must come out
  // whole, once each, in row order, the same with any thread count and from
  // stdin (one stream, other pieces).
  std::string text;
  const int rows = 40000;
  int bad = 0;
  for (int i = 0; i < rows; ++i) {
    if (i % 4 == 0) {
      text += fmt::format("\"\",\"8916{:07}\",\"74951000001\",\"c\",\"ok\",\"SIP/a-{}\",\"\",\"Dial\",\"\","
                          "\"2026-10-01 10:00:00\",,\"2026-10-01 10:00:01\",1,0,\"FAILED\",\"DOCUMENTATION\"\n",
                          i, i);
    } else {
      text += fmt::format("not,a,cdr,row,{}\n", i);
      ++bad;
    }
  }
  test::TempDir d;
  test::write_file(d.file("spill.csv"), text);
  auto one = test::telsim("cdr stats " + d.file("spill.csv") + " --format json --threads 1");
  REQUIRE(one.exit_code == 0);
  auto j = nlohmann::json::parse(one.out);
  CHECK(j["rows"] == rows);
  CHECK(j["skipped"] == bad);
  REQUIRE(one.err.size() > (size_t{2} << 20));  // past the in-memory limit even split in two
  // Every bad row's message once, in order.
  size_t lines = 0;
  long last = 0;
  bool ordered = true;
  const std::string prefix = d.file("spill.csv") + ":";
  for (size_t p = one.err.find(prefix); p != std::string::npos; p = one.err.find(prefix, p + 1)) {
    long line = std::strtol(one.err.c_str() + p + prefix.size(), nullptr, 10);
    ordered = ordered && line > last;
    last = line;
    ++lines;
  }
  CHECK(ordered);
  CHECK(lines == static_cast<size_t>(bad));
  for (int t : {2, 3}) {
    auto many = test::telsim("cdr stats " + d.file("spill.csv") + " --format json --threads " + std::to_string(t));
    INFO("threads " << t);
    CHECK(many.exit_code == 0);
    CHECK(many.out == one.out);
    CHECK(many.err == one.err);
  }
  auto piped = telsim_stdin("cdr stats - --format json", d.file("spill.csv"));
  CHECK(piped.exit_code == 0);
  auto figures = [](const std::string& out) {
    auto doc = nlohmann::json::parse(out);
    doc.erase("inputs");
    return doc;
  };
  CHECK(figures(piped.out) == figures(one.out));
  // The same messages, named "-" instead of the file. Copied in one pass:
  // replacing in place moved the rest of these megabytes once per message.
  std::string renamed;
  for (size_t from = 0;;) {
    size_t p = one.err.find(prefix, from);
    renamed.append(one.err, from, p == std::string::npos ? std::string::npos : p - from);
    if (p == std::string::npos) break;
    renamed += "-:";
    from = p + prefix.size();
  }
  CHECK(piped.err == renamed);
}
