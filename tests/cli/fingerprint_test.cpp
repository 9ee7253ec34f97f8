// `svcdiff fingerprint` end to end (SPEC §8): a commit and its `git archive`
// agree, a change reaches exactly the services it should, and the README's
// recipe recomputes a fingerprint with the git CLI alone.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

// api and web depend on the library common; worker stands alone. Markdown is
// ignored everywhere and api excludes its fixtures.
constexpr const char* kConfig =
    "version: 1\n"
    "ignore: [\"**/*.md\"]\n"
    "global: [\"/svcdiff.yml\", \"buildspecs/\"]\n"
    "discover:\n"
    "  - {glob: \"services/*\", require: buildspec.yml}\n"
    "services:\n"
    "  api:\n"
    "    depends_on: [common]\n"
    "    exclude: [\"services/api/fixtures/\"]\n"
    "    vars: {STAGE: prod}\n"
    "  web:\n"
    "    depends_on: [common]\n"
    "  common:\n"
    "    paths: [\"libs/common/\"]\n"
    "    build: false\n";

class FingerprintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"api", "web", "worker"});
    repo_.write("svcdiff.yml", kConfig);
    repo_.write("buildspecs/first.yml", "version: 0.2\n");
    repo_.write("libs/common/lib.py", "def f(): pass\n");
    repo_.write("services/api/fixtures/data.json", "{}\n");
    repo_.write("services/api/README.md", "# api\n");
    repo_.write("services/worker/run.sh", "#!/bin/sh\necho hi\n");
    repo_.set_executable("services/worker/run.sh", true);
    repo_.symlink("run.sh", "services/worker/start");
    repo_.commit("monorepo");
  }

  std::map<std::string, std::string> fingerprints(const std::vector<std::string>& extra = {},
                                                  const std::string& cwd = "") {
    std::vector<std::string> args{"fingerprint", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = run_svcdiff(cwd.empty() ? repo_.path() : cwd, args);
    EXPECT_EQ(result.status, 0) << result.err;
    std::map<std::string, std::string> out;
    const json report = json::parse(result.out);
    for (const auto& [name, value] : report.at("fingerprints").items()) {
      out[name] = value.get<std::string>();
    }
    return out;
  }

  // The services whose fingerprint differs between two runs.
  static std::vector<std::string> differing(const std::map<std::string, std::string>& before,
                                            const std::map<std::string, std::string>& after) {
    std::vector<std::string> names;
    for (const auto& [name, value] : after) {
      if (before.at(name) != value) names.push_back(name);
    }
    return names;
  }

  TempRepo repo_;
};

TEST_F(FingerprintTest, EveryServiceHasAVersionedSha256) {
  auto all = fingerprints();
  ASSERT_EQ(all.size(), 4u);
  for (const auto& [name, value] : all) {
    EXPECT_EQ(value.size(), 3u + 64u) << name;
    EXPECT_EQ(value.rfind("v1:", 0), 0u) << name;
  }
  auto text = run_svcdiff(repo_.path(), {"fingerprint", "worker", "api"});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out, "worker " + all["worker"] + "\napi " + all["api"] + "\n");
}

TEST_F(FingerprintTest, CommitAndItsGitArchiveExtractedToAPlainDirectoryAgree) {
  auto from_commit = fingerprints();
  const std::string plain = repo_.extract_head("plain");
  EXPECT_EQ(fingerprints({}, plain), from_commit);
  // --dir reads the work tree of a repository the same way.
  EXPECT_EQ(fingerprints({"--dir"}), from_commit);
  // An empty directory is not part of a git tree, so not of a fingerprint.
  run_command({"mkdir", "-p", plain + "/services/web/empty/nested"}, repo_.path());
  EXPECT_EQ(fingerprints({}, plain), from_commit);
}

