#include "fingerprint/sha256.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace svcdiff::fingerprint {
namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

std::uint32_t load_big_endian(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

// One round, FIPS 180-4 6.2.2 step 3, with the eight working variables
// renamed instead of shifted: the caller rotates the arguments, so the
// round does no moves (what the plain loop spent most of its time on).
// Ch and Maj in their three- and four-operation forms.
inline void round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d,
                  std::uint32_t e, std::uint32_t f, std::uint32_t g, std::uint32_t& h,
                  std::uint32_t k_plus_w) {
  const std::uint32_t t1 =
      h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + k_plus_w;
  const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)));
  d += t1;
  h = t1 + t2;
}

// W[t] for t >= 16, in a ring of the last sixteen words.
inline std::uint32_t next_word(std::array<std::uint32_t, 16>& w, std::size_t t) {
  const std::uint32_t w15 = w[(t - 15) & 15];
  const std::uint32_t w2 = w[(t - 2) & 15];
  const std::uint32_t s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3);
  const std::uint32_t s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10);
  return w[t & 15] += s0 + w[(t - 7) & 15] + s1;
}

void compress_portable(std::array<std::uint32_t, 8>& state, const unsigned char* block) {
  std::array<std::uint32_t, 16> w;
  for (std::size_t i = 0; i < 16; ++i) w[i] = load_big_endian(block + 4 * i);
  auto [a, b, c, d, e, f, g, h] = state;
  for (std::size_t t = 0; t < 16; t += 8) {
    round(a, b, c, d, e, f, g, h, kRound[t] + w[t]);
    round(h, a, b, c, d, e, f, g, kRound[t + 1] + w[t + 1]);
    round(g, h, a, b, c, d, e, f, kRound[t + 2] + w[t + 2]);
    round(f, g, h, a, b, c, d, e, kRound[t + 3] + w[t + 3]);
    round(e, f, g, h, a, b, c, d, kRound[t + 4] + w[t + 4]);
    round(d, e, f, g, h, a, b, c, kRound[t + 5] + w[t + 5]);
    round(c, d, e, f, g, h, a, b, kRound[t + 6] + w[t + 6]);
    round(b, c, d, e, f, g, h, a, kRound[t + 7] + w[t + 7]);
  }
  for (std::size_t t = 16; t < 64; t += 8) {
    round(a, b, c, d, e, f, g, h, kRound[t] + next_word(w, t));
    round(h, a, b, c, d, e, f, g, kRound[t + 1] + next_word(w, t + 1));
    round(g, h, a, b, c, d, e, f, kRound[t + 2] + next_word(w, t + 2));
    round(f, g, h, a, b, c, d, e, kRound[t + 3] + next_word(w, t + 3));
    round(e, f, g, h, a, b, c, d, kRound[t + 4] + next_word(w, t + 4));
    round(d, e, f, g, h, a, b, c, kRound[t + 5] + next_word(w, t + 5));
    round(c, d, e, f, g, h, a, b, kRound[t + 6] + next_word(w, t + 6));
    round(b, c, d, e, f, g, h, a, kRound[t + 7] + next_word(w, t + 7));
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

#if defined(__x86_64__)
// The x86 SHA extensions (Intel's SHA-NI; AMD since Zen): SHA256RNDS2 does
// two rounds on the state split in two registers, (A,B,E,F) and (C,D,G,H),
// and SHA256MSG1/MSG2 compute the message schedule four words at a time.
// A fingerprint of a service hashes its whole input listing: on a large
// range of the items format this took a quarter of the run in portable code.
// (Each function that calls these instructions needs the attribute: GCC
// inlines them only into code compiled for them.)
#define SVCDIFF_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))

// Words 4i .. 4i+3 of a block: big-endian in the message, swapped.
SVCDIFF_SHA_TARGET __m128i load_words(const unsigned char* block, std::size_t i) {
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i)), swap);
}

// Four rounds with the words W[4i .. 4i+3].
SVCDIFF_SHA_TARGET void four_rounds(__m128i& abef, __m128i& cdgh, __m128i words, std::size_t i) {
  __m128i sums =
      _mm_add_epi32(words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kRound[4 * i])));
  // Two rounds make the old (A,B,E,F) the new (C,D,G,H).
  cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sums);
  sums = _mm_shuffle_epi32(sums, 0x0E);
  abef = _mm_sha256rnds2_epu32(abef, cdgh, sums);
}

