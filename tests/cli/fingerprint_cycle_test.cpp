// Fingerprints of services that depend on each other (a cycle through edges
// `infer` reads, SPEC §4): each member's fingerprint covers every member's
// inputs and every dependency of the cycle, whatever order they are computed
// in, so the ledger never skips a member whose cycle changed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using Fingerprints = std::map<std::string, std::string>;

// The npm workspace: core and runner depend on each other (runner is core's
// test runner, a devDependency); core also depends on util, app on runner;
// solo stands alone.
class FingerprintCycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.write("svcdiff.yml",
                "version: 1\ninfer: [npm]\ndiscover:\n"
                "  - {glob: \"packages/*\", require: package.json}\n");
    repo_.write("package.json", R"({"private": true, "workspaces": ["packages/*"]})");
    write_package("core", R"("dependencies": {"util": "*"}, "devDependencies": {"runner": "*"})");
    write_package("runner", R"("dependencies": {"core": "*"})");
    write_package("util", "");
    write_package("app", R"("dependencies": {"runner": "*"})");
    write_package("solo", "");
    repo_.commit("monorepo");
  }

  void write_package(const std::string& name, const std::string& dependencies) {
    repo_.write(
        "packages/" + name + "/package.json",
        "{\"name\": \"" + name + "\"" + (dependencies.empty() ? "" : ", " + dependencies) + "}\n");
    repo_.write("packages/" + name + "/index.js", "// " + name + "\n");
  }

  Fingerprints fingerprints(const std::vector<std::string>& extra = {},
                            const std::string& cwd = "") {
    std::vector<std::string> args{"fingerprint", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = run_svcdiff(cwd.empty() ? repo_.path() : cwd, args);
    EXPECT_EQ(result.status, 0) << result.err;
    Fingerprints out;
    const nlohmann::json report = nlohmann::json::parse(result.out);
    for (const auto& [name, value] : report.at("fingerprints").items()) {
      out[name] = value.get<std::string>();
    }
    return out;
  }

  // The services whose fingerprint differs between two runs.
  static std::vector<std::string> differing(const Fingerprints& before, const Fingerprints& after) {
    std::vector<std::string> names;
    for (const auto& [name, value] : after) {
      if (before.at(name) != value) names.push_back(name);
    }
    return names;
  }

  std::vector<std::string> differing_after_changing(const std::string& path) {
    auto before = fingerprints();
    repo_.write(path, "// changed\n");
    repo_.commit("change " + path);
    return differing(before, fingerprints());
  }

  std::string inputs(const std::string& service) {
    auto result = run_svcdiff(repo_.path(), {"fingerprint", "--inputs", service});
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out;
  }

  std::string sha256sum(const std::string& text) {
    auto result = run_command({"sha256sum"}, repo_.path(), {}, text);
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out.substr(0, 64);
  }

  TempRepo repo_;
};

TEST_F(FingerprintCycleTest, AChangeToEitherMemberChangesBothAndTheirDependents) {
  const std::vector<std::string> cycle_and_app{"app", "core", "runner"};
  EXPECT_EQ(differing_after_changing("packages/core/index.js"), cycle_and_app);
  EXPECT_EQ(differing_after_changing("packages/runner/index.js"), cycle_and_app);
}

TEST_F(FingerprintCycleTest, AChangeToADependencyOfOneMemberChangesEveryMember) {
  EXPECT_EQ(differing_after_changing("packages/util/index.js"),
            (std::vector<std::string>{"app", "core", "runner", "util"}));
}

TEST_F(FingerprintCycleTest, AnUnrelatedChangeChangesNoMember) {
  EXPECT_EQ(differing_after_changing("packages/solo/index.js"), std::vector<std::string>{"solo"});
  EXPECT_EQ(differing_after_changing("docs/notes.txt"), std::vector<std::string>{});
}

TEST_F(FingerprintCycleTest, MembersKeepDistinctFingerprints) {
  auto all = fingerprints();
  EXPECT_NE(all.at("core"), all.at("runner"));
}

TEST_F(FingerprintCycleTest, TheResultDoesNotDependOnWhatIsAskedFirst) {
  auto all = fingerprints();
  for (const std::vector<std::string>& asked :
       {std::vector<std::string>{"runner"}, {"core"}, {"app"}, {"runner", "core"}}) {
    auto some = fingerprints(asked);
    ASSERT_EQ(some.size(), asked.size());
    for (const auto& [name, value] : some) EXPECT_EQ(value, all.at(name)) << name;
  }
}

// Services listed in a different order get other indices, so another order
// of computation: the fingerprints stay the same.
TEST_F(FingerprintCycleTest, TheOrderOfTheConfigDoesNotMatter) {
  const std::string head = "version: 1\ninfer: [npm]\nservices:\n";
  const std::string core = "  core: {paths: [packages/core/]}\n";
  const std::string runner = "  runner: {paths: [packages/runner/]}\n";
  const std::string util = "  util: {paths: [packages/util/]}\n";
  repo_.write("../forward.yml", head + core + runner + util);
  repo_.write("../backward.yml", head + util + runner + core);
  auto forward = fingerprints({"-c", repo_.root() + "/forward.yml"});
  auto backward = fingerprints({"-c", repo_.root() + "/backward.yml"});
  ASSERT_EQ(forward.size(), 3u);
  EXPECT_EQ(forward, backward);
  auto runner_first = fingerprints({"-c", repo_.root() + "/forward.yml", "runner"});
  EXPECT_EQ(runner_first.at("runner"), forward.at("runner"));
}

TEST_F(FingerprintCycleTest, CommitAndItsGitArchiveExtractedToAPlainDirectoryAgree) {
  auto from_commit = fingerprints();
  const std::string plain = repo_.extract_head("plain");
  EXPECT_EQ(fingerprints({}, plain), from_commit);
  EXPECT_EQ(fingerprints({"--dir"}), from_commit);
  EXPECT_EQ(fingerprints({"--dir", "runner"}).at("runner"), from_commit.at("runner"));
}

// README, "Fingerprints": a member's text is its own text (dependencies in
// the cycle named `cycle`), then `cycle` and one `member` line per member
// with the SHA-256 of that member's own text.
TEST_F(FingerprintCycleTest, TheInputsFollowTheReadmeRule) {
  auto all = fingerprints();
  const std::string core = inputs("core");
  const std::string runner = inputs("runner");
  const std::string core_own = core.substr(0, core.find("files\n"));
  EXPECT_NE(core_own.find("depends runner cycle\ndepends util " + all.at("util") + "\n"),
            std::string::npos)
      << core;
  EXPECT_NE(runner.find("depends core cycle\n"), std::string::npos) << runner;

  const std::string trailer =
      "cycle\nmember core " + sha256sum(core.substr(0, core.find("\ncycle\n") + 1)) +
      "\nmember runner " + sha256sum(runner.substr(0, runner.find("\ncycle\n") + 1)) + "\n";
  for (const auto& [name, text] : {std::pair{"core", core}, {"runner", runner}}) {
    ASSERT_GE(text.size(), trailer.size()) << text;
    EXPECT_EQ(text.substr(text.size() - trailer.size()), trailer) << text;
    EXPECT_EQ("v1:" + sha256sum(text), all.at(name)) << name;
  }
  // Outside the cycle nothing changes: no `cycle` line.
  EXPECT_EQ(inputs("app").find("cycle"), std::string::npos);
  EXPECT_EQ(inputs("util").find("cycle"), std::string::npos);
}

TEST_F(FingerprintCycleTest, ItemsCarryTheSameFingerprints) {
  repo_.write("packages/core/index.js", "// changed\n");
  repo_.commit("change core");
  auto all = fingerprints();
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  auto artifact = nlohmann::json::parse(result.out);
  std::size_t items = 0;
  for (const auto& wave : artifact["waves"]) {
    for (const auto& item : wave) {
      EXPECT_EQ(item["fingerprint"], all.at(item["name"].get<std::string>()));
      ++items;
    }
  }
  EXPECT_EQ(items, 3u);
}

}  // namespace
}  // namespace svcdiff::testing
