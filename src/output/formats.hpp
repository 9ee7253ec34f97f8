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

// Renders the artifact. For `items`, trims reasons, then path/buildspec/empty
// vars as SPEC §5 orders until it fits, setting artifact.trimmed and adding a
// line to `notes`. Throws svcdiff::Error (runtime) naming the limit when a
// JSON format still cannot fit.
std::string render(Artifact& artifact, Format format, std::vector<std::string>& notes);

// KEY='value' with the value single-quoted so that `source` never expands it.
std::string shell_quote(std::string_view value);

}  // namespace svcdiff::output
