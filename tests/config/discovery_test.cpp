#include "config/discovery.hpp"

#include <gtest/gtest.h>

#include "cli/run.hpp"
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

TEST(DiscoveryOnDemand, AsksOnlyTheDirectoriesAlongChangedPathsThatAGlobMatches) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\n"
      "  - {glob: \"apps/*\", require: ci/buildspec.yml}\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  ASSERT_TRUE(on_demand.possible());
  EXPECT_EQ(
      on_demand.files_along({"services/x/api/src/main.py", "services/x/api/README.md",
                             "services/y/web", "apps/site/ci/x", "docs/a/b/c.md", "top"}),
      (std::vector<std::string>{"apps/site/ci/buildspec.yml", "services/x/api/buildspec.yml"}));
  // services/y/web is a changed path (a file, or a submodule), not a directory above one.
}

// files_along skips the directories a path shares with the path before it:
// a shared prefix that stops inside a segment (`api` and `apix`) shares no
// directory there, and a directory met again out of order (asked again)
// gives its files once.
TEST(DiscoveryOnDemand, FilesAlongPathsInAnyOrderGiveEachFileOnce) {
  Config config =
      parse_config("version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\n", "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  EXPECT_EQ(
      on_demand.files_along({"services/x/api/a", "services/x/apix/b", "services/x/api/c/d",
                             "services/x/ap/q", "top", "services/x/api/e", "services/x/ap",
                             "services/y/ap/f"}),
      (std::vector<std::string>{"services/x/ap/buildspec.yml", "services/x/api/buildspec.yml",
                                "services/x/apix/buildspec.yml", "services/y/ap/buildspec.yml"}));
}

// A glob of fixed depth runs only on directories of that depth (the depth
// files_along counts as it scans); a `**` glob runs on every one.
TEST(DiscoveryOnDemand, FilesAlongRunsEachGlobAtItsOwnDepth) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"*/*\", require: requirements.txt}\n"
      "  - {glob: \"*/*/*\", require: requirements.txt}\n  - {glob: \"libs/**/pkg\"}\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  EXPECT_EQ(on_demand.files_along({"a/b/c/d.py", "a/b/e/f/g.py", "libs/x/y/pkg/z"}),
            (std::vector<std::string>{"a/b/c/requirements.txt", "a/b/e/requirements.txt",
                                      "a/b/requirements.txt", "libs/x/requirements.txt",
                                      "libs/x/y/pkg/buildspec.yml", "libs/x/y/requirements.txt"}));
  EXPECT_EQ(on_demand.files_in("a/b/c"), (std::vector<std::string>{"a/b/c/requirements.txt"}));
  EXPECT_TRUE(on_demand.files_in("a/b/c/d").empty());
}

TEST(DiscoveryOnDemand, LooksNamesUpDownToTheGlobsLastSegmentOnly) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\nservices:\n"
      "  web:\n    depends_on: [lib]\n  lib:\n    paths: [libs/lib/]\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  EXPECT_TRUE(on_demand.may_match_below(""));
  EXPECT_TRUE(on_demand.may_match_below("services"));
  EXPECT_TRUE(on_demand.may_match_below("services/x"));
  EXPECT_FALSE(on_demand.may_match_below("services/x/api"));
  EXPECT_FALSE(on_demand.may_match_below("docs"));
  EXPECT_EQ(on_demand.files_in("services/x/api"),
            (std::vector<std::string>{"services/x/api/buildspec.yml"}));
  EXPECT_TRUE(on_demand.files_in("services/x").empty());
  EXPECT_EQ(on_demand.names_to_look_up(), (std::vector<std::string>{"lib", "web"}));
}

