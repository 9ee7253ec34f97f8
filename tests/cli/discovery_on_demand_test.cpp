// `changed` with `discover` globs looks for discovered services only along
// the changed paths (issue 10), and must still answer as a full discovery
// would: the same services, directories and buildspecs, the same config
// errors about the services it reads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

constexpr const char* kBuildspec = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";
constexpr const char* kConfig =
    "version: 1\n"
    "discover:\n  - {glob: \"services/*/*\"}\n"
    "global: [\"tools/ci/\"]\n"
    "services:\n"
    "  web:\n    depends_on: [lib]\n"
    "  lib:\n    paths: [libs/lib/]\n    build: false\n"
    "  site:\n    paths: [site/]\n    depends_on: [api]\n";

class DiscoveryOnDemandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.write("svcdiff.yml", kConfig);
    for (const char* dir : {"services/a/api", "services/a/jobs", "services/b/web"}) {
      repo_.write(std::string(dir) + "/buildspec.yml", kBuildspec);
      repo_.write(std::string(dir) + "/src/app.py", "print()\n");
    }
    repo_.write("libs/lib/lib.py", "x = 1\n");
    repo_.write("site/index.html", "<p>\n");
    repo_.write("tools/ci/run.sh", "make\n");
    base_ = repo_.commit("layout");
  }

  // `svcdiff changed -v --format items` from base_ to HEAD.
  CommandResult changed() {
    return run_svcdiff(repo_.path(),
                       {"changed", "-v", "--base", base_, "--format", "items", "-o", "-"});
  }

  static std::vector<std::string> names(const CommandResult& result) {
    return json::parse(result.out)["services"].get<std::vector<std::string>>();
  }

  static json item(const CommandResult& result, const std::string& name) {
    const json artifact = json::parse(result.out);
    for (const auto& wave : artifact["waves"]) {
      for (const auto& entry : wave) {
        if (entry["name"] == name) return entry;
      }
    }
    ADD_FAILURE() << "no item " << name << " in " << result.out;
    return {};
  }

  TempRepo repo_;
  std::string base_;
};

TEST_F(DiscoveryOnDemandTest, AChangeInOneServiceLooksOnlyAlongItsPath) {
  repo_.write("services/a/api/src/app.py", "print(1)\n");
  repo_.commit("api");
  auto result = changed();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(names(result), (std::vector<std::string>{"api", "site"}));
  EXPECT_EQ(item(result, "api")["buildspec"], "services/a/api/buildspec.yml");
  EXPECT_EQ(item(result, "api")["path"], "services/a/api");
  EXPECT_NE(result.err.find("discovery on demand"), std::string::npos) << result.err;
  // Not "of 5 services": the services nobody changed were never looked for.
  EXPECT_NE(result.err.find("2 services selected"), std::string::npos) << result.err;
}

TEST_F(DiscoveryOnDemandTest, AnExplicitServiceKeepsItsDiscoveredDirectoryAndBuildspec) {
  // web is selected through lib; no change lies below services/b/web.
  repo_.write("libs/lib/lib.py", "x = 2\n");
  repo_.commit("lib");
  auto result = changed();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(names(result), (std::vector<std::string>{"web"}));
  EXPECT_EQ(item(result, "web")["buildspec"], "services/b/web/buildspec.yml");
  EXPECT_EQ(item(result, "web")["path"], "services/b/web");
}

TEST_F(DiscoveryOnDemandTest, ANameCollisionElsewhereIsStillAnError) {
  repo_.write("services/z/api/buildspec.yml", kBuildspec);
  repo_.commit("a second api, in a commit of its own");
  base_ = repo_.rev_parse("HEAD");
  repo_.write("services/a/jobs/src/app.py", "print(2)\n");
  repo_.commit("jobs only");
  // jobs changed, api did not; still, `site` depends on `api`, and api is two.
  auto result = changed();
  EXPECT_EQ(result.status, 3) << result.out;
  EXPECT_NE(result.err.find("two discovered services are named `api`"), std::string::npos)
      << result.err;
}

