#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/changed_path.hpp"

namespace svcdiff {

// Lets gtest print a ChangedPath (found by ADL), e.g. `{deleted "a/\377" dir}`.
inline void PrintTo(const ChangedPath& change, std::ostream* out) {
  static const char* const kKinds[] = {"added", "deleted", "modified", "type_changed"};
  *out << '{' << kKinds[static_cast<int>(change.kind)] << " \"";
  for (const unsigned char c : change.path) {
    if (c == '"' || c == '\\') {
      *out << '\\' << c;
    } else if (c >= 0x20 && c < 0x7f) {
      *out << c;
    } else {
      static const char kOctal[] = "01234567";
      *out << '\\' << kOctal[c >> 6] << kOctal[(c >> 3) & 7] << kOctal[c & 7];
    }
  }
  *out << '"' << (change.is_dir ? " dir}" : "}");
}

}  // namespace svcdiff

namespace svcdiff::testing {

// What a finished child process left behind. `status` is the exit status, or
// 128 + the signal number when a signal ended it (as a shell reports it).
struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) in `cwd` with the current environment plus
// `extra_env`, feeding `stdin_text` (or nothing: stdin is empty) and capturing
// stdout and stderr. No shell is involved, so arguments are passed as bytes.
// Throws std::runtime_error when the process cannot be started.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::map<std::string, std::string>& extra_env = {},
                          const std::optional<std::string>& stdin_text = {});

// Runs the real git CLI in `cwd`; returns its stdout. Throws std::runtime_error
// with the command and its stderr when git fails.
std::string run_git(const std::string& cwd, const std::vector<std::string>& args);

// A git repository in a fresh temporary directory, removed with everything in
// it by the destructor. While it lives, HOME points into the directory,
// XDG_CONFIG_HOME is unset, GIT_CONFIG_NOSYSTEM=1 and a fixed author and
// committer identity are set, and variables such as GIT_DIR are unset, so no
// user or system git configuration leaks into a test (the previous values
// come back in the destructor). The home holds a .gitconfig with
// init.defaultBranch=main and protocol.file.allow=always (for local
// submodules).
//
// Layout: root()/home is HOME, root()/repo is path(); other repositories a
// test needs (clones, worktrees) go beside them under root().
class TempRepo {
 public:
  struct Options {
    bool init = true;  // run `git init` in path(); false leaves an empty directory
  };

  TempRepo() : TempRepo(Options{}) {}
  explicit TempRepo(Options options);
  ~TempRepo();
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;

  // The repository (work tree) root, absolute, without a trailing '/'.
  const std::string& path() const { return path_; }
  // The temporary directory holding home/, repo/ and anything else a test adds.
  const std::string& root() const { return root_; }
  // path() + "/" + relative.
  std::string at(const std::string& relative) const { return path_ + "/" + relative; }

  // Runs git in path(); returns stdout.
  std::string git(const std::vector<std::string>& args) const { return run_git(path_, args); }
  template <typename... Args>
  std::string git(const Args&... args) const {
    return git(std::vector<std::string>{std::string(args)...});
  }

  // Writes `content` to `relative` (raw bytes allowed), creating parent
  // directories; replaces a symlink at that path rather than following it.
  void write(const std::string& relative, const std::string& content) const;
  // Removes a file, symlink or whole directory.
  void remove(const std::string& relative) const;
  // Creates the symlink `relative` -> `target` (replacing what is there).
  void symlink(const std::string& target, const std::string& relative) const;
  // Sets or clears the executable bits of a file.
  void set_executable(const std::string& relative, bool executable) const;
  // `git add -A` and `git commit --allow-empty`; returns the new commit's id.
  std::string commit(const std::string& message) const;
  // The commit id `revision` names.
  std::string rev_parse(const std::string& revision) const;
  // HEAD's `git archive` unpacked into root()/`name`: the same files with no
  // .git, as a zip source artifact holds them. Returns its path; throws when
  // git or tar fails.
  std::string extract_head(const std::string& name) const;

 private:
  std::string root_;
  std::string path_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_env_;
};

// Trims one trailing newline (git's output of a single value).
std::string trim_newline(std::string text);

// A criss-cross history: from a root commit, `x1` (on branch x, changing
// `x_file`) and `m1` (on main, changing `main_file`); then x merges main and
// main merges x1, so the tips `main` and `x` have two merge bases, x1 and
// m1. Dates are git's (`2024-01-02T00:00:00`), committer and author alike:
// git prefers the newer merge base. Leaves main checked out.
struct CrissCross {
  std::string x1, m1, x, main;
};
CrissCross make_criss_cross(const TempRepo& repo, const std::string& x_file,
                            const std::string& x1_date, const std::string& main_file,
                            const std::string& m1_date);

// Writes `content` as a tree object as given (git mktree would check it, so
// a malformed tree can be made) and returns its id.
std::string write_raw_tree(const TempRepo& repo, const std::string& content);
// The 20 bytes an object id's hex names, as a tree entry holds them.
std::string raw_id(const std::string& hex);

}  // namespace svcdiff::testing
