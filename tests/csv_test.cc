// core/base/csv: the one CSV splitter (strict and lenient) and header binder.
#include "core/base/csv.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace telsim;

namespace {
std::vector<std::string> fields(CsvSplitter& s) {
  std::vector<std::string> v;
  for (size_t i = 0; i < s.count(); ++i) v.emplace_back(s[i]);
  return v;
}
using Fields = std::vector<std::string>;
}  // namespace

TEST_CASE("CSV splitting: quoted, doubled quotes, empty and trailing fields") {
  CsvSplitter s;
  REQUIRE(s.split(R"("a","b ""c"" d",,12,"")"));
  CHECK(fields(s) == std::vector<std::string>{"a", "b \"c\" d", "", "12", ""});
  REQUIRE(s.split("x,"));
  CHECK(fields(s) == std::vector<std::string>{"x", ""});
  REQUIRE(s.split(""));
  CHECK(s.count() == 1);
  // Broken quoting is refused, not guessed at.
  CHECK_FALSE(s.split(R"("a"b,c)"));
  CHECK_FALSE(s.split(R"(a"b,c)"));
  CHECK_FALSE(s.split(R"("unterminated,c)"));
  // The splitter is reusable after a broken line.
  REQUIRE(s.split(R"("ok",1)"));
  CHECK(fields(s) == std::vector<std::string>{"ok", "1"});
}

TEST_CASE("CSV splitting: the fast path agrees with libcsv on random lines") {
  // Random lines over an alphabet rich in quotes and commas: wherever libcsv
  // (strict) accepts a line, the fast path must give the same fields, and it
  // must refuse exactly the lines libcsv refuses.
  std::mt19937 rng(7);
  const char alphabet[] = {'a', 'b', ',', '"', ' ', '1', ';'};
  CsvSplitter fast, slow;
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) line += alphabet[rng() % sizeof alphabet];
    bool a = fast.split(line), b = slow.split_slow(line);
    INFO("line: [" << line << "]");
    REQUIRE(a == b);
    if (a) {
      ++accepted;
      CHECK(fields(fast) == fields(slow));
    }
  }
  CHECK(accepted > 1000);  // the comparison covered real work
}

TEST_CASE("CSV splitting, lenient: bare quotes are text, quoted fields unescaped, open quotes flagged") {
  CsvSplitter s(';', CsvMode::kLenient);
  // The registry's operator names: quotes inside an unquoted field.
  REQUIRE(s.split(R"(495;ПАО "МГТС";г. Москва)"));
  CHECK(fields(s) == Fields{"495", "ПАО \"МГТС\"", "г. Москва"});
  CHECK_FALSE(s.open_quote());
  REQUIRE(s.split(R"("ООО ""Рога""";"a;b";;x)"));
  CHECK(fields(s) == Fields{"ООО \"Рога\"", "a;b", "", "x"});
  // Text after a closing quote is kept; a second quote there is text too.
  REQUIRE(s.split(R"("ab"c"d;e)"));
  CHECK(fields(s) == Fields{"abc\"d", "e"});
  // A quote left open runs to the end of the line, and says so.
  REQUIRE(s.split(R"(1;"open;2)"));
  CHECK(fields(s) == Fields{"1", "open;2"});
  CHECK(s.open_quote());
  REQUIRE(s.split("a;"));
  CHECK(fields(s) == Fields{"a", ""});
  CHECK_FALSE(s.open_quote());
  // Quoted fields stay valid next to later ones (views into one buffer).
  CsvSplitter c(',', CsvMode::kLenient);
  REQUIRE(c.split(R"("x""1","y""2",z)"));
  CHECK(fields(c) == Fields{"x\"1", "y\"2", "z"});
}

TEST_CASE("CSV splitting, lenient: agrees with strict wherever strict accepts") {
  std::mt19937 rng(11);
  const char alphabet[] = {'a', ',', '"', ' ', '1'};
  CsvSplitter strict, lenient(',', CsvMode::kLenient);
  int compared = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    int n = static_cast<int>(rng() % 10);
    for (int k = 0; k < n; ++k) line += alphabet[rng() % sizeof alphabet];
    INFO("line: [" << line << "]");
    REQUIRE(lenient.split(line));
    if (!strict.split(line)) continue;
    ++compared;
    CHECK_FALSE(lenient.open_quote());
    CHECK(fields(lenient) == fields(strict));
  }
  CHECK(compared > 1000);
}

TEST_CASE("CSV header: columns by exact name or by part of a name, first one wins") {
  CsvSplitter s(';');
  REQUIRE(s.split(" АВС/ DEF ;От;До;Емкость;Оператор;Регион;От"));
  CsvHeader raw(s);
  CHECK(raw.find("АВС/ DEF") == -1);  // names are kept as written
  CsvHeader h(s, true);
  CHECK(h.size() == 7);
  CHECK(h.find("АВС/ DEF") == 0);
  CHECK(h.find("От") == 1);  // the first of two
  CHECK(h.find("До") == 2);
  CHECK(h.find("ИНН") == -1);
  CHECK(h.find_containing({"DEF", "ABC"}) == 0);
  CHECK(h.find_containing({"мкость"}) == 3);
  CHECK(h.find_containing({"нет такого"}) == -1);
  CHECK(h.list() == "АВС/ DEF, От, До, Емкость, Оператор, Регион, От");
}
