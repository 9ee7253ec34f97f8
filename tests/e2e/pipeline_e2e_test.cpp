// The whole pipeline, locally, from the real svcdiff binary: a sample monorepo
// gets a commit, `svcdiff` writes the artifact (items and services formats),
// `svcdiff asl` writes both styles of state machine, asl-validator checks
// them, and aws-local-stepfunctions executes them with every CodeBuild Task
// replaced by a stand-in that records the project, SourceVersion and
// environment it was started with (tests/e2e/*.mjs). Needs
// scripts/install-e2e.sh; without it these tests fail rather than skip.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/local_step_functions.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;
namespace fs = std::filesystem;

// service_A depends on service_B, which depends on the library `common`;
// service_C and service_D stand alone. A and B have CodeBuild projects named
// apart from the service; C and D use the default, the service name.
const char* const kConfig = R"(version: 1
ignore: ["**/*.md"]
discover:
  - {glob: "services/*", require: buildspec.yml}
services:
  service_A:
    depends_on: [service_B]
    project: service-a-build
    vars: {STAGE: prod, REGION: eu-west-1}
  service_B:
    depends_on: [common]
    project: service-b-build
  common:
    paths: [libs/common/]
    build: false
)";

class PipelineE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(require_e2e_tools(node_));
    repo_.write("svcdiff.yml", kConfig);
    repo_.write("libs/common/util.py", "def util(): pass\n");
    repo_.write("README.md", "# sample monorepo\n");
    add_services(repo_, {"service_A", "service_B", "service_C", "service_D"});
  }

  // Writes `content` to each path and commits; returns the new head.
  std::string change(const std::vector<std::string>& paths, const std::string& content) {
    for (const auto& path : paths) repo_.write(path, content);
    return repo_.commit("change " + paths.front());
  }

  // Runs svcdiff in the repository and expects exit status 0; returns stdout.
  std::string svcdiff(const std::vector<std::string>& args) {
    const CommandResult result = run_svcdiff(repo_.path(), args);
    std::string command = "svcdiff";
    for (const auto& arg : args) command += " " + arg;
    EXPECT_EQ(result.status, 0) << command << ":\n" << result.err;
    return result.out;
  }

  // `svcdiff [--base BASE] --format FORMAT -o FILE` beside the repository (so
  // a later commit leaves it out); returns the file's path.
  std::string artifact(const std::string& format, const std::string& base) {
    std::string file = repo_.root() + "/" + (format == "items" ? "ABC.json" : format + ".json");
    std::vector<std::string> args = {"--format", format, "-o", file};
    if (!base.empty()) args.insert(args.begin(), {"--base", base});
    svcdiff(args);
    return file;
  }

  // `svcdiff asl --style STYLE [options]`, written beside the repository and
  // checked with asl-validator; returns the file's path.
  std::string definition(const std::string& style, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args = {"asl", "--style", style};
    args.insert(args.end(), options.begin(), options.end());
    std::string file = repo_.root() + "/" + style + ".asl.json";
    std::ofstream(file) << svcdiff(args);
    const CommandResult check = validate_asl(node_, {file}, repo_.root());
    EXPECT_EQ(check.status, 0) << "asl-validator on `svcdiff asl --style " << style << "`:\n"
                               << check.out << check.err;
    return file;
  }

  Execution execute(const std::string& definition_file, const std::string& input_file) {
    return run_state_machine(node_, definition_file, input_file, repo_.root());
  }

  // One pipeline run with the build ledger (SPEC §8), as
  // buildspecs/detect-changes-ledger.yml runs it: every service listed
  // (`--all`, no base), the ledger definition on it, the ledger's DynamoDB
  // Tasks over ledger_file(). `map` "distributed" splits the waves to S3.
  Execution ledger_run(const std::string& map = "inline",
                       const std::vector<std::string>& runner_options = {}) {
    const std::string abc = repo_.root() + "/ABC.json";
    std::vector<std::string> args = {"--all", "--format", "items", "-o", abc};
    std::vector<std::string> options = runner_options;
    if (map == "distributed") {
      const std::string split = repo_.root() + "/split";
      args.insert(args.end(), {"--s3-split", split, "--s3-uri", "s3://my-bucket/svcdiff-items"});
      options.insert(options.end(), {"--s3-copy", "s3://my-bucket/svcdiff-items", split});
    }
    svcdiff(args);
    options.insert(options.end(), {"--ledger", ledger_file()});
    const std::string machine =
        definition("dynamic", {"--ledger", "dynamodb:svcdiff-ledger", "--map", map});
    return run_state_machine(node_, machine, abc, repo_.root(), options);
  }

  std::string ledger_file() const { return repo_.root() + "/ledger.json"; }

  // The ledger's items (the stand-in's file), by service: one a fingerprint built.
  std::map<std::string, std::vector<json>> ledger() const {
    std::map<std::string, std::vector<json>> items;
    if (!fs::exists(ledger_file())) return items;
    const json file = read_json(ledger_file());  // outlives the loop (at() refers into it)
    for (const json& item : file.at("svcdiff-ledger")) {
      items[item.at("service").at("S").get<std::string>()].push_back(item);
    }
    return items;
  }

  // `svcdiff fingerprint --json` at HEAD: service -> fingerprint.
  std::map<std::string, std::string> fingerprints() {
    return json::parse(svcdiff({"fingerprint", "--json"}))
        .at("fingerprints")
        .get<std::map<std::string, std::string>>();
  }

  static json read_json(const std::string& file) { return json::parse(read_file(file)); }

  // Resolved before repo_ exists: TempRepo unsets SVCDIFF_* (so SVCDIFF_NODE) while it lives.
  const fs::path node_ = node_binary();
  TempRepo repo_;
};

