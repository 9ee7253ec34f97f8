// `svcdiff asl --ledger` from the binary (SPEC §8): the option reaches the
// definition, and a wrong value or style is a usage error in one line that
// says what to give. tests/e2e/pipeline_e2e_test.cpp runs the definitions.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

class AslLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { add_services(repo_, {"api"}); }
  CommandResult svcdiff(std::vector<std::string> args) {
    return run_svcdiff(repo_.path(), std::move(args));
  }
  TempRepo repo_;
};

TEST_F(AslLedgerTest, NamesTheTableInBothMapModes) {
  for (const char* map : {"inline", "distributed"}) {
    const CommandResult result =
        svcdiff({"asl", "--ledger", "dynamodb:svcdiff-ledger", "--map", map, "--compact"});
    ASSERT_EQ(result.status, 0) << result.err;
    const json processor =
        json::parse(result.out).at("States").at("BuildWave").at("ItemProcessor").at("States");
    EXPECT_EQ(processor.at("LookUpLedger").at("Parameters").at("TableName"), "svcdiff-ledger")
        << map;
    EXPECT_EQ(processor.at("RecordBuild").at("Parameters").at("TableName"), "svcdiff-ledger")
        << map;
  }
  // Without --ledger, no DynamoDB at all.
  const CommandResult plain = svcdiff({"asl"});
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_FALSE(contains(plain.out, "dynamodb")) << plain.out;
}

// A template that creates the table hands its name over through
// DefinitionSubstitutions: the placeholder is written where the name goes.
TEST_F(AslLedgerTest, APlaceholderTableIsWrittenForDefinitionSubstitutions) {
  const CommandResult result = svcdiff({"asl", "--ledger", "dynamodb:${LedgerTable}"});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string text = result.out;
  std::size_t count = 0;
  for (std::size_t at = text.find("\"TableName\": \"${LedgerTable}\""); at != std::string::npos;
       at = text.find("\"TableName\": \"${LedgerTable}\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u) << text;  // the lookup and the record
}

TEST_F(AslLedgerTest, AnotherStoreABadTableOrTheChoiceStyleIsAUsageError) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"asl", "--ledger", "svcdiff-ledger"},
       "--ledger must be `dynamodb:TABLE` (a DynamoDB table), not `svcdiff-ledger`"},
      {{"asl", "--ledger", "dynamodb:no spaces"}, "`no spaces` is not a DynamoDB table name"},
      {{"asl", "--ledger", "dynamodb:${}"}, "`${}` is not a DynamoDB table name"},
      {{"asl", "--ledger", "dynamodb:${a-b}"}, "`${a-b}` is not a DynamoDB table name"},
      {{"asl", "--style", "choice", "--ledger", "dynamodb:svcdiff-ledger"},
       "--ledger needs --style dynamic"},
  };
  for (const auto& [args, message] : cases) {
    const CommandResult result = svcdiff(args);
    EXPECT_EQ(result.status, 2) << args.back();
    EXPECT_TRUE(contains(result.err, message)) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
}

}  // namespace
}  // namespace svcdiff::testing
