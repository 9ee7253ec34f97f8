// Discovery end to end (SPEC §4): which services exist with no config, with
// `discover`, with `services`, and how explicit entries override discovered ones.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

constexpr const char* kBuildspec = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";

class DiscoveryCliTest : public ::testing::Test {
 protected:
  // services/api, services/web, tools/deep/linter hold buildspec.yml; the
  // root's own buildspec.yml (the pipeline's) and docs/ hold no service.
  void SetUp() override {
    repo_.write("buildspec.yml", kBuildspec);
    repo_.write("services/api/buildspec.yml", kBuildspec);
    repo_.write("services/web/buildspec.yml", kBuildspec);
    repo_.write("tools/deep/linter/buildspec.yml", kBuildspec);
    repo_.write("docs/index.md", "# docs\n");
    repo_.commit("layout");
  }

  // `svcdiff list` with `config` as svcdiff.yml (none when empty), committed.
  std::string list(const std::string& config) {
    if (!config.empty()) {
      repo_.write("svcdiff.yml", config);
      repo_.commit("config");
    }
    auto result = run_svcdiff(repo_.path(), {"list"});
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out;
  }

  json list_json() {
    auto result = run_svcdiff(repo_.path(), {"list", "--json"});
    EXPECT_EQ(result.status, 0) << result.err;
    return json::parse(result.out);
  }

  static const json& entry(const json& list, const std::string& name) {
    for (const auto& service : list) {
      if (service["name"] == name) return service;
    }
    static const json kNone;
    ADD_FAILURE() << "no service " << name << " in " << list.dump(2);
    return kNone;
  }

  TempRepo repo_;
};

TEST_F(DiscoveryCliTest, WithoutAConfigEveryDirectoryHoldingBuildspecIsAService) {
  EXPECT_EQ(list(""), "api\nlinter\nweb\n");
  json services = list_json();
  EXPECT_EQ(entry(services, "linter")["path"], "tools/deep/linter");
  EXPECT_EQ(entry(services, "linter")["buildspec"], "tools/deep/linter/buildspec.yml");
  EXPECT_EQ(entry(services, "linter")["paths"], json({"tools/deep/linter/"}));
  EXPECT_EQ(entry(services, "linter")["discovered"], true);
}

TEST_F(DiscoveryCliTest, ConfigWithNeitherDiscoverNorServicesDiscoversTheSame) {
  EXPECT_EQ(list("version: 1\nignore: [\"**/*.md\"]\n"), "api\nlinter\nweb\n");
}

TEST_F(DiscoveryCliTest, ConfigWithServicesButNoDiscoverDiscoversNothing) {
  EXPECT_EQ(list("version: 1\nservices:\n  site:\n    paths: [docs/]\n"), "site\n");
}

TEST_F(DiscoveryCliTest, EveryExplicitServiceIsKept) {
  // Regression: explicit entries used to overwrite one another in the result.
  EXPECT_EQ(list("version: 1\nservices:\n  site:\n    paths: [docs/]\n  api:\n    paths: "
                 "[services/api/]\n  web:\n    paths: [services/web/]\n"),
            "api\nsite\nweb\n");
}

TEST_F(DiscoveryCliTest, DiscoverGlobFindsOnlyTheDirectoriesItMatches) {
  EXPECT_EQ(list("version: 1\ndiscover:\n  - {glob: \"services/*\"}\n"), "api\nweb\n");
  EXPECT_EQ(list("version: 1\ndiscover:\n  - {glob: \"services/*\"}\n  - {glob: \"tools/**\"}\n"),
            "api\nlinter\nweb\n");
}

