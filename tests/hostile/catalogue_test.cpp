// The catalogue of hostile and broken inputs (tests/testdata/hostile/*.case):
// each case builds a small repository, runs the real binary and checks the
// exit status, a one-line message and that the previous output file is
// byte-for-byte what it was. The case format is described in
// tests/testdata/hostile/README.md.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;

const char* const kPreviousOutput = "{\"services\":[\"previous\"]}\n";

struct HostileCase {
  std::string name;
  std::vector<std::string> args{"changed", "-q", "--base", "HEAD~1", "-o", "ABC.json"};
  std::map<std::string, std::string> env;
  std::optional<std::string> stdin_text;
  int exit = -1;
  std::string message;          // a fragment of the one stderr line
  std::string stdout_contains;  // a fragment of standard output (validate's problems)
  std::string output_contains;  // for exit 0: a fragment of the new output
  std::string output = "ABC.json";
  std::string timeout;  // seconds: a run that blocks (a FIFO opened) fails rather than hangs
  std::vector<std::string> absent;                         // paths that must not exist after
  std::vector<std::vector<std::string>> setup;             // steps after the commits
  std::vector<std::pair<std::string, std::string>> files;  // "=== commit" is a commit marker
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `\xNN` becomes the byte NN and `\s` a space; anything else stays as written.
std::string decode_escapes(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
        hex_value(text[i + 2]) >= 0 && hex_value(text[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 2]) * 16 + hex_value(text[i + 3]));
      i += 3;
    } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 's') {
      out += ' ';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// `@{N*TEXT}` becomes TEXT repeated N times (TEXT holds no '}').
std::string expand_repeats(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = text.find("@{", pos);
    if (start == std::string::npos) break;
    const std::size_t star = text.find('*', start);
    const std::size_t end = text.find('}', star == std::string::npos ? start : star);
    if (star == std::string::npos || end == std::string::npos) break;
    out.append(text, pos, start - pos);
    const std::size_t count = std::stoul(text.substr(start + 2, star - start - 2));
    const std::string unit = text.substr(star + 1, end - star - 1);
    for (std::size_t i = 0; i < count; ++i) out += unit;
    pos = end + 1;
  }
  out.append(text, pos);
  return out;
}

std::string expand(const std::string& text) { return decode_escapes(expand_repeats(text)); }

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(expand(word));
  return words;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// File content: lines up to the next `---` or `===` line. `@repeat N` ...
// `@end` repeats the lines between with `{i}` replaced by 0..N-1.
std::string read_content(const std::vector<std::string>& lines, std::size_t& i) {
  std::string content;
  while (i < lines.size() && lines[i].rfind("--- ", 0) != 0 && lines[i].rfind("===", 0) != 0) {
    const std::string& line = lines[i++];
    if (line.rfind("@repeat ", 0) == 0) {
      const std::size_t count = std::stoul(line.substr(8));
      std::vector<std::string> body;
      while (i < lines.size() && lines[i] != "@end") body.push_back(lines[i++]);
      ++i;  // @end
      for (std::size_t n = 0; n < count; ++n) {
        for (std::string copy : body) {
          replace_all(copy, "{i}", std::to_string(n));
          content += expand(copy) + "\n";
        }
      }
    } else {
      content += expand(line) + "\n";
    }
  }
  return content;
}

HostileCase parse_case(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  HostileCase c;
  c.name = file.stem().string();
  std::size_t i = 0;
  for (; i < lines.size() && lines[i].rfind("--- ", 0) != 0 && lines[i].rfind("===", 0) != 0; ++i) {
    const std::string& line = lines[i];
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) throw std::runtime_error(file.string() + ": bad line " + line);
    const std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (key == "args") {
      c.args = split_words(value);
    } else if (key == "env") {
      const std::size_t eq = value.find('=');
      c.env[value.substr(0, eq)] = expand(value.substr(eq + 1));
    } else if (key == "stdin") {
      c.stdin_text = expand(value);
    } else if (key == "exit") {
      c.exit = std::stoi(value);
    } else if (key == "message") {
      c.message = expand(value);
    } else if (key == "stdout") {
      c.stdout_contains = expand(value);
    } else if (key == "output-contains") {
      c.output_contains = value;
    } else if (key == "output") {
      c.output = value;
    } else if (key == "absent") {
      c.absent.push_back(value);
    } else if (key == "timeout") {
      c.timeout = value;
    } else if (key == "setup") {
      c.setup.push_back(split_words(value));
    } else {
      throw std::runtime_error(file.string() + ": unknown key " + key);
    }
  }
  while (i < lines.size()) {
    if (lines[i].rfind("===", 0) == 0) {
      c.files.emplace_back("===", "");
      ++i;
      continue;
    }
    const std::string path = expand(lines[i].substr(4));
    ++i;
    c.files.emplace_back(path, read_content(lines, i));
  }
  if (c.exit < 0 || (c.exit != 0 && c.message.empty()) ||
      (c.exit == 0 && c.output_contains.empty())) {
    throw std::runtime_error(file.string() + ": needs exit and message (or output-contains)");
  }
  return c;
}

fs::path catalogue_dir() { return fs::path(source_dir()) / "tests/testdata/hostile"; }

