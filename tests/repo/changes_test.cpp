#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

using svcdiff::ChangedPath;
using svcdiff::ChangeKind;
using svcdiff::repo::Repository;
using svcdiff::testing::raw_id;
using svcdiff::testing::run_git;
using svcdiff::testing::TempRepo;
using svcdiff::testing::trim_newline;
using svcdiff::testing::write_raw_tree;

ChangedPath added(const std::string& path, bool is_dir = false) {
  return {path, ChangeKind::added, is_dir};
}
ChangedPath deleted(const std::string& path, bool is_dir = false) {
  return {path, ChangeKind::deleted, is_dir};
}
ChangedPath modified(const std::string& path, bool is_dir = false) {
  return {path, ChangeKind::modified, is_dir};
}
ChangedPath type_changed(const std::string& path, bool is_dir = false) {
  return {path, ChangeKind::type_changed, is_dir};
}

class ChangesTest : public ::testing::Test {
 protected:
  Repository open() const {
    auto repository = Repository::discover({repo.path()});
    if (!repository) throw std::runtime_error("no repository at " + repo.path());
    return std::move(*repository);
  }
  std::vector<ChangedPath> changes(const std::string& base, const std::string& head) const {
    return open().changes(base, head);
  }

  TempRepo repo;
};

TEST_F(ChangesTest, SameCommitHasNoChanges) {
  repo.write("a.txt", "a\n");
  const auto c1 = repo.commit("one");
  EXPECT_TRUE(changes(c1, c1).empty());
}

TEST_F(ChangesTest, AddModifyDeleteAreReported) {
  repo.write("a.txt", "a\n");
  repo.write("b.txt", "b\n");
  repo.write("dir/c.txt", "c\n");
  const auto base = repo.commit("base");
  repo.write("a.txt", "a2\n");
  repo.remove("b.txt");
  repo.write("dir/d.txt", "d\n");
  const auto head = repo.commit("head");

  EXPECT_EQ(changes(base, head),
            (std::vector<ChangedPath>{modified("a.txt"), deleted("b.txt"), added("dir/d.txt")}));
  // The other direction swaps added and deleted.
  EXPECT_EQ(changes(head, base),
            (std::vector<ChangedPath>{modified("a.txt"), added("b.txt"), deleted("dir/d.txt")}));
}

TEST_F(ChangesTest, ModeChangeIsModified) {
  repo.write("tools/run.sh", "echo hi\n");
  const auto base = repo.commit("base");
  repo.set_executable("tools/run.sh", true);
  const auto head = repo.commit("chmod +x");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{modified("tools/run.sh")}));
}

TEST_F(ChangesTest, FileReplacedBySymlinkIsTypeChange) {
  repo.write("config.yml", "x: 1\n");
  repo.write("shared/config.yml", "x: 2\n");
  const auto base = repo.commit("base");
  repo.symlink("shared/config.yml", "config.yml");
  const auto head = repo.commit("link");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{type_changed("config.yml")}));
}

TEST_F(ChangesTest, SymlinkAddedIsReported) {
  repo.write("a.txt", "a\n");
  const auto base = repo.commit("base");
  repo.symlink("../a.txt", "links/a");
  const auto head = repo.commit("add link");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{added("links/a")}));
}

TEST_F(ChangesTest, FileReplacedByDirectoryReportsBothSides) {
  repo.write("svc", "was a file\n");
  repo.write("other.txt", "o\n");
  const auto base = repo.commit("base");
  repo.remove("svc");
  repo.write("svc/a.txt", "a\n");
  repo.write("svc/deep/b.txt", "b\n");
  const auto head = repo.commit("file -> dir");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{deleted("svc"), added("svc/a.txt"),
                                                           added("svc/deep/b.txt")}));
}

