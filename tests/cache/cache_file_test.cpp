#include "cache/cache_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fingerprint/sha256.hpp"
#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"

namespace svcdiff::cache {
namespace {

Entry sample() {
  Entry entry;
  entry.key = std::string(64, 'a');
  entry.config_name = "svcdiff.yml";
  entry.commit = std::string(40, 'b');
  entry.files = {"services/a/buildspec.yml", "odd\npath with \"bytes\"/buildspec.yml", ""};
  entry.infer = InferRecord{{{"a", "b", "services/a/package.json: \"b\": \"1\""}},
                            {"svcdiff.yml:3:4: warning"},
                            {"services/a/notes"},
                            {"", "services/a"},
                            {"services a, b depend on each other (...); they share one wave"},
                            7};
  return entry;
}

// The digest the build compiled in is that of the sources as they are now:
// the build recomputes it when any file of src/ changes, so a cache written
// by a build of other code is never read (its key differs).
TEST(CacheKey, HoldsTheDigestOfTheSourcesThisBuildWasMadeFrom) {
  namespace fs = std::filesystem;
  const fs::path root = testing::source_dir();
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "src")) {
    if (entry.is_regular_file()) files.push_back(entry.path().lexically_relative(root).string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 50u);
  std::string listing;
  for (const auto& file : files) {
    fingerprint::Sha256 one;
    one.update(testing::read_file((root / file).string()));
    listing += file + " " + one.hex_digest() + "\n";
  }
  fingerprint::Sha256 all;
  all.update(listing);
  EXPECT_EQ(source_digest(), all.hex_digest())
      << "the build's source digest is stale: cmake/source-digest.cmake did not run after a change";
}

TEST(CacheFile, ReadsBackWhatItWrote) {
  const Entry entry = sample();
  EXPECT_EQ(decode(encode(entry)), entry);
  Entry without_infer = entry;
  without_infer.infer.reset();
  EXPECT_EQ(decode(encode(without_infer)), without_infer);
}

TEST(CacheFile, RefusesEveryTruncation) {
  const std::string bytes = encode(sample());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(decode(bytes.substr(0, size))) << size;
  }
}

TEST(CacheFile, RefusesAnyChangedByte) {
  const std::string bytes = encode(sample());
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string altered = bytes;
    altered[at] = static_cast<char>(altered[at] ^ 0x04);
    EXPECT_FALSE(decode(altered)) << at;
  }
}

TEST(CacheFile, RefusesTrailingBytesAndAnotherFormat) {
  const std::string bytes = encode(sample());
  EXPECT_FALSE(decode(bytes + "x"));
  std::string other = bytes;
  other.replace(other.find("format 2"), 8, "format 1");
  EXPECT_FALSE(decode(other));
  EXPECT_FALSE(decode(""));
}

TEST(CacheFile, KeyFollowsTheConfigBytes) {
  config::Config a;
  a.from_file = true;
  a.bytes = "version: 1\n";
  config::Config b = a;
  EXPECT_EQ(cache_key(a), cache_key(b));
  b.bytes = "version: 1\ninfer: [npm]\n";
  EXPECT_NE(cache_key(a), cache_key(b));
  b = a;
  b.from_file = false;
  EXPECT_NE(cache_key(a), cache_key(b));
}

}  // namespace
}  // namespace svcdiff::cache
