#pragma once

#include <string>
#include <vector>

#include "cache/cache_file.hpp"

namespace svcdiff::cache {

// The services a `changed` must know when it knows every inferred edge
// (`edges`, the cache's) and `names` (the services along the changes and
// those the config names): `names` and every service that depends on one of
// them through `edges`, directly or not (whatever the change selects); with
// `dependencies`, also every service those depend on, directly or not (the
// fingerprints of --format items read them; waves and cycles never need
// them: a dependency that reaches a selected service depends on it, so it
// is among the dependents already). Sorted, each once. Pure.
std::vector<std::string> linked_services(const InferredEdges& edges,
                                         const std::vector<std::string>& names,
                                         bool dependencies = true);

}  // namespace svcdiff::cache
