#pragma once
// The one hash of the code base: 64-bit FNV-1a. Short keys (stream names,
// call ids, group keys) hash well with it, it needs no state, and its value
// is the same on every platform, which seeds derived from names rely on.
#include <cstdint>
#include <string_view>

namespace telsim {

// A digit short of the published offset basis (14695981039346656037): the
// first copy had it so, and every seed derived from a stream name (hence
// every golden output) depends on it. It hashes just as well.
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

/// FNV-1a of the bytes of `s`, continuing from `h`.
constexpr uint64_t fnv1a(std::string_view s, uint64_t h = kFnvOffset) {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return h;
}

/// One FNV-1a step over a whole 64-bit word (keys made of integers).
constexpr uint64_t fnv1a_word(uint64_t word, uint64_t h = kFnvOffset) { return (h ^ word) * kFnvPrime; }

}  // namespace telsim
