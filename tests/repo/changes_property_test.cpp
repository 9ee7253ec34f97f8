// Cross-checks Repository::changes against `git diff --name-status` on a
// repository built from a few hundred seeded random edits.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

namespace fs = std::filesystem;
using svcdiff::ChangedPath;
using svcdiff::ChangeKind;
using svcdiff::repo::Repository;
using svcdiff::testing::TempRepo;

// Few names, so that paths collide and files turn into directories and back;
// some sort between '/' and letters, some are not UTF-8 or hold a newline.
const std::vector<std::string> kNames = {"a", "b",      "a-b",  "a.b",      "a0",
                                         "A", "sp ace", "\xff", "\xc3\xa9", "nl\nx"};
const std::vector<std::string> kContents = {"one\n", "two\n", "three\n", "", "#!/bin/sh\n"};

class RandomEditor {
 public:
  RandomEditor(const TempRepo& repo, unsigned seed) : repo_(repo), rng_(seed) {}

  void add_file() { write_file(random_path(), random_content()); }

  void edit() {
    const std::vector<std::string> files = entries(false);
    switch (pick(24)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:
      case 6:
        write_file(random_path(), random_content());
        break;
      case 7:  // a file to a directory
        if (!files.empty()) write_file(any(files) + "/" + any(kNames), random_content());
        break;
      case 8: {  // a directory (not a top-level one: they hold too much) to a file
        std::vector<std::string> dirs = entries(true);
        std::erase_if(dirs,
                      [](const std::string& dir) { return dir.find('/') == std::string::npos; });
        if (!dirs.empty()) write_file(any(dirs), random_content());
        break;
      }
      case 9:
        if (!files.empty()) repo_.remove(any(files));
        break;
      case 10:
      case 11:
        if (!files.empty()) toggle_executable(any(files));
        break;
      case 12:
        if (!files.empty()) repo_.symlink("target" + std::to_string(pick(3)), any(files));
        break;
      case 13: {  // a move
        if (files.empty()) break;
        const std::string from = any(files);
        const std::string content = read(from);
        repo_.remove(from);
        write_file(random_path(), content);
        break;
      }
      default:  // new content, or a symlink back to a file
        if (!files.empty()) write_file(any(files), random_content());
        break;
    }
  }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T>
  const T& any(const std::vector<T>& items) {
    return items[pick(items.size())];
  }
  std::string random_content() { return any(kContents); }
  // A path for a new file; never an existing directory (the `dir -> file`
  // case replaces those, rarely, so that the tree keeps growing).
  std::string random_path() {
    std::string path = any(kNames);
    const size_t depth = pick(3);
    for (size_t i = 0; i < depth; ++i) path += "/" + any(kNames);
    while (fs::symlink_status(fs::path(repo_.path()) / path).type() == fs::file_type::directory) {
      path += "/" + any(kNames);
    }
    return path;
  }

