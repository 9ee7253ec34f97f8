#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff::asl {

// Which shape of state machine to write (SPEC §6).
enum class Style {
  choice,   // the seed's: Map over $.services, a Choice per service (`services` format)
  dynamic,  // Map over $.waves, one wave at a time, project from the item (`items` format)
};

// "choice" / "dynamic" -> Style; nullopt for anything else.
std::optional<Style> parse_style(std::string_view text);
std::string_view to_string(Style style);

// How the dynamic style maps over a wave (SPEC §6, README "Limits").
enum class MapMode {
  inline_map,   // an inline Map over the wave's items in the artifact
  distributed,  // a Distributed Map reading the wave's items from S3 (--s3-split)
};

// "inline" / "distributed" -> MapMode; nullopt for anything else.
std::optional<MapMode> parse_map_mode(std::string_view text);

// A buildable service as the choice style needs it (the cli converts config
// services with `build: true`). The dynamic style reads projects from the
// artifact and ignores this list.
struct AslService {
  std::string name;     // the value in the artifact's `services` list
  std::string project;  // its CodeBuild project
};

inline constexpr int kDefaultTimeoutSeconds = 24 * 60 * 60;
inline constexpr int kMaxDistributedConcurrency = 10000;
// Step Functions' quotas that shape the definition (the quotas page).
inline constexpr std::size_t kDefinitionLimit = std::size_t{1024} * 1024;  // bytes
inline constexpr std::size_t kCauseLimit = 32768;                          // characters
// The error a definition fails its execution with when a build failed.
inline constexpr std::string_view kBuildsFailedError = "svcdiff.BuildsFailed";

// Everything that shapes the definition; the defaults are what `svcdiff asl` prints.
struct AslOptions {
  Style style = Style::dynamic;
  MapMode map = MapMode::inline_map;  // dynamic style only
  // Builds running at once: within one wave (dynamic) or overall (choice). 0 = no
  // limit. An inline Map runs at most 40 at once whatever it says; a
  // distributed one accepts up to kMaxDistributedConcurrency.
  int max_concurrency = 10;
  // The whole execution's TimeoutSeconds; 0 = none (Step Functions' own
  // one-year limit). A day covers many waves of builds at CodeBuild's default
  // 60-minute build timeout.
  int timeout_seconds = kDefaultTimeoutSeconds;
  // Retries of a StartBuild that CodeBuild throttled or refused for the account's
  // build limit, with exponential backoff and full jitter. 0 = no Retry field.
  int retry_attempts = 5;
  int retry_interval_seconds = 10;
  double retry_backoff_rate = 2.0;
  int retry_max_delay_seconds = 300;
  // Dynamic style: pass the artifact's `head` as SourceVersion, so every service
  // builds the commit svcdiff diffed. Off for projects whose source has no
  // commits (S3, NO_SOURCE).
  bool source_version = true;
  std::string comment;  // empty: a comment that names the style and the artifact format
  // Dynamic style: the build ledger's DynamoDB table (SPEC §8; parse_ledger).
  // Empty: no ledger, every item of the artifact builds.
  std::string ledger_table;
  // State names (at most 80 characters each, all different).
  std::string waves_state_name = "BuildWaves";        // dynamic: the Choice that loops over waves
  std::string wave_state_name = "BuildWave";          // dynamic: Map over one wave's items
  std::string services_state_name = "BuildServices";  // choice: Map over $.services
  std::string choice_state_name = "ChooseProject";    // choice: the Choice on the item
  std::string skip_state_name = "NotBuildable";       // choice: the default Pass
  // The StartBuild Task; in the choice style one per service, named
  // "<build_state_name> <service>" (or "<build_state_name> #<n>" past 80 characters).
  std::string build_state_name = "StartBuild";
};

// The CodeBuild integration every build Task uses.
inline constexpr std::string_view kStartBuildResource =
    "arn:aws:states:::codebuild:startBuild.sync";

// The build ledger (SPEC §8): one DynamoDB item per service and fingerprint
// built successfully, keyed by these two string attributes (partition, sort).
inline constexpr std::string_view kLedgerGetItemResource = "arn:aws:states:::dynamodb:getItem";
inline constexpr std::string_view kLedgerPutItemResource = "arn:aws:states:::dynamodb:putItem";
inline constexpr std::string_view kLedgerPartitionKey = "service";
inline constexpr std::string_view kLedgerSortKey = "fingerprint";

// `dynamodb:TABLE` (the --ledger value) -> TABLE, or a `${Name}` placeholder
// kept as it is. Throws svcdiff::Error (usage) for another store or a name
// DynamoDB does not accept.
std::string parse_ledger(std::string_view text);

// The Amazon States Language definition (JSONPath query language) for these
// services and options. Throws svcdiff::Error (usage) for negative numbers,
// empty, too long or clashing state names, and (config) for a service listed twice.
nlohmann::json state_machine(const std::vector<AslService>& services, const AslOptions& options);

// The definition as `svcdiff asl` prints it: indented, or without whitespace
// when `compact`. Throws svcdiff::Error (usage) when it exceeds the 1 MB
// definition quota, saying to use the dynamic style.
std::string print_definition(const nlohmann::json& definition, bool compact);

}  // namespace svcdiff::asl