// may_match_below counts a directory's segments no further than the deepest
// glob of fixed depth: a glob with `**` still answers for deeper ones.
TEST(DiscoveryOnDemand, MayMatchBelowDeepDirectoriesOnlyThroughDoubleStars) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\n  - {glob: \"apps/**/svc\"}\n"
      "  - {glob: \"*\"}\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  for (const char* dir : {"", "services", "services/x", "apps/a", "apps/a/b/c/d/e"}) {
    EXPECT_TRUE(on_demand.may_match_below(dir)) << dir;
  }
  for (const char* dir :
       {"services/x/api", "services/x/api/src/deeper", "docs/a", "docs/a/b/c/d"}) {
    EXPECT_FALSE(on_demand.may_match_below(dir)) << dir;
  }
}

TEST(DiscoveryOnDemand, FindsRequireFilesDownToWhereTheyLieOnly) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\n"
      "  - {glob: \"apps/*\", require: ci/build/buildspec.yml}\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  for (const char* dir : {"", "services", "services/x", "services/x/api", "apps", "apps/site",
                          "apps/site/ci", "apps/site/ci/build"}) {
    EXPECT_TRUE(on_demand.may_find_require_below(dir)) << dir;
  }
  for (const char* dir : {"docs", "services/x/api/src", "apps/site/web", "apps/site/ci/other",
                          "apps/site/ci/build/deeper"}) {
    EXPECT_FALSE(on_demand.may_find_require_below(dir)) << dir;
  }
}

TEST(DiscoveryOnDemand, NamesADirectoryAsItsGlobDoes) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*/*\"}\n"
      "  - {glob: \"apps/*/*\", name: path}\n",
      "svcdiff.yml");
  DiscoveryOnDemand on_demand(config);
  EXPECT_EQ(on_demand.names_of("services/x/api"), (std::vector<std::string>{"api"}));
  EXPECT_EQ(on_demand.names_of("apps/a/web"), (std::vector<std::string>{"apps-a-web"}));
  EXPECT_TRUE(on_demand.names_of("apps/a").empty());
  // What a walk asks instead of names_of, once it knows which names it wants.
  EXPECT_TRUE(on_demand.matched_naming_by("services/x/api", DiscoverNaming::basename));
  EXPECT_FALSE(on_demand.matched_naming_by("services/x/api", DiscoverNaming::path));
  EXPECT_TRUE(on_demand.matched_naming_by("apps/a/web", DiscoverNaming::path));
  EXPECT_FALSE(on_demand.matched_naming_by("apps/a/web", DiscoverNaming::basename));
  EXPECT_FALSE(on_demand.matched_naming_by("apps/a", DiscoverNaming::path));
  std::string name = "a longer name than any below, so the buffer is reused";
  assign_discovered_name(name, "apps/a/web", DiscoverNaming::path);
  EXPECT_EQ(name, "apps-a-web");
  assign_discovered_name(name, "apps/a/web", DiscoverNaming::basename);
  EXPECT_EQ(name, "web");
}

TEST(DiscoveryOnDemand, ZeroConfigDiscoveryRunsInFull) {
  Config config;  // a service, and its namesake, may be anywhere
  EXPECT_FALSE(DiscoveryOnDemand(config).possible());
  EXPECT_FALSE(DiscoveryOnDemand(config).possible_with_known_edges());
}

