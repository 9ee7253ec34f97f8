#pragma once

#include <string>
#include <vector>

#include "cache/cache_file.hpp"

namespace svcdiff::cache {

// The services a `changed` must know when it knows every inferred edge
// (`edges`, the cache's) and `names` (the services along the changes and
// those the config names): `names`, every service that depends on one of
// them through `edges`, directly or not (whatever the change selects), and
// every service those depend on, directly or not (their waves, cycles and
// fingerprints read their dependencies). Sorted, each once. Pure.
std::vector<std::string> linked_services(const InferredEdges& edges,
                                         const std::vector<std::string>& names);

}  // namespace svcdiff::cache