// The projects of the builds an execution started, with the SourceVersion and
// environment overrides each got.
std::map<std::string, json> builds_by_project(const Execution& execution) {
  std::map<std::string, json> builds;
  for (const json& build : execution.report.at("builds")) {
    builds[build.at("project").get<std::string>()] = build;
  }
  return builds;
}

const json kServiceAEnv = json::array({
    {{"Name", "REGION"}, {"Value", "eu-west-1"}, {"Type", "PLAINTEXT"}},
    {{"Name", "STAGE"}, {"Value", "prod"}, {"Type", "PLAINTEXT"}},
});

TEST_F(PipelineE2eTest, DynamicBuildsTheChangedServicesWaveByWave) {
  const std::string head =
      change({"services/service_B/app.py", "services/service_C/app.py"}, "changed\n");
  const std::string items = artifact("items", "HEAD~1");
  const json artifact_json = read_json(items);
  EXPECT_EQ(artifact_json.at("head"), head);
  EXPECT_EQ(artifact_json.at("services"), (Names{"service_A", "service_B", "service_C"}));

  const Execution execution = execute(definition("dynamic"), items);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.report.at("status"), "SUCCEEDED");
  // service_A waits for service_B, its dependency; service_D is untouched.
  EXPECT_EQ(execution.batches(), (Batches{{"service-b-build", "service_C"}, {"service-a-build"}}));
  EXPECT_EQ(execution.projects(), (Names{"service-a-build", "service-b-build", "service_C"}));
  for (const auto& [project, build] : builds_by_project(execution)) {
    EXPECT_EQ(build.at("source_version"), head) << build;
    EXPECT_EQ(build.at("attempts"), 1) << build;
    EXPECT_EQ(build.at("env"), project == "service-a-build" ? kServiceAEnv : json::array())
        << build;
  }
}