TEST_F(ChangesTest, DirectoryReplacedByFileReportsBothSides) {
  repo.write("svc/a.txt", "a\n");
  repo.write("svc/deep/b.txt", "b\n");
  const auto base = repo.commit("base");
  repo.remove("svc");
  repo.write("svc", "now a file\n");
  const auto head = repo.commit("dir -> file");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{added("svc"), deleted("svc/a.txt"),
                                                           deleted("svc/deep/b.txt")}));
}

TEST_F(ChangesTest, RenameAcrossDirectoriesReportsBoth) {
  repo.write("services/a/handler.py", "print('a')\n");
  repo.write("services/b/main.py", "print('b')\n");
  const auto base = repo.commit("base");
  repo.git("mv", "services/a/handler.py", "services/b/handler.py");
  const auto head = repo.commit("move");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{deleted("services/a/handler.py"),
                                                           added("services/b/handler.py")}));
}

TEST_F(ChangesTest, EqualSubtreesAreNeverOpened) {
  for (int i = 0; i < 5; ++i) {
    repo.write("big/d" + std::to_string(i) + "/f.txt", std::to_string(i));
  }
  repo.write("svc/deep/er/x.txt", "x\n");
  repo.write("svc/deep/same/y.txt", "y\n");
  const auto base = repo.commit("base");
  repo.write("svc/deep/er/x.txt", "x2\n");
  const auto head = repo.commit("head");

  // Delete the loose objects of the unchanged subtrees: if the walk opened
  // them, reading would fail.
  for (const std::string tree : {":big", ":svc/deep/same"}) {
    const std::string id = trim_newline(repo.git("rev-parse", head + tree));
    std::string object = ".git/objects/";
    object += id.substr(0, 2);
    object += '/';
    object += id.substr(2);
    std::filesystem::remove(repo.at(object));
  }
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{modified("svc/deep/er/x.txt")}));
}

TEST_F(ChangesTest, SubmodulePointerChangeIsOneDirectory) {
  const std::string lib = repo.root() + "/lib";
  std::filesystem::create_directories(lib);
  run_git(lib, {"init", "-q"});
  std::ofstream(lib + "/lib.c") << "int x;\n";
  run_git(lib, {"add", "-A"});
  run_git(lib, {"commit", "-q", "-m", "lib one"});

  repo.write("README", "r\n");
  const auto c0 = repo.commit("base");
  repo.git("submodule", "add", "-q", lib, "ext/lib");
  const auto c1 = repo.commit("add submodule");

  std::ofstream(lib + "/lib.c") << "int y;\n";
  run_git(lib, {"commit", "-q", "-am", "lib two"});
  run_git(repo.at("ext/lib"), {"pull", "-q", "--ff-only"});
  const auto c2 = repo.commit("bump submodule");

  EXPECT_EQ(changes(c0, c1),
            (std::vector<ChangedPath>{added(".gitmodules"), added("ext/lib", true)}));
  EXPECT_EQ(changes(c1, c2), (std::vector<ChangedPath>{modified("ext/lib", true)}));

  // A submodule replaced by a plain file is a type change of a directory path
  // (`git rm` leaves an empty .gitmodules behind).
  repo.git("rm", "-q", "ext/lib");
  repo.write("ext/lib", "vendored\n");
  const auto c3 = repo.commit("vendor it");
  EXPECT_EQ(changes(c2, c3),
            (std::vector<ChangedPath>{modified(".gitmodules"), type_changed("ext/lib", true)}));
}

TEST_F(ChangesTest, InvalidUtf8NameSurvives) {
  repo.write("keep.txt", "k\n");
  const auto base = repo.commit("base");
  const std::string name = "svc\x80/bad\xff\xfe.txt";
  repo.write(name, "bytes\n");
  const auto head = repo.commit("bad bytes");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{added(name)}));
}

