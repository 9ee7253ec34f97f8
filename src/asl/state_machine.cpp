#include "asl/state_machine.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.hpp"

namespace svcdiff::asl {
namespace {

using nlohmann::json;

// Step Functions caps state names at 80 characters.
constexpr std::size_t kMaxStateName = 80;

// What StartBuild raises when CodeBuild throttles the call or the account is at
// its concurrent-build limit: worth waiting for, unlike a build that failed.
// AWSCodeBuildException is what AWS's own deployment framework retries too.
const std::vector<std::string> kThrottlingErrors = {
    "CodeBuild.AccountLimitExceededException",
    "CodeBuild.AWSCodeBuildException",
    "CodeBuild.CodeBuildException",
};

// What a ledger read or write raises when DynamoDB throttles it (an on-demand
// table too, past its account limits) or has a passing server error. The
// integration names an error "DynamoDB." and DynamoDB's exception name, and
// DynamoDB calls its server error InternalServerError; the longer spelling
// stays for runtimes that add "Exception".
const std::vector<std::string> kLedgerRetryErrors = {
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.RequestLimitExceeded",
    "DynamoDB.ThrottlingException",
    "DynamoDB.InternalServerError",
    "DynamoDB.InternalServerErrorException",
};

// The failure cause lists this many failed builds and not-started services and
// only counts the rest, so that even the longest entries fit kCauseLimit: a
// failed entry {"failed","project","build","error"} with 255-character names,
// a build id of project:uuid and an error name (an exception's, well under 64
// characters; only a build the ledger could not record has both), a
// not-started name of 255 characters, the brackets each wave adds, and the
// sentence around them.
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxErrorName = 64;
constexpr std::size_t kMaxFailedEntry =
    sizeof(R"({"status":"FAILED","name":"","project":"","build":"","error":""},)") + 2 * kMaxName +
    (kMaxName + 1 + 36) + kMaxErrorName + 2;
constexpr std::size_t kMaxNotStartedEntry = kMaxName + 3 + 2;
constexpr std::size_t kListedFailed = 16;
constexpr std::size_t kListedNotStarted = 64;
constexpr std::size_t kCauseSentence = 400;
static_assert(kListedFailed * kMaxFailedEntry + kListedNotStarted * kMaxNotStartedEntry +
                      kCauseSentence <=
                  kCauseLimit,
              "the failure cause could exceed the Step Functions cause limit");

void check_options(const AslOptions& options) {
  if (options.max_concurrency < 0) {
    throw usage_error("max concurrency must be 0 (no limit) or more, not " +
                      std::to_string(options.max_concurrency));
  }
  if (!options.ledger_table.empty() && options.style != Style::dynamic) {
    throw usage_error(
        "--ledger needs --style dynamic (it reads each item's fingerprint from `svcdiff "
        "changed --format items`)");
  }
  if (options.map == MapMode::distributed) {
    if (options.style != Style::dynamic) {
      throw usage_error(
          "--map distributed needs --style dynamic (it reads the wave files of "
          "`svcdiff changed --format items --s3-split`)");
    }
    if (options.max_concurrency > kMaxDistributedConcurrency) {
      throw usage_error(
          "a Distributed Map runs at most " + std::to_string(kMaxDistributedConcurrency) +
          " child executions at once, not " + std::to_string(options.max_concurrency));
    }
  }
  if (options.timeout_seconds < 0) {
    throw usage_error("timeout must be 0 (none) or more seconds, not " +
                      std::to_string(options.timeout_seconds));
  }
  if (options.retry_attempts < 0) {
    throw usage_error("retry attempts must be 0 (no retry) or more, not " +
                      std::to_string(options.retry_attempts));
  }
  if (options.retry_attempts > 0) {
    if (options.retry_interval_seconds < 1) {
      throw usage_error("retry interval must be at least 1 second");
    }
    if (!(options.retry_backoff_rate >= 1.0)) {
      throw usage_error("retry backoff rate must be at least 1.0");
    }
    if (options.retry_max_delay_seconds < options.retry_interval_seconds) {
      throw usage_error("retry max delay must be at least the retry interval (" +
                        std::to_string(options.retry_interval_seconds) + " s)");
    }
  }
}

// Collects state names so a clash is reported instead of written.
class StateNames {
 public:
  const std::string& add(const std::string& name) {
    if (name.empty()) throw usage_error("a state name is empty");
    if (name.size() > kMaxStateName) {
      throw usage_error("state name `" + name + "` is longer than " +
                        std::to_string(kMaxStateName) + " characters");
    }
    auto [stored, inserted] = names_.insert(name);
    if (!inserted) throw usage_error("state name `" + name + "` is used twice");
    return *stored;  // not `name`: it may be a temporary
  }

