// core/base/text: trimming, byte order marks, UTF-8 checks.
#include "core/base/text.h"

#include <doctest/doctest.h>

using namespace telsim;

TEST_CASE("trim drops spaces, tabs and carriage returns at both ends only") {
  CHECK(trim("  a b\t\r") == "a b");
  CHECK(trim("\t \r") == "");
  CHECK(trim("") == "");
  CHECK(trim("x") == "x");
  CHECK(trim("\na\n") == "\na\n");  // newlines are not blanks inside a line
}

TEST_CASE("strip_bom drops one leading UTF-8 byte order mark") {
  CHECK(strip_bom("\xEF\xBB\xBFtime,caller") == "time,caller");
  CHECK(strip_bom("time") == "time");
  CHECK(strip_bom("\xEF\xBB") == "\xEF\xBB");
  CHECK(strip_bom("a\xEF\xBB\xBF") == "a\xEF\xBB\xBF");
}

TEST_CASE("valid_utf8 and printable_utf8") {
  CHECK(valid_utf8("plain ascii, long enough to take the 8-byte path"));
  CHECK(valid_utf8("Москва ✓ 𝄞"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(valid_utf8("abc\xD0"));           // cut short
  CHECK(printable_utf8("Иван\xFF\t1") == "Иван??1");
  CHECK(printable_utf8("ok") == "ok");
}