TEST_F(ChangesTest, NewlineInNameSurvives) {
  repo.write("keep.txt", "k\n");
  const auto base = repo.commit("base");
  const std::string name = "dir/line\nbreak.txt";
  repo.write(name, "nl\n");
  const auto head = repo.commit("newline");
  EXPECT_EQ(changes(base, head), (std::vector<ChangedPath>{added(name)}));
}

TEST_F(ChangesTest, OutputIsSortedByPathBytes) {
  repo.write("keep.txt", "k\n");
  const auto base = repo.commit("base");
  for (const std::string path : {"a/x", "a-b", "a.b", "a0", "\xc3\xa9", "Z", "a/y/z"}) {
    repo.write(path, path);
  }
  const auto head = repo.commit("many");
  std::vector<std::string> paths;
  for (const auto& change : changes(base, head)) paths.push_back(change.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"Z", "a-b", "a.b", "a/x", "a/y/z", "a0", "\xc3\xa9"}));
}

TEST_F(ChangesTest, UnknownCommitIdThrowsNamingIt) {
  repo.write("a", "a");
  const auto c1 = repo.commit("one");
  const std::string missing(40, 'e');
  try {
    changes(missing, c1);
    FAIL() << "expected an error";
  } catch (const svcdiff::Error& error) {
    EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
    EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
  }
}

std::string commit_of(const TempRepo& repo, const std::string& tree) {
  return trim_newline(repo.git("commit-tree", tree, "-m", "raw"));
}

TEST_F(ChangesTest, AMissingSubtreeThrowsNamingItsPath) {
  repo.write("svc/deep/x.txt", "x\n");
  const auto base = repo.commit("base");
  repo.write("svc/deep/x.txt", "x2\n");
  const auto head = repo.commit("head");
  const std::string id = trim_newline(repo.git("rev-parse", head + ":svc/deep"));
  std::filesystem::remove(repo.at(".git/objects/" + id.substr(0, 2) + "/" + id.substr(2)));
  try {
    changes(base, head);
    FAIL() << "expected an error";
  } catch (const svcdiff::Error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("`svc/deep`"), std::string::npos) << what;
    EXPECT_NE(what.find(id), std::string::npos) << what;
    EXPECT_NE(what.find("git fsck"), std::string::npos) << what;
  }
}

// The root trees are read raw, not through git_commit_tree: a missing one
// still names its commit, and every reader of the head says so alike.
TEST_F(ChangesTest, AMissingRootTreeThrowsNamingItsCommit) {
  repo.write("svc/x.txt", "x\n");
  const auto base = repo.commit("base");
  repo.write("svc/x.txt", "x2\n");
  const auto head = repo.commit("head");
  const std::string id = trim_newline(repo.git("rev-parse", head + "^{tree}"));
  std::filesystem::remove(repo.at(".git/objects/" + id.substr(0, 2) + "/" + id.substr(2)));
  const Repository repository = open();
  const std::vector<std::function<void()>> reads = {
      [&] { repository.changes(base, head); },
      [&] { repository.path_kind(head, "svc"); },
      [&] { repository.find_files_named(head, "x.txt", nullptr); },
  };
  for (const auto& read : reads) {
    try {
      read();
      ADD_FAILURE() << "expected an error";
    } catch (const svcdiff::Error& error) {
      const std::string what = error.what();
      EXPECT_NE(what.find("cannot read the tree of commit `" + head + "`"), std::string::npos)
          << what;
      EXPECT_NE(what.find("git fsck"), std::string::npos) << what;
      EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
    }
  }
}

TEST_F(ChangesTest, ACorruptTreeThrowsNamingIt) {
  repo.write("a.txt", "a\n");
  const auto base = repo.commit("base");
  const std::string blob = trim_newline(repo.git("rev-parse", base + ":a.txt"));
  // An entry cut short after its name, and a mode that is not octal.
  for (const std::string& content : {"100644 f" + std::string(1, '\0') + raw_id(blob).substr(0, 7),
                                     "10x644 f" + std::string(1, '\0') + raw_id(blob)}) {
    const std::string bad = write_raw_tree(repo, content);
    const std::string head =
        commit_of(repo, write_raw_tree(repo, "40000 dir" + std::string(1, '\0') + raw_id(bad)));
    try {
      changes(base, head);
      FAIL() << "expected an error";
    } catch (const svcdiff::Error& error) {
      const std::string what = error.what();
      EXPECT_NE(what.find(bad + " is corrupt"), std::string::npos) << what;
      EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
    }
  }
}

