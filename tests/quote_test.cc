// quote_field: how messages quote a piece of the user's input.
#include "core/base/quote.h"

#include <doctest/doctest.h>

#include <string>

using telsim::quote_field;

TEST_CASE("quote: a short field is quoted whole") {
  CHECK(quote_field("abc") == "'abc'");
  CHECK(quote_field("") == "''");
  CHECK(quote_field(std::string(200, 'x')) == "'" + std::string(200, 'x') + "'");
}

TEST_CASE("quote: a long field is cut and says how long it was") {
  std::string big(1 << 20, 'x');
  std::string q = quote_field(big);
  CHECK(q == "'" + std::string(200, 'x') + "...' (1048576 bytes)");
  CHECK(quote_field("abcdef", 3) == "'abc...' (6 bytes)");
}

TEST_CASE("quote: the cut never splits a UTF-8 character") {
  // "ab" then three 2-byte letters: a cut at 3 would fall inside the first.
  std::string s = "ab\xD0\xB4\xD0\xB0\xD0\xB0";
  CHECK(quote_field(s, 3) == "'ab...' (8 bytes)");
  CHECK(quote_field(s, 4) == "'ab\xD0\xB4...' (8 bytes)");
}

TEST_CASE("quote: a name is shown bare, or quoted and cut when too long") {
  CHECK(telsim::cut_field("operators.mts") == "operators.mts");
  CHECK(telsim::cut_field("abcdef", 3) == "'abc...' (6 bytes)");
  CHECK(telsim::cut_field(std::string(1 << 20, 'k')) == "'" + std::string(200, 'k') + "...' (1048576 bytes)");
}

TEST_CASE("quote: a list of names is cut after the last name that fits") {
  using telsim::cut_list;
  CHECK(cut_list("a, b, c") == "a, b, c");
  CHECK(cut_list("") == "");
  CHECK(cut_list("alpha, beta, gamma", 12) == "alpha, beta, ...");
  CHECK(cut_list("alpha, beta, gamma", 10) == "alpha, ...");
  // Even the first name is too long: quoted and cut, with the list's size.
  CHECK(cut_list("alphabet, b", 5) == "'alpha...' (11 bytes)");
  std::string big = "start, " + std::string(1 << 20, 'x') + ", end";
  CHECK(cut_list(big) == "start, ...");
}