 private:
  std::set<std::string> names_;
};

json retry(const AslOptions& options, const std::vector<std::string>& errors) {
  json retrier = {
      {"ErrorEquals", errors},
      {"IntervalSeconds", options.retry_interval_seconds},
      {"MaxAttempts", options.retry_attempts},
      {"BackoffRate", options.retry_backoff_rate},
      {"MaxDelaySeconds", options.retry_max_delay_seconds},
      {"JitterStrategy", "FULL"},
  };
  return json::array({retrier});
}

json pass(json parameters, const std::string& next) {
  json state = {{"Type", "Pass"}, {"Parameters", std::move(parameters)}};
  if (next.empty()) {
    state["End"] = true;
  } else {
    state["Next"] = next;
  }
  return state;
}

// A Pass that writes `parameters` at `result_path`, keeping the rest of its input.
json update(const std::string& result_path, json parameters, const std::string& next) {
  json state = pass(std::move(parameters), next);
  state["ResultPath"] = result_path;
  return state;
}

// What every item of the item processor ends with, the only data a wave's Map
// collects: {"status": "BUILT"}, {"status": "FAILED", "name", "project",
// "build"} or {"status": "NOT_STARTED", "name"} (skipped because a service it
// waits for failed or was skipped). Every item has a status, so a wave's list of
// statuses is never empty (the local runner fails a path that selects nothing);
// small, so a wave of thousands stays far below 256 KiB.
constexpr std::string_view kBuilt = "BUILT";
constexpr std::string_view kFailed = "FAILED";
constexpr std::string_view kNotStarted = "NOT_STARTED";
// An item whose fingerprint the ledger holds: built before, not built again.
constexpr std::string_view kSkipped = "SKIPPED";
// A name the choice style has no branch for: passed, but never reported as built.
constexpr std::string_view kNotBuildable = "NOT_BUILDABLE";

struct ItemEnds {
  std::string built;        // after a successful build: the Pass BUILT (or the ledger's putItem)
  std::string read_failed;  // Choice, then Parallel: the build id from a failed build's cause
  std::string without_id;   // Pass: FAILED with the error's name, for a failure without a build
  std::string not_started;  // Pass: NOT_STARTED
};

// The states after a build: `built`, and for a failure (the Task's Catch, with
// the error at $.error) the entry naming the service, its project and the build
// id read from the cause CodeBuild gives (the build as JSON); a cause without
// one (throttling that outlasted the retries, a timeout) gives the error name
// instead. The dynamic style's items carry $.project and can be not started;
// the choice style's items are names only. With the ledger, the step that
// records the build ends a successful item instead of the `Built` Pass.
ItemEnds add_item_ends(json& states, StateNames& names, Style style, bool ledger) {
  const bool dynamic = style == Style::dynamic;
  ItemEnds ends{names.add("Built"), names.add("ReadFailedBuild"), names.add("BuildFailedWithoutId"),
                dynamic ? names.add("NotStarted") : std::string()};
  const std::string& parse_build = names.add("ParseFailedBuild");
  const std::string& parse = names.add("ParseCause");
  const std::string& take = names.add("TakeBuildId");
  const std::string& failed = names.add("BuildFailed");
  const std::string& without_id = ends.without_id;

  if (!ledger) {
    states[ends.built] = {{"Type", "Pass"}, {"Result", {{"status", kBuilt}}}, {"End", true}};
  }
  // Only a cause that reads as a JSON object goes to States.StringToJson: which
  // error a failing intrinsic raises could not be checked without AWS, and
  // were it States.Runtime, no Catch would stop it failing the execution.
  // Rules run in order, so the match runs only on a string that is there.
  const std::string cause = "$.error.Cause";
  states[ends.read_failed] = {
      {"Type", "Choice"},
      {"Choices",
       json::array({{{"Variable", cause}, {"IsPresent", false}, {"Next", without_id}},
                    {{"Variable", cause}, {"IsString", false}, {"Next", without_id}},
                    {{"Variable", cause}, {"StringMatches", "{*"}, {"Next", parse_build}}})},
      {"Default", without_id},
  };
  // A Parallel only because it can catch: a cause that is not the build's JSON
  // after all must not fail the iteration (Pass states cannot catch).
  json read_branch = {
      {"StartAt", parse},
      {"States",
       {{parse, pass({{"build.$", "States.StringToJson($.error.Cause)"}}, take)},
        {take, pass({{"Id.$", "$.build.Build.Id"}, {"ProjectName.$", "$.build.Build.ProjectName"}},
                    "")}}},
  };
  states[parse_build] = {
      {"Type", "Parallel"},
      {"Branches", json::array({read_branch})},
      {"ResultSelector", {{"Id.$", "$[0].Id"}, {"ProjectName.$", "$[0].ProjectName"}}},
      {"ResultPath", "$.failed_build"},
      {"Catch", json::array({{{"ErrorEquals", {"States.ALL"}},
                              {"ResultPath", "$.unreadable"},
                              {"Next", without_id}}})},
      {"Next", failed},
  };
  states[failed] = pass({{"status", kFailed},
                         {"name.$", "$.name"},
                         {"project.$", "$.failed_build.ProjectName"},
                         {"build.$", "$.failed_build.Id"}},
                        "");
  json unknown = {{"status", kFailed}, {"name.$", "$.name"}, {"error.$", "$.error.Error"}};
  if (dynamic) unknown["project.$"] = "$.project";
  states[without_id] = pass(std::move(unknown), "");
  if (dynamic) states[ends.not_started] = pass({{"status", kNotStarted}, {"name.$", "$.name"}}, "");
  return ends;
}

// The StartBuild Task: its result (id and status only) goes to $.build, a
// throttled call is retried, and any failure is caught, so one build's failure
// never stops another.
json build_task(const AslOptions& options, json parameters, const ItemEnds& ends) {
  json task = {
      {"Type", "Task"},
      {"Resource", kStartBuildResource},
      {"Parameters", std::move(parameters)},
      {"ResultSelector", {{"Id.$", "$.Build.Id"}, {"BuildStatus.$", "$.Build.BuildStatus"}}},
      {"ResultPath", "$.build"},
      {"Next", ends.built},
  };
  if (options.retry_attempts > 0) task["Retry"] = retry(options, kThrottlingErrors);
  task["Catch"] = json::array(
      {{{"ErrorEquals", {"States.ALL"}}, {"ResultPath", "$.error"}, {"Next", ends.read_failed}}});
  return task;
}

// A ledger Task (getItem or putItem on the table) whose throttling is retried
// like StartBuild's and whose any other failure goes, with the error at
// $.error, to `failed`.
json ledger_task(const AslOptions& options, std::string_view resource, json parameters,
                 const std::string& failed) {
  parameters["TableName"] = options.ledger_table;
  json task = {{"Type", "Task"}, {"Resource", resource}, {"Parameters", std::move(parameters)}};
  if (options.retry_attempts > 0) task["Retry"] = retry(options, kLedgerRetryErrors);
  task["Catch"] =
      json::array({{{"ErrorEquals", {"States.ALL"}}, {"ResultPath", "$.error"}, {"Next", failed}}});
  return task;
}

json ledger_key() {
  return {{std::string(kLedgerPartitionKey), {{"S.$", "$.name"}}},
          {std::string(kLedgerSortKey), {{"S.$", "$.fingerprint"}}}};
}

// The build ledger around the StartBuild Task `build` (SPEC §8): a getItem on
// (service, fingerprint) first, an item found ends SKIPPED, else the build,
// whose success goes to `record` (a putItem of what was built, ending BUILT).
// A failed build writes nothing, so the next run builds it again; a ledger
// that cannot be read or written fails the item (with the error's name), so a
// missing permission shows in the first run instead of building every time.
// Returns the state that starts it.
std::string add_ledger_states(json& states, StateNames& names, const AslOptions& options,
                              const ItemEnds& ends, const std::string& build,
                              const std::string& record) {
  const std::string& look_up = names.add("LookUpLedger");
  const std::string& built_before = names.add("BuiltBefore?");
  const std::string& skipped = names.add("AlreadyBuilt");
  const std::string& unrecorded = names.add("BuildNotRecorded");

  states[look_up] = ledger_task(options, kLedgerGetItemResource,
                                {{"Key", ledger_key()}, {"ConsistentRead", true}}, ends.without_id);
  states[look_up]["ResultPath"] = "$.ledger";
  states[look_up]["Next"] = built_before;
  states[built_before] = {
      {"Type", "Choice"},
      {"Choices",
       json::array({{{"Variable", "$.ledger.Item"}, {"IsPresent", true}, {"Next", skipped}}})},
      {"Default", build}};
  states[skipped] = {{"Type", "Pass"}, {"Result", {{"status", kSkipped}}}, {"End", true}};

  json item = ledger_key();
  item["head"] = {{"S.$", "$.head"}};
  item["project"] = {{"S.$", "$.project"}};
  item["build"] = {{"S.$", "$.build.Id"}};
  item["built_at"] = {{"S.$", "$$.State.EnteredTime"}};
  states[record] =
      ledger_task(options, kLedgerPutItemResource, {{"Item", std::move(item)}}, unrecorded);
  // The item's whole output: a wave collects nothing more.
  states[record]["ResultSelector"] = {{"status", kBuilt}};
  states[record]["End"] = true;
  // The build succeeded but the next run will build it again: say which build.
  states[unrecorded] = pass({{"status", kFailed},
                             {"name.$", "$.name"},
                             {"project.$", "$.project"},
                             {"build.$", "$.build.Id"},
                             {"error.$", "$.error.Error"}},
                            "");
  return look_up;
}

// The dynamic style's per-item processor: skip the item when a service it waits
// for ($.depends_on) is among $.stopped, else build it (with the ledger, only
// when its fingerprint was never built). The StartBuild Task goes on to
// `Built` (or the ledger's record) on success and to `ReadFailedBuild` on failure.
json dynamic_item_processor(const AslOptions& options, StateNames& names) {
  const bool ledger = !options.ledger_table.empty();
  const std::string& check = names.add("CheckDependencies");
  const std::string& find = names.add("FindStoppedDependencies");
  const std::string& is_stopped = names.add("IsStopped");
  const std::string& stopped = names.add("DependencyStopped");
  const std::string& build = names.add(options.build_state_name);

  json states = json::object();
  ItemEnds ends = add_item_ends(states, names, Style::dynamic, ledger);
  std::string start_build = build;
  if (ledger) {
    ends.built = names.add("RecordBuild");
    start_build = add_ledger_states(states, names, options, ends, build, ends.built);
  }
  states[check] = {
      {"Type", "Choice"},
      {"Choices",
       json::array({{{"Variable", "$.depends_on[0]"}, {"IsPresent", true}, {"Next", find}}})},
      {"Default", start_build}};
  states[find] = {
      {"Type", "Map"},
      {"ItemsPath", "$.depends_on"},
      {"ItemSelector", {{"stopped.$", "States.ArrayContains($.stopped, $$.Map.Item.Value)"}}},
      {"ItemProcessor",
       {{"ProcessorConfig", {{"Mode", "INLINE"}}},
        {"StartAt", is_stopped},
        {"States", {{is_stopped, {{"Type", "Pass"}, {"InputPath", "$.stopped"}, {"End", true}}}}}}},
      {"ResultSelector", {{"any.$", "States.ArrayContains($, true)"}}},
      {"ResultPath", "$.dependencies"},
      {"Next", stopped},
  };
  states[stopped] = {{"Type", "Choice"},
                     {"Choices", json::array({{{"Variable", "$.dependencies.any"},
                                               {"BooleanEquals", true},
                                               {"Next", ends.not_started}}})},
                     {"Default", start_build}};
  json parameters = {
      {"ProjectName.$", "$.project"},
      {"EnvironmentVariablesOverride.$", "$.env"},
  };
  if (options.source_version) parameters["SourceVersion.$"] = "$.head";
  states[build] = build_task(options, std::move(parameters), ends);
  return {{"StartAt", check}, {"States", std::move(states)}};
}

// Which report a wave's results add to: the failed builds or the services not started.
struct ReportList {
  std::string_view status;  // of the items it lists
  std::string field;        // in the state: {count, shown, omitted, list}
  std::string any;          // in the wave's results: whether one item has `status`
  std::string entry;        // what the cause lists of each item: "" the whole item, or a field
  std::size_t cap;          // entries listed in the cause at most
  std::string suffix;       // for state names
};

const ReportList kFailedReport{kFailed, "failed", "any_failed", "", kListedFailed, "Failed"};
const ReportList kNotStartedReport{kNotStarted, "not_started",     "any_not_started",
                                   "name",      kListedNotStarted, "NotStarted"};

// States adding a wave's items of one status to a report, then `next`: when
// the wave has any, they are selected ($.collected) and, with dependencies,
// their names added to $.stopped; then all of them are listed while at most
// `cap` entries are listed in total, else the first `cap` of them when nothing
// is listed yet, else they are only counted. (Intrinsic functions cannot cut a
// string or subtract a path from a path, so the cut is by entries.) The
// selected items replace the wave's results rather than sit beside them: a
// full wave of failures held twice is past the 256 KiB data limit. `later`,
// the report that runs next, keeps its own items through the replacement
// (a second Collect state: a filter that selects nothing fails the run).
std::string add_report_states(json& states, StateNames& names, const ReportList& report,
                              bool dependencies, const std::string& next,
                              const ReportList* later = nullptr) {
  const std::string& any = names.add("Any" + report.suffix + "?");
  const std::string& collect = names.add("Collect" + report.suffix);
  const std::string& count = names.add("Count" + report.suffix);
  const std::string& fits = names.add("List" + report.suffix + "?");
  const std::string& list_all = names.add("List" + report.suffix);
  const std::string& list_first = names.add("ListFirst" + report.suffix);
  const std::string& omit = names.add("Omit" + report.suffix);
  const std::string now = "$." + report.field;
  const std::string wave = "$.wave.list";
  const int cap = static_cast<int>(report.cap);

  const auto results_of = [](std::string_view status) {
    return "$.wave.results[?(@.status == '" + std::string(status) + "')]";
  };
  json choices = json::array();
  std::string collect_keeping;
  if (later != nullptr) {
    collect_keeping = names.add("Collect" + report.suffix + "Keeping" + later->suffix);
    choices.push_back(
        {{"And", json::array({{{"Variable", "$.wave." + report.any}, {"BooleanEquals", true}},
                              {{"Variable", "$.wave." + later->any}, {"BooleanEquals", true}}})},
         {"Next", collect_keeping}});
  }
  choices.push_back(
      {{"Variable", "$.wave." + report.any}, {"BooleanEquals", true}, {"Next", collect}});
  states[any] = {{"Type", "Choice"}, {"Choices", std::move(choices)}, {"Default", next}};
  const std::string selected = results_of(report.status);
  std::string after_collect = count;
  if (dependencies) {
    const std::string& record = names.add("RecordStopped" + report.suffix);
    const std::string listed_names = report.entry == "name" ? wave : wave + "[*].name";
    states[record] = update("$.stopped",
                            {{"names.$",
                              "States.Format('{}{}', $.stopped.names, "
                              "States.JsonToString(" +
                                  listed_names + "))"}},
                            count);
    after_collect = record;
  }
  const std::string list = report.entry.empty() ? selected : selected + "." + report.entry;
  json collected = {{"list.$", list}};
  if (later != nullptr) {
    collected[later->any] = false;
    json keeping = {{"list.$", list}, {later->any, true}, {"results.$", results_of(later->status)}};
    states[collect_keeping] = update("$.wave", std::move(keeping), after_collect);
  }
  states[collect] = update("$.wave", std::move(collected), after_collect);
  states[count] = update(
      now,
      {{"count.$", "States.MathAdd(" + now + ".count, States.ArrayLength(" + wave + "))"},
       {"shown.$", now + ".shown"},
       {"omitted.$", now + ".omitted"},
       {"list.$", now + ".list"},
       {"in_wave.$", "States.ArrayLength(" + wave + ")"},
       {"if_listed.$", "States.MathAdd(" + now + ".shown, States.ArrayLength(" + wave + "))"}},
      fits);
  states[fits] = {
      {"Type", "Choice"},
      {"Choices",
       json::array({
           {{"Variable", now + ".if_listed"}, {"NumericLessThanEquals", cap}, {"Next", list_all}},
           {{"Variable", now + ".shown"}, {"NumericEquals", 0}, {"Next", list_first}},
       })},
      {"Default", omit},
  };
  states[list_all] = update(
      now,
      {{"count.$", now + ".count"},
       {"shown.$", now + ".if_listed"},
       {"omitted.$", now + ".omitted"},
       {"list.$", "States.Format('{}{}', " + now + ".list, States.JsonToString(" + wave + "))"}},
      next);
  states[list_first] =
      update(now,
             {{"count.$", now + ".count"},
              {"shown", cap},
              {"omitted.$", "States.MathAdd(" + now + ".omitted, States.MathAdd(" + now +
                                ".in_wave, -" + std::to_string(cap) + "))"},
              {"list.$", "States.JsonToString(States.ArrayGetItem(States.ArrayPartition(" + wave +
                             ", " + std::to_string(cap) + "), 0))"}},
             next);
  states[omit] = update(now,
                        {{"count.$", now + ".count"},
                         {"shown.$", now + ".shown"},
                         {"omitted.$", "States.MathAdd(" + now + ".omitted, " + now + ".in_wave)"},
                         {"list.$", now + ".list"}},
                        next);
  return any;
}

json empty_report() { return {{"count", 0}, {"shown", 0}, {"omitted", 0}, {"list", ""}}; }

// What shapes the loop over the waves: where a wave's items come from and what
// each iteration gets.
struct WaveSource {
  json run;                  // the loop's own fields, $.run (index and count among them)
  json select_wave;          // Parameters of the Pass that puts the next wave at $.wave
  json item_selector;        // the wave Map's ItemSelector
  json processor;            // {StartAt, States} run for each item
  bool dependencies = true;  // items wait for each other: track stopped services
};

// The wave Map: inline over $.wave.items, or distributed over the S3 object
// at ($.run.bucket, $.wave.key); it keeps only the failures of its items.
json wave_map(const AslOptions& options, WaveSource& source, const std::string& next) {
  json processor = std::move(source.processor);
  if (options.map == MapMode::distributed) {
    // Children are STANDARD executions: a .sync Task cannot run in EXPRESS.
    processor["ProcessorConfig"] = {{"Mode", "DISTRIBUTED"}, {"ExecutionType", "STANDARD"}};
  } else {
    processor["ProcessorConfig"] = {{"Mode", "INLINE"}};
  }
  json map = {{"Type", "Map"}};
  if (options.map == MapMode::distributed) {
    map["ItemReader"] = {
        {"Resource", "arn:aws:states:::s3:getObject"},
        {"ReaderConfig", {{"InputType", "JSON"}}},
        {"Parameters", {{"Bucket.$", "$.run.bucket"}, {"Key.$", "$.wave.key"}}},
    };
  } else {
    map["ItemsPath"] = "$.wave.items";
  }
  map["MaxConcurrency"] = options.max_concurrency;
  map["ItemSelector"] = std::move(source.item_selector);
  map["ItemProcessor"] = std::move(processor);
  map["ResultSelector"] = {
      {"results.$", "$"},
      {"any_failed.$", "States.ArrayContains($[*].status, '" + std::string(kFailed) + "')"},
      {"any_not_started.$",
       "States.ArrayContains($[*].status, '" + std::string(kNotStarted) + "')"},
  };
  map["ResultPath"] = "$.wave";  // the results replace the wave's items
  map["Next"] = next;
  return map;
}

// The top level both styles share: wave after wave (the choice style has one),
// each build's failure recorded instead of raised, and at the end the
// execution fails with svcdiff.BuildsFailed naming what failed and what was
// not started, or succeeds.
json run_waves(const AslOptions& options, WaveSource source, StateNames& names) {
  const std::string& start = names.add("StartRun");
  const std::string& loop = names.add(options.waves_state_name);
  const std::string& select = names.add("SelectWave");
  const std::string& map = names.add(options.wave_state_name);
  const std::string& next_index = names.add("NextWave");
  const std::string& check = names.add("AnyBuildFailed?");
  const std::string& all_built = names.add("AllBuilt");
  const std::string& describe = names.add("DescribeFailures");
  const std::string& fail = names.add("BuildsFailed");

  json states = json::object();
  json first = {{"run", source.run}, {"failed", empty_report()}};
  if (source.dependencies) {
    // Names of failed and not-started services, as concatenated JSON arrays: no
    // intrinsic appends to an array, and splitting on '"' gives the names back.
    first["stopped"] = {{"names", "[]"}};
    first["not_started"] = empty_report();
  }
  states[start] = pass(std::move(first), loop);
  states[loop] = {{"Type", "Choice"},
                  {"Choices", json::array({{{"Variable", "$.run.index"},
                                            {"NumericLessThanPath", "$.run.count"},
                                            {"Next", select}}})},
                  {"Default", check}};
  states[select] = update("$.wave", std::move(source.select_wave), map);

  std::string after_failed = next_index;
  if (source.dependencies) {
    after_failed = add_report_states(states, names, kNotStartedReport, true, next_index);
  }
  std::string after_map =
      add_report_states(states, names, kFailedReport, source.dependencies, after_failed,
                        source.dependencies ? &kNotStartedReport : nullptr);
  states[map] = wave_map(options, source, after_map);

  json run_next = json::object();
  for (const auto& [key, value] : source.run.items()) {
    if (key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0) {
      run_next[key] = "$.run." + key.substr(0, key.size() - 2);
    } else {
      run_next[key + ".$"] = "$.run." + key;
    }
  }
  run_next.erase("index.$");
  run_next["index.$"] = "States.MathAdd($.run.index, 1)";
  states[next_index] = update("$.run", std::move(run_next), loop);

  states[check] = {
      {"Type", "Choice"},
      {"Choices",
       json::array(
           {{{"Variable", "$.failed.count"}, {"NumericGreaterThan", 0}, {"Next", describe}}})},
      {"Default", all_built}};
  states[all_built] = pass({{"status", "SUCCEEDED"}}, "");
  std::string cause =
      "States.Format('{} build(s) failed. Failed (name, project, build id): {} and {} more not "
      "listed.";
  std::string arguments = "$.failed.count, $.failed.list, $.failed.omitted";
  if (source.dependencies) {
    cause +=
        " {} service(s) not started because a service they depend on failed or was not "
        "started: {} and {} more not listed.";
    arguments += ", $.not_started.count, $.not_started.list, $.not_started.omitted";
  }
  states[describe] = update("$.report", {{"cause.$", cause + "', " + arguments + ")"}}, fail);
  states[fail] = {{"Type", "Fail"}, {"Error", kBuildsFailedError}, {"CausePath", "$.report.cause"}};
  return {{"StartAt", start}, {"States", std::move(states)}};
}

json with_header(const AslOptions& options, const std::string& comment, json body) {
  json machine = {
      {"Comment", options.comment.empty() ? comment : options.comment},
      {"QueryLanguage", "JSONPath"},
      {"StartAt", std::move(body["StartAt"])},
  };
  if (options.timeout_seconds > 0) machine["TimeoutSeconds"] = options.timeout_seconds;
  machine["States"] = std::move(body["States"]);
  return machine;
}

json dynamic_machine(const AslOptions& options) {
  StateNames names;
  WaveSource source;
  const bool ledger = !options.ledger_table.empty();
  // The ledger records the head each service was built at.
  const bool head = options.source_version || ledger;
  if (head) source.run["head.$"] = "$.head";
  source.run["index"] = 0;
  if (options.map == MapMode::distributed) {
    // The artifact of `svcdiff changed --format items --s3-split`.
    source.run["count.$"] = "States.ArrayLength($.s3.keys)";
    source.run["bucket.$"] = "$.s3.bucket";
    source.run["keys.$"] = "$.s3.keys";
    source.select_wave = {{"key.$", "States.ArrayGetItem($.run.keys, $.run.index)"}};
  } else {
    source.run["count.$"] = "States.ArrayLength($.waves)";
    // Read from the execution's input, not carried in the loop's state: a
    // wave plus the whole artifact could pass 256 KiB.
    source.select_wave = {
        {"items.$", "States.ArrayGetItem($$.Execution.Input.waves, $.run.index)"}};
  }
  // Each iteration gets only what the item processor needs (not the item's
  // reasons), and `head` travels down explicitly: the local runner rebinds
  // $$.Execution.Input inside Map iterations.
  source.item_selector = {
      {"name.$", "$$.Map.Item.Value.name"},
      {"project.$", "$$.Map.Item.Value.project"},
      {"env.$", "$$.Map.Item.Value.env"},
      {"depends_on.$", "$$.Map.Item.Value.depends_on"},
      {"stopped.$", "States.StringSplit($.stopped.names, '\"')"},
  };
  if (head) source.item_selector["head.$"] = "$.run.head";
  if (ledger) source.item_selector["fingerprint.$"] = "$$.Map.Item.Value.fingerprint";
  source.processor = dynamic_item_processor(options, names);
  json body = run_waves(options, std::move(source), names);

  const std::string at_once =
      options.max_concurrency == 0
          ? std::string("all of a wave at once")
          : "up to " + std::to_string(options.max_concurrency) + " at once within a wave";
  const std::string comment =
      "svcdiff, dynamic style, " +
      std::string(options.map == MapMode::distributed
                      ? "distributed map: builds the services of an items artifact split to S3 "
                        "(svcdiff --format items --s3-split)"
                      : "inline map: builds the services of an items artifact (svcdiff --format "
                        "items)") +
      " one wave at a time, " + at_once +
      (ledger ? "; skips a service whose fingerprint the build ledger (DynamoDB table " +
                    options.ledger_table + ") holds and records each successful build there"
              : std::string()) +
      "; a failed build stops only the services that depend on it. Generated by `svcdiff asl`: "
      "regenerate it rather than edit it.";
  return with_header(options, comment, std::move(body));
}

json choice_item_processor(const std::vector<AslService>& services, const AslOptions& options,
                           StateNames& names) {
  const std::string& choice = names.add(options.choice_state_name);
  const std::string& skip = names.add(options.skip_state_name);
  json states = json::object();
  // Without a service nothing builds, so nothing could reach the failure states.
  ItemEnds ends;
  if (!services.empty()) ends = add_item_ends(states, names, Style::choice, false);

  std::set<std::string> seen;
  json choices = json::array();
  for (std::size_t i = 0; i < services.size(); ++i) {
    const AslService& service = services[i];
    if (!seen.insert(service.name).second) {
      throw config_error("service `" + service.name + "` is listed twice for the state machine");
    }
    std::string name = options.build_state_name + " " + service.name;
    if (name.size() > kMaxStateName) name = options.build_state_name + " #" + std::to_string(i + 1);
    names.add(name);
    choices.push_back({{"Variable", "$.name"}, {"StringEquals", service.name}, {"Next", name}});
    states[name] = build_task(options, {{"ProjectName", service.project}}, ends);
  }
  // A name without a project (a library, a typo in a hand-written artifact, a
  // service added since the definition was generated) passes, as what it is.
  states[skip] = {{"Type", "Pass"}, {"Result", {{"status", kNotBuildable}}}, {"End", true}};
  std::string start = skip;
  if (!choices.empty()) {
    states[choice] = {{"Type", "Choice"}, {"Choices", std::move(choices)}, {"Default", skip}};
    start = choice;
  }
  return {{"StartAt", start}, {"States", std::move(states)}};
}

json choice_machine(const std::vector<AslService>& services, const AslOptions& options) {
  StateNames names;
  WaveSource source;
  // One "wave", the artifact's list of names, or none when it is empty (a Map
  // over nothing would have no statuses to read): in chunks of 10,000, the
  // most services a config holds, the list makes one chunk or none.
  source.run = {{"index", 0},
                {"count.$", "States.ArrayLength(States.ArrayPartition($.services, 10000))"}};
  source.select_wave = {{"items.$", "$$.Execution.Input.services"}};
  source.item_selector = {{"name.$", "$$.Map.Item.Value"}};
  source.processor = choice_item_processor(services, options, names);
  source.dependencies = false;
  // The Map keeps the choice style's historical state name.
  AslOptions named = options;
  named.wave_state_name = options.services_state_name;
  json body = run_waves(named, std::move(source), names);
  return with_header(options,
                     "svcdiff, choice style: starts the CodeBuild project of each service named "
                     "in a services artifact (svcdiff --format services); a failed build stops no "
                     "other. Generated by `svcdiff asl`: regenerate it rather than edit it.",
                     std::move(body));
}

// "${Name}", Name of letters, digits and `_`.
bool is_substitution(std::string_view text) {
  if (text.size() < 4 || !text.starts_with("${") || !text.ends_with('}')) return false;
  const std::string_view name = text.substr(2, text.size() - 3);
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

}  // namespace

std::optional<Style> parse_style(std::string_view text) {
  if (text == "choice") return Style::choice;
  if (text == "dynamic") return Style::dynamic;
  return std::nullopt;
}

std::string_view to_string(Style style) { return style == Style::choice ? "choice" : "dynamic"; }

std::string parse_ledger(std::string_view text) {
  constexpr std::string_view prefix = "dynamodb:";
  if (text.substr(0, prefix.size()) != prefix) {
    throw usage_error("--ledger must be `dynamodb:TABLE` (a DynamoDB table), not `" +
                      std::string(text) + "`");
  }
  std::string table(text.substr(prefix.size()));
  // `${Name}`: a placeholder Step Functions replaces when the state machine
  // is created (CloudFormation's DefinitionSubstitutions), so a template can
  // hand over the table it creates (deploy/pipeline-ledger.json).
  if (is_substitution(table)) return table;
  // DynamoDB's rule for table names.
  const bool allowed = std::all_of(table.begin(), table.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
  if (table.size() < 3 || table.size() > 255 || !allowed) {
    throw usage_error("--ledger: `" + table +
                      "` is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, `_`, `-`, `.`) "
                      "or a `${Name}` definition substitution");
  }
  return table;
}

std::optional<MapMode> parse_map_mode(std::string_view text) {
  if (text == "inline") return MapMode::inline_map;
  if (text == "distributed") return MapMode::distributed;
  return std::nullopt;
}

nlohmann::json state_machine(const std::vector<AslService>& services, const AslOptions& options) {
  check_options(options);
  return options.style == Style::choice ? choice_machine(services, options)
                                        : dynamic_machine(options);
}

std::string print_definition(const nlohmann::json& definition, bool compact) {
  std::string text = definition.dump(compact ? -1 : 2) + "\n";
  if (text.size() > kDefinitionLimit) {
    throw usage_error("the state machine definition is " + std::to_string(text.size()) +
                      " bytes, over the Step Functions definition quota of " +
                      std::to_string(kDefinitionLimit) +
                      " bytes; use --style dynamic (its size does not grow with the services)" +
                      (compact ? "" : " or --compact"));
  }
  return text;
}

}  // namespace svcdiff::asl