TEST_F(ChangesTest, ModesAreComparedAsGitNormalizesThem) {
  // Old trees may hold 100664 (a group-writable file) or 100775: git and
  // libgit2 read them as 100644 and 100755, so the same blob is no change.
  repo.write("a.txt", "a\n");
  const auto first = repo.commit("base");
  const std::string blob = raw_id(trim_newline(repo.git("rev-parse", first + ":a.txt")));
  const auto tree_with = [&](const std::string& mode) {
    return write_raw_tree(repo, mode + " a.txt" + std::string(1, '\0') + blob);
  };
  const std::string c644 = commit_of(repo, tree_with("100644"));
  const std::string c664 = commit_of(repo, tree_with("100664"));
  const std::string c755 = commit_of(repo, tree_with("100755"));
  const std::string c775 = commit_of(repo, tree_with("100775"));
  EXPECT_TRUE(changes(c644, c664).empty());
  EXPECT_TRUE(changes(c755, c775).empty());
  EXPECT_EQ(changes(c664, c775), (std::vector<ChangedPath>{modified("a.txt")}));
  EXPECT_EQ(trim_newline(repo.git("diff", "--name-only", c644, c664)), "");
  EXPECT_EQ(trim_newline(repo.git("diff", "--name-only", c664, c775)), "a.txt");
}

}  // namespace

// Limits `dir` to `limit` counted paths; paths ending in ".md" do not count.
class DirectoryLimit final : public svcdiff::repo::WalkLimit {
 public:
  DirectoryLimit(std::string dir, std::size_t limit) : dir_(std::move(dir)), limit_(limit) {}
  std::size_t limit_below(std::string_view dir) override {
    asked.emplace_back(dir);
    return dir == dir_ ? limit_ : 0;
  }
  bool counts(std::string_view path, bool /*is_dir*/) const override {
    return !path.ends_with(".md");
  }
  void left_out_in(std::string_view dir) override { stopped_in.emplace_back(dir); }
  std::vector<std::string> asked;
  std::vector<std::string> stopped_in;  // what the walk said it left changes out of

 private:
  std::string dir_;
  std::size_t limit_;
};

TEST_F(ChangesTest, ALimitedDirectoryReportsItsFirstPathsInOrder) {
  repo.write("s/keep.txt", "k\n");
  const auto base = repo.commit("base");
  for (const char* file : {"s/a.md", "s/b/c.txt", "s/b/d.txt", "s/e.txt", "s/f.txt", "t/g.txt"}) {
    repo.write(file, "x\n");
  }
  const auto head = repo.commit("head");
  DirectoryLimit limit("s", 2);
  bool left_out = false;
  auto found = open().changes(base, head, &limit, &left_out);
  // The .md file does not count; s/e.txt and s/f.txt are left out; t/ is not limited.
  EXPECT_EQ(found, (std::vector<ChangedPath>{added("s/a.md"), added("s/b/c.txt"),
                                             added("s/b/d.txt"), added("t/g.txt")}));
  EXPECT_TRUE(left_out);
  // Nothing is asked inside a limited directory.
  EXPECT_EQ(limit.asked, (std::vector<std::string>{"s", "t"}));
  // The walk names where it stopped early: `changed` asks the base about a
  // deleted `require` file there only.
  EXPECT_EQ(limit.stopped_in, std::vector<std::string>{"s"});
}

