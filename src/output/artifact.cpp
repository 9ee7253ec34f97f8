#include "output/artifact.hpp"

#include <algorithm>

namespace svcdiff::output {

Artifact make_artifact(const std::vector<config::Service>& services,
                       const plan::Selection& selection) {
  Artifact artifact;
  artifact.all = selection.all;
  int max_wave = -1;
  for (std::size_t index : selection.listed) {
    max_wave = std::max(max_wave, selection.wave[index]);
  }
  artifact.waves.resize(max_wave < 0 ? 0 : static_cast<std::size_t>(max_wave) + 1);
  // `listed` is sorted by name, so each wave comes out sorted too.
  for (std::size_t index : selection.listed) {
    const auto& service = services[index];
    artifact.services.push_back(service.name);
    Item item;
    item.name = service.name;
    item.project = service.project;
    item.path = service.directory;
    item.buildspec = service.buildspec;
    item.wave = selection.wave[index];
    item.vars = service.vars;
    item.var_types = service.var_types;
    const auto& reasons = selection.reasons[index];
    const std::size_t kept = std::min(reasons.size(), kItemReasons);
    item.reasons.assign(reasons.begin(), reasons.begin() + static_cast<std::ptrdiff_t>(kept));
    for (std::size_t dependency : selection.waits_for[index]) {
      item.depends_on.push_back(services[dependency].name);
    }
    std::sort(item.depends_on.begin(), item.depends_on.end());
    artifact.waves[static_cast<std::size_t>(item.wave)].push_back(std::move(item));
  }
  for (std::size_t index : selection.removed) artifact.removed.push_back(services[index].name);
  std::sort(artifact.removed.begin(), artifact.removed.end());
  return artifact;
}

}  // namespace svcdiff::output