TEST_F(FingerprintTest, AChangeReachesItsServiceAndItsDependentsOnly) {
  auto before = fingerprints();
  repo_.write("services/web/app.py", "print('web, changed')\n");
  repo_.commit("web");
  EXPECT_EQ(differing(before, fingerprints()), std::vector<std::string>{"web"});

  before = fingerprints();
  repo_.write("libs/common/lib.py", "def f(): return 1\n");
  repo_.commit("common");
  EXPECT_EQ(differing(before, fingerprints()), (std::vector<std::string>{"api", "common", "web"}));

  before = fingerprints();
  repo_.write("buildspecs/first.yml", "version: 0.2\n# changed\n");
  repo_.commit("global");
  EXPECT_EQ(differing(before, fingerprints()).size(), 4u);
}

TEST_F(FingerprintTest, ExcludedAndIgnoredFilesChangeNothing) {
  auto before = fingerprints();
  repo_.write("services/api/fixtures/data.json", "{\"changed\": true}\n");
  repo_.write("services/api/README.md", "# api, reworded\n");
  repo_.write("services/worker/NOTES.md", "new\n");
  repo_.commit("excluded and ignored");
  EXPECT_EQ(fingerprints(), before);
}

TEST_F(FingerprintTest, TheExecutableBitAndConfigEntryCount) {
  auto before = fingerprints();
  repo_.set_executable("services/worker/run.sh", false);
  repo_.commit("not executable");
  EXPECT_EQ(differing(before, fingerprints()), std::vector<std::string>{"worker"});
  // The config is global here, so give it a second life outside: a var.
  before = fingerprints({"-c", repo_.at("svcdiff.yml")});
  std::string changed = kConfig;
  changed.replace(changed.find("STAGE: prod"), 11, "STAGE: test");
  repo_.write("../other.yml", changed);
  auto after = fingerprints({"-c", repo_.root() + "/other.yml"});
  EXPECT_EQ(differing(before, after), std::vector<std::string>{"api"});
}

// The same text as a plain value, a parameter's name and a secret's id are
// three different inputs: CodeBuild hands the build three different values.
TEST_F(FingerprintTest, AVarsTypeCounts) {
  std::map<std::string, std::map<std::string, std::string>> by_type;
  std::map<std::string, std::string> inputs;
  for (const auto& [type, value] : {std::pair{"plaintext", "prod"},
                                    {"parameter-store", "{parameter-store: prod}"},
                                    {"secrets-manager", "{secrets-manager: prod}"}}) {
    std::string config = kConfig;
    config.replace(config.find("STAGE: prod"), 11, std::string("STAGE: ") + value);
    const std::string file = repo_.root() + "/" + type + ".yml";
    repo_.write("../" + std::string(type) + ".yml", config);
    by_type[type] = fingerprints({"-c", file});
    auto text = run_svcdiff(repo_.path(), {"fingerprint", "-c", file, "--inputs", "api"});
    ASSERT_EQ(text.status, 0) << text.err;
    inputs[type] = text.out;
  }
  const std::vector<std::string> api{"api"};
  EXPECT_EQ(differing(by_type["plaintext"], by_type["parameter-store"]), api);
  EXPECT_EQ(differing(by_type["plaintext"], by_type["secrets-manager"]), api);
  EXPECT_EQ(differing(by_type["parameter-store"], by_type["secrets-manager"]), api);
  EXPECT_NE(inputs["plaintext"].find("\nvar STAGE=prod\n"), std::string::npos);
  EXPECT_NE(inputs["parameter-store"].find("\nvar STAGE parameter-store=prod\n"),
            std::string::npos);
  EXPECT_NE(inputs["secrets-manager"].find("\nvar STAGE secrets-manager=prod\n"),
            std::string::npos);
}

TEST_F(FingerprintTest, ARevertReturnsTheOldFingerprint) {
  auto before = fingerprints();
  repo_.write("services/api/app.py", "print('api, changed')\n");
  repo_.commit("change api");
  EXPECT_NE(fingerprints(), before);
  repo_.git("revert", "--no-edit", "HEAD");
  EXPECT_EQ(fingerprints(), before);
  // Any commit can be read: the parent of the revert is the changed one.
  EXPECT_NE(fingerprints({"--head", "HEAD~1"}), before);
}