TEST_F(DiscoveryOnDemandTest, ACollisionWithTheChangedServiceIsFound) {
  repo_.write("services/z/jobs/buildspec.yml", kBuildspec);
  repo_.commit("a second jobs");
  base_ = repo_.rev_parse("HEAD");
  repo_.write("services/a/jobs/src/app.py", "print(2)\n");
  repo_.commit("jobs only");
  auto result = changed();
  EXPECT_EQ(result.status, 3) << result.out;
  EXPECT_NE(result.err.find("two discovered services are named `jobs`"), std::string::npos)
      << result.err;
}

TEST_F(DiscoveryOnDemandTest, ANamesakeBelowTheGlobIsNoCollision) {
  // services/*/* cannot match services/a/jobs/tools/jobs: not a service.
  repo_.write("services/a/jobs/tools/jobs/buildspec.yml", kBuildspec);
  repo_.write("services/a/jobs/src/app.py", "print(3)\n");
  repo_.commit("jobs");
  auto result = changed();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(names(result), (std::vector<std::string>{"jobs"}));
}

TEST_F(DiscoveryOnDemandTest, AGlobalChangeDiscoversEverything) {
  repo_.write("tools/ci/run.sh", "make all\n");
  repo_.commit("ci");
  auto result = changed();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(names(result), (std::vector<std::string>{"api", "jobs", "site", "web"}));
  EXPECT_NE(result.err.find("discovery in full"), std::string::npos) << result.err;
}

TEST_F(DiscoveryOnDemandTest, ANewServiceIsFoundAndARemovedOneReported) {
  repo_.write("services/c/mail/buildspec.yml", kBuildspec);
  repo_.remove("services/a/jobs");
  repo_.commit("mail in, jobs out");
  auto result = changed();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(names(result), (std::vector<std::string>{"mail"}));
  EXPECT_EQ(json::parse(result.out)["removed"], json({"jobs"}));
}

