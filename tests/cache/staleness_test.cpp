#include "cache/staleness.hpp"

#include <gtest/gtest.h>

namespace svcdiff::cache {
namespace {

std::vector<ChangedPath> changes(std::vector<std::string> paths) {
  std::vector<ChangedPath> out;
  out.reserve(paths.size());
  for (auto& path : paths) out.push_back({std::move(path), ChangeKind::modified, false});
  return out;
}

TEST(Staleness, DiscoveryCandidatesAreTheFilesNamedLikeARequire) {
  const std::vector<std::string> names = {"buildspec.yml", "package.json"};
  const auto changed = changes(
      {"a/buildspec.yml", "a/x.py", "b/package.json", "c/buildspec.yml.bak", "buildspec.yml"});
  std::vector<std::string> found;
  for (const ChangedPath* change : discovery_candidates(changed, names)) {
    found.push_back(change->path);
  }
  EXPECT_EQ(found,
            (std::vector<std::string>{"a/buildspec.yml", "b/package.json", "buildspec.yml"}));
}

TEST(Staleness, AChangeTellsWhetherItsPathIsAFileAtHead) {
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::added, false}), true);
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::modified, false}), true);
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::deleted, false}), false);
  // File to symlink or back: a file on both sides.
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::type_changed, false}), true);
  // A submodule is no file; a type change with one on either side cannot say.
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::added, true}), false);
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::modified, true}), false);
  EXPECT_EQ(file_at_head({"a/package.json", ChangeKind::type_changed, true}), std::nullopt);
}

TEST(Staleness, UpdatedDiscoveryKeepsDiscoverysOrder) {
  const std::vector<std::string> names = {"buildspec.yml", "service.yml"};
  const PathList files = {"a/buildspec.yml", "c/buildspec.yml", "a/service.yml"};
  // b added, c removed, a/service.yml changed in place.
  const auto updated =
      updated_discovery(files, {"b/buildspec.yml", "c/buildspec.yml", "a/service.yml"},
                        {"a/service.yml", "b/buildspec.yml"}, names);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->strings(),
            (std::vector<std::string>{"a/buildspec.yml", "b/buildspec.yml", "a/service.yml"}));
}

TEST(Staleness, UpdatedDiscoveryIsNothingWhenNoPathComesOrGoes) {
  const std::vector<std::string> names = {"buildspec.yml", "service.yml"};
  const PathList files = {"a/buildspec.yml", "c/buildspec.yml", "a/service.yml"};
  // Changed in place, looked up and found, looked up and absent as before.
  EXPECT_FALSE(updated_discovery(files, {"a/service.yml", "c/buildspec.yml", "b/buildspec.yml"},
                                 {"a/service.yml", "c/buildspec.yml"}, names));
  // Each one way a path comes or goes, alone.
  EXPECT_TRUE(updated_discovery(files, {"c/buildspec.yml"}, {}, names));
  EXPECT_TRUE(updated_discovery(files, {"b/buildspec.yml"}, {"b/buildspec.yml"}, names));
  EXPECT_TRUE(updated_discovery(files, {"a/service.yml"}, {}, names));
  EXPECT_TRUE(updated_discovery(files, {"b/service.yml"}, {"b/service.yml"}, names));
}

TEST(Staleness, InferenceHoldsUnlessWhatItLookedAtChanged) {
  InferRecord record;
  record.reads = {"services/a/notes.txt"};
  record.lists = {"services/py"};
  EXPECT_FALSE(alters_inference(changes({"services/a/src/x.js", "services/py/sub/y.txt"}), record));
  // Any manifest, read or not, anywhere.
  EXPECT_EQ(alters_inference(changes({"deep/down/package.json"}), record),
            "deep/down/package.json");
  EXPECT_EQ(alters_inference(changes({"x/requirements-dev.txt"}), record),
            "x/requirements-dev.txt");
  EXPECT_EQ(alters_inference(changes({"elsewhere/go.work"}), record), "elsewhere/go.work");
  // A path read, a file directly in a listed directory, a file where a
  // directory above either was.
  EXPECT_EQ(alters_inference(changes({"services/a/notes.txt"}), record), "services/a/notes.txt");
  EXPECT_EQ(alters_inference(changes({"services/py/new.cfg"}), record), "services/py/new.cfg");
  EXPECT_EQ(alters_inference(changes({"services/a"}), record), "services/a");
  EXPECT_EQ(alters_inference(changes({"services"}), record), "services");
}

}  // namespace
}  // namespace svcdiff::cache