TEST_F(ChangesTest, ALimitedDirectoryStoppedInsideASubtreeIsNamedOnce) {
  repo.write("a/s/keep.txt", "k\n");
  const auto base = repo.commit("base");
  for (const char* file : {"a/s/b/c.txt", "a/s/b/d/e.txt", "a/s/f.txt", "a/t.txt"}) {
    repo.write(file, "x\n");
  }
  const auto head = repo.commit("head");
  DirectoryLimit limit("a/s", 1);
  bool left_out = false;
  EXPECT_EQ(open().changes(base, head, &limit, &left_out),
            (std::vector<ChangedPath>{added("a/s/b/c.txt"), added("a/t.txt")}));
  EXPECT_TRUE(left_out);
  // Named as the limited directory, not the subtree the walk was in.
  EXPECT_EQ(limit.stopped_in, std::vector<std::string>{"a/s"});
}

TEST_F(ChangesTest, ALimitNotReachedLeavesNothingOut) {
  repo.write("s/keep.txt", "k\n");
  const auto base = repo.commit("base");
  repo.write("s/a.txt", "x\n");
  repo.write("s/b.md", "x\n");
  const auto head = repo.commit("head");
  DirectoryLimit limit("s", 2);  // s/b.md does not count
  bool left_out = true;
  EXPECT_EQ(open().changes(base, head, &limit, &left_out),
            (std::vector<ChangedPath>{added("s/a.txt"), added("s/b.md")}));
  EXPECT_FALSE(left_out);
  EXPECT_TRUE(limit.stopped_in.empty());
}

TEST_F(ChangesTest, ADirectoryGoneAtHeadIsNeverLimited) {
  repo.write("s/a.txt", "a\n");
  repo.write("s/b.txt", "b\n");
  repo.write("t.txt", "t\n");
  const auto base = repo.commit("base");
  repo.remove("s");
  const auto head = repo.commit("head");
  DirectoryLimit limit("s", 1);
  bool left_out = true;
  EXPECT_EQ(open().changes(base, head, &limit, &left_out),
            (std::vector<ChangedPath>{deleted("s/a.txt"), deleted("s/b.txt")}));
  EXPECT_FALSE(left_out);
  EXPECT_TRUE(limit.asked.empty());
}

// Enters only the directories it is given (and those above them).
class EntersOnly final : public svcdiff::repo::WalkLimit {
 public:
  explicit EntersOnly(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}
  std::size_t limit_below(std::string_view /*dir*/) override { return 0; }
  bool counts(std::string_view /*path*/, bool /*is_dir*/) const override { return true; }
  bool enters(std::string_view dir) override {
    asked.emplace_back(dir);
    return std::find(dirs_.begin(), dirs_.end(), dir) != dirs_.end();
  }
  std::vector<std::string> asked;

 private:
  std::vector<std::string> dirs_;
};

TEST_F(ChangesTest, ADirectoryNotEnteredReportsNothingOnEitherSide) {
  repo.write("s/x/old.txt", "o\n");
  repo.write("s/y/keep.txt", "k\n");
  repo.write("gone/a.txt", "a\n");
  const auto base = repo.commit("base");
  repo.write("s/x/new.txt", "n\n");    // s/x is entered
  repo.write("s/y/keep.txt", "k2\n");  // s/y is not
  repo.write("s/top.txt", "t\n");
  repo.write("came/b.txt", "b\n");  // added tree, not entered
  repo.remove("gone");              // deleted tree, not entered
  repo.write("file.txt", "f\n");
  const auto head = repo.commit("head");
  EntersOnly reach({"s", "s/x"});
  bool left_out = true;
  EXPECT_EQ(
      open().changes(base, head, &reach, &left_out),
      (std::vector<ChangedPath>{added("file.txt"), added("s/top.txt"), added("s/x/new.txt")}));
  EXPECT_FALSE(left_out);
  std::sort(reach.asked.begin(), reach.asked.end());
  EXPECT_EQ(reach.asked, (std::vector<std::string>{"came", "gone", "s", "s/x", "s/y"}));
}

