#pragma once

#include <string>
#include <utility>
#include <vector>

namespace svcdiff::output {

// What `svcdiff fingerprint` found: the result object, printed by render.
struct FingerprintReport {
  std::string head;    // the commit read; empty for a plain directory
  std::string source;  // "commit" or "directory"
  std::vector<std::pair<std::string, std::string>> fingerprints;  // (service, "v1:..."), by name
};

// Text: "<service> <fingerprint>" a line. JSON:
// {"head":...,"source":...,"fingerprints":{"<service>":"v1:..."}}.
std::string render_fingerprints(const FingerprintReport& report, bool json);

}  // namespace svcdiff::output
