#include "config/discovery.hpp"

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

TEST(DiscoveryScope, EntersOnlyDirectoriesAGlobCanReach) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n  - {glob: \"/libs/**/pkg\"}\n",
      "svcdiff.yml");
  DiscoveryScope scope(config);
  EXPECT_TRUE(scope.may_descend("services"));
  EXPECT_TRUE(scope.may_descend("services/api"));
  EXPECT_FALSE(scope.may_descend("services/api/src"));
  EXPECT_FALSE(scope.may_descend("docs"));
  EXPECT_TRUE(scope.may_descend("libs"));
  EXPECT_TRUE(scope.may_descend("libs/a/b/c"));
}

TEST(DiscoveryScope, ZeroConfigEntersEverything) {
  Config config;  // no svcdiff.yml
  DiscoveryScope scope(config);
  EXPECT_TRUE(scope.may_descend("anything/at/all"));
}

TEST(ResolveServices, ZeroConfigNamesServicesByBasename) {
  Config config;
  auto services = resolve_services(
      config, {"buildspec.yml", "services/api/buildspec.yml", "web/buildspec.yml"});
  ASSERT_EQ(services.size(), 2u);  // the root's own buildspec is the pipeline's, not a service
  EXPECT_EQ(services[0].name, "api");
  EXPECT_EQ(services[0].directory, "services/api");
  EXPECT_EQ(services[0].paths[0].text, "services/api/");
  EXPECT_EQ(services[0].buildspec, "services/api/buildspec.yml");
  EXPECT_EQ(services[1].name, "web");
}

TEST(ResolveServices, DuplicateBasenamesSuggestAConfig) {
  Config config;
  try {
    resolve_services(config, {"a/api/buildspec.yml", "b/api/buildspec.yml"});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find("svcdiff.yml"), std::string::npos) << error.what();
  }
}

TEST(ResolveServices, ExplicitEntryOverridesDiscoveredOne) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  api:\n    project: "
      "api-build\n"
      "    depends_on: [lib]\n  lib:\n    paths: [libs/lib/]\n    build: false\n",
      "svcdiff.yml");
  auto services =
      resolve_services(config, {"services/api/buildspec.yml", "services/web/buildspec.yml"});
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0].name, "api");
  EXPECT_EQ(services[0].project, "api-build");
  EXPECT_EQ(services[0].paths[0].text, "services/api/");  // from discovery
  EXPECT_EQ(services[0].depends_on, std::vector<std::string>{"lib"});
  EXPECT_EQ(services[1].name, "lib");
  EXPECT_EQ(services[1].directory, "libs/lib");
  EXPECT_EQ(services[2].name, "web");
}

TEST(ResolveServices, ExplicitServiceWithoutPathsIsAnError) {
  Config config = parse_config("version: 1\nservices:\n  ghost: {}\n", "svcdiff.yml");
  try {
    resolve_services(config, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind("svcdiff.yml:3:3: error:", 0), 0u) << error.what();
  }
}

}  // namespace
}  // namespace svcdiff::config
