// infer_dependencies on small in-memory repositories, one per ecosystem.
#include "config/infer.hpp"

#include <gtest/gtest.h>

#include <map>

#include "cli/run.hpp"
#include "config/discovery.hpp"
#include "config/loader.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

using Files = std::map<std::string, std::string>;
using Edges = std::map<std::string, std::vector<std::string>>;  // service -> inferred targets

class InferTest : public ::testing::Test {
 protected:
  // Loads `config_text`, discovers services among `files_`, infers.
  Edges infer(const std::string& config_text) {
    Config config = parse_config(config_text, "svcdiff.yml");
    std::vector<std::string> paths;
    for (const auto& [path, text] : files_) paths.push_back(path);
    services_ = resolve_services(config, paths);
    ManifestFiles source{[this](const std::string& path) -> std::optional<std::string> {
                           auto it = files_.find(path);
                           if (it == files_.end()) return std::nullopt;
                           return it->second;
                         },
                         [this](const std::string& dir) {
                           std::vector<std::string> names;
                           for (const auto& [path, text] : files_) {
                             auto slash = path.rfind('/');
                             std::string parent =
                                 slash == std::string::npos ? "" : path.substr(0, slash);
                             if (parent == dir) names.push_back(path.substr(slash + 1));
                           }
                           return names;
                         }};
    warnings_ = infer_dependencies(config, services_, source);
    Edges edges;
    for (const auto& service : services_) {
      for (const auto& edge : service.inferred) edges[service.name].push_back(edge.service);
    }
    return edges;
  }

  std::string source_of(const std::string& from, const std::string& to) const {
    for (const auto& service : services_) {
      if (service.name != from) continue;
      for (const auto& edge : service.inferred) {
        if (edge.service == to) return edge.source;
      }
    }
    return "";
  }

  Files files_;
  std::vector<Service> services_;
  std::vector<std::string> warnings_;
};

