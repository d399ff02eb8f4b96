// SHA-256 against the FIPS 180-4 / NIST example vectors: the digests a report
// records must be the ones sha256sum gives for the same bytes.
#include <doctest/doctest.h>

#include <string>

#include "core/base/error.h"
#include "core/base/sha256.h"
#include "tests/test_util.h"

using namespace telsim;

TEST_CASE("sha256: NIST vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                   "mnopqrstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  // One million 'a', fed in uneven pieces: blocks straddle update() calls.
  Sha256 h;
  std::string piece(997, 'a');
  size_t left = 1000000;
  while (left > 0) {
    size_t n = std::min(left, piece.size());
    h.update(piece.data(), n);
    left -= n;
  }
  CHECK(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Lengths around the padding boundary (55, 56, 64 bytes).
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("sha256: the CPU's SHA instructions and the portable code agree") {
  // Every length from 0 to 300 bytes (partial, whole and multiple blocks),
  // fed whole and byte by byte.
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>((i * 131 + 7) & 0xff);
  for (size_t len = 0; len <= data.size(); ++len) {
    Sha256 hw(true), sw(false), bytes(false);
    hw.update(data.data(), len);
    sw.update(data.data(), len);
    for (size_t i = 0; i < len; ++i) bytes.update(data.data() + i, 1);
    std::string a = hw.hex(), b = sw.hex();
    INFO("length " << len);
    CHECK(a == b);
    CHECK(bytes.hex() == b);
  }
  Sha256 sw(false);
  sw.update("abc");
  CHECK(sw.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256: files, and a missing file is bad input") {
  test::TempDir d;
  test::write_file(d.file("x"), "abc");
  CHECK(sha256_file(d.file("x")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_THROWS_AS(sha256_file(d.file("nope")), InputError);
}
