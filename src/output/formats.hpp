#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "output/artifact.hpp"

namespace svcdiff::output {

enum class Format { services, items, env, github, text };

// Parses a --format / defaults.format value; nullopt when unknown.
std::optional<Format> parse_format(std::string_view name);
const std::vector<std::string>& format_names();

// The Step Functions state input limit: a JSON artifact must stay below it.
constexpr std::size_t kStepFunctionsInputLimit = std::size_t{256} * 1024;
// The items artifact leaves room for the failure report the state machine
// carries beside a wave (at most the 32,768-character cause, asl::kCauseLimit),
// so no state of `svcdiff asl` passes the input limit.
constexpr std::size_t kFailureReportReserve = 32768;
constexpr std::size_t kItemsArtifactLimit = kStepFunctionsInputLimit - kFailureReportReserve;

// Renders the artifact. For `items`, trims reasons, then path/buildspec/empty
// vars as SPEC §5 orders until it fits, setting artifact.trimmed and adding a
// line to `notes`. Throws svcdiff::Error (runtime) naming the limit when a
// JSON format still cannot fit.
std::string render(Artifact& artifact, Format format, std::vector<std::string>& notes);

// Where --s3-split's wave files go: s3://BUCKET/PREFIX (PREFIX may be empty).
struct S3Location {
  std::string bucket;
  std::string prefix;  // without a leading or trailing '/'
};

// Parses s3://BUCKET[/PREFIX]; throws svcdiff::Error (usage) naming the form.
S3Location parse_s3_uri(std::string_view uri);

// The items artifact split for a Distributed Map (SPEC §6): each wave's items,
// untrimmed, as a JSON array in `<run>/wave-<n>.json` (relative to the split
// directory), and the artifact that names their keys under `location`. It
// carries `count` instead of the `services` list, which would not fit 256
// KiB for thousands of services.
struct S3Split {
  std::vector<std::pair<std::string, std::string>> files;  // relative path, content
  std::string artifact;
};
S3Split render_s3_split(const Artifact& artifact, const S3Location& location,
                        const std::string& run);

// KEY='value' with the value single-quoted so that `source` never expands it.
std::string shell_quote(std::string_view value);

}  // namespace svcdiff::output
