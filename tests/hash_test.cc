// core/base/hash: FNV-1a, whose values seeds and stream names depend on.
#include "core/base/hash.h"

#include <doctest/doctest.h>

#include "core/base/random.h"

using namespace telsim;

TEST_CASE("fnv1a keeps the values every seed and golden output depends on") {
  // Pinned: a change here reshuffles every named random stream.
  CHECK(fnv1a("") == 1469598103934665603ULL);
  CHECK(fnv1a("a") == 4953267810257967366ULL);
  CHECK(fnv1a("foobar") == 9870438755804841970ULL);
  // Continuing from a value is hashing the concatenation.
  CHECK(fnv1a("bar", fnv1a("foo")) == fnv1a("foobar"));
  // Stream names seed random streams through it.
  CHECK(hash_name("arrivals/x") == fnv1a("arrivals/x"));
}

TEST_CASE("fnv1a_word mixes a whole word in one step") {
  CHECK(fnv1a_word(0) == kFnvOffset * kFnvPrime);
  CHECK(fnv1a_word(1) != fnv1a_word(2));
  CHECK(fnv1a_word(2, fnv1a_word(1)) != fnv1a_word(1, fnv1a_word(2)));  // order matters
}
