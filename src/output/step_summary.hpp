#pragma once

#include <string>

#include "output/artifact.hpp"

namespace svcdiff::output {

// The Markdown that `changed` appends to $GITHUB_STEP_SUMMARY in GitHub
// Actions: what was compared, and each selected service with its wave and why.
std::string render_step_summary(const Artifact& artifact);

}  // namespace svcdiff::output
