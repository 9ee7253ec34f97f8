// A commit's fingerprint inputs against `git ls-tree` itself: every mode,
// names whose tree order differs from their path order, whole trees, modes
// git normalizes, and trees that are missing or corrupt.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "core/error.hpp"
#include "fingerprint/fingerprint.hpp"
#include "fingerprint/source.hpp"
#include "match/pattern.hpp"
#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::fingerprint {
namespace {

using testing::raw_id;
using testing::TempRepo;
using testing::trim_newline;
using testing::write_raw_tree;

std::vector<match::Pattern> compile(std::initializer_list<const char*> sources) {
  std::vector<match::Pattern> patterns;
  for (const char* source : sources) patterns.push_back(match::Pattern::compile(source));
  return patterns;
}

struct Patterns {
  std::vector<match::Pattern> paths;
  std::vector<match::Pattern> exclude;
  std::vector<match::Pattern> ignore;
};

std::string inputs(const TempRepo& repo, const std::string& commit, const Patterns& patterns) {
  auto repository = repo::Repository::discover({repo.path()});
  if (!repository) throw std::runtime_error("no repository");
  CommitSource source(*repository, commit);
  std::string text;
  append_inputs(source, {patterns.paths, patterns.exclude, patterns.ignore}, text);
  return text;
}

// `git ls-tree` lines sorted by path bytes (the part after the tab), as the
// fingerprint orders them; lines whose path ends in `drop` are left out.
std::string by_path(const std::string& lines, const std::string& drop = "") {
  std::vector<std::string> kept;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    if (!drop.empty() && line.ends_with(drop)) continue;
    kept.push_back(line);
  }
  const auto path = [](const std::string& line) { return line.substr(line.find('\t') + 1); };
  std::sort(kept.begin(), kept.end(),
            [&](const std::string& a, const std::string& b) { return path(a) < path(b); });
  std::string text;
  for (const auto& line : kept) text += line + "\n";
  return text;
}

// A commit whose root holds one directory `svc` with the tree `svc_tree`.
std::string commit_with_svc(const TempRepo& repo, const std::string& svc_tree) {
  const std::string root =
      write_raw_tree(repo, "40000 svc" + std::string(1, '\0') + raw_id(svc_tree));
  return trim_newline(repo.git("commit-tree", root, "-m", "raw"));
}

TEST(CommitInputs, EveryFileIsListedAsGitLsTreeListsIt) {
  TempRepo repo;
  // In git's tree order "a-b" < "a.txt" < "a/" < "a0"; paths sort the same.
  for (const char* file : {"svc/a-b", "svc/a.txt", "svc/a/x.py", "svc/a/notes.md", "svc/a0",
                           "svc/deep/er/f.py", "other/o.py"}) {
    repo.write(file, std::string(file) + "\n");
  }
  repo.write("svc/run.sh", "#!/bin/sh\n");
  repo.set_executable("svc/run.sh", true);
  repo.symlink("a0", "svc/link");
  repo.commit("files");
  // A submodule: an entry of mode 160000 naming a commit.
  const std::string gitlink = repo.rev_parse("HEAD");
  repo.git("update-index", "--add", "--cacheinfo", "160000," + gitlink + ",svc/sub");
  repo.git("commit", "-q", "-m", "submodule");
  const std::string head = repo.rev_parse("HEAD");

  const std::string text = inputs(repo, head, {compile({"svc/"}), {}, compile({"**/*.md"})});
  EXPECT_EQ(text, by_path(repo.git("ls-tree", "-r", head, "svc"), ".md"));
  EXPECT_NE(text.find("160000 commit " + gitlink + "\tsvc/sub\n"), std::string::npos) << text;
  EXPECT_NE(text.find("120000 blob "), std::string::npos) << text;
  EXPECT_NE(text.find("100755 blob "), std::string::npos) << text;
}

