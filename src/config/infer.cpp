#include "config/infer.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "config/manifests.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::config {
namespace {

// What one service's manifests declare, read once.
struct ServiceManifests {
  Manifest main;                                 // package.json, go.mod, Cargo.toml, ...
  std::string file;                              // its repository-relative path
  std::vector<DeclaredDependency> requirements;  // python: requirements*.txt lines
  std::vector<std::string> requirement_files;    // the file of each, same order
};

// The manifest each ecosystem reads in a service's directory (cargo also in
// the directories above it); python reads requirements*.txt there too, and go
// the root's go.work. The one list the readers and is_manifest_name use.
struct MainManifest {
  const char* ecosystem;
  const char* file;
};
constexpr MainManifest kMainManifests[] = {{"npm", "package.json"},
                                           {"go", "go.mod"},
                                           {"cargo", "Cargo.toml"},
                                           {"maven", "pom.xml"},
                                           {"python", "pyproject.toml"}};
constexpr const char* kGoWork = "go.work";

std::string main_manifest_name(const std::string& ecosystem) {
  for (const auto& manifest : kMainManifests) {
    if (ecosystem == manifest.ecosystem) return manifest.file;
  }
  return {};
}

// requirements.txt, requirements-dev.txt, ...
bool is_requirements_name(std::string_view name) {
  constexpr std::string_view kPrefix = "requirements";
  constexpr std::string_view kSuffix = ".txt";
  return name.size() >= kPrefix.size() + kSuffix.size() &&
         name.substr(0, kPrefix.size()) == kPrefix &&
         name.substr(name.size() - kSuffix.size()) == kSuffix;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// `relative` below `dir`, with `.` and `..` folded; nullopt when it is
// absolute or leaves the repository.
std::optional<std::string> resolve(const std::string& dir, const std::string& relative) {
  if (relative.empty() || relative[0] == '/') return std::nullopt;
  return fold_dot_segments(dir.empty() ? relative : dir + "/" + relative);
}

// Each service's ecosystems with their kinds: the top level's, and those of
// the `discover` entries whose glob matches a discovered service's directory.
std::vector<std::map<std::string, std::set<std::string>>> rules_per_service(
    const Config& config, const std::vector<Service>& services) {
  std::vector<std::map<std::string, std::set<std::string>>> rules(services.size());
  auto add = [](std::map<std::string, std::set<std::string>>& into,
                const std::vector<InferSpec>& specs) {
    for (const auto& spec : specs) {
      auto& kinds = into[spec.ecosystem];
      if (spec.kinds.empty()) {
        for (const auto& ecosystem : ecosystems()) {
          if (ecosystem.name == spec.ecosystem)
            kinds.insert(ecosystem.kinds.begin(), ecosystem.kinds.end());
        }
      } else {
        kinds.insert(spec.kinds.begin(), spec.kinds.end());
      }
    }
  };
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i].directory.empty()) continue;
    add(rules[i], config.infer);
    if (!services[i].discovered) continue;
    for (const auto& rule : config.discover) {
      if (rule.infer.empty()) continue;
      std::string glob = rule.glob;
      while (!glob.empty() && glob.front() == '/') glob.erase(0, 1);
      while (!glob.empty() && glob.back() == '/') glob.pop_back();
      if (match::wildmatch(glob, services[i].directory)) add(rules[i], rule.infer);
    }
  }
  return rules;
}

// Infers the edges of one ecosystem for every service that asks for it.
class EcosystemInference {
 public:
  EcosystemInference(std::string ecosystem, std::vector<Service>& services,
                     const ManifestFiles& files)
      : ecosystem_(std::move(ecosystem)), services_(services), files_(files) {
    for (std::size_t i = 0; i < services_.size(); ++i) {
      if (!services_[i].directory.empty()) by_directory_.emplace(services_[i].directory, i);
    }
  }

