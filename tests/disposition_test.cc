// core/base/disposition: the one list of outcomes and disposition words.
#include "core/base/disposition.h"

#include <doctest/doctest.h>

using namespace telsim;

TEST_CASE("every outcome has a name and a disposition word that parse back") {
  for (int i = 0; i < kOutcomeCount; ++i) {
    Outcome o = static_cast<Outcome>(i), back;
    REQUIRE(parse_outcome(to_string(o), &back));
    CHECK(back == o);
    REQUIRE(parse_disposition(disposition_word(o), &back));
    CHECK(back == o);
  }
  CHECK(disposition_word(Outcome::kNoAnswer) == std::string("NO ANSWER"));
  Outcome o;
  CHECK_FALSE(parse_disposition("answered", &o));  // words are upper case
  CHECK_FALSE(parse_disposition("HUNG UP", &o));
  CHECK_FALSE(parse_outcome("ANSWERED", &o));
  CHECK(disposition_words() == "ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION");
}
