#include "match/path_classifier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "match/text_hash.hpp"

namespace svcdiff::match {
namespace {

std::vector<Pattern> compile_all(std::initializer_list<const char*> sources) {
  std::vector<Pattern> patterns;
  for (const char* source : sources) patterns.push_back(Pattern::compile(source));
  return patterns;
}

ServicePatterns service(std::string name, std::initializer_list<const char*> paths,
                        std::initializer_list<const char*> exclude = {}) {
  return {std::move(name), compile_all(paths), compile_all(exclude)};
}

// The names of the owning services, in the order classify gives them.
std::vector<std::string> owner_names(const PathClassifier& classifier, std::string_view path,
                                     bool is_dir = false) {
  std::vector<std::string> names;
  for (const Owner& owner : classifier.classify(path, is_dir).owners) {
    names.push_back(classifier.services()[owner.service].name);
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(PathClassifier, IgnoreBeatsGlobalBeatsServices) {
  std::vector<ServicePatterns> services;
  services.push_back(service("api", {"services/api/"}));
  const PathClassifier classifier(compile_all({"**/*.md"}), compile_all({"buildspecs/", "*.md"}),
                                  std::move(services));

  const Classification ignored = classifier.classify("buildspecs/README.md", false);
  ASSERT_NE(ignored.ignored_by, nullptr);
  EXPECT_EQ(ignored.ignored_by->source(), "**/*.md");
  EXPECT_EQ(ignored.global_by, nullptr);
  EXPECT_TRUE(ignored.owners.empty());

  const Classification global = classifier.classify("buildspecs/api.yml", false);
  EXPECT_EQ(global.ignored_by, nullptr);
  ASSERT_NE(global.global_by, nullptr);
  EXPECT_EQ(global.global_by->source(), "buildspecs/");
  EXPECT_TRUE(global.owners.empty());

  const Classification owned = classifier.classify("services/api/main.go", false);
  EXPECT_EQ(owned.ignored_by, nullptr);
  EXPECT_EQ(owned.global_by, nullptr);
  ASSERT_EQ(owned.owners.size(), 1U);
  EXPECT_EQ(owned.owners[0].service, 0U);
  EXPECT_EQ(owned.owners[0].pattern->source(), "services/api/");

  EXPECT_EQ(classifier.classify("services/api/README.md", false).ignored_by->source(), "**/*.md");
  // path_matches() answers regardless of ignore, for `explain`.
  EXPECT_EQ(classifier.path_matches("services/api/README.md", false).size(), 1U);
}

TEST(PathClassifier, UnmatchedPathHasNothing) {
  std::vector<ServicePatterns> services;
  services.push_back(service("api", {"services/api/"}));
  const PathClassifier classifier({}, {}, std::move(services));
  const Classification result = classifier.classify("tools/lint.sh", false);
  EXPECT_EQ(result.ignored_by, nullptr);
  EXPECT_EQ(result.global_by, nullptr);
  EXPECT_TRUE(result.owners.empty());
}

TEST(PathClassifier, FirstPatternInConfigOrderIsReported) {
  // The first ignore pattern is unindexed and the second indexed; the report
  // follows config order, not the index's.
  std::vector<ServicePatterns> services;
  services.push_back(service("api", {"**/api/**", "services/api/", "api"}));
  const PathClassifier classifier(compile_all({"*.tmp", "services/"}), {}, std::move(services));
  EXPECT_EQ(classifier.classify("services/x.tmp", false).ignored_by->source(), "*.tmp");
  EXPECT_EQ(classifier.path_matches("services/api/x", false).at(0).pattern->source(), "**/api/**");
  EXPECT_EQ(classifier.path_matches("services/api", true).at(0).pattern->source(), "services/api/");
}

TEST(PathClassifier, ExcludeRemovesOwnership) {
  std::vector<ServicePatterns> services;
  services.push_back(
      service("api", {"services/api/"}, {"services/api/README.md", "docs/", "*.txt"}));
  const PathClassifier classifier({}, {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "services/api/main.go"), Names{"api"});
  EXPECT_EQ(owner_names(classifier, "services/api/README.md"), Names{});
  EXPECT_EQ(owner_names(classifier, "services/api/sub/README.md"), Names{"api"});
  EXPECT_EQ(owner_names(classifier, "services/api/docs/a/b.png"), Names{});
  EXPECT_EQ(owner_names(classifier, "services/api/notes.txt"), Names{});
}

TEST(PathClassifier, ExcludeOfOneServiceLeavesOthers) {
  std::vector<ServicePatterns> services;
  services.push_back(service("api", {"services/api/"}, {"**/generated/"}));
  services.push_back(service("codegen", {"**/generated/"}));
  const PathClassifier classifier({}, {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "services/api/generated/a.pb.go"), Names{"codegen"});
  EXPECT_EQ(owner_names(classifier, "services/api/a.go"), Names{"api"});
}

TEST(PathClassifier, MultipleOwnersSortedByServiceIndex) {
  std::vector<ServicePatterns> services;
  services.push_back(service("web", {"**/*.proto", "web/"}));
  services.push_back(service("api", {"proto/"}));
  services.push_back(service("everything", {"**"}));
  services.push_back(service("other", {"other/"}));
  const PathClassifier classifier({}, {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "proto/user.proto"), (Names{"web", "api", "everything"}));
  EXPECT_EQ(owner_names(classifier, "other/x"), (Names{"everything", "other"}));
}

TEST(PathClassifier, LiteralNamesMatchAtAnyDepthOnce) {
  std::vector<ServicePatterns> services;
  services.push_back(service("docker", {"Dockerfile", "docker/"}));
  const PathClassifier classifier({}, {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "a/b/Dockerfile"), Names{"docker"});
  // The name recurs along the path; the service is still listed once.
  EXPECT_EQ(owner_names(classifier, "docker/x/docker/Dockerfile"), Names{"docker"});
  EXPECT_EQ(owner_names(classifier, "docker"), Names{});  // a file, not the directory
  EXPECT_EQ(owner_names(classifier, "docker", true), Names{"docker"});
}

TEST(PathClassifier, SubmoduleCountsAsDirectory) {
  std::vector<ServicePatterns> services;
  services.push_back(service("vendored", {"vendor/lib/"}));
  const PathClassifier classifier(compile_all({"ignored/"}), {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "vendor/lib", true), Names{"vendored"});
  EXPECT_EQ(owner_names(classifier, "vendor/lib", false), Names{});
  EXPECT_NE(classifier.classify("ignored", true).ignored_by, nullptr);
  EXPECT_EQ(classifier.classify("ignored", false).ignored_by, nullptr);
}

TEST(PathClassifier, PointersSurviveMovingTheClassifier) {
  std::vector<ServicePatterns> services;
  services.push_back(service("api", {"services/api/"}));
  PathClassifier original(compile_all({"*.md"}), {}, std::move(services));
  const Pattern* ignore = original.classify("a.md", false).ignored_by;
  const Pattern* owner = original.classify("services/api/x", false).owners.at(0).pattern;
  const PathClassifier moved = std::move(original);
  EXPECT_EQ(moved.classify("a.md", false).ignored_by, ignore);
  EXPECT_EQ(moved.classify("services/api/x", false).owners.at(0).pattern, owner);
  EXPECT_EQ(owner, &moved.services()[0].paths[0]);
}

TEST(PathClassifier, RawBytePaths) {
  std::vector<ServicePatterns> services;
  services.push_back(service("caf\xe9", {"services/caf\xe9/"}));
  services.push_back(service("lines", {"*\n*"}));
  const PathClassifier classifier({}, {}, std::move(services));
  EXPECT_EQ(owner_names(classifier, "services/caf\xe9/m\xff.txt"), Names{"caf\xe9"});
  EXPECT_EQ(owner_names(classifier, "x/a\nb/c"), Names{"lines"});
}

// The shape of a large monorepo: thousands of services found by prefix, a few
// wildcard ones found by scanning. Checks answers, not speed.
TEST(PathClassifier, ThousandsOfServicesAnswerLikeALinearScan) {
  constexpr int kServices = 2500;
  std::vector<ServicePatterns> services;
  for (int i = 0; i < kServices; ++i) {
    const std::string name = "svc" + std::to_string(i);
    ServicePatterns patterns{name, {}, {}};
    patterns.paths.push_back(Pattern::compile("services/" + name + "/"));
    if (i % 10 == 0)
      patterns.paths.push_back(Pattern::compile("libs/shared" + std::to_string(i % 7)));
    if (i % 100 == 0)
      patterns.paths.push_back(Pattern::compile("**/schema-" + std::to_string(i) + ".json"));
    if (i % 3 == 0) patterns.exclude.push_back(Pattern::compile("services/" + name + "/docs/"));
    services.push_back(std::move(patterns));
  }
  const std::vector<ServicePatterns> reference = services;
  const PathClassifier classifier({}, {}, std::move(services));

  std::mt19937 random(42);
  std::vector<std::string> paths;
  for (int i = 0; i < 20000; ++i) {
    const int service = static_cast<int>(random() % (kServices + 50));  // some unowned
    switch (random() % 4) {
      case 0:
        paths.push_back("services/svc" + std::to_string(service) + "/src/main.go");
        break;
      case 1:
        paths.push_back("services/svc" + std::to_string(service) + "/docs/x.md");
        break;
      case 2:
        paths.push_back("libs/shared" + std::to_string(service % 9) + "/a/b.c");
        break;
      default:
        paths.push_back("gen/schema-" + std::to_string(service) + ".json");
        break;
    }
  }

  std::size_t owned = 0;
  for (std::size_t p = 0; p < paths.size(); ++p) {
    const std::string& path = paths[p];
    const std::vector<Owner> actual = classifier.classify(path, false).owners;
    owned += actual.empty() ? 0 : 1;
    if (p % 8 != 0) continue;  // the linear reference is the slow part
    std::vector<Owner> expected;
    for (std::size_t s = 0; s < reference.size(); ++s) {
      for (const Pattern& pattern : reference[s].paths) {
        if (!pattern.matches(path)) continue;
        bool excluded = false;
        for (const Pattern& exclude : reference[s].exclude)
          excluded = excluded || exclude.matches(path);
        if (!excluded) expected.push_back({s, nullptr});
        break;
      }
    }
    ASSERT_EQ(actual.size(), expected.size()) << path;
    for (std::size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i].service, expected[i].service) << path;
      EXPECT_TRUE(actual[i].pattern->matches(path)) << path;
    }
  }
  // Sanity: the generated paths exercise owned, shared and unowned cases.
  EXPECT_GT(owned, paths.size() / 2);
  EXPECT_LT(owned, paths.size());
  EXPECT_EQ(owner_names(classifier, "libs/shared3/x").size(), kServices / 10 / 7 + 1);
}

TEST(PathClassifier, SuffixFiledPatternsMatchAnySegment) {
  // `*.md` and `**/*.md` are filed by their suffix `.md`: the segment that
  // ends with it may be a directory above the path, not only its name.
  std::vector<ServicePatterns> services;
  services.push_back(service("protos", {"**/*.proto", "api/**/*_test.go"}));
  services.push_back(service("deb", {"*.d/"}));
  const PathClassifier classifier(compile_all({"**/*.md", "*.tmp"}), {}, std::move(services));
  const auto ignored_by = [&classifier](std::string_view path) -> std::string {
    const Pattern* pattern = classifier.classify(path, false).ignored_by;
    return pattern == nullptr ? "" : pattern->source();
  };
  for (const char* path : {"a.md", "x/README.md", "notes.md/a.txt", "a/b.md/c/d", ".md"}) {
    EXPECT_EQ(ignored_by(path), "**/*.md") << path;
  }
  EXPECT_EQ(ignored_by("a/b.tmp/c"), "*.tmp");
  for (const char* path : {"md", "a.mdx", "a.md.txt", "x/md/a", "a.tm"}) {
    EXPECT_EQ(ignored_by(path), "") << path;
  }
  EXPECT_EQ(owner_names(classifier, "a/user.proto"), Names{"protos"});
  EXPECT_EQ(owner_names(classifier, "api/x/y_test.go"), Names{"protos"});
  EXPECT_EQ(owner_names(classifier, "x/api/y_test.go"), Names{});
  EXPECT_EQ(owner_names(classifier, "a.proto.bak"), Names{});
  EXPECT_EQ(owner_names(classifier, "etc/conf.d/x"), Names{"deb"});
  EXPECT_EQ(owner_names(classifier, "etc/conf.d"), Names{});
  EXPECT_EQ(owner_names(classifier, "etc/conf.d", true), Names{"deb"});
}

// Keys whose 64-bit hashes collide, made by undoing text_hash's 16-byte path
// (one step on the first word, then the last word and hash_mix): if text_hash
// changes, the ASSERTs on the hashes below fail, and this must follow it.
class CollidingKeys {
 public:
  // A 16-byte key of plain characters whose text_hash is `target`; each call
  // a different one.
  std::string key_hashing_to(std::uint64_t target) {
    const std::uint64_t inner = unmix(target) * inverse(kMultiplier);  // first_step(w0) ^ w1
    for (;; ++seed_) {
      std::string key(16, '\0');
      std::uint64_t digits = seed_;
      for (std::size_t i = 0; i < 8; ++i, digits /= 26)
        key[i] = static_cast<char>('a' + digits % 26);
      std::uint64_t first = 0;
      std::memcpy(&first, key.data(), 8);
      const std::uint64_t last = inner ^ first_step(first);
      std::memcpy(key.data() + 8, &last, 8);
      if (std::all_of(key.begin() + 8, key.end(), plain)) {
        ++seed_;
        return key;
      }
    }
  }