TEST_F(DiscoveryCliTest, DiscoverRequiresAnyFileEvenBelowTheDirectory) {
  repo_.write("apps/shop/Dockerfile", "FROM scratch\n");
  repo_.write("apps/blog/ci/buildspec.yml", kBuildspec);
  repo_.write("apps/notes/README.md", "no service\n");
  repo_.commit("apps");
  EXPECT_EQ(list("version: 1\ndiscover:\n  - {glob: \"apps/*\", require: Dockerfile}\n"
                 "  - {glob: \"apps/*\", require: ci/buildspec.yml}\n"),
            "blog\nshop\n");
  json services = list_json();
  EXPECT_EQ(entry(services, "shop")["buildspec"], "");  // the project's own buildspec
  EXPECT_EQ(entry(services, "blog")["buildspec"], "apps/blog/ci/buildspec.yml");
  EXPECT_EQ(entry(services, "blog")["path"], "apps/blog");
}

TEST_F(DiscoveryCliTest, ExplicitEntryOverridesTheDiscoveredOne) {
  repo_.write("libs/auth/auth.py", "x\n");
  list(
      "version: 1\n"
      "discover:\n"
      "  - {glob: \"services/*\"}\n"
      "services:\n"
      "  api:\n"
      "    project: api-build\n"
      "    depends_on: [auth]\n"
      "    vars: {STAGE: prod}\n"
      "  web:\n"
      "    paths: [services/web/src/]\n"
      "  auth:\n"
      "    paths: [libs/auth/]\n"
      "    build: false\n");
  json services = list_json();
  ASSERT_EQ(services.size(), 3u) << services.dump(2);
  const json& api = entry(services, "api");
  EXPECT_EQ(api["project"], "api-build");
  EXPECT_EQ(api["paths"], json({"services/api/"}));  // from discovery
  EXPECT_EQ(api["buildspec"], "services/api/buildspec.yml");
  EXPECT_EQ(api["vars"], json({{"STAGE", "prod"}}));
  EXPECT_EQ(api["discovered"], true);
  EXPECT_EQ(entry(services, "web")["paths"], json({"services/web/src/"}));  // its own
  EXPECT_EQ(entry(services, "web")["path"], "services/web");
  EXPECT_EQ(entry(services, "auth")["discovered"], false);

  // The override is what selects: a library change reaches api, and a change
  // outside web's own paths does not select web.
  repo_.write("libs/auth/auth.py", "y\n");
  repo_.write("services/web/README.txt", "outside src/\n");
  repo_.commit("auth and web docs");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"services\":[\"api\"]}\n");
}

TEST_F(DiscoveryCliTest, DuplicateBasenamesWithoutAConfigSuggestWritingOne) {
  repo_.write("legacy/api/buildspec.yml", kBuildspec);
  repo_.commit("second api");
  auto result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_EQ(result.err.rfind("svcdiff: error: two discovered services are named `api`: ", 0), 0u)
      << result.err;
  EXPECT_NE(result.err.find("legacy/api"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("services/api"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("write an svcdiff.yml"), std::string::npos) << result.err;

  // What the message suggests works: explicit services and no `discover`.
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  api:\n    paths: [services/api/]\n  legacy-api:\n"
              "    paths: [legacy/api/]\n");
  result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "api\nlegacy-api\n");
}