TEST(DiscoveryOnDemand, InferRunsInFull) {
  // A manifest anywhere may make a changed service another's dependency.
  for (const char* text :
       {"version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"packages/*\", require: package.json}\n",
        "version: 1\ndiscover:\n  - {glob: \"crates/*\", require: Cargo.toml, infer: [cargo]}\n"}) {
    EXPECT_FALSE(DiscoveryOnDemand(parse_config(text, "svcdiff.yml")).possible()) << text;
    // ... unless the result cache knows every inferred edge.
    EXPECT_TRUE(DiscoveryOnDemand(parse_config(text, "svcdiff.yml")).possible_with_known_edges())
        << text;
  }
  EXPECT_TRUE(DiscoveryOnDemand(
                  parse_config("version: 1\ndiscover:\n  - {glob: \"crates/*\"}\n", "svcdiff.yml"))
                  .possible());
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
    EXPECT_NE(cli::error_line(error).find("svcdiff.yml"), std::string::npos) << error.what();
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
    EXPECT_EQ(cli::error_line(error).rfind("svcdiff.yml:3:3: error:", 0), 0u) << error.what();
  }
}

// The shape of GoogleCloudPlatform/python-docs-samples: basenames repeat.
const std::vector<std::string> kRepeatedBasenames = {"asset/snippets/requirements.txt",
                                                     "functions/snippets/requirements.txt",
                                                     "functions/helloworld/requirements.txt"};

std::string resolve_error(const Config& config, const std::vector<std::string>& files) {
  try {
    resolve_services(config, files);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    return cli::error_line(error);
  }
  ADD_FAILURE() << "expected an error";
  return "";
}

TEST(ResolveServices, NamePathWritesTheDirectoryPathWithDashes) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"*/*\", require: requirements.txt, name: path}\n",
      "svcdiff.yml");
  auto services = resolve_services(config, kRepeatedBasenames);
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0].name, "asset-snippets");
  EXPECT_EQ(services[0].project, "asset-snippets");
  EXPECT_EQ(services[0].directory, "asset/snippets");
  EXPECT_EQ(services[0].paths[0].text, "asset/snippets/");
  EXPECT_EQ(services[1].name, "functions-helloworld");
  EXPECT_EQ(services[2].name, "functions-snippets");

  // discovered_directories (which `changed` uses for removed services) names them alike.
  auto found = discovered_directories(config, {"asset/snippets/requirements.txt"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "asset-snippets");
  EXPECT_EQ(found[0].directory, "asset/snippets");
}

TEST(ResolveServices, RepeatedBasenamesSuggestNamePath) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"*/*\", require: requirements.txt}\n", "svcdiff.yml");
  const std::string message = resolve_error(config, kRepeatedBasenames);
  EXPECT_EQ(message.rfind("svcdiff.yml:3:12: error: two discovered services are named `snippets`: "
                          "asset/snippets (discover glob `*/*`) and functions/snippets",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("add `name: path` to the `discover` entry to name services by their path "
                         "(`asset-snippets`, `functions-snippets`)"),
            std::string::npos)
      << message;
}

TEST(ResolveServices, ZeroConfigCollisionMentionsNamePath) {
  const std::string message =
      resolve_error(Config{}, {"a/api/buildspec.yml", "b/api/buildspec.yml"});
  EXPECT_NE(message.find("`name: path` to name services by their path (`a-api`, `b-api`)"),
            std::string::npos)
      << message;
}

TEST(ResolveServices, PathNamesThatCollideSuggestNarrowingTheGlob) {
  // `a-b/c` and `a/b-c` both write `a-b-c`: `name: path` is already there.
  Config config =
      parse_config("version: 1\ndiscover:\n  - {glob: \"**\", name: path}\n", "svcdiff.yml");
  const std::string message = resolve_error(config, {"a-b/c/buildspec.yml", "a/b-c/buildspec.yml"});
  EXPECT_NE(message.find("two discovered services are named `a-b-c`"), std::string::npos)
      << message;
  EXPECT_NE(message.find("narrow the `discover` glob"), std::string::npos) << message;
  EXPECT_EQ(message.find("add `name: path`"), std::string::npos) << message;
}

TEST(ResolveServices, ADirectoryTwoRulesMatchBelongsToTheFirst) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n  - {glob: \"**\", name: path}\n",
      "svcdiff.yml");
  auto services =
      resolve_services(config, {"services/api/buildspec.yml", "tools/lint/buildspec.yml"});
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[0].name, "api");  // not also `services-api`
  EXPECT_EQ(services[1].name, "tools-lint");
}

// Rules that share a `require` share the directories its files stand in;
// a rule with another `require` (between them) finds its own, and a file
// listed twice makes one service.
TEST(ResolveServices, EachRuleLooksForItsOwnRequire) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"a/*\", require: package.json}\n"
      "  - {glob: \"b/*\"}\n  - {glob: \"c/*\", require: package.json}\n",
      "svcdiff.yml");
  auto services =
      resolve_services(config, {"a/xa/package.json", "b/yb/buildspec.yml", "b/zb/package.json",
                                "c/wc/buildspec.yml", "c/vc/package.json", "c/vc/package.json"});
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0].name, "vc");
  EXPECT_EQ(services[0].directory, "c/vc");
  EXPECT_EQ(services[0].buildspec, "");
  EXPECT_EQ(services[1].name, "xa");
  EXPECT_EQ(services[2].name, "yb");
  EXPECT_EQ(services[2].buildspec, "b/yb/buildspec.yml");
}

