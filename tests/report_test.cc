// telsim report: the page for sales from a sim compare/run JSON or from
// scenario files; escaping, byte identity, languages, Markdown, and the
// messages for what it cannot do. The page in a real browser:
// tests/report/browser_test.py.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <filesystem>
#include <regex>
#include <map>
#include <set>

#include "tests/test_util.h"
#include "tools/report_text.h"

using namespace telsim;
using json = nlohmann::json;

namespace {

std::string networks(const std::string& extra = "") {
  return test::source("scenarios/transit-vs-direct-transit.toml") + " " +
         test::source("scenarios/transit-vs-direct-direct.toml") + " --days 0.5 --replications 3" + extra;
}

// A compare document written by sim compare, shared by the tests below.
const std::string& compare_json() {
  static std::string doc = [] {
    auto r = test::telsim("sim compare " + networks(" --format json"));
    REQUIRE(r.exit_code == 0);
    return r.out;
  }();
  return doc;
}

// The text a reader sees: no tags, no script or style contents, no comments.
// (By hand: std::regex recurses per character and overflows the stack on a
// page with Chart.js inlined.)
std::string visible(const std::string& html) {
  std::string out;
  size_t i = 0;
  auto skip_to = [&](const char* end) {
    size_t at = html.find(end, i);
    i = at == std::string::npos ? html.size() : at + std::strlen(end);
  };
  while (i < html.size()) {
    if (html.compare(i, 7, "<script") == 0) skip_to("</script>");
    else if (html.compare(i, 6, "<style") == 0) skip_to("</style>");
    else if (html.compare(i, 4, "<!--") == 0) skip_to("-->");
    else if (html[i] == '<') {
      skip_to(">");
      out += ' ';
    } else {
      out += html[i++];
    }
  }
  return out;
}

// The report of `input`, whose names and descriptions hold
// "<script>alert('x')</script> & <b>bold</b>" and a name ending a script
// element: outside the embedded data (JSON with \u003c escapes) the text
// shows only as entities, the data element cannot be ended early, and the
// Markdown holds no markup either.
void check_shown_as_text(const std::string& input) {
  auto r = test::telsim("report " + input);
  REQUIRE(r.exit_code == 0);
  std::string page = r.out.substr(0, r.out.find("<script type=\"application/json\""));
  CHECK(page.find("alert('x')") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  CHECK(r.out.find("<script>alert") == std::string::npos);
  size_t data = r.out.find("id=\"telsim-data\">");
  REQUIRE(data != std::string::npos);
  CHECK(r.out.substr(data, r.out.find("</script>", data) - data).find('<') == std::string::npos);
  auto md = test::telsim("report " + input + " --format md");
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("<script") == std::string::npos);
  CHECK(md.out.find("&lt;script&gt;") != std::string::npos);
}
}  // namespace