// Enters every directory added or deleted whole, and of those on both sides
// only the ones listed.
class EntersWholeOnly final : public svcdiff::repo::WalkLimit {
 public:
  explicit EntersWholeOnly(std::vector<std::string> changed) : changed_(std::move(changed)) {}
  std::size_t limit_below(std::string_view /*dir*/) override { return 0; }
  bool counts(std::string_view /*path*/, bool /*is_dir*/) const override { return true; }
  bool enters_changed(std::string_view dir) override {
    asked_changed.emplace_back(dir);
    return std::find(changed_.begin(), changed_.end(), dir) != changed_.end();
  }
  std::vector<std::string> asked_changed;

 private:
  std::vector<std::string> changed_;
};

TEST_F(ChangesTest, ADirectoryOnBothSidesIsAskedApartFromOneAddedOrDeletedWhole) {
  repo.write("s/kept/a.txt", "a\n");
  repo.write("s/gone/b.txt", "b\n");
  const auto base = repo.commit("base");
  repo.write("s/kept/a.txt", "a2\n");  // on both sides: declined
  repo.remove("s/gone");               // deleted whole: entered
  repo.write("s/came/c.txt", "c\n");   // added whole: entered
  const auto head = repo.commit("head");
  EntersWholeOnly reach({"s"});
  EXPECT_EQ(open().changes(base, head, &reach),
            (std::vector<ChangedPath>{added("s/came/c.txt"), deleted("s/gone/b.txt")}));
  EXPECT_EQ(reach.asked_changed, (std::vector<std::string>{"s", "s/kept"}));
}

// Watches every directory; records what the walk reports, as "dir:bits".
class RecordingWatch final : public svcdiff::repo::HeadFileWatch {
 public:
  RecordingWatch() : HeadFileWatch({"buildspec.yml", "package.json"}) {}
  bool watches(std::string_view dir) override {
    asked.emplace_back(dir);
    return true;
  }
  void read_whole(std::string_view dir, std::uint64_t held) override {
    seen.push_back(std::string(dir) + ":" + std::to_string(held));
  }
  std::vector<std::string> asked;
  std::vector<std::string> seen;
};

// The walk reports which watched names each directory it entered holds at
// head: after a stop too (s, limited to one path, stops at s/b.txt before
// s/buildspec.yml), none for one deleted whole (gone), and nothing for one
// it never entered (same, equal on both sides). A directory of that name
// (t/buildspec.yml/) is no file.
TEST_F(ChangesTest, AWatchLearnsWhatEachDirectoryEnteredHoldsAtHead) {
  repo.write("s/buildspec.yml", "b\n");
  repo.write("s/package.json", "{}\n");
  repo.write("same/buildspec.yml", "b\n");
  repo.write("gone/buildspec.yml", "b\n");
  repo.write("t/buildspec.yml/x", "x\n");
  const auto base = repo.commit("base");
  repo.write("s/a.txt", "a\n");
  repo.write("s/b.txt", "b\n");
  repo.remove("gone");
  repo.write("t/buildspec.yml/x", "y\n");
  const auto head = repo.commit("head");
  DirectoryLimit limit("s", 1);
  RecordingWatch watch;
  bool left_out = false;
  EXPECT_EQ(open().changes(base, head, &limit, &left_out, &watch),
            (std::vector<ChangedPath>{deleted("gone/buildspec.yml"), added("s/a.txt"),
                                      modified("t/buildspec.yml/x")}));
  EXPECT_TRUE(left_out);
  EXPECT_EQ(watch.asked, (std::vector<std::string>{"gone", "s", "t", "t/buildspec.yml"}));
  EXPECT_EQ(watch.seen, (std::vector<std::string>{"gone:0", "s:3", "t/buildspec.yml:0", "t:0"}));
}
