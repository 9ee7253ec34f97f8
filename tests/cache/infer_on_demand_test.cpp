// `changed` with infer's edges from the result cache: discovery runs on
// demand and resolves only the services the change reaches through them,
// yet prints what a run without the cache prints (the "of N" count, every
// cycle warning of the whole graph).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

constexpr const char* kOnDemand = "discovery on demand with infer's cached edges";

class InferOnDemandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.write("svcdiff.yml",
                "version: 1\ninfer: [npm]\nglobal: [\"tools/\"]\n"
                "discover:\n  - {glob: \"services/*\", require: package.json}\n"
                "services:\n  common:\n    build: false\n");
    // web -> mid -> common (a library), web -> util; ping and pong depend on
    // each other; lone on nothing.
    package("common", {});
    package("mid", {"common"});
    package("web", {"mid", "util"});
    package("util", {});
    package("ping", {"pong"});
    package("pong", {"ping"});
    package("lone", {});
    repo_.write("tools/build.sh", "1\n");
    repo_.commit("layout");
    // The cache, written by a full run at this commit.
    const auto list = run_svcdiff(repo_.path(), {"list"});
    ASSERT_EQ(list.status, 0) << list.err;
  }

  void package(const std::string& name, const std::vector<std::string>& dependencies) {
    std::string deps;
    for (const auto& dependency : dependencies) {
      deps += (deps.empty() ? "\"" : ", \"") + dependency + "\": \"*\"";
    }
    repo_.write("services/" + name + "/package.json",
                "{\"name\": \"" + name + "\", \"dependencies\": {" + deps + "}}\n");
    repo_.write("services/" + name + "/index.js", "1\n");
  }

  // `changed` since the parent commit with the cache and without: the same
  // bytes and status. Returns the -v messages of the run with the cache.
  std::string same_as_without_cache(const std::string& format = "text") {
    const std::vector<std::string> args = {"changed", "--base", "HEAD~1", "--format",
                                           format,    "-o",     "-"};
    const std::string saved = repo_.root() + "/saved-cache";
    const std::string cache = repo_.at(".git/svcdiff/cache");
    std::filesystem::copy_file(cache, saved, std::filesystem::copy_options::overwrite_existing);
    cached_ = run_svcdiff(repo_.path(), args);
    const auto cold = run_svcdiff(repo_.path(), args, {{"SVCDIFF_NO_CACHE", "1"}});
    EXPECT_EQ(cached_.status, cold.status);
    EXPECT_EQ(cached_.out, cold.out);
    EXPECT_EQ(cached_.err, cold.err);
    std::filesystem::copy_file(saved, cache, std::filesystem::copy_options::overwrite_existing);
    auto verbose = args;
    verbose.insert(verbose.begin(), "-v");
    return run_svcdiff(repo_.path(), verbose).err;
  }

  TempRepo repo_;
  CommandResult cached_;
};

TEST_F(InferOnDemandTest, DependentsTwoLevelsAboveALibraryAreSelected) {
  repo_.write("services/common/index.js", "2\n");
  repo_.commit("common changed");
  const std::string said = same_as_without_cache();
  EXPECT_TRUE(contains(said, kOnDemand)) << said;
  // common, mid and web: not ping, pong or lone.
  EXPECT_TRUE(contains(said, std::string(kOnDemand) + ": 3 services")) << said;
  EXPECT_EQ(cached_.out, "mid\nweb\n");
  for (const char* format : {"services", "items", "env", "github"}) {
    EXPECT_TRUE(contains(same_as_without_cache(format), kOnDemand)) << format;
  }
}

TEST_F(InferOnDemandTest, SummaryCountsEveryServiceBuilt) {
  repo_.write("services/mid/index.js", "2\n");
  repo_.commit("mid changed");
  EXPECT_TRUE(contains(same_as_without_cache(), kOnDemand));
  // mid, web, util, ping, pong and lone are built; common is a library.
  EXPECT_TRUE(contains(cached_.err, "1 changed paths; 2 of 6 services selected: mid, web"))
      << cached_.err;
}