TEST_F(InferTest, NpmWorkspaceGlobPackagesDependOnEachOtherByName) {
  files_ = {
      {"package.json", R"({"private": true, "workspaces": ["packages/*", "apps/*"]})"},
      {"packages/common/package.json", R"({"name": "@acme/common"})"},
      {"packages/ui/package.json",
       R"({"name": "@acme/ui", "peerDependencies": {"@acme/common": "^1"}})"},
      {"apps/web/package.json", R"({"name": "web", "dependencies": {"@acme/common":
       "workspace:*", "@acme/ui": "workspace:^", "react": "18"}, "devDependencies":
       {"@acme/testkit": "*"}})"},
  };
  Edges edges = infer(
      "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n"
      "  - {glob: \"apps/*\", require: package.json}\n");
  EXPECT_EQ(edges, (Edges{{"ui", {"common"}}, {"web", {"common", "ui"}}}));
  EXPECT_EQ(source_of("web", "common"), R"(apps/web/package.json: "@acme/common": "workspace:*")");
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(InferTest, KindsAreConfigurablePerEcosystemAndPerDiscoverEntry) {
  files_ = {
      {"packages/common/package.json", R"({"name": "common"})"},
      {"packages/kit/package.json", R"({"name": "kit"})"},
      {"packages/web/package.json",
       R"({"name": "web", "dependencies": {"common": "*"}, "devDependencies": {"kit": "*"}})"},
      {"other/api/package.json", R"({"name": "api", "devDependencies": {"kit": "*"}})"},
  };
  Edges edges = infer(
      "version: 1\ndiscover:\n"
      "  - {glob: \"packages/*\", require: package.json, infer: {npm: [dependencies]}}\n"
      "  - {glob: \"other/*\", require: package.json}\n");
  EXPECT_EQ(edges, (Edges{{"web", {"common"}}}));  // api's entry infers nothing
}

TEST_F(InferTest, BangEntryExcludesAnInferredEdgeAndWarnsWhenNothingMatches) {
  files_ = {
      {"packages/common/package.json", R"({"name": "common"})"},
      {"packages/kit/package.json", R"({"name": "kit"})"},
      {"packages/web/package.json",
       R"({"name": "web", "dependencies": {"common": "*"}, "devDependencies": {"kit": "*"}})"},
  };
  Edges edges = infer(
      "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n"
      "services:\n  web:\n    depends_on: [\"!kit\", \"!common\", \"!kit\"]\n  common:\n"
      "    depends_on: [\"!web\"]\n");
  EXPECT_EQ(edges, Edges{});
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_EQ(warnings_[0],
            "svcdiff.yml:9:18: `!web` excludes nothing: no manifest of `common` that `infer` "
            "reads declares `web`");
  EXPECT_NE(warnings_[1].find("svcdiff.yml:7:37: `!kit` excludes nothing"), std::string::npos)
      << warnings_[1];
}

TEST_F(InferTest, BangEntryNamingNoServiceIsAnError) {
  files_ = {{"packages/web/package.json", R"({"name": "web"})"}};
  try {
    infer(
        "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n"
        "services:\n  web:\n    depends_on: [\"!wbe\"]\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(cli::error_line(error),
              "svcdiff.yml:7:18: error: service `web` excludes unknown service `wbe`; did you mean "
              "`web`?");
  }
}

TEST_F(InferTest, GoModulesAreLocalThroughGoWorkOrAReplace) {
  files_ = {
      {"go.work", "go 1.22\nuse (\n\t./services/api\n\t./libs/common\n)\n"},
      {"libs/common/go.mod", "module example.com/common\n"},
      {"libs/auth/go.mod", "module example.com/auth\n"},
      {"services/api/go.mod",
       "module example.com/api\nrequire (\n\texample.com/common v0.0.0\n\tgolang.org/x/net "
       "v0.1.0\n)\n"},
      {"services/web/go.mod",
       "module example.com/web\nrequire example.com/auth v0.0.0\nrequire example.com/common "
       "v0.0.0\n"
       "replace example.com/auth => ../../libs/auth\n"},
  };
  Edges edges = infer(
      "version: 1\ninfer: [go]\ndiscover:\n  - {glob: \"services/*\", require: go.mod}\n"
      "  - {glob: \"libs/*\", require: go.mod}\n");
  // web requires common too, but web is not in go.work and nothing replaces it.
  EXPECT_EQ(edges, (Edges{{"api", {"common"}}, {"web", {"auth"}}}));
  EXPECT_EQ(source_of("api", "common"), "services/api/go.mod:3: require example.com/common v0.0.0");
}

TEST_F(InferTest, CargoPathsDirectlyAndThroughWorkspaceTrue) {
  files_ = {
      {"Cargo.toml",
       "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\n"
       "auth = { path = \"crates/auth\" }\nserde = \"1\"\n"},
      {"crates/auth/Cargo.toml", "[package]\nname = \"auth\"\n"},
      {"crates/common/Cargo.toml", "[package]\nname = \"common\"\n"},
      {"crates/api/Cargo.toml",
       "[package]\nname = \"api\"\n[dependencies]\nauth = { workspace = true }\n"
       "serde = { workspace = true }\n[dev-dependencies]\ncommon = { path = \"../common\" }\n"},
  };
  Edges edges = infer(
      "version: 1\ninfer: [cargo]\ndiscover:\n  - {glob: \"crates/*\", require: Cargo.toml}\n");
  EXPECT_EQ(edges, (Edges{{"api", {"auth", "common"}}}));
  EXPECT_EQ(source_of("api", "auth"),
            "crates/api/Cargo.toml:4: [dependencies] auth = {workspace = true}");
}

TEST_F(InferTest, MavenCoordinatesWithTheParentsGroupId) {
  files_ = {
      {"services/common/pom.xml",
       "<project><parent><groupId>com.acme</groupId></parent><artifactId>common</artifactId>"
       "</project>"},
      {"services/api/pom.xml",
       "<project><groupId>com.acme</groupId><artifactId>api</artifactId><dependencies>"
       "<dependency><groupId>com.acme</groupId><artifactId>common</artifactId></dependency>"
       "<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId></dependency>"
       "</dependencies></project>"},
  };
  Edges edges = infer(
      "version: 1\ninfer: {maven: [compile, runtime]}\ndiscover:\n"
      "  - {glob: \"services/*\", require: pom.xml}\n");
  EXPECT_EQ(edges, (Edges{{"api", {"common"}}}));
}

TEST_F(InferTest, PythonUvWorkspaceAndRequirementsFiles) {
  files_ = {
      {"pyproject.toml", "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n"},
      {"packages/common/pyproject.toml", "[project]\nname = \"acme-common\"\n"},
      {"packages/kit/pyproject.toml", "[project]\nname = \"kit\"\n"},
      {"packages/api/pyproject.toml",
       "[project]\nname = \"api\"\ndependencies = [\"acme_common\", \"flask\"]\n"
       "[tool.uv.sources]\nacme-common = { workspace = true }\n"},
      {"packages/worker/pyproject.toml", "[project]\nname = \"worker\"\n"},
      {"packages/worker/requirements-dev.txt", "pytest\n-e ../kit\n"},
      {"packages/worker/requirements.txt", "-e ../common\n"},
  };
  Edges edges = infer(
      "version: 1\ninfer: [python]\ndiscover:\n"
      "  - {glob: \"packages/*\", require: pyproject.toml}\n");
  EXPECT_EQ(edges, (Edges{{"api", {"common"}}, {"worker", {"kit", "common"}}}));
  EXPECT_EQ(source_of("worker", "kit"), "packages/worker/requirements-dev.txt:2: -e ../kit");
}

TEST_F(InferTest, ABrokenManifestIsAConfigErrorWithItsPosition) {
  files_ = {{"packages/app/package.json", "{\n  \"name\": \"app\",\n}\n"}};
  try {
    infer(
        "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_EQ(
        cli::error_line(error).rfind("packages/app/package.json:3:1: error: not valid JSON", 0), 0u)
        << cli::error_line(error);
  }
}

TEST_F(InferTest, WithoutInferNoManifestIsRead) {
  files_ = {{"packages/app/package.json", "not json"}, {"packages/lib/package.json", "{}"}};
  EXPECT_EQ(infer("version: 1\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n"),
            Edges{});
}

}  // namespace
}  // namespace svcdiff::config
