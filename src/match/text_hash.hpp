#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace svcdiff::match {

// The hashes PatternIndex files its keys under, here so that a test can make
// keys that collide (which only add candidates) and check the index with them.

// murmur3's finalizer: every input bit moves about half the output bits.
inline std::uint64_t hash_mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::uint64_t load_word(const char* bytes, std::size_t size) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, size);
  return word;
}

// Eight bytes a step, the last step's load overlapping the one before, so
// no byte loop. Not a stable format: the hashes never leave the process.
inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  const char* bytes = text.data();
  const std::size_t size = text.size();
  std::uint64_t hash = (size + 1) * kMultiplier;
  std::uint64_t last = 0;
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 < size; i += 8) {
      hash = (hash ^ load_word(bytes + i, 8)) * kMultiplier;
      hash ^= hash >> 29;
    }
    last = load_word(bytes + size - 8, 8);
  } else if (size >= 4) {
    last = load_word(bytes, 4) | (load_word(bytes + size - 4, 4) << 32);
  } else if (size > 0) {
    last = static_cast<unsigned char>(bytes[0]) |
           (std::uint64_t{static_cast<unsigned char>(bytes[size / 2])} << 8) |
           (std::uint64_t{static_cast<unsigned char>(bytes[size - 1])} << 16);
  }
  return hash_mix((hash ^ last) * kMultiplier);
}

}  // namespace svcdiff::match
