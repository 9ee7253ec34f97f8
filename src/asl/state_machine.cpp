#include "asl/state_machine.hpp"

#include <set>

#include "core/error.hpp"

namespace svcdiff::asl {
namespace {

using nlohmann::json;

// Step Functions caps state names at 80 characters.
constexpr std::size_t kMaxStateName = 80;

// What StartBuild raises when CodeBuild throttles the call or the account is at
// its concurrent-build limit: worth waiting for, unlike a build that failed.
const std::vector<std::string> kThrottlingErrors = {
    "CodeBuild.AccountLimitExceededException",
    "CodeBuild.CodeBuildException",
};

void check_options(const AslOptions& options) {
  if (options.max_concurrency < 0) {
    throw usage_error("max concurrency must be 0 (no limit) or more, not " +
                      std::to_string(options.max_concurrency));
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
    if (!names_.insert(name).second) {
      throw usage_error("state name `" + name + "` is used twice");
    }
    return name;
  }

 private:
  std::set<std::string> names_;
};

json retry(const AslOptions& options) {
  json retrier = {
      {"ErrorEquals", kThrottlingErrors},
      {"IntervalSeconds", options.retry_interval_seconds},
      {"MaxAttempts", options.retry_attempts},
      {"BackoffRate", options.retry_backoff_rate},
      {"MaxDelaySeconds", options.retry_max_delay_seconds},
      {"JitterStrategy", "FULL"},
  };
  return json::array({retrier});
}

// The StartBuild Task; `parameters` and `result_selector` differ by style.
json build_task(const AslOptions& options, json parameters, json result_selector) {
  json task = {
      {"Type", "Task"},
      {"Resource", kStartBuildResource},
      {"Parameters", std::move(parameters)},
      {"ResultSelector", std::move(result_selector)},
      {"End", true},
  };
  if (options.retry_attempts > 0) task["Retry"] = retry(options);
  return task;
}

json inline_processor(const std::string& start_at, json states) {
  return {
      {"ProcessorConfig", {{"Mode", "INLINE"}}},
      {"StartAt", start_at},
      {"States", std::move(states)},
  };
}

json dynamic_machine(const AslOptions& options) {
  StateNames names;
  const std::string& waves = names.add(options.waves_state_name);
  const std::string& wave = names.add(options.wave_state_name);
  const std::string& build = names.add(options.build_state_name);

  json parameters = {
      {"ProjectName.$", "$.project"},
      {"EnvironmentVariablesOverride.$", "$.env"},
  };
  if (options.source_version) parameters["SourceVersion.$"] = "$.head";
  json task = build_task(options, std::move(parameters),
                         {{"Id.$", "$.Build.Id"}, {"BuildStatus.$", "$.Build.BuildStatus"}});
  // Keep the item's name next to its build instead of replacing it.
  task["ResultPath"] = "$.build";

  // Each iteration gets only what the Task needs (not the item's reasons), and
  // `head` travels down explicitly: the local runner rebinds $$.Execution.Input
  // inside Map iterations, so the Task cannot read it from there.
  json wave_map = {
      {"Type", "Map"},
      {"ItemsPath", "$.items"},
      {"MaxConcurrency", options.max_concurrency},
      {"ItemSelector",
       {
           {"name.$", "$$.Map.Item.Value.name"},
           {"project.$", "$$.Map.Item.Value.project"},
           {"env.$", "$$.Map.Item.Value.env"},
           {"head.$", "$.head"},
       }},
      {"ItemProcessor", inline_processor(build, {{build, std::move(task)}})},
      {"End", true},
  };
  json waves_map = {
      {"Type", "Map"},
      {"ItemsPath", "$.waves"},
      {"MaxConcurrency", 1},  // a wave starts when the one before it has built
      {"ItemSelector", {{"items.$", "$$.Map.Item.Value"}, {"head.$", "$.head"}}},
      {"ItemProcessor", inline_processor(wave, {{wave, std::move(wave_map)}})},
      {"End", true},
  };

  std::string comment = options.comment;
  if (comment.empty()) {
    comment =
        "svcdiff, dynamic style: builds the services of an items artifact (svcdiff --format "
        "items) one wave at a time, " +
        (options.max_concurrency == 0
             ? std::string("all of a wave at once")
             : "up to " + std::to_string(options.max_concurrency) + " at once within a wave") +
        ". Generated by `svcdiff asl`: regenerate it rather than edit it.";
  }
  return {
      {"Comment", comment},
      {"QueryLanguage", "JSONPath"},
      {"StartAt", waves},
      {"States", {{waves, std::move(waves_map)}}},
  };
}

json choice_machine(const std::vector<AslService>& services, const AslOptions& options) {
  StateNames names;
  const std::string& map_name = names.add(options.services_state_name);
  const std::string& choice = names.add(options.choice_state_name);
  const std::string& skip = names.add(options.skip_state_name);

  std::set<std::string> seen;
  json choices = json::array();
  json states = json::object();
  for (std::size_t i = 0; i < services.size(); ++i) {
    const AslService& service = services[i];
    if (!seen.insert(service.name).second) {
      throw config_error("service `" + service.name + "` is listed twice for the state machine");
    }
    std::string name = options.build_state_name + " " + service.name;
    if (name.size() > kMaxStateName) name = options.build_state_name + " #" + std::to_string(i + 1);
    names.add(name);
    choices.push_back({{"Variable", "$"}, {"StringEquals", service.name}, {"Next", name}});
    states[name] = build_task(options, {{"ProjectName", service.project}},
                              {{"Service", service.name},
                               {"Id.$", "$.Build.Id"},
                               {"BuildStatus.$", "$.Build.BuildStatus"}});
  }
  // A name without a project (a library, a typo in a hand-written artifact) passes.
  states[skip] = {{"Type", "Pass"}, {"End", true}};
  std::string start = skip;
  if (!choices.empty()) {
    states[choice] = {{"Type", "Choice"}, {"Choices", std::move(choices)}, {"Default", skip}};
    start = choice;
  }

  json services_map = {
      {"Type", "Map"},
      {"ItemsPath", "$.services"},
      {"MaxConcurrency", options.max_concurrency},
      {"ItemProcessor", inline_processor(start, std::move(states))},
      {"End", true},
  };
  std::string comment = options.comment;
  if (comment.empty()) {
    comment =
        "svcdiff, choice style: starts the CodeBuild project of each service named in a "
        "services artifact (svcdiff --format services). Generated by `svcdiff asl`: "
        "regenerate it rather than edit it.";
  }
  return {
      {"Comment", comment},
      {"QueryLanguage", "JSONPath"},
      {"StartAt", map_name},
      {"States", {{map_name, std::move(services_map)}}},
  };
}

}  // namespace

std::optional<Style> parse_style(std::string_view text) {
  if (text == "choice") return Style::choice;
  if (text == "dynamic") return Style::dynamic;
  return std::nullopt;
}

std::string_view to_string(Style style) { return style == Style::choice ? "choice" : "dynamic"; }

nlohmann::json state_machine(const std::vector<AslService>& services, const AslOptions& options) {
  check_options(options);
  return options.style == Style::choice ? choice_machine(services, options)
                                        : dynamic_machine(options);
}

}  // namespace svcdiff::asl