  // Files and symlinks (or directories), sorted so that the run is repeatable.
  std::vector<std::string> entries(bool directories) const {
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(repo_.path());
         it != fs::recursive_directory_iterator(); ++it) {
      if (it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      const bool is_dir = it->symlink_status().type() == fs::file_type::directory;
      if (is_dir == directories) {
        out.push_back(fs::relative(it->path(), repo_.path()).string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Writes a regular file at `path`, replacing files, links or directories in the way.
  void write_file(const std::string& path, const std::string& content) {
    fs::path prefix = repo_.path();
    const fs::path relative(path);
    for (auto it = relative.begin(); it != relative.end(); ++it) {
      prefix /= *it;
      const auto type = fs::symlink_status(prefix).type();
      const bool last = std::next(it) == relative.end();
      if (last ? type == fs::file_type::directory
               : (type != fs::file_type::not_found && type != fs::file_type::directory)) {
        fs::remove_all(prefix);
      }
    }
    repo_.write(path, content);
  }

  void toggle_executable(const std::string& path) {
    const fs::path full = fs::path(repo_.path()) / path;
    if (fs::symlink_status(full).type() != fs::file_type::regular) return;
    const bool executable =
        (fs::status(full).permissions() & fs::perms::owner_exec) != fs::perms::none;
    repo_.set_executable(path, !executable);
  }

  std::string read(const std::string& path) const {
    const fs::path full = fs::path(repo_.path()) / path;
    if (fs::is_symlink(full)) return fs::read_symlink(full).string();
    std::ifstream in(full, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  const TempRepo& repo_;
  std::mt19937 rng_;
};

char status_letter(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return 'A';
    case ChangeKind::deleted:
      return 'D';
    case ChangeKind::modified:
      return 'M';
    case ChangeKind::type_changed:
      return 'T';
  }
  return '?';
}

// `git diff --name-status -z` output as "X path" lines, in git's order.
std::vector<std::string> git_changes(const TempRepo& repo, const std::string& base,
                                     const std::string& head) {
  const std::string out = repo.git("diff", "--name-status", "--no-renames", "-z", base, head);
  std::vector<std::string> fields;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find('\0', start);
    fields.push_back(out.substr(start, end - start));
    start = end + 1;
  }
  std::vector<std::string> lines;
  for (size_t i = 0; i + 1 < fields.size(); i += 2)
    lines.push_back(fields[i] + " " + fields[i + 1]);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> our_changes(const Repository& repository, const std::string& base,
                                     const std::string& head) {
  const std::vector<ChangedPath> changes = repository.changes(base, head);
  std::vector<std::string> lines;
  lines.reserve(changes.size());
  for (const auto& change : changes) {
    lines.push_back(std::string(1, status_letter(change.kind)) + " " + change.path);
  }
  EXPECT_TRUE(std::is_sorted(changes.begin(), changes.end(),
                             [](const auto& a, const auto& b) { return a.path < b.path; }));
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(ChangesPropertyTest, MatchesGitDiffOnRandomEdits) {
  TempRepo repo;
  RandomEditor editor(repo, 20240611);
  std::vector<std::string> commits = {repo.commit("empty")};
  for (int i = 0; i < 100; ++i) editor.add_file();
  commits.push_back(repo.commit("seed"));
  for (int round = 0; round < 12; ++round) {
    for (int i = 0; i < 30; ++i) editor.edit();
    commits.push_back(repo.commit("round " + std::to_string(round)));
  }
  auto repository = Repository::discover({repo.path()});
  ASSERT_TRUE(repository);
  size_t nonempty = 0;
  for (const auto& base : commits) {
    for (const auto& head : commits) {
      const auto expected = git_changes(repo, base, head);
      ASSERT_EQ(our_changes(*repository, base, head), expected) << base << ".." << head;
      nonempty += expected.empty() ? 0 : 1;
    }
  }
  EXPECT_GT(nonempty, commits.size() * (commits.size() - 1) / 2);
}

// Paths `git status` reports (staged, unstaged, untracked; not ignored).
std::vector<std::string> git_status_paths(const TempRepo& repo) {
  const std::string out =
      repo.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames");
  std::vector<std::string> paths;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find('\0', start);
    paths.push_back(out.substr(start + 3, end - start - 3));  // "XY path"
    start = end + 1;
  }
  // A path deleted from the index but still on disk comes twice: "D " and "??".
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

TEST(ChangesPropertyTest, WorktreeChangesMatchGitStatusOnRandomEdits) {
  TempRepo repo;
  repo.write(".gitignore", "*.log\n");
  RandomEditor editor(repo, 777);
  for (int i = 0; i < 60; ++i) editor.add_file();
  repo.commit("seed");
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 15; ++i) editor.edit();
    repo.git("add", "-A");                       // staged
    for (int i = 0; i < 15; ++i) editor.edit();  // unstaged and untracked on top
    repo.write("debug" + std::to_string(round) + ".log", "ignored\n");

    auto repository = Repository::discover({repo.path()});
    ASSERT_TRUE(repository);
    std::vector<std::string> ours;
    for (const auto& change : repository->worktree_changes(repository->resolve_commit("HEAD"))) {
      ours.push_back(change.path);
    }
    ASSERT_EQ(ours, git_status_paths(repo)) << "round " << round;
    if (round % 2 == 0) repo.commit("round " + std::to_string(round));
  }
}

}  // namespace
