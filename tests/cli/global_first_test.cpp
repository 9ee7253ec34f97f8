// `changed` reads the diff where a global file lies first (issue 10): when
// one changed, every service is selected, and the rest of the diff is read
// only down to the `require` files that make removed services. The answer
// must be the one the whole walk gives (`-v` reads every path), removed
// services and stale explicit entries included.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

constexpr const char* kBuildspec = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";
constexpr const char* kShortcut = "is global: every service is selected";

// `apps/*` requires a file one level down, so the walk must read below the
// directory the glob matches to see it deleted.
std::string config(const std::string& global) {
  return "version: 1\n"
         "ignore: [\"**/*.md\"]\n"
         "global: [" +
         global +
         "]\n"
         "discover:\n"
         "  - {glob: \"services/*/*\", require: buildspec.yml}\n"
         "  - {glob: \"apps/*\", require: ci/buildspec.yml}\n"
         "services:\n"
         "  old:\n    exclude: [services/d/old/gen/]\n";
}

void add_layout(TempRepo& repo) {
  for (const char* dir : {"services/d/api", "services/d/old", "services/e/web"}) {
    repo.write(std::string(dir) + "/buildspec.yml", kBuildspec);
    repo.write(std::string(dir) + "/src/main.py", "v0\n");
  }
  repo.write("apps/shop/ci/buildspec.yml", kBuildspec);
  repo.write("apps/shop/web/index.html", "v0\n");
  repo.write("tools/ci/run.sh", "v0\n");
  repo.write("libs/core/x.py", "v0\n");
}

// The layout committed with `global` as the config's global pattern: the base.
std::string commit_layout(TempRepo& repo, const std::string& global) {
  add_layout(repo);
  repo.write("svcdiff.yml", config(global));
  return repo.commit("layout");
}

// `(N removed)` in the summary line, or 0.
int removed_count(const std::string& err) {
  std::smatch match;
  if (!std::regex_search(err, match, std::regex(R"(\((\d+) removed\))"))) return 0;
  return std::stoi(match[1]);
}

CommandResult changed(const TempRepo& repo, const std::string& base,
                      const std::vector<std::string>& extra) {
  std::vector<std::string> args{"changed", "--base", base, "-o", "-"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_svcdiff(repo.path(), args);
}

TEST(GlobalFirst, AGlobalChangeSelectsEveryServiceAndStillFindsTheRemovedOnes) {
  TempRepo repo;
  const std::string base = commit_layout(repo, "tools/ci/");
  repo.write("tools/ci/run.sh", "v1\n");
  repo.remove("services/d/old");  // an explicit entry: removed, not a stale entry
  repo.remove("apps/shop");
  for (int i = 0; i < 20; ++i) repo.write("services/d/api/src/f" + std::to_string(i), "v1\n");
  repo.commit("global, two services gone");

  const auto fast = changed(repo, base, {});
  ASSERT_EQ(fast.status, 0) << fast.err;
  EXPECT_EQ(json::parse(fast.out)["services"], json({"api", "web"}));
  EXPECT_NE(fast.err.find("tools/ci/run.sh " + std::string(kShortcut)), std::string::npos)
      << fast.err;
  // The log says what the rest of the diff was read for: both ways a service is lost.
  EXPECT_NE(fast.err.find("; the rest of the diff was read only for services removed or left "
                          "without their require file"),
            std::string::npos)
      << fast.err;
  EXPECT_NE(
      fast.err.find("warning: service `old` (svcdiff.yml:8): its directory services/d/old is gone"),
      std::string::npos)
      << fast.err;
  EXPECT_EQ(removed_count(fast.err), 2) << fast.err;
  // Far fewer paths than changed: the 20 below api were never read.
  EXPECT_NE(fast.err.find("more than "), std::string::npos) << fast.err;

  const auto whole = changed(repo, base, {"-v"});
  ASSERT_EQ(whole.status, 0) << whole.err;
  EXPECT_EQ(whole.err.find(kShortcut), std::string::npos) << whole.err;
  EXPECT_EQ(whole.out, fast.out);
  EXPECT_EQ(removed_count(whole.err), 2) << whole.err;
  EXPECT_NE(whole.err.find("changed: services/d/api/src/f19"), std::string::npos) << whole.err;

  // Items print reasons, the first the walk finds: the whole walk.
  const auto items = changed(repo, base, {"--format", "items"});
  ASSERT_EQ(items.status, 0) << items.err;
  EXPECT_EQ(items.err.find(kShortcut), std::string::npos) << items.err;
  EXPECT_EQ(json::parse(items.out)["removed"], json({"old", "shop"}));
  for (const char* format : {"text", "env", "github"}) {
    const auto text = changed(repo, base, {"--format", format});
    const auto text_whole = changed(repo, base, {"-v", "--format", format});
    EXPECT_NE(text.err.find(kShortcut), std::string::npos) << format << ": " << text.err;
    EXPECT_EQ(text.out, text_whole.out) << format;
  }
}

TEST(GlobalFirst, AnIgnoredOrUnchangedGlobalAreaReadsTheWholeDiff) {
  TempRepo repo;
  const std::string base = commit_layout(repo, "tools/ci/");
  repo.write("tools/ci/notes.md", "ignored\n");
  repo.write("services/e/web/src/main.py", "v1\n");
  repo.commit("ignored global, one service");
  const auto result = changed(repo, base, {});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["services"], json({"web"}));
  EXPECT_EQ(result.err.find(kShortcut), std::string::npos) << result.err;
}

