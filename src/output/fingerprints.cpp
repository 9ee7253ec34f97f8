#include "output/fingerprints.hpp"

#include <nlohmann/json.hpp>

namespace svcdiff::output {

std::string render_fingerprints(const FingerprintReport& report, bool json) {
  if (!json) {
    std::string text;
    for (const auto& [name, fingerprint] : report.fingerprints) {
      text += name + " " + fingerprint + "\n";
    }
    return text;
  }
  nlohmann::ordered_json fingerprints = nlohmann::ordered_json::object();
  for (const auto& [name, fingerprint] : report.fingerprints) fingerprints[name] = fingerprint;
  nlohmann::ordered_json out{{"head", report.head.empty() ? nlohmann::ordered_json(nullptr)
                                                          : nlohmann::ordered_json(report.head)},
                             {"source", report.source},
                             {"fingerprints", std::move(fingerprints)}};
  return out.dump(2) + "\n";
}

}  // namespace svcdiff::output