// The walk matches each entry against the patterns once, trusting that its
// parents matched none; the definition is Pattern::matches on the whole path.
// `**/*.md` in every ignore list can reach everywhere, so no tree is taken
// whole and every kept file is listed.
TEST(CommitInputs, AFileIsKeptExactlyWhenItsWholePathMatches) {
  TempRepo repo;
  const std::vector<std::string> files = {"svc/a/x.py",
                                          "svc/a/README.md",
                                          "svc/a/gen/g.py",
                                          "svc/a/build",
                                          "svc/a/build2/b.py",
                                          "svc/a/sub/build/o.py",
                                          "svc/a/deep/docs/d.py",
                                          "svc/b/y.py",
                                          "svc/b/src/z.py",
                                          "svc/c/src/main.py",
                                          "svc/c/src/tmp",
                                          "svc/c/tmp/t.py",
                                          "svc/c/app.log",
                                          "svc/c/src/docs/x.py",
                                          "docs/guide.py",
                                          "top.txt",
                                          "docs.py"};
  for (const auto& file : files) repo.write(file, file + "\n");
  const std::string head = repo.commit("files");
  const std::string listing = repo.git("ls-tree", "-r", head);

  const std::vector<Patterns> cases = {
      {compile({"svc/"}), compile({"svc/a/gen/"}), compile({"**/*.md", "build/", "tmp"})},
      {compile({"svc/*/src/", "/top.txt"}), compile({"*.log"}), compile({"**/*.md", "docs/"})},
      {compile({"**/*.py"}), {}, compile({"**/*.md", "svc/b/"})},
      {compile({"svc/a/deep/", "svc/c/src/main.py"}), {}, compile({"svc/", "**/*.md"})},
      {compile({"docs/", "svc/a/"}), compile({"svc/a/sub/"}), compile({"**/*.md", "x.py"})},
  };
  const auto any = [](const std::vector<match::Pattern>& patterns, const std::string& path) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const match::Pattern& p) { return p.matches(path); });
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Patterns& patterns = cases[i];
    std::string expected;
    std::istringstream in(listing);
    for (std::string line; std::getline(in, line);) {
      const std::string path = line.substr(line.find('\t') + 1);
      if (any(patterns.paths, path) && !any(patterns.exclude, path) &&
          !any(patterns.ignore, path)) {
        expected += line + "\n";
      }
    }
    EXPECT_EQ(inputs(repo, head, patterns), expected) << "case " << i;
  }
}

TEST(CommitInputs, AWholeTreeSortsBeforeASiblingFileItsNameStarts) {
  TempRepo repo;
  repo.write("svc/b/x.py", "x\n");
  repo.write("svc/b.c", "c\n");
  repo.write("svc/zz", "z\n");
  const std::string head = repo.commit("files");
  // The exclude makes the walk list svc/ entry by entry; nothing can reach
  // into svc/b, which is taken whole after svc/b.c (git's tree order).
  const std::string text = inputs(repo, head, {compile({"svc/"}), compile({"svc/zz"}), {}});
  EXPECT_EQ(text, by_path(repo.git("ls-tree", head, "svc/b", "svc/b.c")));
  EXPECT_EQ(text.substr(0, 6), "040000") << text;
}

TEST(CommitInputs, ModesAreNormalizedAsGitLsTreePrintsThem) {
  TempRepo repo;
  repo.write("x", "x\n");
  repo.commit("base");
  const std::string blob = raw_id(trim_newline(repo.git("rev-parse", "HEAD:x")));
  const std::string svc = write_raw_tree(repo, "100664 a.txt" + std::string(1, '\0') + blob +
                                                   "100775 b.sh" + std::string(1, '\0') + blob);
  const std::string head = commit_with_svc(repo, svc);
  const std::string text = inputs(repo, head, {compile({"svc/"}), {}, compile({"**/*.md"})});
  EXPECT_EQ(text, repo.git("ls-tree", "-r", head, "svc"));
  EXPECT_EQ(text.substr(0, 7), "100644 ") << text;
}

TEST(CommitInputs, AMissingSubtreeNamesItsPathAndCommit) {
  TempRepo repo;
  repo.write("svc/deep/x.py", "x\n");
  const std::string head = repo.commit("files");
  const std::string id = trim_newline(repo.git("rev-parse", head + ":svc/deep"));
  std::filesystem::remove(repo.at(".git/objects/" + id.substr(0, 2) + "/" + id.substr(2)));
  // Reached by the walk, and looked up by path from a pattern's prefix.
  for (const char* path : {"svc/", "svc/deep/x.py"}) {
    try {
      inputs(repo, head, {compile({path}), {}, compile({"**/*.md"})});
      FAIL() << "expected an error for " << path;
    } catch (const svcdiff::Error& error) {
      const std::string what = error.what();
      EXPECT_NE(what.find("`svc/deep`"), std::string::npos) << what;
      EXPECT_NE(what.find(head), std::string::npos) << what;
      EXPECT_NE(what.find(id), std::string::npos) << what;
      EXPECT_NE(what.find("git fsck"), std::string::npos) << what;
      EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
    }
  }
}

TEST(CommitInputs, ACorruptSubtreeIsNamed) {
  TempRepo repo;
  repo.write("x", "x\n");
  repo.commit("base");
  const std::string blob = raw_id(trim_newline(repo.git("rev-parse", "HEAD:x")));
  const std::string bad = write_raw_tree(repo, "10x644 f" + std::string(1, '\0') + blob);
  const std::string head = commit_with_svc(repo, bad);
  try {
    inputs(repo, head, {compile({"svc/"}), {}, compile({"**/*.md"})});
    FAIL() << "expected an error";
  } catch (const svcdiff::Error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find(bad + " is corrupt"), std::string::npos) << what;
    EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
  }
}

}  // namespace
}  // namespace svcdiff::fingerprint
