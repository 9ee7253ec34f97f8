#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"

namespace svcdiff::testing {
namespace {

// Runs `svcdiff ARGS` through sh with `redirect` applied to it, and prints
// its status after it on standard output ("status=N").
CommandResult run_redirected(const TempRepo& repo, const std::string& args,
                             const std::string& redirect) {
  return run_command(
      {"/bin/sh", "-c", "\"$0\" " + args + " " + redirect + "; echo status=$?", svcdiff_binary()},
      repo.path(), {{"SVCDIFF_BASE", ""}, {"SVCDIFF_HEAD", ""}});
}

class StandardStreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"service_A", "service_B"});
    repo_.write("services/service_A/app.py", "changed\n");
    repo_.commit("A");
  }
  TempRepo repo_;
};

TEST_F(StandardStreamsTest, AnAnswerLostOnAFullDiskFailsTheRun) {
  for (const std::string command : {"list", "asl", "schema", "-q explain --base HEAD~1"}) {
    const auto result = run_redirected(repo_, command, "> /dev/full");
    EXPECT_TRUE(contains(result.out, "status=1")) << command << ": " << result.out;
    EXPECT_TRUE(
        contains(result.err, "cannot write to standard output: a write failed (a full disk"))
        << command << ": " << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;  // one line
  }
}

TEST_F(StandardStreamsTest, AClosedStandardOutputFailsARunThatPrintsAndNoOtherRun) {
  const auto listed = run_redirected(repo_, "list", ">&-");
  EXPECT_TRUE(contains(listed.out, "status=1")) << listed.out;
  EXPECT_TRUE(contains(listed.err, "it was closed when svcdiff started")) << listed.err;

  // Nothing goes to standard output when the artifact goes to a file: that
  // run succeeds, and the file opened where descriptor 1 was free holds the
  // artifact alone.
  const auto written = run_redirected(repo_, "-q --base HEAD~1 -o ABC.json", ">&-");
  EXPECT_TRUE(contains(written.out, "status=0")) << written.out << written.err;
  EXPECT_EQ(read_file(repo_.path() + "/ABC.json"), "{\"services\":[\"service_A\"]}\n");
}

TEST_F(StandardStreamsTest, AClosedStandardErrorKeepsTheStatusAndTheOutput) {
  const auto failed = run_redirected(repo_, "--base mian -o ABC.json", "2>&-");
  EXPECT_TRUE(contains(failed.out, "status=1")) << failed.out;
  const auto written = run_redirected(repo_, "--base HEAD~1 -o ABC.json", "2>&-");
  EXPECT_TRUE(contains(written.out, "status=0")) << written.out;
  EXPECT_EQ(read_file(repo_.path() + "/ABC.json"), "{\"services\":[\"service_A\"]}\n");
}

}  // namespace
}  // namespace svcdiff::testing
