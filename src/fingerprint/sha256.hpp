#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace svcdiff::fingerprint {

// SHA-256 (FIPS 180-4), streamed: update() any number of times, then
// hex_digest() once. Our own, because libgit2 exposes only SHA-1 object ids
// and the fingerprint needs nothing else.
class Sha256 {
 public:
  // `fastest` uses the CPU's SHA instructions (x86-64 SHA extensions) when it
  // has them, else the portable code; `portable` always the portable code
  // (tests compare the two).
  enum class Code { fastest, portable };
  explicit Sha256(Code code = Code::fastest);
  void update(std::string_view bytes);
  // The digest as 64 lowercase hex characters. Finishes the hash: call once.
  std::string hex_digest();

  // Whether `fastest` means the CPU's SHA instructions on this machine.
  static bool cpu_has_sha_instructions();

 private:
  void compress(const unsigned char* blocks, std::size_t count);

  bool accelerated_;
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

// SHA-256 of `bytes` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view bytes);

}  // namespace svcdiff::fingerprint
