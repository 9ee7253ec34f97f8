// SHA-256 against FIPS 180-4's examples and against coreutils' sha256sum.
#include "fingerprint/sha256.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <string_view>

#include "support/temp_repo.hpp"

namespace svcdiff::fingerprint {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// The CPU's SHA instructions (when this machine has them) against the
// portable code: every length up to a few blocks, then long random inputs
// fed in random pieces, so runs of whole blocks and the buffer both occur.
TEST(Sha256, TheCpusInstructionsAgreeWithThePortableCode) {
  std::mt19937 random(29);
  auto digest = [](Sha256::Code code, std::string_view bytes, std::size_t piece) {
    Sha256 hash(code);
    for (std::size_t at = 0; at < bytes.size(); at += piece) hash.update(bytes.substr(at, piece));
    return hash.hex_digest();
  };
  std::string bytes;
  for (std::size_t length = 0; length <= 300; ++length) {
    EXPECT_EQ(digest(Sha256::Code::fastest, bytes, 300), digest(Sha256::Code::portable, bytes, 300))
        << length;
    bytes += static_cast<char>(random() & 0xFF);
  }
  for (int round = 0; round < 50; ++round) {
    bytes.resize(random() % 20000);
    for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
    const std::size_t piece = 1 + random() % 500;
    EXPECT_EQ(digest(Sha256::Code::fastest, bytes, piece),
              digest(Sha256::Code::portable, bytes, piece))
        << bytes.size() << " bytes in pieces of " << piece;
  }
  // Both codes on the FIPS vectors, too.
  for (Sha256::Code code : {Sha256::Code::fastest, Sha256::Code::portable}) {
    EXPECT_EQ(digest(code, "abc", 3),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(digest(code, std::string(1000000, 'a'), 4096),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  std::cout << "SHA instructions " << (Sha256::cpu_has_sha_instructions() ? "used" : "absent")
            << " on this machine\n";
}

TEST(Sha256, StreamedInPiecesEqualsInOneGo) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>(i * 7 + 3);
  for (std::size_t cut = 0; cut <= text.size(); cut += 13) {
    Sha256 hash;
    hash.update(std::string_view(text).substr(0, cut));
    hash.update(std::string_view(text).substr(cut));
    EXPECT_EQ(hash.hex_digest(), sha256_hex(text)) << "cut at " << cut;
  }
}

// Lengths around the padding boundaries (55/56 and 63/64 bytes), checked
// against sha256sum.
TEST(Sha256, AgreesWithSha256sumAroundBlockBoundaries) {
  std::mt19937 random(11);
  for (std::size_t length : {1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000}) {
    std::string bytes(length, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
    auto result = testing::run_command({"sha256sum"}, ".", {}, bytes);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(sha256_hex(bytes), result.out.substr(0, 64)) << "length " << length;
  }
}

}  // namespace
}  // namespace svcdiff::fingerprint
