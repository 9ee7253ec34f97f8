// A config named with -c is read by every command, also by those that need
// none: a missing or broken file the user pointed at is never ignored.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"

namespace svcdiff::testing {
namespace {

class NamedConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"service_A"});
    repo_.write("good.yml", "version: 1\n");
    repo_.write("bad.yml", "version: 1\nignore: [docs/]\nignore: [tmp/]\n");
  }
  TempRepo repo_;
};

const std::vector<std::vector<std::string>> kCommandsThatNeedNoConfig = {
    {"asl"}, {"asl", "--style", "dynamic"}, {"schema"}, {"match", "services/", "services/a"}};

TEST_F(NamedConfigTest, AMissingFileIsAnErrorNamingIt) {
  for (auto args : kCommandsThatNeedNoConfig) {
    args.insert(args.begin(), {"-c", "nope.yml"});
    const auto result = run_svcdiff(repo_.path(), args);
    EXPECT_EQ(result.status, 1) << args[2] << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "nope.yml")) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
}

TEST_F(NamedConfigTest, ABrokenFileIsAConfigErrorAtItsLine) {
  for (auto args : kCommandsThatNeedNoConfig) {
    args.insert(args.begin(), {"-c", "bad.yml"});
    const auto result = run_svcdiff(repo_.path(), args);
    EXPECT_EQ(result.status, 3) << args[2] << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "bad.yml:3:")) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
}

TEST_F(NamedConfigTest, AGoodFileChangesNothing) {
  for (auto args : kCommandsThatNeedNoConfig) {
    const auto without = run_svcdiff(repo_.path(), args);
    args.insert(args.begin(), {"-c", "good.yml"});
    const auto with = run_svcdiff(repo_.path(), args);
    EXPECT_EQ(with.status, without.status) << args[2] << ": " << with.err;
    EXPECT_EQ(with.out, without.out) << args[2];
  }
}

}  // namespace
}  // namespace svcdiff::testing