TEST_F(DiscoveryCliTest, DuplicateBasenamesFromAGlobPointAtTheGlob) {
  repo_.write("services/v2/api/buildspec.yml", kBuildspec);
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/**\"}\n");
  repo_.commit("nested api");
  auto result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_EQ(result.err.rfind("svcdiff.yml:3:12: error: two discovered services are named `api`", 0),
            0u)
      << result.err;
  EXPECT_NE(result.err.find("narrow the `discover` glob"), std::string::npos) << result.err;
}

// python-docs-samples repeats `snippets`: the collision names the fix, and the
// fix works end to end, down to a removed service reported by its path name.
TEST_F(DiscoveryCliTest, NamePathSeparatesRepeatedBasenames) {
  TempRepo samples;
  samples.write("asset/snippets/requirements.txt", "google-cloud-asset\n");
  samples.write("functions/snippets/requirements.txt", "functions-framework\n");
  samples.write("functions/helloworld/requirements.txt", "functions-framework\n");
  samples.write("svcdiff.yml",
                "version: 1\ndiscover:\n  - {glob: \"*/*\", require: requirements.txt}\n");
  samples.commit("samples");
  auto result = run_svcdiff(samples.path(), {"list"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_NE(result.err.find("two discovered services are named `snippets`"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("add `name: path`"), std::string::npos) << result.err;

  samples.write("svcdiff.yml",
                "version: 1\ndiscover:\n  - {glob: \"*/*\", require: requirements.txt, "
                "name: path}\n");
  samples.commit("name by path");
  result = run_svcdiff(samples.path(), {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "asset-snippets\nfunctions-helloworld\nfunctions-snippets\n");

  samples.remove("asset/snippets");
  samples.write("functions/snippets/main.py", "print()\n");
  samples.commit("drop asset samples");
  result = run_svcdiff(samples.path(), {"--base", "HEAD~1", "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  json items = json::parse(result.out);
  EXPECT_EQ(items["services"], json({"functions-snippets"}));
  EXPECT_EQ(items["removed"], json({"asset-snippets"}));
}

// A discovered directory's name may hold glob characters: its pattern is
// escaped, so it selects that directory alone (unescaped, `a[b/` matched
// nothing and `x*y/` also matched `x_y/`).
TEST_F(DiscoveryCliTest, ADirectoryNamedWithGlobCharactersIsSelectedByItsOwnChanges) {
  TempRepo repo;
  repo.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"*/*\"}\n");
  for (const std::string dir : {"a[b/svc", "x*y/web", "x_y/web2", "q?/api"}) {
    repo.write(dir + "/buildspec.yml", kBuildspec);
  }
  const std::string base = repo.commit("services");
  repo.write("a[b/svc/main.py", "changed\n");
  repo.write("x_y/web2/main.py", "changed\n");
  repo.commit("two changes");
  for (const std::string format : {"services", "items"}) {
    const auto result =
        run_svcdiff(repo.path(), {"--base", base, "-o", "-", "--format", format, "-q"});
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(json::parse(result.out)["services"], json({"svc", "web2"})) << format;
  }
  repo.write("q?/api/main.py", "changed\n");
  repo.commit("api");
  const auto result = run_svcdiff(repo.path(), {"--base", "HEAD~1", "-o", "-", "-q"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["services"], json({"api"}));
}

TEST_F(DiscoveryCliTest, DiscoveryWithoutGitReadsTheDirectory) {
  TempRepo::Options no_git{false};
  TempRepo plain(no_git);
  plain.write("services/api/buildspec.yml", kBuildspec);
  plain.write("services/web/buildspec.yml", kBuildspec);
  plain.write("services/web/node_modules/dep/buildspec.yml", kBuildspec);  // never a service
  auto result = run_svcdiff(plain.path(), {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "api\nweb\n");
  result = run_svcdiff(plain.path(), {"--files-from", "-", "-o", "-"}, {},
                       std::string("services/web/index.js\n"));
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"services\":[\"web\"]}\n");

  plain.write("apps/blog/ci/buildspec.yml", kBuildspec);
  plain.write("svcdiff.yml",
              "version: 1\ndiscover: [{glob: \"apps/*\", require: ci/buildspec.yml}]\n");
  result = run_svcdiff(plain.path(), {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "blog\n");
}

// A `require` file that is a symlink makes a service in a commit (a tree
// entry of mode link) and in the same tree on disk without .git (CodePipeline's
// zip): discovery must not record the link as its target's path.
TEST(DiscoverySymlink, ALinkedBuildspecMakesTheSameServicesInACommitAndOnDisk) {
  for (const bool git : {true, false}) {
    TempRepo::Options options{git};
    TempRepo repo(options);
    repo.write("s/real/buildspec.yml", kBuildspec);
    repo.symlink("../real/buildspec.yml", "s/alias/buildspec.yml");
    if (git) repo.commit("linked buildspec");
    auto result = run_svcdiff(repo.path(), {"list"});
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out, "alias\nreal\n") << (git ? "from a commit" : "from the directory");
  }
}

}  // namespace
}  // namespace svcdiff::testing
