#include "support/temp_repo.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>

extern char** environ;

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Closes a file descriptor once; -1 means already closed.
class Fd {
 public:
  Fd() = default;
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

void open_pipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail_errno("pipe2");
  pipe.read.reset(fds[0]);
  pipe.write.reset(fds[1]);
}

std::string join_command(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  return text;
}

// The environment of the child: ours with `extra` laid over it.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (extra.count(name) == 0) env.push_back(text);
  }
  for (const auto& [name, value] : extra) {
    std::string entry = name;
    entry += '=';
    entry += value;
    env.push_back(std::move(entry));
  }
  return env;
}

void set_env(const std::string& name, const std::optional<std::string>& value) {
  if (value) {
    ::setenv(name.c_str(), value->c_str(), 1);
  } else {
    ::unsetenv(name.c_str());
  }
}

std::optional<std::string> get_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

void write_bytes(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

// Variables that would point git somewhere else or change what svcdiff
// chooses (in a CodeBuild job, say): unset while a TempRepo lives.
bool is_leaking_variable(const std::string& name) {
  static const char* const kPrefixes[] = {"GIT_", "CODEBUILD_", "SVCDIFF_"};
  for (const char* prefix : kPrefixes) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return name == "XDG_CONFIG_HOME";
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::map<std::string, std::string>& extra_env,
                          const std::optional<std::string>& stdin_text) {
  if (argv.empty()) throw std::invalid_argument("run_command: empty argv");
  // A child that stops reading its stdin must not kill the test with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  Pipe in;
  Pipe out;
  Pipe err;
  open_pipe(in);
  open_pipe(out);
  open_pipe(err);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);  // ignored here, default in the child
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::vector<std::string> env_strings = child_environment(extra_env);
  std::vector<char*> env;
  env.reserve(env_strings.size() + 1);
  for (const auto& entry : env_strings) env.push_back(const_cast<char*>(entry.c_str()));
  env.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_rc =
      ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_rc != 0) {
    errno = spawn_rc;
    fail_errno("cannot run `" + join_command(argv) + "` in " + cwd);
  }
  in.read.reset();
  out.write.reset();
  err.write.reset();

  const std::string input = stdin_text.value_or("");
  size_t written = 0;
  if (input.empty()) {
    in.write.reset();
  } else {
    ::fcntl(in.write.get(), F_SETFL, ::fcntl(in.write.get(), F_GETFL) | O_NONBLOCK);
  }

  CommandResult result;
  char buffer[65536];
  while (out.read.get() >= 0 || err.read.get() >= 0 || in.write.get() >= 0) {
    pollfd fds[3] = {
        {out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}, {in.write.get(), POLLOUT, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      fail_errno("poll");
    }
    const auto drain = [&buffer](const pollfd& fd, Fd& owner, std::string& sink) {
      if (owner.get() < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
      const ssize_t n = ::read(owner.get(), buffer, sizeof buffer);
      if (n > 0) {
        sink.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        owner.reset();
      }
    };
    drain(fds[0], out.read, result.out);
    drain(fds[1], err.read, result.err);
    if (in.write.get() >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n = ::write(in.write.get(), input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input.size()) {
        in.write.reset();  // done, or the child closed its stdin
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
  }
  if (WIFEXITED(status)) {
    result.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.status = 128 + WTERMSIG(status);
  }
  return result;
}

std::string run_git(const std::string& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult result = run_command(argv, cwd);
  if (result.status != 0) {
    throw std::runtime_error("`" + join_command(argv) + "` in " + cwd + " exited with " +
                             std::to_string(result.status) + ": " + result.err);
  }
  return std::move(result.out);
}

std::string trim_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

TempRepo::TempRepo(Options options) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern =
      (tmpdir != nullptr && *tmpdir != '\0' ? std::string(tmpdir) : std::string("/tmp")) +
      "/svcdiff-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) fail_errno("mkdtemp " + pattern);
  root_ = fs::canonical(pattern).string();
  path_ = root_ + "/repo";
  const std::string home = root_ + "/home";
  fs::create_directories(home);
  fs::create_directories(path_);
  write_bytes(home + "/.gitconfig",
              "[init]\n\tdefaultBranch = main\n"
              "[protocol \"file\"]\n\tallow = always\n"
              "[advice]\n\tdetachedHead = false\n");

  std::vector<std::pair<std::string, std::optional<std::string>>> wanted = {
      {"HOME", home},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_AUTHOR_NAME", "svcdiff test"},
      {"GIT_AUTHOR_EMAIL", "test@svcdiff.invalid"},
      {"GIT_COMMITTER_NAME", "svcdiff test"},
      {"GIT_COMMITTER_EMAIL", "test@svcdiff.invalid"},
  };
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    bool listed = false;
    for (const auto& [wanted_name, value] : wanted) listed = listed || wanted_name == name;
    if (!listed && is_leaking_variable(name)) wanted.emplace_back(name, std::nullopt);
  }
  for (const auto& [name, value] : wanted) {
    saved_env_.emplace_back(name, get_env(name));
    set_env(name, value);
  }

  if (options.init) git("init", "-q");
}

TempRepo::~TempRepo() {
  for (auto it = saved_env_.rbegin(); it != saved_env_.rend(); ++it) set_env(it->first, it->second);
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

void TempRepo::write(const std::string& relative, const std::string& content) const {
  const fs::path file = fs::path(path_) / relative;
  fs::create_directories(file.parent_path());
  if (fs::is_symlink(fs::symlink_status(file))) fs::remove(file);
  write_bytes(file, content);
}

void TempRepo::remove(const std::string& relative) const {
  fs::remove_all(fs::path(path_) / relative);
}

void TempRepo::symlink(const std::string& target, const std::string& relative) const {
  const fs::path link = fs::path(path_) / relative;
  fs::create_directories(link.parent_path());
  fs::remove_all(link);
  fs::create_symlink(target, link);
}

void TempRepo::set_executable(const std::string& relative, bool executable) const {
  constexpr auto kExec = fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  fs::permissions(fs::path(path_) / relative, kExec,
                  executable ? fs::perm_options::add : fs::perm_options::remove);
}

std::string TempRepo::extract_head(const std::string& name) const {
  std::string dir = root_ + "/" + name;
  const CommandResult result = run_command(
      {"sh", "-c", "mkdir -p \"$1\" && git archive --format=tar HEAD | tar -x -C \"$1\"", "sh",
       dir},
      path_);
  if (result.status != 0) throw std::runtime_error("git archive into " + dir + ": " + result.err);
  return dir;
}

std::string TempRepo::commit(const std::string& message) const {
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "--no-verify", "-m", message);
  return rev_parse("HEAD");
}

std::string TempRepo::rev_parse(const std::string& revision) const {
  return trim_newline(git("rev-parse", "--verify", "-q", revision + "^{commit}"));
}

namespace {

// git with both dates set, so the history's dates are the test's.
void git_at(const TempRepo& repo, const std::string& date, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string stamp = date + " +0000";
  const CommandResult result =
      run_command(argv, repo.path(), {{"GIT_COMMITTER_DATE", stamp}, {"GIT_AUTHOR_DATE", stamp}});
  if (result.status != 0) {
    throw std::runtime_error("`" + join_command(argv) + "` exited with " +
                             std::to_string(result.status) + ": " + result.err);
  }
}

}  // namespace

CrissCross make_criss_cross(const TempRepo& repo, const std::string& x_file,
                            const std::string& x1_date, const std::string& main_file,
                            const std::string& m1_date) {
  repo.write(x_file, "root\n");
  repo.write(main_file, "root\n");
  repo.git("add", "-A");
  git_at(repo, "2024-01-01T00:00:00", {"commit", "-q", "-m", "root"});
  repo.git("checkout", "-q", "-b", "x");
  repo.write(x_file, "x1\n");
  repo.git("add", "-A");
  git_at(repo, x1_date, {"commit", "-q", "-m", "x1"});
  repo.git("checkout", "-q", "main");
  repo.write(main_file, "m1\n");
  repo.git("add", "-A");
  git_at(repo, m1_date, {"commit", "-q", "-m", "m1"});
  CrissCross history{repo.rev_parse("x"), repo.rev_parse("main"), "", ""};
  repo.git("checkout", "-q", "x");
  git_at(repo, "2024-02-01T00:00:00", {"merge", "-q", "--no-edit", "main"});
  repo.git("checkout", "-q", "main");
  git_at(repo, "2024-02-02T00:00:00", {"merge", "-q", "--no-edit", history.x1});
  history.x = repo.rev_parse("x");
  history.main = repo.rev_parse("main");
  return history;
}

std::string write_raw_tree(const TempRepo& repo, const std::string& content) {
  const std::string file = repo.at(".git/raw-tree");
  std::ofstream(file, std::ios::binary) << content;
  return trim_newline(repo.git("hash-object", "-t", "tree", "--literally", "-w", file));
}

std::string raw_id(const std::string& hex) {
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return raw;
}

}  // namespace svcdiff::testing
