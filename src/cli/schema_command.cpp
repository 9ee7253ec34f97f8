// `schema`: the JSON Schema of svcdiff.yml, for editors (schema/svcdiff.schema.json).
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"

namespace svcdiff::cli {

// Defined in the file CMakeLists.txt generates from schema/svcdiff.schema.json.
extern const std::string_view kConfigSchema;

int run_schema() {
  std::cout << kConfigSchema << std::flush;
  return 0;
}

}  // namespace svcdiff::cli
