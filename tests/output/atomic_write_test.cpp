#include "output/atomic_write.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::output {
namespace {

namespace fs = std::filesystem;

class AtomicWriteTest : public ::testing::Test {
 protected:
  testing::TempRepo dir_{testing::TempRepo::Options{false}};
  std::string file(const std::string& name) { return dir_.root() + "/" + name; }
  std::size_t entries() {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_.root()), fs::directory_iterator()));
  }
};

TEST_F(AtomicWriteTest, ReplacesTheFileAndLeavesNoTemporary) {
  std::size_t before = entries();
  write_output(file("ABC.json"), "old\n");
  write_output(file("ABC.json"), "new\n");
  EXPECT_EQ(testing::read_file(file("ABC.json")), "new\n");
  EXPECT_EQ(entries(), before + 1);
}

TEST_F(AtomicWriteTest, KeepsTheModeOfAnExistingArtifact) {
  write_output(file("ABC.json"), "old\n");
  ASSERT_EQ(::chmod(file("ABC.json").c_str(), 0640), 0);
  write_output(file("ABC.json"), "new\n");
  struct stat info {};
  ASSERT_EQ(::stat(file("ABC.json").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
}

TEST_F(AtomicWriteTest, MissingDirectoryIsARuntimeErrorNamingTheFile) {
  try {
    write_output(file("no/such/dir/ABC.json"), "x");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::runtime);
    EXPECT_NE(std::string(error.what()).find("no/such/dir/ABC.json"), std::string::npos);
  }
}

TEST_F(AtomicWriteTest, NonRegularTargetsAreWrittenInPlace) {
  EXPECT_NO_THROW(write_output("/dev/null", "discarded\n"));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  std::string fifo = file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = testing::read_file(fifo); });
  write_output(fifo, "through a pipe\n");
  reader.join();
  EXPECT_EQ(got, "through a pipe\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// Nothing appears at the target until commit(); dropped uncommitted, the
// temporary goes too (the --s3-split wave files of a run that then fails).
TEST_F(AtomicWriteTest, StagedFileAppearsOnlyWhenCommitted) {
  const std::size_t before = entries();
  {
    StagedFile staged(file("wave-0.json"), "new\n");
    EXPECT_FALSE(fs::exists(file("wave-0.json")));
    EXPECT_EQ(entries(), before + 1);  // its temporary
  }
  EXPECT_EQ(entries(), before);
  write_output(file("wave-0.json"), "old\n");
  {
    StagedFile staged(file("wave-0.json"), "new\n");
    EXPECT_EQ(testing::read_file(file("wave-0.json")), "old\n");
    staged.commit();
  }
  EXPECT_EQ(testing::read_file(file("wave-0.json")), "new\n");
  EXPECT_EQ(entries(), before + 1);
}

TEST_F(AtomicWriteTest, DirectoryTargetIsAnError) {
  fs::create_directory(file("out"));
  EXPECT_THROW(write_output(file("out"), "x"), Error);
}

}  // namespace
}  // namespace svcdiff::output
