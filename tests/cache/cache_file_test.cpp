#include "cache/cache_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "fingerprint/sha256.hpp"
#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"

namespace svcdiff::cache {
namespace {

// A config that sets every field of the model, each to something other than
// its default, so a field the cache forgot to keep fails the round trip.
config::Config every_field() {
  config::Config config = config::parse_config(
      "version: 1\n"
      "defaults: {base: origin/main, on_unknown_base: fail, output: ABC.json, format: items}\n"
      "ignore: [\"**/*.md\"]\n"
      "global: [\"/tools/\"]\n"
      "infer: {npm: [dependencies]}\n"
      "discover:\n"
      "  - {glob: \"services/*/*\", require: app.yml, name: path, infer: [go, cargo]}\n"
      "  - {glob: \"apps/*\"}\n"
      "services:\n"
      "  web:\n"
      "    paths: [\"web/\", \"shared/web/\"]\n"
      "    exclude: [\"web/generated/\"]\n"
      "    depends_on: [lib, \"!tools\"]\n"
      "    project: web-build\n"
      "    buildspec: web/build.yml\n"
      "    vars: {STAGE: prod, KEY: {parameter-store: /k}, PASSWORD: {secrets-manager: db}}\n"
      "  lib:\n"
      "    paths: [\"lib/\"]\n"
      "    build: false\n"
      "  tools:\n"
      "    paths: [\"tools/x/\"]\n",
      "svcdiff.yml");
  // Filled after parsing (resolve_services, infer), never by the parse
  // itself; kept anyway so that nothing of a Service is lost.
  config.services[0].inferred = {{"lib", "web/package.json: \"lib\": \"1\""}};
  config.services[0].directory = "web";
  config.services[0].discovered = true;
  return config;
}

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
  // As the cache keeps it: without what the reading run fills in.
  entry.config = every_field();
  entry.config->file.clear();
  entry.config->bytes.clear();
  entry.config->from_file = false;
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
  Entry without_config = entry;
  without_config.config.reset();
  EXPECT_EQ(decode(encode(without_config)), without_config);
}

// What the cache keeps of a config is all of it but its name, bytes and
// from_file (the reading run's own): put back, it equals the parse.
TEST(CacheFile, KeepsEveryFieldOfTheParsedConfig) {
  const config::Config parsed = every_field();
  Entry entry = sample();
  auto read = decode(encode(entry));
  ASSERT_TRUE(read && read->config);
  config::Config& kept = *read->config;
  EXPECT_TRUE(kept.file.empty() && kept.bytes.empty() && !kept.from_file);
  kept.file = parsed.file;
  kept.bytes = parsed.bytes;
  kept.from_file = parsed.from_file;
  EXPECT_EQ(kept, parsed);
  // Each part of it is checked: a changed field makes them differ.
  kept.services[1].build = true;
  EXPECT_NE(kept, parsed);
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
  other.replace(other.find("format 3"), 8, "format 2");
  EXPECT_FALSE(decode(other));
  EXPECT_FALSE(decode(""));
}

// Discovery's list is read as views of one buffer: each path comes back as
// written, whatever bytes it holds, and whether the list is in byte order
// is known without looking at it again (DiscoveryTree sorts a copy if not).
TEST(PathList, ReadsBackEachPathAndKnowsWhetherTheyAreSorted) {
  const PathList sorted = {"", "a/b", "a/b\nc", "b"};
  EXPECT_TRUE(sorted.sorted());
  const std::string bytes = sorted.bytes() + "tail";
  std::string_view rest = bytes;
  const auto read = PathList::read(rest, 4);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, sorted);
  EXPECT_EQ(rest, "tail");
  EXPECT_EQ(read->strings(), (std::vector<std::string>{"", "a/b", "a/b\nc", "b"}));
  EXPECT_TRUE(read->sorted());
  EXPECT_TRUE(std::ranges::binary_search(*read, std::string_view("a/b\nc")));

  const PathList unsorted = {"b/buildspec.yml", "a/buildspec.yml"};
  EXPECT_FALSE(unsorted.sorted());
  std::string_view unsorted_bytes = unsorted.bytes();
  const auto read_unsorted = PathList::read(unsorted_bytes, 2);
  ASSERT_TRUE(read_unsorted);
  EXPECT_FALSE(read_unsorted->sorted());
  EXPECT_EQ(PathList(std::vector<std::string>{"x", "y"}), (PathList{"x", "y"}));
}

// Infer's edges read back know whether they are sorted by service, judged on
// the file's bytes (reading them through the edges' own, still empty buffer
// was a stack overflow under ASan): run() bisects only sorted edges.
TEST(InferredEdgesFile, ReadsBackAndKnowsWhetherTheyAreSorted) {
  const InferredEdges sorted{{"api", "lib", "services/api/package.json"},
                             {"web", "api", "services/web/package.json"},
                             {"web", "lib", "services/web/package.json"}};
  const std::string bytes = sorted.bytes() + "tail";
  std::string_view rest = bytes;
  const auto read = InferredEdges::read(rest, 3);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, sorted);
  EXPECT_EQ(rest, "tail");
  EXPECT_EQ(read->run("web"), (std::pair<std::size_t, std::size_t>{1, 3}));

  const InferredEdges unsorted{{"web", "api", "services/web/package.json"},
                               {"api", "lib", "services/api/package.json"}};
  std::string_view unsorted_bytes = unsorted.bytes();
  const auto read_unsorted = InferredEdges::read(unsorted_bytes, 2);
  ASSERT_TRUE(read_unsorted);
  EXPECT_EQ(read_unsorted->run("web"), std::nullopt);
  EXPECT_EQ((*read_unsorted)[1].service, "api");
}

TEST(PathList, RefusesWhatPutStringDidNotWrite) {
  for (const std::string bytes : {"", "3 ab\n", "3 abcd", "03 abc\n", "x abc\n", "3abc\n", "-1 a\n",
                                  "99999999999999999999 a\n"}) {
    std::string_view rest = bytes;
    EXPECT_FALSE(PathList::read(rest, 1)) << bytes;
    EXPECT_EQ(rest, bytes) << "nothing is taken from a refused list";
  }
  std::string_view two = "1 a\n";
  EXPECT_FALSE(PathList::read(two, 2));
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