TEST_F(DiscoveryOnDemandTest, ExplainStillKnowsEveryService) {
  repo_.write("services/a/api/src/app.py", "print(1)\n");
  repo_.commit("api");
  auto result = run_svcdiff(repo_.path(), {"explain", "--base", base_, "jobs"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("jobs: not selected"), std::string::npos) << result.out;
}

// A rule with `name: path` names a directory by its dashed path: an explicit
// entry of that name still finds its directory on demand, though no change
// lies in it, and answers as a full discovery (a global change) does.
TEST(DiscoveryOnDemandPathNames, AnEntryNamedByItsPathFindsItsDirectory) {
  TempRepo repo;
  repo.write("svcdiff.yml",
             "version: 1\n"
             "discover:\n  - {glob: \"apps/*/*\", name: path}\n"
             "global: [\"tools/\"]\n"
             "services:\n  apps-b-api:\n    depends_on: [apps-a-api]\n");
  for (const char* dir : {"apps/a/api", "apps/b/api"}) {
    repo.write(std::string(dir) + "/buildspec.yml", kBuildspec);
    repo.write(std::string(dir) + "/main.py", "print()\n");
  }
  repo.write("tools/run.sh", "make\n");
  const std::string base = repo.commit("layout");
  repo.write("apps/a/api/main.py", "print(1)\n");
  repo.commit("a's api");
  const std::vector<std::string> args = {"changed", "--base", base, "--format", "items", "-o", "-"};
  const auto on_demand = run_svcdiff(repo.path(), args);
  ASSERT_EQ(on_demand.status, 0) << on_demand.err;
  EXPECT_EQ(json::parse(on_demand.out)["services"], json({"apps-a-api", "apps-b-api"}));
  EXPECT_EQ(on_demand.err.find("warning"), std::string::npos) << on_demand.err;
  // The same entry's buildspec is its discovered directory's.
  const json artifact = json::parse(on_demand.out);
  bool found = false;
  for (const auto& wave : artifact["waves"]) {
    for (const auto& entry : wave) {
      if (entry["name"] == "apps-b-api") {
        found = true;
        EXPECT_EQ(entry["buildspec"], "apps/b/api/buildspec.yml") << entry.dump();
      }
    }
  }
  EXPECT_TRUE(found) << on_demand.out;
}

// With every rule naming by path, the lookup enters only directories whose
// dashed path begins a name it looks for. `a/b-c` and `a-b/c` both write
// `a-b-c`: a change in one still finds the other, in both directories that
// begin the name, and the collision is the error a full discovery gives.
TEST(DiscoveryOnDemandPathNames, ACollisionOfDashedPathsIsStillFound) {
  TempRepo repo;
  repo.write("svcdiff.yml",
             "version: 1\n"
             "discover:\n  - {glob: \"*/*\", require: requirements.txt, name: path}\n");
  for (const char* dir : {"a/b-c", "a-b/c", "a/d", "e/f"}) {
    repo.write(std::string(dir) + "/requirements.txt", "flask\n");
    repo.write(std::string(dir) + "/main.py", "print()\n");
  }
  const std::string base = repo.commit("layout");
  repo.write("a/b-c/main.py", "print(1)\n");
  repo.commit("a/b-c");
  const auto result = run_svcdiff(repo.path(), {"changed", "--base", base, "-o", "-"});
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("a-b-c"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("a-b/c"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("a/b-c"), std::string::npos) << result.err;
}

// The same layout without the collision: the change selects its service
// alone, and an explicit entry named by a dashed path far from the change
// still finds its directory.
TEST(DiscoveryOnDemandPathNames, OnlyDirectoriesBeginningANameAreEntered) {
  TempRepo repo;
  repo.write("svcdiff.yml",
             "version: 1\n"
             "discover:\n  - {glob: \"*/*\", require: requirements.txt, name: path}\n"
             "services:\n  x-y-z:\n    depends_on: [a-b-c]\n");
  for (const char* dir : {"a/b-c", "a/d", "x-y/z", "x/w"}) {
    repo.write(std::string(dir) + "/requirements.txt", "flask\n");
    repo.write(std::string(dir) + "/main.py", "print()\n");
  }
  const std::string base = repo.commit("layout");
  repo.write("a/b-c/main.py", "print(1)\n");
  repo.commit("a/b-c");
  const auto result =
      run_svcdiff(repo.path(), {"changed", "--base", base, "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["services"], json({"a-b-c", "x-y-z"}));
  EXPECT_NE(result.out.find("\"path\":\"x-y/z\""), std::string::npos) << result.out;
}

// Discovery on demand takes from the diff walk whether a directory it read
// holds its `require` (SeenRequireFiles). The walk stops early in svc/api
// after one changed path, before buildspec.yml, and still reads the rest of
// the directory's list: svc/api stays a service.
TEST(DiscoveryOnDemandWalkNotes, AWalkThatStopsEarlyStillSeesTheRequireAfterTheStop) {
  TempRepo repo;
  repo.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"svc/*\"}\n");
  repo.write("svc/api/buildspec.yml", kBuildspec);
  for (const char* file : {"svc/api/a1.txt", "svc/api/a2.txt", "svc/api/a3.txt"}) {
    repo.write(file, "0\n");
  }
  const std::string base = repo.commit("layout");
  for (const char* file : {"svc/api/a1.txt", "svc/api/a2.txt", "svc/api/a3.txt"}) {
    repo.write(file, "1\n");
  }
  repo.commit("api");
  const auto result = run_svcdiff(repo.path(), {"changed", "--base", base, "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["services"], json({"api"}));
  // The walk did stop early.
  EXPECT_NE(result.err.find("more than 1 changed paths"), std::string::npos) << result.err;
}

// A directory the walk never entered (equal on both sides: apps/web/ci) is
// looked up in the tree, not taken for one without its `require`; one
// deleted whole holds none (apps/jobs is removed).
TEST(DiscoveryOnDemandWalkNotes, ADirectoryTheWalkSkippedIsLookedUp) {
  TempRepo repo;
  repo.write("svcdiff.yml",
             "version: 1\ndiscover:\n  - {glob: \"apps/*\", require: ci/buildspec.yml}\n");
  for (const char* dir : {"apps/web", "apps/jobs"}) {
    repo.write(std::string(dir) + "/ci/buildspec.yml", kBuildspec);
    repo.write(std::string(dir) + "/web/page.html", "<p>\n");
  }
  const std::string base = repo.commit("layout");
  repo.write("apps/web/web/page.html", "<p>1\n");
  repo.remove("apps/jobs");
  repo.commit("web, and jobs gone");
  const auto result =
      run_svcdiff(repo.path(), {"changed", "--base", base, "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  const json artifact = json::parse(result.out);
  EXPECT_EQ(artifact["services"], json({"web"})) << result.out;
  EXPECT_EQ(artifact["removed"], json({"jobs"})) << result.out;
}

}  // namespace
}  // namespace svcdiff::testing
