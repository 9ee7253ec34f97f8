#include "output/artifact.hpp"

#include <algorithm>

namespace svcdiff::output {

Artifact make_artifact(const std::vector<config::Service>& services,
                       const plan::Selection& selection) {
  Artifact artifact;
  artifact.all = selection.all;
  // Each wave sized once: an Item is large, and a wave of hundreds moved
  // them at every doubling.
  std::vector<std::size_t> wave_sizes;
  for (std::size_t index : selection.listed) {
    const auto wave = static_cast<std::size_t>(selection.wave[index]);
    if (wave >= wave_sizes.size()) wave_sizes.resize(wave + 1, 0);
    ++wave_sizes[wave];
  }
  artifact.waves.resize(wave_sizes.size());
  for (std::size_t w = 0; w < wave_sizes.size(); ++w) artifact.waves[w].reserve(wave_sizes[w]);
  artifact.services.reserve(selection.listed.size());
  // `listed` is sorted by name, so each wave comes out sorted too.
  for (std::size_t index : selection.listed) {
    const auto& service = services[index];
    artifact.services.push_back(service.name);
    Item& item = artifact.waves[static_cast<std::size_t>(selection.wave[index])].emplace_back();
    item.service = index;
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
    const auto& waits_for = selection.waits_for[index];
    item.depends_on.reserve(waits_for.size());
    for (std::size_t dependency : waits_for) item.depends_on.push_back(services[dependency].name);
    std::sort(item.depends_on.begin(), item.depends_on.end());
  }
  for (std::size_t index : selection.removed) artifact.removed.push_back(services[index].name);
  std::sort(artifact.removed.begin(), artifact.removed.end());
  return artifact;
}

}  // namespace svcdiff::output