  // Reads every service's manifest (each is a target by its name), then adds
  // the edges of `wanted` services, kinds filtered.
  void run(const std::vector<std::map<std::string, std::set<std::string>>>& rules) {
    manifests_.resize(services_.size());
    for (std::size_t i = 0; i < services_.size(); ++i) {
      if (!services_[i].directory.empty()) read_service(i);
    }
    if (ecosystem_ == "go") {
      if (auto text = files_.read(kGoWork)) {
        go_work_ = read_go_mod(*text, kGoWork);
        for (const auto& use : go_work_->uses) {
          if (auto dir = resolve("", use)) go_work_uses_.insert(*dir);
        }
      }
    }
    for (std::size_t i = 0; i < services_.size(); ++i) {
      auto found = rules[i].find(ecosystem_);
      if (found == rules[i].end() || !manifests_[i]) continue;
      const ServiceManifests& manifest = *manifests_[i];
      for (const auto& dependency : manifest.main.dependencies) {
        if (found->second.count(dependency.kind) == 0) continue;
        add_edge(i, target_of(i, dependency), manifest.file, dependency);
      }
      for (std::size_t k = 0; k < manifest.requirements.size(); ++k) {
        const auto& dependency = manifest.requirements[k];
        if (found->second.count(dependency.kind) == 0) continue;
        add_edge(i, owner_of(resolve(services_[i].directory, dependency.path)),
                 manifest.requirement_files[k], dependency);
      }
    }
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  void read_service(std::size_t i) {
    const std::string& dir = services_[i].directory;
    ServiceManifests manifest;
    bool any = false;
    auto read_main = [&](const std::string& name, auto reader) {
      manifest.file = join(dir, name);
      if (auto text = files_.read(manifest.file)) {
        manifest.main = reader(*text, manifest.file);
        any = true;
      }
    };
    const std::string main_name = main_manifest_name(ecosystem_);
    if (ecosystem_ == "npm") read_main(main_name, read_package_json);
    if (ecosystem_ == "go") read_main(main_name, read_go_mod);
    if (ecosystem_ == "cargo") read_main(main_name, read_cargo_toml);
    if (ecosystem_ == "maven") read_main(main_name, read_pom_xml);
    if (ecosystem_ == "python") {
      read_main(main_name, read_pyproject_toml);
      for (const auto& name : files_.list(dir)) {
        if (!is_requirements_name(name)) continue;
        const std::string file = join(dir, name);
        auto text = files_.read(file);
        if (!text) continue;
        any = true;
        for (auto& dependency : read_requirements_txt(*text, file)) {
          manifest.requirements.push_back(std::move(dependency));
          manifest.requirement_files.push_back(file);
        }
      }
    }
    if (!any) return;
    if (!manifest.main.name.empty()) by_name_.try_emplace(manifest.main.name, i);
    manifests_[i] = std::move(manifest);
  }

  // The service whose directory holds `path` (the deepest), or npos.
  std::size_t owner_of(const std::optional<std::string>& path) const {
    if (!path) return npos;
    std::string at = *path;
    while (true) {
      if (auto it = by_directory_.find(at); it != by_directory_.end()) return it->second;
      auto slash = at.rfind('/');
      if (slash == std::string::npos) return npos;
      at.resize(slash);
    }
  }

  std::size_t by_name(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? npos : it->second;
  }

  std::size_t target_of(std::size_t i, const DeclaredDependency& dependency) {
    const std::string& dir = services_[i].directory;
    if (ecosystem_ == "npm" || ecosystem_ == "maven") return by_name(dependency.name);
    if (ecosystem_ == "go") return go_target(i, dependency);
    if (!dependency.path.empty()) return owner_of(resolve(dir, dependency.path));
    if (!dependency.workspace) return npos;
    if (ecosystem_ == "python") return by_name(dependency.name);
    // cargo: the nearest Cargo.toml at or above that declares [workspace].
    std::string at = dir;
    while (true) {
      if (const Manifest* workspace = cargo_workspace(at)) {
        auto path = workspace->local_paths.find(dependency.name);
        if (path == workspace->local_paths.end()) return npos;
        return owner_of(resolve(at, path->second));
      }
      if (at.empty()) return npos;
      auto slash = at.rfind('/');
      at = slash == std::string::npos ? "" : at.substr(0, slash);
    }
  }

  // A required module is local when a `replace` points it at a directory,
  // or when go.work uses both modules.
  std::size_t go_target(std::size_t i, const DeclaredDependency& dependency) const {
    const auto& replaces = manifests_[i]->main.local_paths;
    if (auto it = replaces.find(dependency.name); it != replaces.end()) {
      return owner_of(resolve(services_[i].directory, it->second));
    }
    if (go_work_) {
      if (auto it = go_work_->local_paths.find(dependency.name);
          it != go_work_->local_paths.end()) {
        return owner_of(resolve("", it->second));
      }
    }
    std::size_t target = by_name(dependency.name);
    if (target == npos || go_work_uses_.count(services_[i].directory) == 0 ||
        go_work_uses_.count(services_[target].directory) == 0) {
      return npos;
    }
    return target;
  }

  // The Cargo.toml of `dir` when it declares [workspace], else nullptr.
  const Manifest* cargo_workspace(const std::string& dir) {
    auto [it, inserted] = cargo_workspaces_.try_emplace(dir);
    if (inserted) {
      const std::string file = join(dir, main_manifest_name("cargo"));
      if (auto text = files_.read(file)) {
        Manifest manifest = read_cargo_toml(*text, file);
        if (manifest.workspace_root) it->second = std::move(manifest);
      }
    }
    return it->second ? &*it->second : nullptr;
  }

  void add_edge(std::size_t from, std::size_t to, const std::string& file,
                const DeclaredDependency& dependency) {
    if (to == npos || to == from) return;
    Service& service = services_[from];
    const std::string& name = services_[to].name;
    for (const auto& edge : service.inferred) {
      if (edge.service == name) return;  // the first declaration is the one shown
    }
    std::string where = file + (dependency.line > 0 ? ":" + std::to_string(dependency.line) : "");
    service.inferred.push_back({name, where + ": " + dependency.text});
  }

  std::string ecosystem_;
  std::vector<Service>& services_;
  const ManifestFiles& files_;
  std::unordered_map<std::string, std::size_t> by_directory_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::vector<std::optional<ServiceManifests>> manifests_;
  std::optional<Manifest> go_work_;
  std::set<std::string> go_work_uses_;
  std::map<std::string, std::optional<Manifest>> cargo_workspaces_;
};

}  // namespace

