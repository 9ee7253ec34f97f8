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

// A config the user names may be a pipe (`-c <(make-config)`, `-c
// /dev/stdin`): read as any reader of one reads it. Only the svcdiff.yml
// svcdiff finds itself must be a regular file (the hostile catalogue's
// config-fifo: a FIFO there blocked the run).
TEST_F(NamedConfigTest, APipeNamedWithCIsRead) {
  const std::string config = "version: 1\nservices:\n  service_A: {paths: [\"services/\"]}\n";
  repo_.write("piped.yml", config);
  const auto from_file = run_svcdiff(repo_.path(), {"-c", "piped.yml", "list", "--json"});
  ASSERT_EQ(from_file.status, 0) << from_file.err;
  const auto from_pipe =
      run_svcdiff(repo_.path(), {"-c", "/dev/stdin", "list", "--json"}, {}, config);
  EXPECT_EQ(from_pipe.status, 0) << from_pipe.err;
  EXPECT_EQ(from_pipe.out, from_file.out);
  // And for a command that needs no config, which still reads it.
  const auto broken = run_svcdiff(repo_.path(), {"-c", "/dev/stdin", "schema"}, {},
                                  std::string("version: 1\nignore: [a]\nignore: [b]\n"));
  EXPECT_EQ(broken.status, 3) << broken.err;
}

}  // namespace
}  // namespace svcdiff::testing
