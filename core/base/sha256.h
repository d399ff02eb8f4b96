#pragma once
// SHA-256 (FIPS 180-4), for recording which input files produced an output:
// a report names each file it read with its digest, so a result can be traced
// to the exact bytes. Not for secrets (no constant-time promise).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace telsim {

/// Incremental SHA-256: feed bytes with update(), read the digest once with hex().
class Sha256 {
 public:
  /// `hardware`: use the CPU's SHA instructions when it has them (x86-64 SHA
  /// extensions, about 5 times faster: hashing a CDR then costs less than
  /// reading it); false forces the portable code (tests compare both).
  explicit Sha256(bool hardware = true);
  void update(const void* data, std::size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  /// The digest as 64 lowercase hex digits; ends the computation.
  std::string hex();

 private:
  void blocks(const unsigned char* p, std::size_t n);
  bool hardware_;
  uint32_t h_[8];
  unsigned char buf_[64];
  std::size_t used_ = 0;
  uint64_t bytes_ = 0;
};

/// SHA-256 of `s` as hex.
std::string sha256_hex(std::string_view s);

/// SHA-256 of a file's bytes as hex; throws InputError naming the file when it
/// cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace telsim
