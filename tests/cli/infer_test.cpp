// `infer` end to end (SPEC §4): per ecosystem, a change to a library selects
// the services whose manifests depend on it; explain, list --json and graph
// name the manifest entry; broken manifests are config errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

class InferCliTest : public ::testing::Test {
 protected:
  // Writes `files`, commits, changes `changed`, commits again; returns the
  // services `changed` selects between the two commits, one a line.
  std::string selected_after_changing(const std::map<std::string, std::string>& files,
                                      const std::string& changed) {
    for (const auto& [path, text] : files) repo_.write(path, text);
    repo_.commit("monorepo");
    repo_.write(changed, "changed\n");
    repo_.commit("change " + changed);
    auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "text", "-o", "-"});
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out;
  }

  TempRepo repo_;
};

TEST_F(InferCliTest, NpmLibraryChangeSelectsItsDependents) {
  EXPECT_EQ(selected_after_changing(
                {{"svcdiff.yml",
                  "version: 1\ninfer: [npm]\ndiscover:\n"
                  "  - {glob: \"packages/*\", require: package.json}\n"
                  "services:\n  common:\n    build: false\n"},
                 {"package.json", R"({"private": true, "workspaces": ["packages/*"]})"},
                 {"packages/common/package.json", R"({"name": "@acme/common"})"},
                 {"packages/web/package.json",
                  R"({"name": "web", "dependencies": {"@acme/common": "workspace:*"}})"},
                 {"packages/admin/package.json",
                  R"({"name": "admin", "devDependencies": {"@acme/common": "^1.0.0"}})"},
                 {"packages/solo/package.json",
                  R"({"name": "solo", "dependencies": {"left-pad": "1"}})"}},
                "packages/common/index.js"),
            "admin\nweb\n");
}

TEST_F(InferCliTest, GoLibraryChangeSelectsItsDependents) {
  EXPECT_EQ(
      selected_after_changing(
          {{"svcdiff.yml",
            "version: 1\ninfer: [go]\ndiscover:\n  - {glob: \"services/*\", require: go.mod}\n"
            "services:\n  common:\n    paths: [libs/common/]\n    build: false\n"},
           {"go.work", "go 1.22\nuse (\n\t./services/api\n\t./libs/common\n)\n"},
           {"libs/common/go.mod", "module example.com/common\n"},
           {"services/api/go.mod", "module example.com/api\nrequire example.com/common v0.0.0\n"},
           {"services/web/go.mod",
            "module example.com/web\nrequire example.com/common v0.0.0\n"
            "replace example.com/common => ../../libs/common\n"},
           {"services/solo/go.mod", "module example.com/solo\nrequire golang.org/x/net v0.1.0\n"}},
          "libs/common/common.go"),
      "api\nweb\n");
}

TEST_F(InferCliTest, CargoLibraryChangeSelectsItsDependents) {
  EXPECT_EQ(
      selected_after_changing(
          {{"svcdiff.yml",
            "version: 1\ndiscover:\n"
            "  - {glob: \"crates/*\", require: Cargo.toml, infer: [cargo]}\n"},
           {"Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\n"
            "common = { path = \"crates/common\" }\n"},
           {"crates/common/Cargo.toml", "[package]\nname = \"common\"\n"},
           {"crates/api/Cargo.toml",
            "[package]\nname = \"api\"\n[dependencies]\ncommon = { workspace = true }\n"},
           {"crates/cli/Cargo.toml",
            "[package]\nname = \"cli\"\n[dev-dependencies]\ncommon = { path = \"../common\" }\n"},
           {"crates/solo/Cargo.toml",
            "[package]\nname = \"solo\"\n[dependencies]\nserde = \"1\"\n"}},
          "crates/common/src/lib.rs"),
      "api\ncli\ncommon\n");
}

TEST_F(InferCliTest, MavenLibraryChangeSelectsItsDependents) {
  const std::string child =
      "<project><parent><groupId>com.acme</groupId><artifactId>root</artifactId></parent>"
      "<artifactId>";
  EXPECT_EQ(selected_after_changing(
                {{"svcdiff.yml",
                  "version: 1\ninfer: [maven]\ndiscover:\n"
                  "  - {glob: \"modules/*\", require: pom.xml}\n"},
                 {"modules/common/pom.xml", child + "common</artifactId></project>"},
                 {"modules/api/pom.xml",
                  child + "api</artifactId><dependencies><dependency><groupId>com.acme</groupId>"
                          "<artifactId>common</artifactId></dependency></dependencies></project>"},
                 {"modules/solo/pom.xml",
                  child + "solo</artifactId><dependencies><dependency><groupId>org.acme</groupId>"
                          "<artifactId>common</artifactId></dependency></dependencies></project>"}},
                "modules/common/src/Common.java"),
            "api\ncommon\n");
}

TEST_F(InferCliTest, PythonLibraryChangeSelectsItsDependents) {
  EXPECT_EQ(selected_after_changing(
                {{"svcdiff.yml",
                  "version: 1\ninfer: [python]\ndiscover:\n"
                  "  - {glob: \"packages/*\", require: pyproject.toml}\n"},
                 {"pyproject.toml", "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n"},
                 {"packages/common/pyproject.toml", "[project]\nname = \"acme-common\"\n"},
                 {"packages/api/pyproject.toml",
                  "[project]\nname = \"api\"\ndependencies = [\"acme-common\"]\n"
                  "[tool.uv.sources]\nacme-common = { workspace = true }\n"},
                 {"packages/worker/pyproject.toml", "[project]\nname = \"worker\"\n"},
                 {"packages/worker/requirements.txt", "requests\n-e ../common\n"},
                 {"packages/solo/pyproject.toml",
                  "[project]\nname = \"solo\"\ndependencies = [\"acme-common\"]\n"}},
                "packages/common/acme_common/__init__.py"),
            "api\ncommon\nworker\n");
}

// web depends on common only through its package.json.
void write_npm_pair(const TempRepo& repo) {
  repo.write("svcdiff.yml",
             "version: 1\ninfer: [npm]\ndiscover:\n"
             "  - {glob: \"packages/*\", require: package.json}\n");
  repo.write("packages/common/package.json", R"({"name": "@acme/common"})");
  repo.write("packages/web/package.json",
             R"({"name": "web", "dependencies": {"@acme/common": "workspace:*"}})");
}

TEST_F(InferCliTest, ExplainListAndGraphNameTheManifestEntry) {
  write_npm_pair(repo_);
  repo_.commit("monorepo");
  repo_.write("packages/common/index.js", "x\n");
  repo_.commit("change common");
  auto explain = run_svcdiff(repo_.path(), {"explain", "web", "--base", "HEAD~1"});
  ASSERT_EQ(explain.status, 0) << explain.err;
  EXPECT_EQ(explain.out,
            "web: selected, wave 1\n  depends on common (inferred from packages/web/package.json: "
            "\"@acme/common\": \"workspace:*\"), which changed\n");

  auto list = run_svcdiff(repo_.path(), {"list", "--json"});
  ASSERT_EQ(list.status, 0) << list.err;
  auto services = nlohmann::json::parse(list.out);
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[1]["name"], "web");
  EXPECT_EQ(services[1]["depends_on"], nlohmann::json::array());
  EXPECT_EQ(services[1]["inferred"], nlohmann::json::parse(R"([{"service": "common", "source":
              "packages/web/package.json: \"@acme/common\": \"workspace:*\""}])"));

  auto dot = run_svcdiff(repo_.path(), {"graph", "--format", "dot"});
  ASSERT_EQ(dot.status, 0) << dot.err;
  EXPECT_NE(
      dot.out.find("\"web\" -> \"common\" [style=dashed, tooltip=\"inferred from "
                   "packages/web/package.json: \\\"@acme/common\\\": \\\"workspace:*\\\"\"];"),
      std::string::npos)
      << dot.out;
  auto mermaid = run_svcdiff(repo_.path(), {"graph"});
  ASSERT_EQ(mermaid.status, 0) << mermaid.err;
  EXPECT_NE(mermaid.out.find("  %% inferred from packages/web/package.json: \"@acme/common\": "
                             "\"workspace:*\"\n  s1 -.-> s0\n"),
            std::string::npos)
      << mermaid.out;
}

TEST_F(InferCliTest, BangEntryDropsTheInferredEdge) {
  write_npm_pair(repo_);
  repo_.write("svcdiff.yml",
              "version: 1\ninfer: [npm]\ndiscover:\n"
              "  - {glob: \"packages/*\", require: package.json}\n"
              "services:\n  web:\n    depends_on: [\"!common\"]\n");
  repo_.commit("monorepo");
  repo_.write("packages/common/index.js", "x\n");
  repo_.commit("change common");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "text", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "common\n");
}

TEST_F(InferCliTest, BrokenManifestIsAConfigErrorWithItsPosition) {
  write_npm_pair(repo_);
  repo_.write("packages/web/package.json", "{\n  \"name\": \"web\"\n  \"dependencies\": {}\n}\n");
  repo_.commit("monorepo");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD", "-o", "-"});
  EXPECT_EQ(result.status, 3);
  EXPECT_EQ(result.err.rfind("packages/web/package.json:3:16: error: not valid JSON", 0), 0u)
      << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(InferCliTest, InferredCycleWarnsNamingTheFilesAndSharesOneWave) {
  repo_.write("svcdiff.yml",
              "version: 1\ninfer: [npm]\ndiscover:\n"
              "  - {glob: \"packages/*\", require: package.json}\n");
  repo_.write("packages/core/package.json",
              R"({"name": "core", "devDependencies": {"runner": "*"}})");
  repo_.write("packages/runner/package.json",
              R"({"name": "runner", "dependencies": {"core": "*"}})");
  repo_.commit("monorepo");
  repo_.write("packages/core/index.js", "x\n");
  repo_.commit("change core");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find("services core, runner depend on each other through dependencies "
                            "inferred from their manifests (packages/core/package.json: "
                            "\"runner\": \"*\"; packages/runner/package.json: \"core\": \"*\")"),
            std::string::npos)
      << result.err;
  auto items = nlohmann::json::parse(result.out);
  ASSERT_EQ(items["waves"].size(), 1u);
  EXPECT_EQ(items["waves"][0].size(), 2u);
}

TEST_F(InferCliTest, WorktreeReadsManifestsFromTheWorkTree) {
  write_npm_pair(repo_);
  repo_.write("packages/web/package.json", R"({"name": "web"})");
  repo_.commit("monorepo");
  // Not committed: web now depends on common.
  repo_.write("packages/web/package.json",
              R"({"name": "web", "dependencies": {"@acme/common": "workspace:*"}})");
  const std::string edge = "\"web\" -> \"common\" [style=dashed";
  auto committed = run_svcdiff(repo_.path(), {"graph", "--format", "dot", "--base", "HEAD"});
  ASSERT_EQ(committed.status, 0) << committed.err;
  EXPECT_EQ(committed.out.find(edge), std::string::npos) << committed.out;
  auto local =
      run_svcdiff(repo_.path(), {"graph", "--format", "dot", "--base", "HEAD", "--worktree"});
  ASSERT_EQ(local.status, 0) << local.err;
  EXPECT_NE(local.out.find(edge), std::string::npos) << local.out;
}

}  // namespace
}  // namespace svcdiff::testing
