// `svcdiff completion bash|zsh|fish` and the man page (`svcdiff help --man`):
// every command and option of CLI11's own table appears, each script is valid
// in its shell and completes, the man page renders, and `cmake --install`
// puts them where man and the shells look.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/command_line.hpp"
#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every command name and option name CLI11 knows, read from the parser itself
// (options in no help group are hidden and left out).
struct Table {
  std::vector<std::string> commands;
  std::vector<std::string> short_options;  // "C" for -C
  std::vector<std::string> long_options;   // "repo" for --repo
};

Table cli11_table() {
  cli::CommandLine line;
  Table table;
  auto add = [&table](const CLI::App& app) {
    for (const CLI::Option* option : app.get_options()) {
      if (option->get_group().empty()) continue;
      for (const auto& name : option->get_snames()) table.short_options.push_back(name);
      for (const auto& name : option->get_lnames()) table.long_options.push_back(name);
    }
  };
  add(line.app());
  for (const CLI::App* command : line.app().get_subcommands({})) {
    table.commands.push_back(command->get_name());
    add(*command);
  }
  return table;
}

class CompletionTest : public ::testing::Test {
 protected:
  std::string script(const std::string& shell) {
    auto result = run_svcdiff(directory_.path(), {"completion", shell});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.err, "");
    return result.out;
  }
  std::string saved(const std::string& shell) {
    std::string path = directory_.root() + "/completion." + shell;
    std::ofstream(path, std::ios::binary) << script(shell);
    return path;
  }

  TempRepo directory_{TempRepo::Options{false}};
};

TEST_F(CompletionTest, EveryScriptNamesEveryCommandAndOption) {
  const Table table = cli11_table();
  ASSERT_GE(table.commands.size(), 10u);
  ASSERT_GE(table.long_options.size(), 20u);
  for (const std::string shell : {"bash", "zsh", "fish"}) {
    SCOPED_TRACE(shell);
    const std::string text = script(shell);
    for (const auto& command : table.commands) {
      EXPECT_TRUE(contains(text, command)) << command;
    }
    for (const auto& name : table.long_options) {
      EXPECT_TRUE(contains(text, shell == "fish" ? " -l " + name + " " : "--" + name)) << name;
    }
    for (const auto& name : table.short_options) {
      EXPECT_TRUE(contains(text, shell == "fish" ? " -s " + name + " " : "-" + name)) << name;
    }
    EXPECT_FALSE(contains(text, "--man")) << "a hidden option stays hidden";
  }
}

TEST_F(CompletionTest, ScriptsAreValidInTheirShells) {
  for (const auto& [shell, check] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"bash", {"bash", "-n"}}, {"zsh", {"zsh", "-n"}}, {"fish", {"fish", "--no-execute"}}}) {
    SCOPED_TRACE(shell);
    std::vector<std::string> argv = check;
    argv.push_back(saved(shell));
    auto result = run_command(argv, directory_.path());
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.err, "");
  }
}

// What a user gets on <Tab>, asked of bash itself.
TEST_F(CompletionTest, BashCompletesCommandsOptionsAndValues) {
  const std::string path = saved("bash");
  auto complete = [&](const std::string& words) {
    const std::string program = "source '" + path + "'; COMP_WORDS=(" + words +
                                "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _svcdiff; "
                                "printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto result = run_command({"bash", "-c", program}, directory_.path());
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out;
  };
  EXPECT_EQ(complete("svcdiff chan"), "changed\n");
  EXPECT_EQ(complete("svcdiff --for"), "--format\n");  // the default command's options
  EXPECT_EQ(complete("svcdiff --color a"), "auto\nalways\n");
  EXPECT_EQ(complete("svcdiff asl --sty"), "--style\n");
  EXPECT_EQ(complete("svcdiff completion z"), "zsh\n");
  EXPECT_EQ(complete("svcdiff help val"), "validate\n");
  EXPECT_EQ(complete("svcdiff list --j"), "--json\n");
  std::ofstream(directory_.path() + "/svcdiff-config.yml") << "version: 1\n";
  EXPECT_EQ(complete("svcdiff -c svcdiff-c"), "svcdiff-config.yml\n");
}

TEST_F(CompletionTest, FishCompletesCommandsAndOptions) {
  const std::string path = saved("fish");
  auto complete = [&](const std::string& line) {
    auto result = run_command(
        {"fish", "--no-config", "-c", "source '" + path + "'; complete -C '" + line + "'"},
        directory_.path());
    EXPECT_EQ(result.status, 0) << result.err;
    return result.out;
  };
  EXPECT_TRUE(contains(complete("svcdiff chan"), "changed\tCompute the changed services"));
  EXPECT_TRUE(contains(complete("svcdiff asl --sty"), "--style\t"));
  EXPECT_TRUE(contains(complete("svcdiff completion "), "fish"));
}

TEST_F(CompletionTest, UnknownShellIsAUsageError) {
  auto result = run_svcdiff(directory_.path(), {"completion", "tcsh"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CompletionTest, ManPageRendersEveryCommandAndOption) {
  auto result = run_svcdiff(directory_.path(), {"help", "--man"});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string page = directory_.root() + "/svcdiff.1";
  std::ofstream(page, std::ios::binary) << result.out;

  // groff itself: no warnings at the strictest level.
  auto groff = run_command({"groff", "-man", "-ww", "-z", page}, directory_.path());
  EXPECT_EQ(groff.status, 0) << groff.err;
  EXPECT_EQ(groff.err, "");

  auto man = run_command({"man", "-l", page}, directory_.path(),
                         {{"MANPAGER", "cat"}, {"MANWIDTH", "100"}, {"LC_ALL", "C"}});
  ASSERT_EQ(man.status, 0) << man.err;
  const std::string& text = man.out;
  EXPECT_TRUE(contains(text, "SVCDIFF(1)")) << text;
  EXPECT_TRUE(contains(text, "which services of a monorepo changed")) << text;
  const Table table = cli11_table();
  for (const auto& command : table.commands) EXPECT_TRUE(contains(text, command)) << command;
  for (const auto& name : table.long_options) EXPECT_TRUE(contains(text, "--" + name)) << name;
  EXPECT_TRUE(contains(text, "CODEBUILD_WEBHOOK_PREV_COMMIT")) << text;
  EXPECT_TRUE(contains(text, "EXIT STATUS")) << text;
}

// The build wrote them (target svcdiff_docs); `cmake --install` places them.
TEST_F(CompletionTest, CmakeInstallPutsThemWhereManAndTheShellsLook) {
  const std::string build = fs::path(svcdiff_binary()).parent_path().string();
  const std::string prefix = directory_.root() + "/prefix";
  auto result = run_command(
      {"cmake", "--install", build, "--prefix", prefix, "--component", "docs"}, directory_.path());
  ASSERT_EQ(result.status, 0) << result.err;
  auto man = run_svcdiff(directory_.path(), {"help", "--man"});
  EXPECT_EQ(read_file(prefix + "/share/man/man1/svcdiff.1"), man.out);
  EXPECT_EQ(read_file(prefix + "/share/bash-completion/completions/svcdiff"), script("bash"));
  EXPECT_EQ(read_file(prefix + "/share/zsh/site-functions/_svcdiff"), script("zsh"));
  EXPECT_EQ(read_file(prefix + "/share/fish/vendor_completions.d/svcdiff.fish"), script("fish"));
}

}  // namespace
}  // namespace svcdiff::testing