SVCDIFF_SHA_TARGET void compress_sha_ni(std::array<std::uint32_t, 8>& state,
                                        const unsigned char* blocks, std::size_t count) {
  // state[0..3] = a,b,c,d and state[4..7] = e,f,g,h, lane 0 first; the
  // instructions want lanes 3..0 = A,B,E,F and C,D,G,H.
  __m128i low = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0])),
                                  0xB1);  // b,a,d,c
  __m128i high = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4])),
                                   0x1B);  // h,g,f,e
  __m128i abef = _mm_alignr_epi8(low, high, 8);
  __m128i cdgh = _mm_blend_epi16(high, low, 0xF0);
  for (; count > 0; --count, blocks += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    // The last sixteen words, four by four: W[t-16..t-13] .. W[t-4..t-1].
    __m128i w16 = load_words(blocks, 0);
    __m128i w12 = load_words(blocks, 1);
    __m128i w8 = load_words(blocks, 2);
    __m128i w4 = load_words(blocks, 3);
    four_rounds(abef, cdgh, w16, 0);
    four_rounds(abef, cdgh, w12, 1);
    four_rounds(abef, cdgh, w8, 2);
    four_rounds(abef, cdgh, w4, 3);
    for (std::size_t i = 4; i < 16; ++i) {
      // W[t] = W[t-16] + s0(W[t-15]) + W[t-7] + s1(W[t-2]), four at a time.
      __m128i words = _mm_add_epi32(_mm_sha256msg1_epu32(w16, w12), _mm_alignr_epi8(w4, w8, 4));
      words = _mm_sha256msg2_epu32(words, w4);
      four_rounds(abef, cdgh, words, i);
      w16 = w12;
      w12 = w8;
      w8 = w4;
      w4 = words;
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);  // a,b,e,f
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);  // g,h,c,d
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), _mm_alignr_epi8(dchg, feba, 8));
}

bool detect_sha_instructions() {
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & (1U << 9)) != 0;
  const bool sse41 = (ecx & (1U << 19)) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  return ssse3 && sse41 && (ebx & (1U << 29)) != 0;
}
#else
bool detect_sha_instructions() { return false; }
#endif

}  // namespace

Sha256::Sha256(Code code)
    : accelerated_(code == Code::fastest && cpu_has_sha_instructions()),
      state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

bool Sha256::cpu_has_sha_instructions() {
  static const bool has = detect_sha_instructions();
  return has;
}

void Sha256::compress(const unsigned char* blocks, std::size_t count) {
  if (count == 0) return;
#if defined(__x86_64__)
  if (accelerated_) {
    compress_sha_ni(state_, blocks, count);
    return;
  }
#endif
  for (; count > 0; --count, blocks += 64) compress_portable(state_, blocks);
}

void Sha256::update(std::string_view bytes) {
  length_ += bytes.size();
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t size = bytes.size();
  if (buffered_ > 0) {
    std::size_t take = std::min(size, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, data, take);
    buffered_ += take;
    data += take;
    size -= take;
    if (buffered_ < buffer_.size()) return;
    compress(buffer_.data(), 1);
    buffered_ = 0;
  }
  compress(data, size / 64);
  data += size / 64 * 64;
  size %= 64;
  std::memcpy(buffer_.data(), data, size);
  buffered_ = size;
}

std::string Sha256::hex_digest() {
  // Padding: 0x80, zeros up to 56 mod 64, then the length in bits, big-endian.
  const std::uint64_t bits = length_ * 8;
  static constexpr unsigned char kPad[64] = {0x80};
  std::size_t pad = buffered_ < 56 ? 56 - buffered_ : 120 - buffered_;
  update(std::string_view(reinterpret_cast<const char*>(kPad), pad));
  unsigned char size_bytes[8];
  for (int i = 0; i < 8; ++i) size_bytes[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
  update(std::string_view(reinterpret_cast<const char*>(size_bytes), 8));

  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (std::uint32_t word : state_) {
    for (int shift = 28; shift >= 0; shift -= 4) hex += kHex[(word >> shift) & 0xF];
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

}  // namespace svcdiff::fingerprint