TEST_F(InferOnDemandTest, ACycleTheChangeDoesNotReachIsStillWarned) {
  repo_.write("services/lone/index.js", "2\n");
  repo_.commit("lone changed");
  EXPECT_TRUE(contains(same_as_without_cache(), kOnDemand));
  EXPECT_EQ(cached_.out, "lone\n");
  EXPECT_TRUE(contains(cached_.err,
                       "services ping, pong depend on each other through dependencies inferred "
                       "from their manifests (services/ping/package.json: \"pong\": \"*\"; "
                       "services/pong/package.json: \"ping\": \"*\"); they share one wave"))
      << cached_.err;
}

TEST_F(InferOnDemandTest, ACycleTheChangeReachesSharesAWave) {
  repo_.write("services/ping/index.js", "2\n");
  repo_.commit("ping changed");
  EXPECT_TRUE(contains(same_as_without_cache("items"), kOnDemand));
  const auto items = nlohmann::json::parse(cached_.out);
  ASSERT_EQ(items["waves"].size(), 1u) << cached_.out;
  EXPECT_EQ(items["waves"][0].size(), 2u) << cached_.out;
  EXPECT_TRUE(contains(cached_.err, "services ping, pong depend on each other")) << cached_.err;
}

TEST_F(InferOnDemandTest, ItemsResolveWhatTheSelectedDependOn) {
  // web's fingerprint holds util's, which nothing else brings in: common
  // (named by the config) brings mid and web, as their dependency.
  repo_.write("services/web/index.js", "2\n");
  repo_.commit("web changed");
  const std::string items = same_as_without_cache("items");
  EXPECT_TRUE(contains(items, std::string(kOnDemand) + ": 4 services")) << items;
  EXPECT_TRUE(contains(cached_.out, "\"fingerprint\"")) << cached_.out;
  // The other formats read no fingerprint: util stays unresolved.
  const std::string services = same_as_without_cache("services");
  EXPECT_TRUE(contains(services, std::string(kOnDemand) + ": 3 services")) << services;
}

TEST_F(InferOnDemandTest, AGlobalChangeRunsInFull) {
  repo_.write("services/common/index.js", "2\n");
  repo_.write("tools/build.sh", "2\n");
  repo_.commit("common and a global file changed");
  const std::string said = same_as_without_cache();
  EXPECT_FALSE(contains(said, kOnDemand)) << said;
  EXPECT_TRUE(contains(said, "discovery in full: tools/build.sh matches global")) << said;
  EXPECT_EQ(cached_.out, "lone\nmid\nping\npong\nutil\nweb\n");
}

TEST_F(InferOnDemandTest, AChangedManifestRunsInFull) {
  package("lone", {"web"});
  repo_.commit("lone depends on web");
  const std::string said = same_as_without_cache();
  EXPECT_FALSE(contains(said, kOnDemand)) << said;
  EXPECT_TRUE(contains(said, "infer recomputed")) << said;
}

TEST_F(InferOnDemandTest, AFarMovedHeadRewritesTheCacheOnDemand) {
  // More changed paths since the cache's commit than kRewriteAfter: the run
  // on demand writes the cache again, infer's result included.
  for (int i = 0; i < 120; ++i) repo_.write("services/lone/f" + std::to_string(i) + ".js", "1\n");
  repo_.commit("many files");
  const auto first = run_svcdiff(repo_.path(), {"-v", "changed", "--base", "HEAD~1", "-o", "-"});
  EXPECT_TRUE(contains(first.err, kOnDemand)) << first.err;
  EXPECT_TRUE(contains(first.err, "cache: written")) << first.err;
  const auto next = run_svcdiff(repo_.path(), {"-v", "changed", "--base", "HEAD~1", "-o", "-"});
  EXPECT_TRUE(contains(next.err, "reused (discovery and infer; ")) << next.err;
  EXPECT_TRUE(contains(next.err, kOnDemand)) << next.err;
  EXPECT_FALSE(contains(next.err, "cache: written")) << next.err;
}

}  // namespace
}  // namespace svcdiff::testing