TEST_F(FingerprintTest, ItemsCarryTheFingerprint) {
  repo_.write("libs/common/lib.py", "def f(): return 2\n");
  repo_.commit("common");
  auto after = fingerprints();
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "items", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  auto artifact = json::parse(result.out);
  ASSERT_EQ(artifact["services"], json({"api", "web"}));
  for (const auto& item : artifact["waves"][0]) {
    EXPECT_EQ(item["fingerprint"], after[item["name"].get<std::string>()]);
  }
}

// README, "Fingerprints": the recipe, run with the git CLI and sha256sum.
TEST_F(FingerprintTest, TheReadmeRecipeRecomputesAFingerprintWithGit) {
  auto all = fingerprints();
  const std::string script =
      "set -e\n"
      "{\n"
      "  printf 'svcdiff fingerprint v1\\n'\n"
      "  printf 'project %s\\n' api\n"
      "  printf 'buildspec %s\\n' services/api/buildspec.yml\n"
      "  printf 'var %s\\n' STAGE=prod\n"
      "  printf 'depends %s %s\\n' common \"$COMMON\"\n"
      "  printf 'global\\n'\n"
      "  git ls-tree -r HEAD svcdiff.yml buildspecs | LC_ALL=C sort -t \"$(printf '\\t')\" -k2\n"
      "  printf 'files\\n'\n"
      "  git ls-tree -r HEAD services/api | grep -v -e '\tservices/api/fixtures/' -e '\\.md$' |\n"
      "    LC_ALL=C sort -t \"$(printf '\\t')\" -k2\n"
      "} | sha256sum | sed 's/ .*//; s/^/v1:/'\n";
  auto result = run_command({"sh", "-c", script}, repo_.path(), {{"COMMON", all["common"]}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(trim_newline(result.out), all["api"]);
}

// Without an exclude or ignore pattern that could reach inside, a service's
// directory is one entry: its tree id, as `git ls-tree` prints it.
TEST(FingerprintWholeDirectory, ReusesTheTreeIdAndPrintsTheHashedBytes) {
  TempRepo repo;
  add_services(repo, {"worker"});
  repo.write("svcdiff.yml",
             "version: 1\nglobal: [\"/svcdiff.yml\"]\ndiscover:\n"
             "  - {glob: \"services/*\", require: buildspec.yml}\n");
  repo.commit("config");
  auto fingerprint = run_svcdiff(repo.path(), {"fingerprint", "worker"});
  ASSERT_EQ(fingerprint.status, 0) << fingerprint.err;
  const std::string expected = trim_newline(fingerprint.out.substr(std::string("worker ").size()));

  const std::string recipe =
      "{ printf 'svcdiff fingerprint v1\\nproject worker\\nbuildspec "
      "services/worker/buildspec.yml\\nglobal\\n'\n"
      "  git ls-tree HEAD svcdiff.yml\n"
      "  printf 'files\\n'; git ls-tree HEAD services/worker; } |\n"
      "  sha256sum | sed 's/ .*//; s/^/v1:/'\n";
  auto result = run_command({"sh", "-c", recipe}, repo.path());
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(trim_newline(result.out), expected);

  auto inputs = run_svcdiff(repo.path(), {"fingerprint", "--inputs", "worker"});
  ASSERT_EQ(inputs.status, 0) << inputs.err;
  EXPECT_EQ(inputs.out,
            "svcdiff fingerprint v1\nproject worker\nbuildspec "
            "services/worker/buildspec.yml\nglobal\n" +
                repo.git("ls-tree", "HEAD", "svcdiff.yml") + "files\n" +
                repo.git("ls-tree", "HEAD", "services/worker"));
  auto sum = run_command({"sha256sum"}, repo.path(), {}, inputs.out);
  EXPECT_EQ("v1:" + sum.out.substr(0, 64), expected);
}

TEST_F(FingerprintTest, UnknownServiceSuggestsTheNearest) {
  auto result = run_svcdiff(repo_.path(), {"fingerprint", "wrker"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("did you mean `worker`?"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