TEST(GlobalFirst, AGlobalPatternThatMayMatchAnywhereReadsTheWholeDiff) {
  // `*.sh` may match in any directory: reading where it may would be the
  // whole diff, twice; the ordinary walk finds it and gives the same answer.
  TempRepo repo;
  const std::string base = commit_layout(repo, "\"*.sh\"");
  repo.write("tools/ci/run.sh", "v1\n");
  repo.commit("global");
  const auto result = changed(repo, base, {});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["services"], json({"api", "old", "shop", "web"}));
  EXPECT_EQ(result.err.find(kShortcut), std::string::npos) << result.err;
}

TEST(GlobalFirst, AServiceWhoseDeletedFilesAreAllIgnoredIsRemovedWhenAGlobalChanges) {
  // A global change selects every service at base too, so a discovered
  // service deleted in the same range is removed even when no path of its
  // own would have selected it.
  TempRepo repo;
  repo.write("svcdiff.yml",
             "version: 1\nignore: [\"services/d/quiet/\"]\nglobal: [tools/ci/]\n"
             "discover:\n  - {glob: \"services/*/*\", require: buildspec.yml}\n");
  repo.write("services/d/quiet/buildspec.yml", kBuildspec);
  repo.write("services/d/api/buildspec.yml", kBuildspec);
  repo.write("tools/ci/run.sh", "v0\n");
  const std::string base = repo.commit("layout");
  repo.remove("services/d/quiet");
  repo.commit("quiet gone");
  const auto alone = changed(repo, base, {"--format", "items"});
  ASSERT_EQ(alone.status, 0) << alone.err;
  EXPECT_EQ(json::parse(alone.out)["removed"], json::array());

  repo.write("tools/ci/run.sh", "v1\n");
  repo.commit("global");
  for (const bool every_path : {false, true}) {
    std::vector<std::string> extra{"--format", "items"};
    if (every_path) extra.push_back("-v");
    const auto result = changed(repo, base, extra);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(json::parse(result.out)["removed"], json({"quiet"})) << result.err;
    const auto services = changed(
        repo, base, every_path ? std::vector<std::string>{"-v"} : std::vector<std::string>{});
    EXPECT_EQ(removed_count(services.err), 1) << services.err;
  }
}

// A discovered service whose buildspec the range deleted, its directory
// left, is no service at head: the walk after a global change reads the
// directories the globs match too, down to their `require`, so it warns as
// the whole walk does (a walk only into directories deleted whole did not).
TEST(GlobalFirst, AServiceThatLostItsRequireIsWarnedAboutAsByTheWholeWalk) {
  TempRepo repo;
  const std::string base = commit_layout(repo, "tools/ci/");
  repo.write("tools/ci/run.sh", "v1\n");
  repo.remove("services/e/web/buildspec.yml");
  repo.write("services/e/web/src/main.py", "v1\n");
  repo.remove("apps/shop/ci/buildspec.yml");
  repo.commit("global, web and shop no services");
  const std::string web =
      "warning: service `web`: services/e/web/buildspec.yml was deleted since the base and its "
      "directory services/e/web is still there";
  const std::string shop =
      "warning: service `shop`: apps/shop/ci/buildspec.yml was deleted since the base and its "
      "directory apps/shop is still there";
  for (const bool every_path : {false, true}) {
    const auto result = changed(
        repo, base, every_path ? std::vector<std::string>{"-v"} : std::vector<std::string>{});
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(json::parse(result.out)["services"], json({"api", "old"}));
    EXPECT_EQ(result.err.find(kShortcut) == std::string::npos, every_path) << result.err;
    EXPECT_NE(result.err.find(web), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(shop), std::string::npos) << result.err;
    EXPECT_EQ(removed_count(result.err), 0) << result.err;
  }
}

}  // namespace
}  // namespace svcdiff::testing