 private:
  static constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  static bool plain(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-_.+=,@%~").find(c) != std::string_view::npos;
  }
  // The state of a 16-byte key's hash after its first word.
  static std::uint64_t first_step(std::uint64_t word) {
    const std::uint64_t hash = ((17 * kMultiplier) ^ word) * kMultiplier;
    return hash ^ (hash >> 29);
  }
  static std::uint64_t inverse(std::uint64_t odd) {  // modulo 2^64, by Newton's method
    std::uint64_t x = odd;
    for (int i = 0; i < 6; ++i) x *= 2 - odd * x;
    return x;
  }
  static std::uint64_t unmix(std::uint64_t y) {
    y ^= y >> 33;
    y *= inverse(0xc4ceb9fe1a85ec53ULL);
    y ^= y >> 33;
    y *= inverse(0xff51afd7ed558ccdULL);
    y ^= y >> 33;
    return y;
  }
  std::uint64_t seed_ = 0;
};

// Colliding keys share a slot and its ids: the index only gives more
// candidates, each once, and Pattern::matches keeps the ones that match, for
// names, directory prefixes and suffixes alike.
TEST(PatternIndex, KeysWhoseHashesCollideOnlyAddCandidates) {
  CollidingKeys keys;
  const std::string a = keys.key_hashing_to(0x5eed5eed5eed5eedULL);
  const std::string b = keys.key_hashing_to(0x5eed5eed5eed5eedULL);
  ASSERT_NE(a, b);
  ASSERT_EQ(text_hash(a), text_hash(b));
  const std::string top_a = "top/" + a + "/";
  const std::string top_b = "top/" + b + "/";
  const std::string star_a = "*" + a;
  const std::string star_b = "*" + b;
  for (const auto& [first, second] :
       std::vector<std::pair<std::string, std::string>>{{a, b}, {top_a, top_b}, {star_a, star_b}}) {
    SCOPED_TRACE(first);
    std::vector<ServicePatterns> services;
    services.push_back(service("first", {first.c_str()}));
    services.push_back(service("second", {second.c_str()}));
    const PathClassifier classifier({}, {}, std::move(services));
    const bool names = first == a;
    const std::string path_a = names ? "src/" + a : first == top_a ? "top/" + a + "/x" : "x" + a;
    const std::string path_b = names ? b : first == top_a ? "top/" + b + "/x" : "x" + b;
    EXPECT_EQ(owner_names(classifier, path_a), Names{"first"});
    EXPECT_EQ(owner_names(classifier, path_b), Names{"second"});
    EXPECT_EQ(owner_names(classifier, "src/other"), Names{});
    if (names) {
      // Both keys along one path: each id comes from both probes, kept once.
      EXPECT_EQ(owner_names(classifier, a + "/" + b), (Names{"first", "second"}));
      EXPECT_EQ(classifier.path_matches(b + "/" + a + "/" + b, false).size(), 2U);
    }
  }
  // The index itself: ascending ids, each once, though both probes of
  // `a/b` (and of `b/a/b`) give both ids.
  PatternIndex index;
  const Pattern pattern_a = Pattern::compile(a);
  const Pattern pattern_b = Pattern::compile(b);
  index.add(pattern_a, 0);
  index.add(pattern_b, 1);
  std::vector<std::uint32_t> ids;
  for (const std::string& path : {a + "/" + b, b + "/" + a + "/" + b}) {
    index.candidates(path, ids);
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1})) << path;
  }
  index.candidates("x/" + a, ids);
  EXPECT_TRUE(std::find(ids.begin(), ids.end(), 0U) != ids.end());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // The same in ignore and global, which stop at their first match.
  const PathClassifier filters(compile_all({star_a.c_str()}), compile_all({b.c_str()}), {});
  EXPECT_EQ(filters.classify("x" + b, false).ignored_by, nullptr);
  ASSERT_NE(filters.classify("x" + a, false).ignored_by, nullptr);
  ASSERT_NE(filters.classify(b, false).global_by, nullptr);
  EXPECT_EQ(filters.classify(a, false).global_by, nullptr);
}