const std::vector<Ecosystem>& ecosystems() {
  static const std::vector<Ecosystem> kEcosystems = {
      {"npm", {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}},
      {"go", {"direct", "indirect"}},
      {"cargo", {"dependencies", "dev-dependencies", "build-dependencies"}},
      {"maven", {"compile", "provided", "runtime", "test", "system", "import"}},
      {"python", {"dependencies", "optional-dependencies", "dependency-groups", "requirements"}},
  };
  return kEcosystems;
}

bool is_manifest_name(std::string_view name) {
  if (name == kGoWork || is_requirements_name(name)) return true;
  return std::any_of(std::begin(kMainManifests), std::end(kMainManifests),
                     [&](const MainManifest& manifest) { return name == manifest.file; });
}

bool infers_anything(const Config& config) {
  return !config.infer.empty() ||
         std::any_of(config.discover.begin(), config.discover.end(),
                     [](const Discover& rule) { return !rule.infer.empty(); });
}

std::vector<std::string> infer_dependencies(const Config& config, std::vector<Service>& services,
                                            const ManifestFiles& files) {
  auto rules = rules_per_service(config, services);
  for (const auto& ecosystem : ecosystems()) {
    bool wanted = std::any_of(rules.begin(), rules.end(), [&](const auto& service_rules) {
      return service_rules.count(ecosystem.name) != 0;
    });
    if (wanted) EcosystemInference(ecosystem.name, services, files).run(rules);
  }

  // `!name` entries: drop those edges; name what they could not find.
  std::vector<std::string> names;
  names.reserve(services.size());
  for (const auto& service : services) names.push_back(service.name);
  std::vector<std::string> warnings;
  for (auto& service : services) {
    for (std::size_t k = 0; k < service.not_depends_on.size(); ++k) {
      const std::string& excluded = service.not_depends_on[k];
      const SourcePos pos = service.not_depends_on_pos[k];
      const std::string at =
          config.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
      if (std::find(names.begin(), names.end(), excluded) == names.end()) {
        throw config_error_at({config.file, pos.line, pos.column},
                              "service `" + service.name + "` excludes unknown service `" +
                                  excluded + "`" +
                                  did_you_mean(excluded, names, "; `svcdiff list` shows them"));
      }
      auto it =
          std::find_if(service.inferred.begin(), service.inferred.end(),
                       [&](const InferredDependency& edge) { return edge.service == excluded; });
      if (it == service.inferred.end()) {
        warnings.push_back(at + ": `!" + excluded + "` excludes nothing: no manifest of `" +
                           service.name + "` that `infer` reads declares `" + excluded + "`");
      } else {
        service.inferred.erase(it);
      }
    }
  }
  return warnings;
}

}  // namespace svcdiff::config
