#include "cli/command_line.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace svcdiff::cli {
namespace {

// argv as main() gets it.
struct Argv {
  explicit Argv(std::vector<std::string> words) : words_(std::move(words)) {
    words_.insert(words_.begin(), "svcdiff");
    for (auto& word : words_) pointers_.push_back(word.data());
  }
  int argc() const { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> words_;
  std::vector<char*> pointers_;
};

// The scan that finds the command asks the options added so far first: it
// is exact only while a name takes a value in every command that has it, or
// in none.
TEST(CommandLine, AnOptionNameTakesAValueInEveryCommandOrInNone) {
  CommandLine line;
  const CLI::App& app = line.app();
  std::vector<const CLI::App*> apps{&app};
  for (const CLI::App* command : app.get_subcommands({})) apps.push_back(command);
  std::map<std::string, std::set<bool>> takes_value;
  for (const CLI::App* each : apps) {
    for (const CLI::Option* option : each->get_options()) {
      if (!option->nonpositional()) continue;
      const bool value = option->get_items_expected_min() > 0;
      for (const auto& name : option->get_snames()) takes_value["-" + name].insert(value);
      for (const auto& name : option->get_lnames()) takes_value["--" + name].insert(value);
      for (const auto& name : option->get_fnames()) takes_value["--" + name].insert(value);
    }
  }
  ASSERT_GT(takes_value.size(), 40u);
  for (const auto& [name, values] : takes_value) EXPECT_EQ(values.size(), 1u) << name;
}

TEST(CommandLine, ParsesTheOptionsOfTheCommandItRuns) {
  CommandLine line;
  Argv argv({"--base", "HEAD~1", "-q", "-o", "-"});
  ASSERT_TRUE(line.parse(argv.argc(), argv.argv()));
  EXPECT_EQ(line.command(), "changed");
  EXPECT_EQ(line.changed.base, "HEAD~1");
  EXPECT_EQ(line.changed.output, "-");
  EXPECT_TRUE(line.global.quiet);

  CommandLine explain;
  Argv words({"explain", "--base", "main", "web", "api"});
  ASSERT_TRUE(explain.parse(words.argc(), words.argv()));
  EXPECT_EQ(explain.command(), "explain");
  EXPECT_EQ(explain.inspect.names, (std::vector<std::string>{"web", "api"}));
}

// A run adds only the options its words need; what shows the whole table
// (help, the completion scripts and the man page) still shows all of it.
TEST(CommandLine, HelpAndTheTableShowEveryCommandsOptionsAfterAParse) {
  CommandLine line;
  Argv argv({"--base", "HEAD~1"});
  ASSERT_TRUE(line.parse(argv.argc(), argv.argv()));
  EXPECT_NE(line.help("asl").find("--build-state"), std::string::npos);
  const output::CommandTable table = line.table();
  std::size_t options = 0;
  for (const auto& command : table.commands) options += command.options.size();
  CommandLine full;
  std::size_t all = 0;
  for (const auto& command : full.table().commands) all += command.options.size();
  EXPECT_EQ(options, all);
  EXPECT_GT(all, 30u);
}

// An option of another command, given before the command, is still known
// (CLI11 then says it is not expected there, as without lazy options).
TEST(CommandLine, KnowsAnOptionOfACommandArgvDoesNotName) {
  CommandLine line;
  Argv argv({"list", "--style", "x"});
  try {
    line.parse(argv.argc(), argv.argv());
    FAIL() << "parsed";
  } catch (const std::exception& error) {
    EXPECT_EQ(std::string(error.what()).find("unknown option"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace svcdiff::cli