// The case files by name. Each test parses its own: registering the tests
// parsed every case (some expand to megabytes) in each of the suite's
// processes, 1.4 s apiece under the sanitizers, for every test ctest runs.
std::vector<std::string> catalogue_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(catalogue_dir())) {
    if (entry.path().extension() == ".case") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The single pack file of the repository, after `git repack`.
fs::path only_pack(const TempRepo& repo) {
  for (const auto& entry : fs::directory_iterator(repo.at(".git/objects/pack"))) {
    if (entry.path().extension() == ".pack") return entry.path();
  }
  throw std::runtime_error("no pack file; run `git repack -a -d` first");
}

void run_setup_step(const TempRepo& repo, const std::vector<std::string>& step) {
  const std::string& verb = step.at(0);
  if (verb == "git") {
    repo.git(std::vector<std::string>(step.begin() + 1, step.end()));
  } else if (verb == "remove-object") {
    // The loose object a revision names (e.g. `HEAD^{tree}`, `HEAD~1`).
    const std::string id = trim_newline(repo.git("rev-parse", step.at(1)));
    fs::remove(repo.at(".git/objects/" + id.substr(0, 2) + "/" + id.substr(2)));
  } else if (verb == "truncate-pack") {
    const fs::path pack = only_pack(repo);
    fs::resize_file(pack, fs::file_size(pack) / 2);
  } else if (verb == "symlink") {
    repo.symlink(step.at(1), step.at(2));
  } else if (verb == "chown") {
    // `chown UID PATH`: the repository-owner check (SPEC --trust-repo-owner).
    const std::string path = step.at(2) == "." ? repo.path() : repo.at(step.at(2));
    const auto uid = static_cast<uid_t>(std::stoul(step.at(1)));
    if (::chown(path.c_str(), uid, static_cast<gid_t>(-1)) != 0) {
      throw std::runtime_error("cannot chown " + path + " (the catalogue runs as root in CI)");
    }
  } else if (verb == "mkdir") {
    fs::create_directories(repo.at(step.at(1)));
  } else if (verb == "remove") {
    repo.remove(step.at(1));
  } else if (verb == "mkfifo") {
    repo.remove(step.at(1));
    if (::mkfifo(repo.at(step.at(1)).c_str(), 0644) != 0) {
      throw std::runtime_error("cannot mkfifo " + step.at(1));
    }
  } else {
    throw std::runtime_error("unknown setup step " + verb);
  }
}

// Builds the repository of a case: two sample services committed as the base,
// then the case's files (and a change to services/api) committed as head.
void build_repository(const TempRepo& repo, const HostileCase& c) {
  add_services(repo, {"api", "web"});
  repo.write("services/api/app.py", "print('changed')\n");
  for (const auto& [path, content] : c.files) {
    if (path == "===") {
      repo.commit("step");
    } else {
      repo.write(path, content);
    }
  }
  repo.commit("head");
  for (const auto& step : c.setup) run_setup_step(repo, step);
}

// What a path holds when it is (or links to) a regular file, else "".
std::string file_content(const std::string& path) {
  return fs::is_regular_file(path) ? read_file(path) : std::string();
}

std::vector<std::string> temporaries_beside(const std::string& output) {
  std::vector<std::string> found;
  const fs::path dir = fs::path(output).parent_path();
  if (!fs::is_directory(dir)) return found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".svcdiff-") != std::string::npos) found.push_back(name);
  }
  return found;
}

class Catalogue : public ::testing::TestWithParam<std::string> {};

TEST_P(Catalogue, FailsCleanly) {
  const HostileCase c = parse_case(GetParam());
  TempRepo repo;
  build_repository(repo, c);
  const std::string output = repo.at(c.output);
  // The previous artifact, unless the case put something else at that path.
  if (!fs::exists(fs::symlink_status(output)) && fs::is_directory(fs::path(output).parent_path())) {
    std::ofstream(output, std::ios::binary) << kPreviousOutput;
  }
  const std::string before = file_content(output);
  const bool was_link = fs::is_symlink(fs::symlink_status(output));

  std::vector<std::string> args = c.args;
  if (!c.timeout.empty()) {
    args.insert(args.begin(), {"timeout", "-k", "5", c.timeout, svcdiff_binary()});
  } else {
    args.insert(args.begin(), svcdiff_binary());
  }
  const CommandResult result =
      run_command(args, repo.path(), svcdiff_environment(c.env), c.stdin_text);

  EXPECT_EQ(result.status, c.exit) << result.err;
  EXPECT_TRUE(temporaries_beside(output).empty()) << "a temporary file was left behind";
  for (const auto& path : c.absent) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(repo.at(path)))) << path << " was created";
  }
  if (c.exit == 0) {
    EXPECT_EQ(result.err, "");
    const std::string written = c.output == "-" ? result.out : file_content(output);
    EXPECT_NE(written.find(c.output_contains), std::string::npos) << written.substr(0, 400);
    return;
  }
  // One line: the message, a newline, nothing else.
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_TRUE(!result.err.empty() && result.err.back() == '\n') << result.err;
  EXPECT_NE(result.err.find(c.message), std::string::npos)
      << "expected `" << c.message << "` in: " << result.err;
  EXPECT_NE(result.out.find(c.stdout_contains), std::string::npos)
      << "expected `" << c.stdout_contains << "` on stdout: " << result.out;
  EXPECT_EQ(file_content(output), before) << "the previous output changed";
  EXPECT_EQ(fs::is_symlink(fs::symlink_status(output)), was_link);
}

INSTANTIATE_TEST_SUITE_P(Hostile, Catalogue, ::testing::ValuesIn(catalogue_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& ch : name) {
                             if (std::isalnum(static_cast<unsigned char>(ch)) == 0) ch = '_';
                           }
                           return name;
                         });

// Every case parses (a malformed one fails here too, not only in its own test).
TEST(Catalogue, HoldsAtLeastFortyCases) {
  const std::vector<std::string> files = catalogue_files();
  EXPECT_GE(files.size(), 40U);
  for (const auto& file : files) EXPECT_NO_THROW(parse_case(file)) << file;
}

}  // namespace
}  // namespace svcdiff::testing
