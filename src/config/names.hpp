#pragma once

#include <string_view>

namespace svcdiff::config {

// CodeBuild project names: [A-Za-z0-9][A-Za-z0-9_-]{1,254}. Service names
// follow the same rule, since a service's project defaults to its name.
bool is_codebuild_project_name(std::string_view name);

// Environment variable names: [A-Za-z_][A-Za-z0-9_]*.
bool is_env_var_name(std::string_view name);

}  // namespace svcdiff::config