// A key that hashes to 0 (the mark of an empty slot) is filed as 1: it shares
// a slot with a key that hashes to 1, and both are still found.
TEST(PatternIndex, AKeyHashingToZeroIsFiledAndFound) {
  CollidingKeys keys;
  const std::string zero = keys.key_hashing_to(0);
  const std::string one = keys.key_hashing_to(1);
  ASSERT_EQ(text_hash(zero), 0U);
  ASSERT_EQ(text_hash(one), 1U);
  for (const bool zero_first : {true, false}) {
    std::vector<ServicePatterns> services;
    services.push_back(service("zero", {zero.c_str()}));
    services.push_back(service("one", {one.c_str()}));
    if (!zero_first) std::swap(services[0], services[1]);
    const PathClassifier classifier({}, {}, std::move(services));
    EXPECT_EQ(owner_names(classifier, "a/" + zero), Names{"zero"});
    EXPECT_EQ(owner_names(classifier, one + "/b"), Names{"one"});
    EXPECT_EQ(owner_names(classifier, zero + "/" + one),
              zero_first ? (Names{"zero", "one"}) : (Names{"one", "zero"}));
  }
}

// Random configs and paths from a small alphabet, so patterns of every kind
// (prefix, name, suffix, unindexed) meet paths that do and do not fit them;
// classify and path_matches must answer as a scan of every pattern in order.
TEST(PathClassifier, RandomConfigsAnswerLikeAScanOfEveryPattern) {
  const std::vector<std::string> pattern_segments = {
      "a",  "b",  "ab",  "x.md", "md",   "*",      "*.md", "a*",     "?b",   "[ab]",
      "*b", "**", "c.d", "*.d",  "*.m?", "\\*.md", "*d",   "x.md.*", "[!a]*"};
  const std::vector<std::string> path_segments = {"a",      "b",   "ab",   "x.md",  "md",
                                                  "c.d",    ".md", "b.md", "a.mdx", "*.md",
                                                  "x.md.b", "bd",  "d",    "c.tmp"};
  std::mt19937 random(20261202);
  const auto pick = [&random](const std::vector<std::string>& from) -> const std::string& {
    return from[random() % from.size()];
  };
  const auto make_pattern = [&] {
    std::string text = random() % 5 == 0 ? "**/" : "";
    const std::size_t segments = 1 + random() % 3;
    for (std::size_t i = 0; i < segments; ++i) text += (i == 0 ? "" : "/") + pick(pattern_segments);
    if (random() % 5 == 0) text.insert(0, "/");
    if (random() % 5 == 0) text += '/';
    return Pattern::compile(text);
  };
  const auto make_patterns = [&](std::size_t most) {
    std::vector<Pattern> patterns;
    const std::size_t count = random() % (most + 1);
    for (std::size_t i = 0; i < count; ++i) patterns.push_back(make_pattern());
    return patterns;
  };

  std::size_t ignored = 0;
  std::size_t global = 0;
  std::size_t owned = 0;
  std::size_t excluded = 0;
  for (int config = 0; config < 200; ++config) {
    std::vector<ServicePatterns> services;
    const std::size_t service_count = random() % 12;
    for (std::size_t s = 0; s < service_count; ++s) {
      services.push_back({"s" + std::to_string(s), make_patterns(3), make_patterns(2)});
    }
    const PathClassifier classifier(make_patterns(3), make_patterns(2), std::move(services));
    const auto first_match = [](const std::vector<Pattern>& patterns, std::string_view path,
                                bool is_dir) -> const Pattern* {
      for (const Pattern& pattern : patterns) {
        if (pattern.matches(path, is_dir)) return &pattern;
      }
      return nullptr;
    };
    for (int p = 0; p < 100; ++p) {
      std::string path;
      const std::size_t depth = 1 + random() % 4;
      for (std::size_t i = 0; i < depth; ++i) path += (i == 0 ? "" : "/") + pick(path_segments);
      const bool is_dir = random() % 5 == 0;
      SCOPED_TRACE("path `" + path + "`" + (is_dir ? " (dir)" : ""));

      std::vector<Owner> matches;
      for (std::size_t s = 0; s < classifier.services().size(); ++s) {
        const ServicePatterns& owner = classifier.services()[s];
        if (const Pattern* pattern = first_match(owner.paths, path, is_dir)) {
          matches.push_back({s, pattern, first_match(owner.exclude, path, is_dir)});
        }
      }
      EXPECT_EQ(classifier.path_matches(path, is_dir), matches);

      const Classification actual = classifier.classify(path, is_dir);
      Classification expected;
      expected.ignored_by = first_match(classifier.ignore(), path, is_dir);
      if (expected.ignored_by == nullptr) {
        expected.global_by = first_match(classifier.global(), path, is_dir);
      }
      if (expected.ignored_by == nullptr && expected.global_by == nullptr) {
        for (const Owner& match : matches) {
          (match.excluded_by == nullptr ? expected.owners : expected.excluded).push_back(match);
        }
      }
      EXPECT_EQ(actual.ignored_by, expected.ignored_by);
      EXPECT_EQ(actual.global_by, expected.global_by);
      EXPECT_EQ(actual.owners, expected.owners);
      EXPECT_EQ(actual.excluded, expected.excluded);
      ignored += actual.ignored_by != nullptr ? 1 : 0;
      global += actual.global_by != nullptr ? 1 : 0;
      owned += actual.owners.size();
      excluded += actual.excluded.size();
    }
  }
  // Every outcome occurs, so agreement is not vacuous.
  EXPECT_GT(ignored, 1000U);
  EXPECT_GT(global, 500U);
  EXPECT_GT(owned, 1000U);
  EXPECT_GT(excluded, 100U);
}

}  // namespace
}  // namespace svcdiff::match
