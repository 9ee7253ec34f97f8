// The Step Functions input limit end to end (SPEC §5): a large selection is
// trimmed to fit, and one that cannot fit fails without leaving a file. The
// monorepos are plain directories and the changes come from --files-from, so
// these stay fast.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::size_t kLimit = 262144;
// No .git here: the items format takes its head (the builds' SourceVersion) from --head.
const std::string kHead(40, 'c');
constexpr std::size_t kItemsLimit = kLimit - 32768;  // room for the state machine's failure report

std::string name_of(std::size_t i) {
  char name[16];
  std::snprintf(name, sizeof name, "svc_%04zu", i);
  return name;
}

// `count` discovered services under services/, and `files_each` changed files
// in every one of them, listed in changes.txt.
void make_monorepo(const TempRepo& dir, std::size_t count, std::size_t files_each) {
  std::string changes;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string directory = "services/" + name_of(i) + "/";
    dir.write(directory + "buildspec.yml", "version: 0.2\n");
    for (std::size_t f = 0; f < files_each; ++f) {
      changes += directory + "src/module_" + std::to_string(f) + "/handler.py\n";
    }
  }
  dir.write("changes.txt", changes);
}

std::vector<std::string> entries(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SizeLimit, ThousandServicesWithManyFilesAreTrimmedToFit) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  make_monorepo(dir, 1000, 30);
  auto result = run_svcdiff(dir.path(), {"--files-from", "changes.txt", "--format", "items",
                                         "--head", kHead, "-o", "a.json"});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string text = read_file(dir.at("a.json"));
  EXPECT_LE(text.size(), kItemsLimit);
  json items = json::parse(text);  // still valid JSON
  EXPECT_EQ(items["trimmed"], true);
  EXPECT_EQ(items["services"].size(), 1000u);
  ASSERT_EQ(items["waves"].size(), 1u);
  EXPECT_EQ(items["waves"][0].size(), 1000u);
  EXPECT_EQ(items["waves"][0][999]["name"], "svc_0999");
  EXPECT_EQ(items["waves"][0][999]["project"], "svc_0999");
  EXPECT_NE(result.err.find("svcdiff: warning: items artifact trimmed to fit the Step Functions "
                            "input limit of 262144 bytes"),
            std::string::npos)
      << result.err;

  // -q silences the note, never the trimming.
  result = run_svcdiff(dir.path(), {"--files-from", "changes.txt", "--format", "items", "--head",
                                    kHead, "-o", "-", "-q"});
  ASSERT_EQ(result.status, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(json::parse(result.out)["trimmed"], true);
}

TEST(SizeLimit, SmallSelectionIsNotTrimmed) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  make_monorepo(dir, 20, 3);
  auto result = run_svcdiff(
      dir.path(), {"--files-from", "changes.txt", "--format", "items", "--head", kHead, "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  json items = json::parse(result.out);
  EXPECT_EQ(items["trimmed"], false);
  EXPECT_EQ(items["waves"][0][0]["reasons"].size(), 3u);
  EXPECT_EQ(result.err.find("trimmed"), std::string::npos) << result.err;
}

TEST(SizeLimit, FiveThousandServicesFitAsServicesButNotAsItems) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  make_monorepo(dir, 5000, 1);
  auto result = run_svcdiff(dir.path(), {"--files-from", "changes.txt", "-o", "services.json"});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string services = read_file(dir.at("services.json"));
  EXPECT_LE(services.size(), kLimit);
  EXPECT_EQ(json::parse(services)["services"].size(), 5000u);

  const auto before = entries(dir.path());
  result = run_svcdiff(dir.path(), {"--files-from", "changes.txt", "--format", "items", "--head",
                                    kHead, "-o", "a.json"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_NE(result.err.find("exceeds the Step Functions input limit of 262144 bytes less 32768 "
                            "for the state machine's failure report even trimmed; use --s3-split"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(entries(dir.path()), before);  // no a.json, no temporary file beside it
}

}  // namespace
}  // namespace svcdiff::testing