TEST_F(PipelineE2eTest, ChoiceBuildsTheChangedServicesWithTheirProjects) {
  change({"services/service_B/app.py", "services/service_C/app.py"}, "changed\n");
  const std::string services = artifact("services", "HEAD~1");
  EXPECT_EQ(read_json(services), (json{{"services", {"service_A", "service_B", "service_C"}}}));

  const Execution execution = execute(definition("choice"), services);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  // The choice style knows no waves: every listed service builds at once.
  EXPECT_EQ(execution.batches(), (Batches{{"service-a-build", "service-b-build", "service_C"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_TRUE(build.at("source_version").is_null()) << build;
  }
}

TEST_F(PipelineE2eTest, LibraryChangeBuildsItsDependentsAfterTheirDependencies) {
  const std::string head = change({"libs/common/util.py"}, "def util(): return 1\n");

  const std::string items = artifact("items", "HEAD~1");
  const Execution dynamic = execute(definition("dynamic"), items);
  ASSERT_EQ(dynamic.status, 0) << dynamic.report.dump(2) << dynamic.err;
  // `common` builds nothing; service_B depends on it, service_A on service_B.
  EXPECT_EQ(dynamic.batches(), (Batches{{"service-b-build"}, {"service-a-build"}}));
  for (const json& build : dynamic.report.at("builds")) {
    EXPECT_EQ(build.at("source_version"), head) << build;
  }

  const Execution choice = execute(definition("choice"), artifact("services", "HEAD~1"));
  ASSERT_EQ(choice.status, 0) << choice.report.dump(2) << choice.err;
  EXPECT_EQ(choice.projects(), (Names{"service-a-build", "service-b-build"}));
}

TEST_F(PipelineE2eTest, ChangeToADependentBuildsNeitherItsDependencies) {
  change({"services/service_A/app.py"}, "changed\n");
  const Execution dynamic = execute(definition("dynamic"), artifact("items", "HEAD~1"));
  ASSERT_EQ(dynamic.status, 0) << dynamic.report.dump(2) << dynamic.err;
  EXPECT_EQ(dynamic.batches(), (Batches{{"service-a-build"}}));
  EXPECT_EQ(builds_by_project(dynamic)["service-a-build"].at("env"), kServiceAEnv);

  const Execution choice = execute(definition("choice"), artifact("services", "HEAD~1"));
  ASSERT_EQ(choice.status, 0) << choice.report.dump(2) << choice.err;
  EXPECT_EQ(choice.projects(), (Names{"service-a-build"}));
}

TEST_F(PipelineE2eTest, NothingChangedSucceedsWithoutABuildInBothStyles) {
  change({"README.md"}, "# ignored by svcdiff.yml\n");
  const std::string items = artifact("items", "HEAD~1");
  EXPECT_EQ(read_json(items).at("waves"), json::array());
  const std::string services = artifact("services", "HEAD~1");
  EXPECT_EQ(read_json(services), (json{{"services", json::array()}}));

  const Execution dynamic = execute(definition("dynamic"), items);
  ASSERT_EQ(dynamic.status, 0) << dynamic.report.dump(2) << dynamic.err;
  EXPECT_EQ(dynamic.report.at("status"), "SUCCEEDED");
  EXPECT_TRUE(dynamic.report.at("builds").empty()) << dynamic.report.dump(2);

  const Execution choice = execute(definition("choice"), services);
  ASSERT_EQ(choice.status, 0) << choice.report.dump(2) << choice.err;
  EXPECT_EQ(choice.report.at("status"), "SUCCEEDED");
  EXPECT_TRUE(choice.report.at("builds").empty()) << choice.report.dump(2);
}

TEST_F(PipelineE2eTest, UnknownBaseBuildsEveryServiceInDependencyOrder) {
  change({"services/service_C/app.py"}, "changed\n");
  // No --base, no SVCDIFF_BASE, no CodeBuild webhook and no defaults.base.
  const std::string items = artifact("items", "");
  EXPECT_EQ(read_json(items).at("all"), true);

  const Execution execution = execute(definition("dynamic"), items);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.batches(),
            (Batches{{"service-b-build", "service_C", "service_D"}, {"service-a-build"}}));
}

TEST_F(PipelineE2eTest, AslOptionsFromTheCommandLineShapeTheExecution) {
  change({"services/service_C/app.py", "services/service_D/app.py"}, "changed\n");
  const std::string items = artifact("items", "HEAD~1");
  const Execution execution =
      execute(definition("dynamic", {"--max-concurrency", "1", "--no-source-version"}), items);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  // One build at a time, each with the project's own source version.
  EXPECT_EQ(execution.batches(), (Batches{{"service_C"}, {"service_D"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_TRUE(build.at("source_version").is_null()) << build;
  }
}

// SPEC §6 Failure, from the real artifact: service_B's build fails, so
// service_A (which depends on it) is not started, service_C still builds, and
// the execution fails naming both.
TEST_F(PipelineE2eTest, FailedBuildStopsOnlyItsDependents) {
  change({"services/service_B/app.py", "services/service_C/app.py"}, "changed\n");
  const std::string items = artifact("items", "HEAD~1");
  EXPECT_EQ(read_json(items).at("waves")[1][0].at("depends_on"), (Names{"service_B"}));
  const Execution execution = run_state_machine(node_, definition("dynamic"), items, repo_.root(),
                                                {"--fail", "service-b-build"});
  std::cout << "local runner, service-b-build failing:\n" << execution.report.dump(2) << "\n";
  EXPECT_EQ(execution.status, 1);
  EXPECT_EQ(execution.projects(), (Names{"service-b-build", "service_C"}));
  EXPECT_EQ(execution.report.at("error").at("name"), "svcdiff.BuildsFailed");
  const std::string cause = execution.report.at("error").at("message");
  EXPECT_NE(cause.find(R"("name":"service_B","project":"service-b-build")"), std::string::npos)
      << cause;
  EXPECT_NE(cause.find(R"(1 service(s) not started because a service they depend on failed or )"
                       R"(was not started: ["service_A"])"),
            std::string::npos)
      << cause;
}

// --s3-split and --map distributed from the real binary: the wave files are
// what the distributed definition's item processor runs over.
TEST_F(PipelineE2eTest, DistributedMapBuildsTheSplitWaves) {
  const std::string head = change({"libs/common/util.py"}, "def util(): return 2\n");
  const std::string split = repo_.root() + "/split";
  const std::string abc = repo_.root() + "/ABC.json";
  svcdiff({"--base", "HEAD~1", "--format", "items", "--s3-split", split, "--s3-uri",
           "s3://my-bucket/svcdiff-items", "-o", abc});
  const json artifact_json = read_json(abc);
  EXPECT_EQ(artifact_json.at("count"), 2);
  EXPECT_EQ(artifact_json.at("s3").at("keys"), (Names{"svcdiff-items/" + head + "/wave-0.json",
                                                      "svcdiff-items/" + head + "/wave-1.json"}));
  EXPECT_TRUE(fs::exists(split + "/" + head + "/wave-1.json"));

  const Execution execution =
      run_state_machine(node_, definition("dynamic", {"--map", "distributed"}), abc, repo_.root(),
                        {"--s3-copy", "s3://my-bucket/svcdiff-items", split});
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.batches(), (Batches{{"service-b-build"}, {"service-a-build"}}));
}

// The build ledger (SPEC §8): every run lists every service, the ledger
// builds each fingerprint once.
TEST_F(PipelineE2eTest, LedgerBuildsEachInputOnceAndARevertNothing) {
  const std::string first_head = repo_.rev_parse("HEAD");
  const Execution first = ledger_run();
  ASSERT_EQ(first.status, 0) << first.report.dump(2) << first.err;
  EXPECT_EQ(first.batches(),
            (Batches{{"service-b-build", "service_C", "service_D"}, {"service-a-build"}}));
  // One item per built service: what `svcdiff fingerprint` says, the head, the build.
  const auto built = ledger();
  const auto prints = fingerprints();
  ASSERT_EQ(built.size(), 4u);
  for (const auto& [service, items] : built) {
    ASSERT_EQ(items.size(), 1u) << service;
    const json& item = items.front();
    EXPECT_EQ(item.at("fingerprint").at("S"), prints.at(service)) << item;
    EXPECT_EQ(item.at("head").at("S"), first_head) << item;
    const std::string project = item.at("project").at("S");
    EXPECT_EQ(item.at("build").at("S").get<std::string>().rfind(project + ":stand-in-", 0), 0u)
        << item;
    EXPECT_FALSE(item.at("built_at").at("S").get<std::string>().empty()) << item;
  }

  // The same input again: every service is looked up, none built or written.
  const Execution second = ledger_run();
  ASSERT_EQ(second.status, 0) << second.report.dump(2) << second.err;
  EXPECT_TRUE(second.report.at("builds").empty()) << second.report.dump(2);
  EXPECT_EQ(second.report.at("ledger"), (json{{"getItem", 4}, {"putItem", 0}}));

  // service_B changes: it and service_A, which depends on it, build.
  change({"services/service_B/app.py"}, "changed\n");
  const Execution third = ledger_run();
  ASSERT_EQ(third.status, 0) << third.report.dump(2) << third.err;
  EXPECT_EQ(third.batches(), (Batches{{"service-b-build"}, {"service-a-build"}}));
  EXPECT_EQ(ledger()["service_B"].size(), 2u);
  EXPECT_EQ(ledger()["service_C"].size(), 1u);

  // Back to the first state, already built: nothing builds.
  repo_.git("revert", "--no-edit", "HEAD");
  EXPECT_EQ(fingerprints(), prints);
  const Execution reverted = ledger_run();
  ASSERT_EQ(reverted.status, 0) << reverted.report.dump(2) << reverted.err;
  EXPECT_TRUE(reverted.report.at("builds").empty()) << reverted.report.dump(2);
}

TEST_F(PipelineE2eTest, LedgerAfterAFailureRebuildsOnlyTheFailedAndTheNotStarted) {
  ASSERT_EQ(ledger_run().status, 0);
  // `common` reaches service_B and, through it, service_A; service_C changes itself.
  change({"libs/common/util.py", "services/service_C/app.py"}, "changed\n");
  const Execution failed = ledger_run("inline", {"--fail", "service-b-build"});
  EXPECT_EQ(failed.status, 1) << failed.report.dump(2);
  EXPECT_EQ(failed.report.at("error").at("name"), "svcdiff.BuildsFailed");
  EXPECT_EQ(failed.projects(), (Names{"service-b-build", "service_C"}));
  // Only service_C's new input was recorded: a failed build writes nothing.
  const auto prints = fingerprints();
  auto recorded = [&](const std::string& service) {
    const auto items = ledger();
    if (items.count(service) == 0) return false;
    for (const json& item : items.at(service)) {
      if (item.at("fingerprint").at("S") == prints.at(service)) return true;
    }
    return false;
  };
  EXPECT_TRUE(recorded("service_C"));
  EXPECT_FALSE(recorded("service_B"));
  EXPECT_FALSE(recorded("service_A"));

  // The retry builds service_B and service_A, not service_C or service_D.
  const Execution retry = ledger_run();
  ASSERT_EQ(retry.status, 0) << retry.report.dump(2) << retry.err;
  EXPECT_EQ(retry.batches(), (Batches{{"service-b-build"}, {"service-a-build"}}));
  EXPECT_TRUE(recorded("service_A"));
}

// service_C and service_D depend on each other through their manifests (a
// cycle `infer` allows): each one's build uses the other's files, so a change
// to either must rebuild both, never leave one skipped by the ledger.
TEST_F(PipelineE2eTest, LedgerRebuildsEveryMemberOfACycleWhenOneChanges) {
  repo_.write("svcdiff.yml", std::string(kConfig) + "infer: [npm]\n");
  repo_.write("services/service_C/package.json",
              R"({"name": "service_C", "devDependencies": {"service_D": "*"}})");
  repo_.write("services/service_D/package.json",
              R"({"name": "service_D", "dependencies": {"service_C": "*"}})");
  repo_.commit("service_C and service_D depend on each other");
  const Execution first = ledger_run();
  ASSERT_EQ(first.status, 0) << first.report.dump(2) << first.err;
  EXPECT_EQ(first.projects(),
            (Names{"service-a-build", "service-b-build", "service_C", "service_D"}));
  const Execution second = ledger_run();
  ASSERT_EQ(second.status, 0) << second.report.dump(2) << second.err;
  EXPECT_TRUE(second.report.at("builds").empty()) << second.report.dump(2);

  for (const std::string member : {"service_C", "service_D"}) {
    change({"services/" + member + "/app.py"}, "changed " + member + "\n");
    const Execution changed = ledger_run();
    ASSERT_EQ(changed.status, 0) << changed.report.dump(2) << changed.err;
    EXPECT_EQ(changed.batches(), (Batches{{"service_C", "service_D"}})) << member;
  }
}

// The distributed processor, run as an inline Map over the split files.
TEST_F(PipelineE2eTest, LedgerWorksWithTheDistributedMap) {
  const Execution first = ledger_run("distributed");
  ASSERT_EQ(first.status, 0) << first.report.dump(2) << first.err;
  EXPECT_EQ(first.batches(),
            (Batches{{"service-b-build", "service_C", "service_D"}, {"service-a-build"}}));
  const Execution second = ledger_run("distributed");
  ASSERT_EQ(second.status, 0) << second.report.dump(2) << second.err;
  EXPECT_TRUE(second.report.at("builds").empty()) << second.report.dump(2);
  change({"libs/common/util.py"}, "def util(): return 3\n");
  const Execution third = ledger_run("distributed");
  ASSERT_EQ(third.status, 0) << third.report.dump(2) << third.err;
  EXPECT_EQ(third.batches(), (Batches{{"service-b-build"}, {"service-a-build"}}));
}

// CodePipeline's default source artifact has no .git: the same files give the
// same fingerprints, so the ledger skips what a full clone already built.
TEST_F(PipelineE2eTest, LedgerFromAZipArtifactSkipsWhatTheCloneBuilt) {
  ASSERT_EQ(ledger_run().status, 0);
  const std::string head = repo_.rev_parse("HEAD");
  const std::string zip = repo_.extract_head("zip");
  auto zip_run = [&]() {
    const std::string abc = repo_.root() + "/zip-ABC.json";
    const CommandResult result =
        run_svcdiff(zip, {"changed", "--all", "--format", "items", "-o", abc},
                    {{"CODEBUILD_RESOLVED_SOURCE_VERSION", head}});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(read_json(abc).at("head"), head);
    return run_state_machine(node_, definition("dynamic", {"--ledger", "dynamodb:svcdiff-ledger"}),
                             abc, repo_.root(), {"--ledger", ledger_file()});
  };
  const Execution same = zip_run();
  ASSERT_EQ(same.status, 0) << same.report.dump(2) << same.err;
  EXPECT_TRUE(same.report.at("builds").empty()) << same.report.dump(2);

  std::ofstream(zip + "/services/service_D/app.py") << "changed in the zip\n";
  const Execution changed = zip_run();
  ASSERT_EQ(changed.status, 0) << changed.report.dump(2) << changed.err;
  EXPECT_EQ(changed.batches(), (Batches{{"service_D"}}));
}

// A ledger that cannot be read or written (a missing permission) fails the
// items, loudly, instead of building every time or forgetting what it built.
TEST_F(PipelineE2eTest, LedgerErrorsFailTheItemsAndRecordNothing) {
  const Execution unwritable = ledger_run("inline", {"--ledger-error", "putItem"});
  EXPECT_EQ(unwritable.status, 1) << unwritable.report.dump(2);
  // Wave 0 built, but unrecorded builds count as failed: service_A is not started.
  EXPECT_EQ(unwritable.batches(), (Batches{{"service-b-build", "service_C", "service_D"}}));
  const std::string cause = unwritable.report.at("error").at("message");
  EXPECT_NE(cause.find("3 build(s) failed"), std::string::npos) << cause;
  EXPECT_NE(cause.find(R"("error":"DynamoDB.AmazonDynamoDBException")"), std::string::npos)
      << cause;
  EXPECT_NE(cause.find(R"("build":"service-b-build:stand-in-)"), std::string::npos) << cause;
  EXPECT_TRUE(ledger().empty());

  const Execution unreadable = ledger_run("inline", {"--ledger-error", "getItem"});
  EXPECT_EQ(unreadable.status, 1) << unreadable.report.dump(2);
  EXPECT_TRUE(unreadable.report.at("builds").empty()) << unreadable.report.dump(2);
  EXPECT_NE(
      unreadable.report.at("error").at("message").get<std::string>().find("3 build(s) failed"),
      std::string::npos);
}

}  // namespace
}  // namespace svcdiff::testing
