// "Did you mean" (core/base/spelling.h): which words are near a misspelt one.
#include "core/base/spelling.h"

#include <doctest/doctest.h>

using namespace telsim;
using V = std::vector<std::string>;

TEST_CASE("spelling: edits, swaps and prefixes, the closest only") {
  CHECK(edit_distance("erlnag", "erlang") == 1);  // a swap of neighbours is one edit
  CHECK(edit_distance("", "abc") == 3);
  CHECK(nearest_words("chanels", {"channels", "completion", "between"}) == V{"channels"});
  CHECK(nearest_words("chan", {"channels", "completion"}) == V{"channels"});             // the word starts it
  CHECK(nearest_words("start", {"start_hours", "minutes"}) == V{"start_hours"});         // the word starts it
  CHECK(nearest_words("start_hours", {"start", "minutes"}) == V{"start"});               // it starts the word
  CHECK(nearest_words("ab_xyz", {"ab"}).empty());                                        // under three letters: no
  CHECK(nearest_words("bc", {"ab", "ac", "cb"}) == V{"ac", "cb"});                        // ties, in the given order
  CHECK(nearest_words("zzzz", {"ab", "ac"}).empty());
  CHECK(nearest_words("x", {"x"}).empty());                                              // itself is no suggestion
}

TEST_CASE("spelling: a key of megabytes is compared without a table of its size") {
  std::string huge(4 << 20, 'q');
  CHECK(nearest_words(huge, {"channels", "completion"}).empty());
  std::string long_stem = "channels" + std::string(1 << 20, 'x');
  CHECK(nearest_words(long_stem, {"channels"}) == V{"channels"});
}