TEST(ResolveServices, APathNameLongerThanAProjectNameIsAnError) {
  Config config =
      parse_config("version: 1\ndiscover:\n  - {glob: \"**\", name: path}\n", "svcdiff.yml");
  const std::string deep = std::string(200, 'a') + "/" + std::string(100, 'b');
  const std::string message = resolve_error(config, {deep + "/buildspec.yml"});
  EXPECT_NE(message.find("makes the service name `" + std::string(200, 'a') + "-"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("2 to 255 characters"), std::string::npos) << message;
}

// Several bad directories: the error is the first one discovery meets, in
// rule order and each rule's in path order, whatever the names' order.
TEST(ResolveServices, TheFirstBadDirectoryInDiscoveryOrderIsReported) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"z/*\"}\n  - {glob: \"a/*/*\"}\n", "svcdiff.yml");
  // `z/mm` and `a/x/mm` collide when the second rule meets `a/x/mm`; `a/b/bb`
  // and `a/c/bb` (a name that sorts first) collide only after that.
  std::string message = resolve_error(config, {"a/b/bb/buildspec.yml", "a/x/mm/buildspec.yml",
                                               "a/y/bb/buildspec.yml", "z/mm/buildspec.yml"});
  EXPECT_NE(message.find("two discovered services are named `mm`: z/mm (discover glob `z/*`) and "
                         "a/x/mm (discover glob `a/*/*`)"),
            std::string::npos)
      << message;
  // `z/!x` (no valid project name) comes before any collision...
  message = resolve_error(config, {"a/b/bb/buildspec.yml", "a/c/bb/buildspec.yml",
                                   "z/mm/buildspec.yml", "z/!x/buildspec.yml"});
  EXPECT_NE(message.find("discovered directory `z/!x` (discover glob `z/*`) makes the service "
                         "name `!x`"),
            std::string::npos)
      << message;
  // ... and `a/d/!x` after one.
  message = resolve_error(config,
                          {"a/b/bb/buildspec.yml", "a/c/bb/buildspec.yml", "a/d/!x/buildspec.yml"});
  EXPECT_NE(message.find("two discovered services are named `bb`: a/b/bb"), std::string::npos)
      << message;
}

TEST(ResolveServices, ExplicitAndDiscoveredServicesComeInNameOrder) {
  Config config = parse_config(
      "version: 1\ndiscover:\n  - {glob: \"x/*\"}\n  - {glob: \"a/*\"}\nservices:\n"
      "  zz: {paths: [zz/]}\n  mm: {paths: [mm/]}\n  cc: {project: cc-build}\n"
      "  aa: {paths: [aa/]}\n  gone: {}\n",
      "svcdiff.yml");
  std::vector<Service> stale;
  auto services = resolve_services(
      config,
      {"x/dd/buildspec.yml", "x/nn/buildspec.yml", "a/cc/buildspec.yml", "a/bb/ci/buildspec.yml"},
      &stale);
  std::vector<std::string> names;
  names.reserve(services.size());
  for (const auto& service : services) names.push_back(service.name);
  EXPECT_EQ(names, (std::vector<std::string>{"aa", "cc", "dd", "mm", "nn", "zz"}));
  EXPECT_EQ(services[1].project, "cc-build");
  EXPECT_EQ(services[1].paths[0].text, "a/cc/");  // the discovered directory
  EXPECT_EQ(services[1].buildspec, "a/cc/buildspec.yml");
  EXPECT_TRUE(services[1].discovered);
  EXPECT_FALSE(services[0].discovered);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].name, "gone");
}

}  // namespace
}  // namespace svcdiff::config
