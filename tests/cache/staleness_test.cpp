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
  EXPECT_EQ(discovery_candidates(changes({"a/buildspec.yml", "a/x.py", "b/package.json",
                                          "c/buildspec.yml.bak", "buildspec.yml"}),
                                 names),
            (std::vector<std::string>{"a/buildspec.yml", "b/package.json", "buildspec.yml"}));
}

TEST(Staleness, UpdatedDiscoveryKeepsDiscoverysOrder) {
  const std::vector<std::string> names = {"buildspec.yml", "service.yml"};
  const PathList files = {"a/buildspec.yml", "c/buildspec.yml", "a/service.yml"};
  // b added, c removed, a/service.yml changed in place.
  EXPECT_EQ(updated_discovery(files, {"b/buildspec.yml", "c/buildspec.yml", "a/service.yml"},
                              {"a/service.yml", "b/buildspec.yml"}, names)
                .strings(),
            (std::vector<std::string>{"a/buildspec.yml", "b/buildspec.yml", "a/service.yml"}));
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