TEST_CASE("report: one self-contained page from a sim compare JSON, the same bytes every time") {
  test::TempDir dir;
  test::write_file(dir.file("cmp.json"), compare_json());
  auto r = test::telsim("report " + dir.file("cmp.json") + " --out " + dir.file("r.html"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  std::string html = test::slurp(dir.file("r.html"));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  // Nothing is fetched: no external source or link, a policy that forbids it,
  // Chart.js inlined, the data embedded.
  for (const char* attribute : {"src=", "href="})
    for (size_t at = html.find(attribute); at != std::string::npos; at = html.find(attribute, at + 1))
      CHECK_MESSAGE(html.substr(at, 40).find("//") == std::string::npos, html.substr(at, 40));
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(html.find("Chart.js v") != std::string::npos);
  CHECK(html.find("<script type=\"application/json\" id=\"telsim-data\">") != std::string::npos);
  CHECK(html.find("@page { size: A4") != std::string::npos);
  // Plain words: networks by name, no metric keys or "pp" in what is shown.
  std::string text = visible(html);
  CHECK(text.find("transit") != std::string::npos);
  CHECK(text.find("scenarios/") == std::string::npos);
  CHECK_FALSE(std::regex_search(text, std::regex("\\b[a-z]+_[a-z_]+\\b")));
  CHECK_FALSE(std::regex_search(text, std::regex("\\bpp\\b")));
  CHECK(text.find("fewer calls a month are lost than with") != std::string::npos);

  auto again = test::telsim("report " + dir.file("cmp.json") + " --out " + dir.file("r2.html"));
  REQUIRE(again.exit_code == 0);
  CHECK(test::slurp(dir.file("r2.html")) == html);
}

TEST_CASE("report: two networks of one name are told apart by their letters; Markdown claims no charts") {
  test::TempDir dir;
  json doc = json::parse(compare_json());
  doc["networks"][1]["name"] = doc["networks"][0]["name"];  // a file compared with itself under --set B:...
  doc["economics"]["networks"][1]["name"] = doc["networks"][0]["name"];
  test::write_file(dir.file("same.json"), doc.dump());
  auto r = test::telsim("report " + dir.file("same.json") + " --format md");
  REQUIRE(r.exit_code == 0);
  const std::string a = "A. " + doc["networks"][0]["name"].get<std::string>(),
                    b = "B. " + doc["networks"][0]["name"].get<std::string>();
  CHECK(r.out.find("With " + b + ", ") != std::string::npos);
  CHECK(r.out.find(" than with " + a + ":") != std::string::npos);
  CHECK(r.out.find("Made with telsim ") != std::string::npos);
  CHECK(r.out.find("charts is embedded") == std::string::npos);
  std::string html = test::telsim("report " + dir.file("same.json")).out;
  CHECK(html.find("The data behind the charts is embedded in this file") != std::string::npos);
}

TEST_CASE("report: text from scenario files is escaped, in HTML and in Markdown") {
  test::TempDir dir;
  json doc = json::parse(compare_json());
  doc["networks"][1]["description"] = "<script>alert('x')</script> & <b>bold</b>";
  doc["networks"][1]["name"] = "direct</script><script>alert(1)</script>";
  doc["economics"]["networks"][1]["name"] = doc["networks"][1]["name"];
  test::write_file(dir.file("evil.json"), doc.dump());
  check_shown_as_text(dir.file("evil.json"));
}

TEST_CASE("report --lang ru: every text in Russian, numbers written the Russian way") {
  test::TempDir dir;
  test::write_file(dir.file("cmp.json"), compare_json());
  auto en = test::telsim("report " + dir.file("cmp.json") + " --format md");
  auto ru = test::telsim("report " + dir.file("cmp.json") + " --format md --lang ru");
  REQUIRE(en.exit_code == 0);
  REQUIRE(ru.exit_code == 0);
  CHECK(ru.out.find("Сколько звонков теряет телефонная сеть") != std::string::npos);
  CHECK(ru.out.find("Исходные данные") != std::string::npos);
  CHECK(ru.out.find("Calls") == std::string::npos);
  // 180,000 calls a month (the shipped comparison's [economics]).
  CHECK(en.out.find("180,000") != std::string::npos);
  CHECK(ru.out.find("180\u202f000") != std::string::npos);
  CHECK(report::percent(0.99951, 2, report::Lang::kRu) == "99,95\u00a0%");
  CHECK(report::decimal(-1234.56, 1, report::Lang::kEn) == "\u22121,234.6");
  CHECK(report::whole(-0.2, report::Lang::kEn) == "0");
  // Same content as the HTML, without charts.
  CHECK(en.out.find("<canvas") == std::string::npos);
  CHECK(en.out.find("| Calls lost a month |") != std::string::npos);
  CHECK(en.out.find("## Assumptions") != std::string::npos);
}

TEST_CASE("report from scenario files runs the comparison itself") {
  test::TempDir dir;
  auto r = test::telsim("report " + networks(" --call-value 900 --currency EUR --format md"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("900\u00a0EUR a call") != std::string::npos);
  CHECK(r.out.find("**transit**") == std::string::npos);  // networks are lettered in a comparison
  CHECK(r.out.find("A. transit") != std::string::npos);
  // A difference reads with its sign: "+" for a gain, as a loss reads with "−".
  CHECK(std::regex_search(r.out, std::regex("\n\\| Calls delivered[^\n]* \\| \\+[1-9][0-9.]* \\(95% interval: [^\n]*\\|\n")));
  CHECK(std::regex_search(r.out, std::regex("\n\\| More calls that reach you[^\n]* \\| \\+[0-9]")));
  CHECK(std::regex_search(r.out, std::regex("\n\\| Calls lost a month[^\n]* \\| −[1-9][0-9,]* \\(95% interval: [^\n]*\\|\n")));
  // Options reprice a document already written, exactly: twice the calls, twice the losses.
  test::write_file(dir.file("cmp.json"), compare_json());
  auto once = test::telsim("report " + dir.file("cmp.json") + " --format md --calls-per-month 1000");
  auto twice = test::telsim("report " + dir.file("cmp.json") + " --format md --calls-per-month 2000");
  REQUIRE(once.exit_code == 0);
  REQUIRE(twice.exit_code == 0);
  std::smatch a, b;
  std::regex big("- \\*\\*([0-9,]+)\\*\\* calls lost a month with transit");
  REQUIRE(std::regex_search(once.out, a, big));
  REQUIRE(std::regex_search(twice.out, b, big));
  auto value = [](std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ','), s.end());
    return std::stod(s);
  };
  CHECK(value(b[1]) == doctest::Approx(2 * value(a[1])).epsilon(0.001));
}

TEST_CASE("report: what it cannot use is refused with the place and exit 2, nothing written") {
  test::TempDir dir;
  json plain = json::parse(compare_json());
  plain.erase("economics");
  test::write_file(dir.file("plain.json"), plain.dump());
  auto r = test::telsim("report " + dir.file("plain.json") + " --out " + dir.file("r.html"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("plain.json: no economics in it") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("r.html")));

  test::write_file(dir.file("other.json"), "{\"schema\": \"telsim.pool-report/1\"}");
  auto other = test::telsim("report " + dir.file("other.json"));
  CHECK(other.exit_code == 2);
  CHECK(other.err.find("other.json: not the JSON of telsim sim compare, sim run or sim sweep") != std::string::npos);

  auto missing = test::telsim("report " + dir.file("nope.json"));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.json: no such file") != std::string::npos);

  auto bad_lang = test::telsim("report " + dir.file("plain.json") + " --lang de");
  CHECK(bad_lang.exit_code == 2);

  // A folder given for the Chart.js file: said, not read as an empty script.
  test::write_file(dir.file("cmp.json"), compare_json());
  auto folder = test::telsim("report " + dir.file("cmp.json") + " --chart-js " + dir.path() + " --out " + dir.file("r.html"));
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "telsim: --chart-js " + dir.path() + ": is a folder, not a Chart.js file\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("r.html")));

  // A folder as the input, said the same way as for every file option.
  auto input_folder = test::telsim("report " + dir.path() + " --out " + dir.file("r.html"));
  CHECK(input_folder.exit_code == 2);
  CHECK(input_folder.err == "telsim: " + dir.path() + ": is a folder, not a JSON document or a scenario file\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("r.html")));

  // A key the page reads, missing (a hand-edited file): exit 2, never a read
  // past the document (AddressSanitizer found one in the long-field sweep).
  auto run = test::telsim("sim run " + test::source("scenarios/erlang-b.toml") +
                          " --days 0.01 --replications 2 --jobs 1 --call-value 1000 --currency RUB --format json");
  REQUIRE(run.exit_code == 0);
  for (const char* key : {"lost_revenue_per_month", "lost_revenue_per_year", "lost_calls_per_month_by_cause"}) {
    INFO(key);
    json edited = json::parse(run.out);
    REQUIRE(edited["economics"].contains(key));
    edited["economics"].erase(key);
    test::write_file(dir.file("edited.json"), edited.dump());
    auto missing_key = test::telsim("report " + dir.file("edited.json") + " --out " + dir.file("e.html"));
    CHECK(missing_key.exit_code == 2);
    CHECK(missing_key.err.find("edited.json: not the JSON telsim writes: ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("e.html")));
  }

  // A schema of a megabyte is quoted cut, not echoed whole.
  test::write_file(dir.file("long.json"), "{\"schema\": \"" + std::string(1 << 20, 's') + "\"}");
  auto long_schema = test::telsim("report " + dir.file("long.json"));
  CHECK(long_schema.exit_code == 2);
  CHECK(long_schema.err.find("(schema '" + std::string(200, 's') + "...' (1048576 bytes))") != std::string::npos);
  CHECK(long_schema.err.size() < 600);

  // --pdf without Chromium: a clear message, exit 2, no HTML either.
  test::write_file(dir.file("cmp.json"), compare_json());
  auto pdf = test::telsim("report " + dir.file("cmp.json") + " --out " + dir.file("r.html") + " --pdf " +
                              dir.file("r.pdf"),
                          "PATH=/nonexistent");
  CHECK(pdf.exit_code == 2);
  CHECK(pdf.err.find("--pdf: needs Chromium") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("r.html")));
  CHECK_FALSE(std::filesystem::exists(dir.file("r.pdf")));
}

TEST_CASE("report: the range over uncertain inputs of sim compare --uncertain, scaled to the month") {
  test::TempDir dir;
  json doc = json::parse(compare_json());
  // The shape sim compare --uncertain writes (docs/output-format.md): the
  // difference of lost calls over the simulated days between two runs.
  double lost = doc["differences"][0]["lost"]["mean"].get<double>();
  double leads = doc["differences"][0]["callers_lost"]["mean"].get<double>();
  doc["uncertainty"] = {
      {"inputs", json::array({{{"input", "hops.mts-transit"}, {"low", 0.97}, {"high", 0.99}}})},
      {"differences", json::array({{{"metrics",
                                     {{"lost", {{"nominal", lost}, {"low", 2 * lost}, {"high", 0.5 * lost}}},
                                      {"callers_lost", {{"nominal", leads}, {"low", 2 * leads}, {"high", 0.5 * leads}}}}}}})}};
  test::write_file(dir.file("u.json"), doc.dump());
  auto r = test::telsim("report " + dir.file("u.json") + " --format md");
  REQUIRE(r.exit_code == 0);
  double month = doc["economics"]["differences"][0]["lost_calls_per_month"]["mean"].get<double>();
  // lost is negative (B loses fewer): twice it is the low end, half of it the high one.
  std::string expect = "over uncertain inputs: " + report::whole(2 * month, report::Lang::kEn) + " to " +
                       report::whole(0.5 * month, report::Lang::kEn);
  CHECK(r.out.find(expect) != std::string::npos);
  CHECK(r.out.find("known only as a range (hops.mts-transit)") != std::string::npos);
}

namespace {

// Every number the page marks per 100 callers (data-of), as {path, of, shown}.
struct Per100 {
  std::string path, of, shown;
};
std::vector<Per100> per100_marks(const std::string& html) {
  std::vector<Per100> out;
  const std::string open = "<span class=\"num\" data-path=\"";
  for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    size_t end = html.find("</span>", at);
    std::string span = html.substr(at, end - at);
    size_t of = span.find(" data-of=\"");
    if (of == std::string::npos) continue;
    Per100 m;
    m.path = span.substr(open.size(), span.find('"', open.size()) - open.size());
    m.of = span.substr(of + 10, span.find('"', of + 10) - of - 10);
    m.shown = span.substr(span.find('>') + 1);
    out.push_back(m);
  }
  return out;
}

double at_path(const json& doc, const std::string& path) {
  std::string pointer = "/" + path;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return doc.at(json::json_pointer(pointer)).get<double>();
}

}  // namespace

TEST_CASE("report: where the callers go, when the document has a tracking funnel") {
  test::TempDir dir;
  auto cmp = test::telsim("sim compare " + test::source("scenarios/tracking-funnel-transit.toml") + " " +
                          test::source("scenarios/tracking-funnel-direct.toml") +
                          " --days 1 --replications 2 --format json");
  REQUIRE(cmp.exit_code == 0);
  json doc = json::parse(cmp.out);
  REQUIRE(doc["networks"][0].contains("funnel"));
  // Scenario text is escaped here too: an ad channel's label with markup.
  std::string source = doc["networks"][0]["funnel"]["sources"].begin().key();
  doc["networks"][0]["funnel"]["sources"][source]["label"] = "<script>alert(1)</script>";
  test::write_file(dir.file("funnel.json"), doc.dump());

  for (auto lang : {report::Lang::kEn, report::Lang::kRu}) {
    std::string code = report::lang_code(lang);
    CAPTURE(code);
    auto r = test::telsim("report " + dir.file("funnel.json") + " --lang " + code);
    REQUIRE(r.exit_code == 0);
    const std::string& html = r.out;
    CHECK(html.find(lang == report::Lang::kEn ? "Where your callers go" : "Куда уходят ваши звонящие") != std::string::npos);
    CHECK(html.find("<canvas id=\"chart-funnel\"") != std::string::npos);
    CHECK(html.find("\"horizontal_charts\"") != std::string::npos);
    // Every figure per 100 callers is the JSON's, written the language's way.
    auto marks = per100_marks(html);
    // Two networks x (all + 3 channels) x 12 figures, and the differences.
    CHECK(marks.size() >= 2 * 4 * 12);
    std::set<std::string> paths;
    for (auto& m : marks) {
      CAPTURE(m.path);
      paths.insert(m.path);
      double x = 100 * at_path(doc, m.path) / at_path(doc, m.of);
      bool diff = m.path.rfind("differences.", 0) == 0;
      CHECK(m.shown == report::decimal(diff ? std::abs(x) : x, 1, lang));
    }
    for (const char* must : {"networks.0.funnel.overall.answered_attributed.mean",
                             "networks.1.funnel.overall.lost_in_network.total.mean",
                             "networks.1.funnel.overall.missed_by_client.out_of_hours.mean",
                             "networks.0.funnel.overall.unattributed.total.mean",
                             "differences.0.funnel.overall.answered_attributed.mean"})
      CHECK_MESSAGE(paths.count(must), must);
    CHECK(paths.count("networks.0.funnel.sources." + source + ".answered_attributed.mean"));
    // The label shows as text only; in the data element it is \u003c-escaped.
    CHECK(html.find("<script>alert(1)") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);

    auto md = test::telsim("report " + dir.file("funnel.json") + " --format md --lang " + code);
    REQUIRE(md.exit_code == 0);
    CHECK(md.out.find(lang == report::Lang::kEn ? "## Where your callers go" : "## Куда уходят ваши звонящие") != std::string::npos);
    CHECK(md.out.find("<script") == std::string::npos);
    CHECK(md.out.find("&lt;script&gt;") != std::string::npos);
    const json& overall = doc["networks"][0]["funnel"]["overall"];
    std::string answered = report::decimal(
        100 * overall["answered_attributed"]["mean"].get<double>() / overall["callers"]["mean"].get<double>(), 1, lang);
    CHECK(md.out.find(answered + (lang == report::Lang::kEn ? " are answered and credited" : " получают ответ и засчитываются")) !=
          std::string::npos);
  }
  auto en = test::telsim("report " + dir.file("funnel.json") + " --format md");
  CHECK(std::regex_search(en.out, std::regex("(more|fewer) of every 100 callers from every ad channel|as many of every 100")));

  // A comparison without traffic sources has no such section.
  test::write_file(dir.file("cmp.json"), compare_json());
  auto plain = test::telsim("report " + dir.file("cmp.json"));
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.out.find("Where your callers go") == std::string::npos);
  CHECK(plain.out.find("chart-funnel") == std::string::npos);
  CHECK(plain.out.find("horizontal_charts") == std::string::npos);
  CHECK(plain.out.find("data-of=") == std::string::npos);
}

TEST_CASE("report: Russian plural forms of the words after a number") {
  using report::Lang;
  using report::Plural;
  auto ru = [](const std::string& shown) { return report::plural_form(Lang::kRu, shown); };
  // one: 1, 21, 101, 1 001; few: 2-4, 22-24; many: 0, 5-20 (11-14 too), 25, 111-114.
  for (const char* one : {"1", "21", "101", "1\u202f001", "3\u202f671", "\u22121", "31\u00a0RUB"}) CHECK_MESSAGE(ru(one) == Plural::kOne, one);
  for (const char* few : {"2", "3", "4", "22", "24", "102", "3\u202f672"}) CHECK_MESSAGE(ru(few) == Plural::kFew, few);
  for (const char* many : {"0", "5", "11", "12", "13", "14", "19", "20", "25", "111", "112", "114", "1\u202f000", "180\u202f000"})
    CHECK_MESSAGE(ru(many) == Plural::kMany, many);
  // A decimal fraction, whatever its digits: the genitive singular (1,5 звонка; 2,0 дня).
  for (const char* fraction : {"1,5", "2,0", "0,3", "11,4"}) CHECK_MESSAGE(ru(fraction) == Plural::kFraction, fraction);
  // The number as the page marks it: the markup does not count.
  CHECK(ru("<span class=\"num\" data-path=\"a.b\" data-format=\"int\">3\u202f673</span>") == Plural::kFew);
  CHECK(ru("<span class=\"num\" data-path=\"x.12\" data-format=\"int\">5</span>") == Plural::kMany);
  CHECK(report::plural_word(Lang::kRu, "3\u202f671", {"звонок", "звонка", "звонков"}) == "звонок");
  CHECK(report::plural_word(Lang::kRu, "3\u202f674", {"звонок", "звонка", "звонков"}) == "звонка");
  CHECK(report::plural_word(Lang::kRu, "1,5", {"звонок", "звонка", "звонков"}) == "звонка");
  CHECK(report::plural_word(Lang::kRu, "1,5", {"дню", "дня", "дней", "дня"}) == "дня");
  CHECK(report::plural_word(Lang::kRu, "1,5", {"звонка", "звонков", "звонков", "звонка"}) == "звонка");
  CHECK(report::plural_word(Lang::kRu, "11", {"звонок", "звонка", "звонков"}) == "звонков");
  // English: 1 call, 2 calls, 1,001 calls, 1.0 days.
  CHECK(report::plural_word(Lang::kEn, "1", {"call", "calls"}) == "call");
  CHECK(report::plural_word(Lang::kEn, "1,001", {"call", "calls"}) == "calls");
  CHECK(report::plural_word(Lang::kEn, "1.0", {"day", "days"}) == "days");
  CHECK(report::plural_word(Lang::kEn, "0", {"call", "calls"}) == "calls");
  // In the templates.
  CHECK(report::text(Lang::kRu, "headline_fewer", {{"a", "A"}, {"b", "B"}, {"calls", "3\u202f671"}}).find("на 3\u202f671 звонок в месяц") != std::string::npos);
  CHECK(report::text(Lang::kRu, "headline_fewer", {{"a", "A"}, {"b", "B"}, {"calls", "22"}}).find("на 22 звонка в месяц") != std::string::npos);
  CHECK(report::text(Lang::kRu, "headline_fewer", {{"a", "A"}, {"b", "B"}, {"calls", "12"}}).find("на 12 звонков в месяц") != std::string::npos);
  CHECK(report::text(Lang::kEn, "headline_fewer", {{"a", "A"}, {"b", "B"}, {"calls", "1"}}).find("1 fewer call a month") != std::string::npos);
  CHECK(report::text(Lang::kRu, "big_lost_with", {{"name", "x"}, {"n", "1"}}).rfind("звонок в месяц", 0) == 0);
  CHECK(report::text(Lang::kRu, "a_simulation_value", {{"runs", "3"}, {"days", "0,5"}, {"warmup", "1"}, {"seed", "1"}})
            .rfind("3 прогона по 0,5 дня (после 1 дня разгона", 0) == 0);
}

TEST_CASE("report --lang ru: every number before a noun agrees with it") {
  // Each count of the page followed by its noun, checked against the rule
  // (the page's words must not be one form for every number).
  test::TempDir dir;
  test::write_file(dir.file("cmp.json"), compare_json());
  auto ru = test::telsim("report " + dir.file("cmp.json") + " --format md --lang ru");
  REQUIRE(ru.exit_code == 0);
  // Words split at ASCII spaces: a Russian number keeps its narrow no-break spaces.
  std::vector<std::string> words;
  for (size_t at = 0; at < ru.out.size();) {
    size_t end = ru.out.find_first_of(" \n", at);
    if (end == std::string::npos) end = ru.out.size();
    std::string w = ru.out.substr(at, end - at);
    w.erase(std::remove(w.begin(), w.end(), '*'), w.end());
    while (!w.empty() && std::strchr(".,;:)", w.back())) w.pop_back();
    words.push_back(w);
    at = end + 1;
  }
  const std::map<std::string, report::Plural> agrees = {
      {"звонок", report::Plural::kOne},     {"звонка", report::Plural::kFew},     {"звонков", report::Plural::kMany},
      {"прогон", report::Plural::kOne},     {"прогона", report::Plural::kFew},    {"прогонов", report::Plural::kMany},
      {"дню", report::Plural::kOne},        {"дней", report::Plural::kMany}};
  int seen = 0;
  for (size_t i = 1; i < words.size(); ++i) {
    auto it = agrees.find(words[i]);
    if (it == agrees.end() || words[i - 1].empty() || !std::isdigit(static_cast<unsigned char>(words[i - 1][0]))) continue;
    ++seen;
    auto form = report::plural_form(report::Lang::kRu, words[i - 1]);
    if (form == report::Plural::kFraction) form = report::Plural::kFew;  // 1,5 звонка
    std::string pair = words[i - 1] + " " + words[i];
    CHECK_MESSAGE(form == it->second, pair);
  }
  CHECK(seen >= 6);
}

namespace {

const char* kVaryHop = " --vary A:hops.transit2-small=0.975,0.99";

// A comparison sweep written by sim sweep: each point priced with the
// scenarios' [economics] (its `economics` object).
const std::string& sweep_json() {
  static std::string doc = [] {
    auto r = test::telsim("sim sweep " + networks(std::string(kVaryHop) + " --format json"));
    REQUIRE(r.exit_code == 0);
    return r.out;
  }();
  return doc;
}

// The same document without the points' `economics`, as a telsim before
// sim sweep priced wrote it: the report prices it itself.
std::string unpriced(const std::string& text) {
  json doc = json::parse(text);
  for (auto& pt : doc["points"]) pt.erase("economics");
  return doc.dump(2);
}

// The JSON a page embeds for its charts (id telsim-data), parsed.
json page_data(const std::string& html) {
  size_t at = html.find("id=\"telsim-data\">");
  REQUIRE(at != std::string::npos);
  at = html.find('>', at) + 1;
  return json::parse(html.substr(at, html.find("</script>", at) - at));
}

// sim sweep of the shipped transit network with `args`, its JSON written to
// `name` in `dir`; returns the file's path.
std::string transit_sweep(const test::TempDir& dir, const std::string& args, const std::string& name) {
  auto r = test::telsim("sim sweep " + test::source("scenarios/transit-vs-direct-transit.toml") + " " + args +
                        " --format json --out " + dir.file(name));
  REQUIRE(r.exit_code == 0);
  return dir.file(name);
}

// The Markdown report of `input`.
std::string report_md(const std::string& input) {
  auto r = test::telsim("report " + input + " --format md");
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Lines of a Markdown table whose first cell is `first`.
int rows_starting(const std::string& md, const std::string& first) {
  int n = 0;
  for (size_t at = md.find("\n| " + first + " |"); at != std::string::npos; at = md.find("\n| " + first + " |", at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("report of a comparison sweep: the curve, the table of points, the same bytes from JSON or scenario files") {
  test::TempDir dir;
  test::write_file(dir.file("sweep.json"), sweep_json());
  test::write_file(dir.file("unpriced.json"), unpriced(sweep_json()));
  json priced_doc = json::parse(sweep_json());
  json doc = json::parse(unpriced(sweep_json()));
  REQUIRE(doc["schema"] == "telsim.sim-sweep-compare/1");
  CHECK(priced_doc["points"][0].contains("economics"));

  auto r = test::telsim("report " + dir.file("sweep.json") + " --out " + dir.file("s.html"));
  REQUIRE(r.exit_code == 0);
  std::string html = test::slurp(dir.file("s.html"));
  for (const char* id : {"chart-sweep-calls", "chart-sweep-money", "chart-sweep-difference"})
    CHECK_MESSAGE(html.find(std::string("<canvas id=\"") + id + "\"") != std::string::npos, id);
  CHECK(html.find("<canvas id=\"chart-causes\"") == std::string::npos);  // a compare's charts need one point
  std::string text = visible(html);
  CHECK(text.find("scenarios/") == std::string::npos);
  CHECK_FALSE(std::regex_search(text, std::regex("\\b[a-z]+_[a-z_]+\\b")));
  CHECK_FALSE(std::regex_search(text, std::regex("\\bpp\\b")));
  CHECK(text.find("as the share of calls passed at hand-over transit2-small in network transit goes from 97.5% to 99%") !=
        std::string::npos);
  CHECK(text.find("At each value") != std::string::npos);
  CHECK(text.find("Assumptions") != std::string::npos);
  CHECK(html.find("<figure class=\"picture\">") != std::string::npos);  // the networks' pictures, as for a compare

  // Same inputs, same bytes; and the report that runs the sweep itself gives them too.
  auto again = test::telsim("report " + dir.file("sweep.json") + " --out " + dir.file("s2.html"));
  REQUIRE(again.exit_code == 0);
  CHECK(test::slurp(dir.file("s2.html")) == html);
  auto run = test::telsim("report " + networks(std::string(kVaryHop) + " --out " + dir.file("s3.html")));
  REQUIRE(run.exit_code == 0);
  CHECK(test::slurp(dir.file("s3.html")) == html);

  // Markdown: the table of points, each figure the point's own `economics`
  // as sim sweep wrote it (as for a compare document).
  auto priced = test::telsim("report " + dir.file("sweep.json") + " --format md");
  REQUIRE(priced.exit_code == 0);
  CHECK(priced.out.find("worked out from the averages") == std::string::npos);
  for (size_t i = 0; i < 2; ++i) {
    const json& e = priced_doc["points"][i]["economics"];
    std::string row = priced.out.substr(priced.out.find(i == 0 ? "\n| 97.5% |" : "\n| 99% |"));
    row = row.substr(0, row.find('\n', 1));
    for (size_t n = 0; n < 2; ++n) {
      std::string lost = report::whole(e["networks"][n]["lost_calls_per_month"]["mean"].get<double>(), report::Lang::kEn);
      CHECK_MESSAGE(row.find("| " + lost + " (95% interval") != std::string::npos, row, " lacks ", lost);
    }
    std::string saved = report::money(e["differences"][0]["lost_revenue_per_month"]["mean"].get<double>(), "RUB",
                                      report::Lang::kEn);
    CHECK_MESSAGE(row.find("| " + saved + " (95% interval") != std::string::npos, row, " lacks ", saved);
  }
  auto priced_doubled = test::telsim("report " + dir.file("sweep.json") + " --format md --calls-per-month 360000");
  REQUIRE(priced_doubled.exit_code == 0);
  CHECK(priced_doubled.out.find(report::whole(
            2 * priced_doc["points"][0]["economics"]["networks"][0]["lost_calls_per_month"]["mean"].get<double>(),
            report::Lang::kEn)) != std::string::npos);

  // A document without them (an older sim sweep): each month figure scaled
  // from the point's averages to the scenarios' 180,000 calls a month and
  // priced at 2,000 RUB a lead.
  auto md = test::telsim("report " + dir.file("unpriced.json") + " --format md");
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("worked out from the averages") != std::string::npos);
  CHECK(md.out.find("<canvas") == std::string::npos);
  CHECK(md.out.find("## At each value") != std::string::npos);
  CHECK(rows_starting(md.out, "97.5%") == 1);
  CHECK(rows_starting(md.out, "99%") == 1);
  for (size_t i = 0; i < 2; ++i) {
    const json& pt = doc["points"][i];
    double k = 180000 / pt["networks"][0]["overall"]["callers"]["offered"]["mean"].get<double>();
    std::string row = md.out.substr(md.out.find(i == 0 ? "\n| 97.5% |" : "\n| 99% |"));
    row = row.substr(0, row.find('\n', 1));
    for (size_t n = 0; n < 2; ++n) {
      double kn = 180000 / pt["networks"][n]["overall"]["callers"]["offered"]["mean"].get<double>();
      std::string lost = report::whole(pt["networks"][n]["overall"]["lost"]["mean"].get<double>() * kn, report::Lang::kEn);
      CHECK_MESSAGE(row.find("| " + lost + " (95% interval") != std::string::npos, row, " lacks ", lost);
    }
    std::string saved = report::money(pt["differences"][0]["callers_lost"]["mean"].get<double>() * k * 2000, "RUB",
                                      report::Lang::kEn);
    CHECK_MESSAGE(row.find("| " + saved + " (95% interval") != std::string::npos, row, " lacks ", saved);
  }
  // The prospect's volume from the command line scales every count, as for a compare.
  auto doubled = test::telsim("report " + dir.file("unpriced.json") + " --format md --calls-per-month 360000");
  REQUIRE(doubled.exit_code == 0);
  double k = 360000 / doc["points"][0]["networks"][0]["overall"]["callers"]["offered"]["mean"].get<double>();
  CHECK(doubled.out.find(report::whole(doc["points"][0]["networks"][0]["overall"]["lost"]["mean"].get<double>() * k,
                                       report::Lang::kEn)) != std::string::npos);

  auto ru = test::telsim("report " + dir.file("sweep.json") + " --format md --lang ru");
  REQUIRE(ru.exit_code == 0);
  CHECK(ru.out.find("## При каждом значении") != std::string::npos);
  CHECK(ru.out.find("от 97,5\u00a0% до 99\u00a0% (2 значения)") != std::string::npos);
  CHECK(ru.out.find("Calls") == std::string::npos);
}

TEST_CASE("report of a one-network sweep over a grid: one line per value of the other key") {
  test::TempDir dir;
  std::string grid = transit_sweep(
      dir, "--vary hops.transit2-small=0.975,0.99 --vary interconnects.mts-t1.channels=60,90 --days 0.5 --replications 2",
      "grid.json");
  std::string md = report_md(grid);
  CHECK(rows_starting(md, "97.5%") == 2);
  CHECK(rows_starting(md, "99%") == 2);
  CHECK(md.find("as the number of lines of interconnect mts-t1 goes from 60 to 90") != std::string::npos);
  CHECK(md.find("These figures are at the share of calls passed at hand-over transit2-small: 97.5%") != std::string::npos);
  auto html = test::telsim("report " + grid);
  REQUIRE(html.exit_code == 0);
  // The x axis is the last key; each value of the first draws its own line.
  CHECK(html.out.find("\"labels\":[\"60\",\"90\"]") != std::string::npos);
  CHECK(html.out.find("\"label\":\"transit, the share of calls passed at hand-over transit2-small: 99%\"") !=
        std::string::npos);
  CHECK(html.out.find("<canvas id=\"chart-sweep-difference\"") == std::string::npos);  // one network: no difference
}

TEST_CASE("report of a sweep: names from the sweep escaped; options that do not apply refused") {
  test::TempDir dir;
  json doc = json::parse(sweep_json());
  const std::string evil_name = "direct</script><script>alert(1)</script>";
  doc["networks"][1]["name"] = evil_name;
  for (auto& pt : doc["points"]) {
    pt["networks"][1]["name"] = evil_name;
    pt["networks"][1]["description"] = "<script>alert('x')</script> & <b>bold</b>";
  }
  test::write_file(dir.file("evil.json"), doc.dump());
  check_shown_as_text(dir.file("evil.json"));

  // The prices come from the scenario files only while they are the files the
  // sweep ran: a changed file is named on stderr and its [economics] left
  // out (no money; calls a month of the simulated traffic).
  json changed = json::parse(unpriced(sweep_json()));
  for (auto& f : changed["inputs"]["files"]) f["sha256"] = std::string(64, '0');
  test::write_file(dir.file("changed.json"), changed.dump());
  auto stale = test::telsim("report " + dir.file("changed.json") + " --format md");
  REQUIRE(stale.exit_code == 0);
  CHECK(stale.err.find("transit-vs-direct-transit.toml changed since the sweep: its [economics] not used") !=
        std::string::npos);
  CHECK(stale.out.find("RUB") == std::string::npos);
  CHECK(stale.out.find("not given: calls only, no money") != std::string::npos);
  auto priced = test::telsim("report " + dir.file("changed.json") + " --format md --call-value 900 --currency EUR");
  REQUIRE(priced.exit_code == 0);
  CHECK(priced.out.find("900\u00a0EUR a call") != std::string::npos);

  test::write_file(dir.file("sweep.json"), sweep_json());
  auto vary = test::telsim("report " + dir.file("sweep.json") + " --vary hops.transit2-small=0.98 --out " + dir.file("x.html"));
  CHECK(vary.exit_code == 2);
  CHECK(vary.err.find("sweep.json is a result already") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("x.html")));
  auto zip = test::telsim("report " + networks(" --zip"));
  CHECK(zip.exit_code == 2);
  CHECK(zip.err.find("--zip") != std::string::npos);
}

TEST_CASE("report of a sweep over a price: each point priced with its own [economics]") {
  test::TempDir dir;
  const std::string vary = " --vary economics.order_value=1000,9000 --days 0.5 --replications 2";
  auto sweep = test::telsim("sim sweep " + test::source("scenarios/transit-vs-direct-transit.toml") + vary +
                            " --format json --out " + dir.file("price.json"));
  REQUIRE(sweep.exit_code == 0);
  json doc = json::parse(test::slurp(dir.file("price.json")));
  REQUIRE(doc["points"].size() == 2);
  const json& e0 = doc["points"][0]["economics"];
  const json& e1 = doc["points"][1]["economics"];
  // One lead in five buys: 200 RUB a lead, then 1,800.
  CHECK(e0["value_per_lead"].get<double>() == doctest::Approx(200));
  CHECK(e1["value_per_lead"].get<double>() == doctest::Approx(1800));
  CHECK(e1["lost_revenue_per_month"]["mean"].get<double>() ==
        doctest::Approx(9 * e0["lost_revenue_per_month"]["mean"].get<double>() *
                        e1["lost_leads_per_month"]["mean"].get<double>() / e0["lost_leads_per_month"]["mean"].get<double>()));

  auto md = test::telsim("report " + dir.file("price.json") + " --format md");
  REQUIRE(md.exit_code == 0);
  for (const json* e : {&e0, &e1}) {
    std::string m = report::money((*e)["lost_revenue_per_month"]["mean"].get<double>(), "RUB", report::Lang::kEn);
    CHECK_MESSAGE(md.out.find("| " + m + " (95% interval") != std::string::npos, "lacks ", m);
  }
  // The value of a caller in the assumptions is the sweep's range, not the first point's price.
  CHECK(md.out.find("| Value of a caller who gets through | from " + report::money(200, "RUB", report::Lang::kEn) +
                    " to " + report::money(1800, "RUB", report::Lang::kEn) + " |") != std::string::npos);
  auto html = test::telsim("report " + dir.file("price.json"));
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("data-path=\"points.1.economics.value_per_lead\"") != std::string::npos);
  // The varied price in words and money, as the assumptions write it: no key name on the page.
  CHECK(md.out.find("at each value of the average order\n") != std::string::npos);
  CHECK(md.out.find("\n| " + report::money(1000, "RUB", report::Lang::kEn) + " | ") != std::string::npos);
  CHECK_FALSE(std::regex_search(visible(html.out), std::regex("\\b[a-z]+_[a-z_]+\\b")));
  // Prices that differ by less than a unit stay apart: written exactly, one
  // row and one chart label each; the value of a caller, the same in whole
  // units at every point, is written once, with the scenario as its source.
  std::string close =
      transit_sweep(dir, "--vary economics.order_value=1000.2,1000.4,1000.6 --days 0.2 --replications 2", "close.json");
  std::string cmd = report_md(close);
  for (const char* v : {"1,000.2", "1,000.4", "1,000.6"})
    CHECK_MESSAGE(rows_starting(cmd, v + std::string("\u00a0RUB")) == 1, v);
  CHECK(cmd.find("| Value of a caller who gets through | " + report::money(200, "RUB", report::Lang::kEn) +
                     ": 20.0% of callers buy") != std::string::npos);
  CHECK(cmd.find("| Value of a caller who gets through | from") == std::string::npos);
  auto chtml = test::telsim("report " + close);
  REQUIRE(chtml.exit_code == 0);
  CHECK(page_data(chtml.out)["sweep_charts"][0]["labels"].size() == 3);
  // From the scenario file, the same page.
  auto run = test::telsim("report " + test::source("scenarios/transit-vs-direct-transit.toml") + vary + " --format md");
  REQUIRE(run.exit_code == 0);
  CHECK(run.out == md.out);

  // Without the points' economics the report could price only once for all
  // points: it refuses, naming the key.
  test::write_file(dir.file("old.json"), unpriced(test::slurp(dir.file("price.json"))));
  auto old = test::telsim("report " + dir.file("old.json") + " --format md");
  CHECK(old.exit_code == 2);
  CHECK(old.err.find("economics.order_value") != std::string::npos);
  CHECK(old.out.empty());

  // Shards merged give the bytes of the sweep, the economics options given to the merge.
  const std::string opts = " --call-value 700 --currency EUR";
  auto whole = test::telsim("sim sweep " + test::source("scenarios/transit-vs-direct-transit.toml") + vary + opts +
                            " --format json");
  REQUIRE(whole.exit_code == 0);
  CHECK(json::parse(whole.out)["points"][1]["economics"]["value_per_lead"] == 700);
  for (int k = 1; k <= 2; ++k) {
    auto part = test::telsim("sim sweep " + test::source("scenarios/transit-vs-direct-transit.toml") + vary +
                             " --shard " + std::to_string(k) + "/2 --out " + dir.file("p" + std::to_string(k) + ".jsonl"));
    REQUIRE(part.exit_code == 0);
  }
  auto merged = test::telsim("sim merge " + dir.file("p1.jsonl") + " " + dir.file("p2.jsonl") + opts + " --format json");
  REQUIRE(merged.exit_code == 0);
  CHECK(merged.out == whole.out);
  auto shard = test::telsim("sim sweep " + test::source("scenarios/transit-vs-direct-transit.toml") + vary + opts +
                            " --shard 1/2");
  CHECK(shard.exit_code == 2);
  CHECK(shard.err.find("give them to sim merge") != std::string::npos);

  // Networks priced differently at a point: refused before the sweep runs,
  // as sim compare refuses them, where the points are priced (JSON); the
  // table and the CSV, which hold no money, are written as before.
  const std::string apart = "sim sweep " + networks(" --vary B:economics.order_value=1000,2000");
  auto json_out = test::telsim(apart + " --format json");
  CHECK(json_out.exit_code == 2);
  CHECK(json_out.err.find("at B:economics.order_value=1000: ") != std::string::npos);
  CHECK(json_out.err.find("price calls differently in [economics]: order_value (10000 against 1000); give") !=
        std::string::npos);
  CHECK(test::telsim(apart + " --format csv").exit_code == 0);
}

TEST_CASE("report of a sweep with each network's own traffic: the difference is B minus A") {
  test::TempDir dir;
  auto sweep = test::telsim("sim sweep " + networks(" --allow-different-traffic --vary B:streams.from-mts.calls_per_day="
                                                    "1000,5000 --format json --out " + dir.file("own.json")));
  REQUIRE(sweep.exit_code == 0);
  std::string text = test::slurp(dir.file("own.json"));
  json doc = json::parse(text);
  test::write_file(dir.file("old.json"), unpriced(text));
  for (const char* which : {"own.json", "old.json"}) {
    CAPTURE(which);
    auto md = test::telsim("report " + dir.file(which) + " --format md");
    REQUIRE(md.exit_code == 0);
    CHECK(md.out.find("the same callers") == std::string::npos);
    CHECK(md.out.find("each network receives its own callers") != std::string::npos);
    CHECK((md.out.find("approximate") != std::string::npos) == (std::string(which) == "old.json"));
    for (size_t i = 0; i < 2; ++i) {
      std::string row = md.out.substr(md.out.find(i == 0 ? "\n| 1,000 |" : "\n| 5,000 |"));
      row = row.substr(0, row.find('\n', 1));
      // The cells of the row: the value, lost calls of A and B, then B - A.
      std::vector<double> cells;
      for (size_t at = 0; (at = row.find("| ", at)) != std::string::npos; ++at) {
        std::string c = row.substr(at + 2, row.find(' ', at + 2) - at - 2);
        std::string digits;
        for (size_t k = 0; k < c.size(); ++k)
          if (std::isdigit(static_cast<unsigned char>(c[k]))) digits += c[k];
        bool minus = c.rfind("\u2212", 0) == 0;
        if (!digits.empty()) cells.push_back((minus ? -1 : 1) * std::stod(digits));
      }
      REQUIRE(cells.size() >= 6);
      // value, A, B, money A, money B, difference: the difference of the columns, to rounding.
      CHECK_MESSAGE(std::abs(cells[5] - (cells[2] - cells[1])) <= 1, row);
    }
  }
  const json& d = doc["points"][1]["economics"];
  CHECK(d["differences"][0]["lost_calls_per_month"]["mean"].get<double>() ==
        doctest::Approx(d["networks"][1]["lost_calls_per_month"]["mean"].get<double>() -
                        d["networks"][0]["lost_calls_per_month"]["mean"].get<double>()).epsilon(1e-6));
}

TEST_CASE("report of a sweep: an include changed since the sweep is caught; malformed points refused with the path") {
  test::TempDir dir;
  // The prices live in scenarios/include/client-traffic.toml: a changed include leaves them out.
  json changed = json::parse(unpriced(sweep_json()));
  bool include = false;
  for (auto& f : changed["inputs"]["files"])
    if (f["role"] == "include" && f["path"].get<std::string>().find("client-traffic.toml") != std::string::npos) {
      f["sha256"] = std::string(64, '0');
      include = true;
    }
  REQUIRE(include);
  test::write_file(dir.file("inc.json"), changed.dump());
  auto stale = test::telsim("report " + dir.file("inc.json") + " --format md");
  REQUIRE(stale.exit_code == 0);
  CHECK(stale.err.find("client-traffic.toml): its [economics] not used") != std::string::npos);
  CHECK(stale.out.find("RUB") == std::string::npos);

  struct Bad {
    std::function<void(json&)> edit;
    const char* path;
  };
  const Bad cases[] = {
      {[](json& d) { d["points"][0]["differences"] = json::array({5}); }, "points.0.differences.0: expected an object"},
      {[](json& d) { d["points"][0]["differences"] = json::object(); }, "points.0.differences: expected an array of 1"},
      {[](json& d) { d["points"][0]["differences"] = json::array(); }, "points.0.differences: expected an array of 1"},
      {[](json& d) { d["points"][1]["networks"] = 3; }, "points.1.networks"},
      {[](json& d) { d["points"][0] = 7; }, "points.0: expected an object"},
  };
  for (bool priced : {false, true})
    for (auto& c : cases) {
      json d = json::parse(priced ? sweep_json() : unpriced(sweep_json()));
      c.edit(d);
      test::write_file(dir.file("bad.json"), d.dump());
      auto r = test::telsim("report " + dir.file("bad.json") + " --format md");
      CAPTURE(priced);
      std::string where = c.path;
      CAPTURE(where);
      CAPTURE(r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find(dir.file("bad.json") + ": " + c.path) != std::string::npos);
      CHECK(r.out.empty());
    }
  json d = json::parse(sweep_json());
  d["points"][1]["economics"]["networks"] = json::array();
  test::write_file(dir.file("bad.json"), d.dump());
  auto r = test::telsim("report " + dir.file("bad.json") + " --format md");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(": points.1.economics.networks: expected one entry per network") != std::string::npos);
  // The same with the economics options, which reprice each point first.
  d = json::parse(sweep_json());
  d["points"][0]["economics"]["networks"] = json::array({5, 6});
  test::write_file(dir.file("bad.json"), d.dump());
  r = test::telsim("report " + dir.file("bad.json") + " --format md --calls-per-month 1000");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(": points.0.economics.networks.0: expected an object") != std::string::npos);
}

TEST_CASE("report of a sweep: chart labels as written, the page's JSON safe inside its script element") {
  test::TempDir dir;
  json doc = json::parse(sweep_json());
  const std::string name = "R&D <script>alert(1)</script><!--";
  doc["networks"][1]["name"] = name;
  const std::string key = doc["parameters"][0];
  for (size_t i = 0; i < doc["points"].size(); ++i) {
    doc["points"][i]["networks"][1]["name"] = name;
    doc["points"][i]["parameters"][key] = "Q&A <i>" + std::to_string(i) + "</script>";
  }
  test::write_file(dir.file("amp.json"), doc.dump());
  auto r = test::telsim("report " + dir.file("amp.json"));
  REQUIRE(r.exit_code == 0);
  size_t at = r.out.find("id=\"telsim-data\">");
  REQUIRE(at != std::string::npos);
  std::string raw = r.out.substr(at, r.out.find("</script>", at) - at);
  CHECK(raw.find('<') == std::string::npos);
  CHECK(raw.find('&') == std::string::npos);
  json data = page_data(r.out);
  REQUIRE(data.contains("sweep_charts"));
  std::set<std::string> labels, xs;
  for (auto& c : data["sweep_charts"]) {
    for (auto& x : c["labels"]) xs.insert(x.get<std::string>());
    for (auto& ds : c["datasets"]) labels.insert(ds["label"].get<std::string>());
  }
  CHECK(labels.count("B. " + name) == 1);
  CHECK(xs.count("Q&A <i>0</script>") == 1);
  CHECK(xs.count("Q&A <i>1</script>") == 1);
  for (auto& l : labels) CHECK_MESSAGE(l.find("&amp;") == std::string::npos, l);
  for (auto& x : xs) CHECK_MESSAGE(x.find("&amp;") == std::string::npos, x);
  CHECK(r.out.find("<script>alert") == std::string::npos);
}

TEST_CASE("report of a sweep over days or traffic: the text says they vary") {
  test::TempDir dir;
  auto days = test::telsim("report " + test::source("scenarios/transit-vs-direct-transit.toml") +
                           " --vary simulation.days=0.5,1 --replications 2 --format md");
  REQUIRE(days.exit_code == 0);
  CHECK(days.out.find("the simulated days (from 0.5 to 1) change with the varied setting") != std::string::npos);
  CHECK(days.out.find("the days vary with the sweep: from 0.5 to 1") != std::string::npos);
  auto calls = test::telsim("report " + test::source("scenarios/transit-vs-direct-transit.toml") +
                            " --vary streams.from-mts.calls_per_day=1000,5000 --days 0.5 --replications 2 --format md");
  REQUIRE(calls.exit_code == 0);
  CHECK(calls.out.find("the callers (") != std::string::npos);
  auto same = test::telsim("report " + test::source("scenarios/transit-vs-direct-transit.toml") +
                           " --vary interconnects.t2-small.channels=30,60 --days 0.5 --replications 2 --format md");
  REQUIRE(same.exit_code == 0);
  CHECK(same.out.find("change with the varied setting") == std::string::npos);
}

TEST_CASE("report: a network's interval stops at zero (and a share at 100%), a difference's does not") {
  // The simulator's interval is mean +- half-width: with a rare outage in a
  // few runs its low end is below zero ("833, 95% interval: -114 to 1,780"
  // calls lost), a count no client can be shown. The page cuts it at the
  // bound and marks the number; the JSON keeps it as computed.
  test::TempDir dir;
  json doc = json::parse(compare_json());
  doc["economics"]["networks"][1]["lost_calls_per_month"] = {{"mean", 40}, {"ci95", 60}, {"low", -20}, {"high", 100}};
  doc["networks"][1]["overall"]["availability"] = {{"mean", 0.999}, {"ci95", 0.002}, {"low", 0.997}, {"high", 1.001}};
  doc["economics"]["differences"][0]["lost_calls_per_month"] = {{"mean", -5}, {"ci95", 25}, {"low", -30}, {"high", 20}};
  test::write_file(dir.file("c.json"), doc.dump());
  auto md = test::telsim("report " + dir.file("c.json") + " --format md");
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("| 40 (95% interval: 0 to 100) |") != std::string::npos);
  CHECK(md.out.find("99.900% (95% interval: 99.700% to 100.000%)") != std::string::npos);
  CHECK(md.out.find("\u22125 (95% interval: \u221230 to 20)") != std::string::npos);
  CHECK(md.out.find("\u221220 ") == std::string::npos);
  auto html = test::telsim("report " + dir.file("c.json"));
  REQUIRE(html.exit_code == 0);
  auto mark = [&](const std::string& path) {
    size_t at = html.out.find("data-path=\"" + path + "\"");
    REQUIRE_MESSAGE(at != std::string::npos, path);
    return html.out.substr(at, html.out.find("</span>", at) - at);
  };
  CHECK(mark("economics.networks.1.lost_calls_per_month.low") ==
        "data-path=\"economics.networks.1.lost_calls_per_month.low\" data-format=\"int\" data-bound=\"0\">0");
  CHECK(mark("economics.networks.1.lost_calls_per_month.high") ==
        "data-path=\"economics.networks.1.lost_calls_per_month.high\" data-format=\"int\">100");
  CHECK(mark("networks.1.overall.availability.high").find("data-bound=\"1\">100.000%") != std::string::npos);
  CHECK(mark("economics.differences.0.lost_calls_per_month.low").find("data-bound") == std::string::npos);
  // The JSON the page embeds is the document as given.
  CHECK(page_data(html.out)["input"]["economics"]["networks"][1]["lost_calls_per_month"]["low"] == -20);

  // A sweep: the table's cells and the charts' bands alike.
  json sw = json::parse(sweep_json());
  sw["points"][0]["economics"]["networks"][1]["lost_calls_per_month"] = {{"mean", 40}, {"ci95", 60}, {"low", -20}, {"high", 100}};
  test::write_file(dir.file("s.json"), sw.dump());
  auto smd = test::telsim("report " + dir.file("s.json") + " --format md");
  REQUIRE(smd.exit_code == 0);
  CHECK(smd.out.find("| 40 (95% interval: 0 to 100) |") != std::string::npos);
  auto shtml = test::telsim("report " + dir.file("s.json"));
  REQUIRE(shtml.exit_code == 0);
  json charts = page_data(shtml.out)["sweep_charts"];
  REQUIRE(charts.size() == 3);
  REQUIRE(charts[0]["id"] == "chart-sweep-calls");
  // Per line: its band's low end, its band's high end, its mean.
  CHECK(charts[0]["datasets"][3]["data"][0] == 0);
  CHECK(charts[0]["datasets"][5]["data"][0] == 40);
  REQUIRE(charts[2]["id"] == "chart-sweep-difference");
  double diff_low = sw["points"][0]["economics"]["differences"][0]["lost_calls_per_month"]["low"].get<double>();
  REQUIRE(diff_low < 0);
  CHECK(charts[2]["datasets"][0]["data"][0].get<double>() == diff_low);
}
