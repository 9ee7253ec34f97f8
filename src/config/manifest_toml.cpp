// Cargo.toml and pyproject.toml, read with toml++.
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>

#include "config/manifests.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

toml::table parse_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw config_error_at({file, static_cast<int>(begin.line), static_cast<int>(begin.column)},
                          "not valid TOML: " + std::string(error.description()));
  }
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// `name = {path = "../x"}` or `{workspace = true}` as explain shows it; empty
// when the entry is neither (a registry or git dependency).
DeclaredDependency local_dependency(const std::string& kind, const std::string& name,
                                    const toml::node& value, const std::string& section) {
  DeclaredDependency dependency{kind, name, "", false, line_of(value), ""};
  const toml::table* table = value.as_table();
  if (table == nullptr) return dependency;
  if (auto path = (*table)["path"].value<std::string>()) {
    dependency.path = *path;
    dependency.text = "[" + section + "] " + name + " = {path = \"" + *path + "\"}";
  } else if ((*table)["workspace"].value_or(false)) {
    dependency.workspace = true;
    dependency.text = "[" + section + "] " + name + " = {workspace = true}";
  }
  return dependency;
}

void add_cargo_section(Manifest& manifest, const toml::table& table, const std::string& prefix) {
  for (const char* kind : {"dependencies", "dev-dependencies", "build-dependencies"}) {
    const toml::table* section = table[kind].as_table();
    if (section == nullptr) continue;
    for (const auto& [key, value] : *section) {
      auto dependency =
          local_dependency(kind, std::string(key.str()), value, prefix + std::string(kind));
      if (!dependency.text.empty()) manifest.dependencies.push_back(std::move(dependency));
    }
  }
}

// The project name at the start of a PEP 508 requirement ("common[x]>=1; ...").
std::string requirement_name(std::string_view requirement) {
  std::size_t start = requirement.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  std::size_t end = start;
  while (end < requirement.size() &&
         (std::isalnum(static_cast<unsigned char>(requirement[end])) != 0 ||
          requirement[end] == '-' || requirement[end] == '_' || requirement[end] == '.')) {
    ++end;
  }
  return normalize_python_name(requirement.substr(start, end - start));
}

// Adds every requirement string of `array` to `kinds` under `kind`.
void note_requirements(const toml::node_view<const toml::node>& array, const std::string& kind,
                       std::map<std::string, std::vector<std::string>>& kinds) {
  const toml::array* items = array.as_array();
  if (items == nullptr) return;
  for (const auto& item : *items) {
    if (auto text = item.value<std::string>()) {
      auto& list = kinds[requirement_name(*text)];
      if (std::find(list.begin(), list.end(), kind) == list.end()) list.push_back(kind);
    }
  }
}

}  // namespace

std::string normalize_python_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

Manifest read_cargo_toml(std::string_view text, const std::string& file) {
  const toml::table document = parse_toml(text, file);
  Manifest manifest;
  manifest.name = document["package"]["name"].value_or(std::string());
  add_cargo_section(manifest, document, "");
  if (const toml::table* targets = document["target"].as_table()) {
    for (const auto& [target, table] : *targets) {
      if (const toml::table* inner = table.as_table()) {
        add_cargo_section(manifest, *inner, "target." + std::string(target.str()) + ".");
      }
    }
  }
  if (const toml::table* workspace = document["workspace"].as_table()) {
    manifest.workspace_root = true;
    if (const toml::table* dependencies = (*workspace)["dependencies"].as_table()) {
      for (const auto& [key, value] : *dependencies) {
        if (const toml::table* entry = value.as_table()) {
          if (auto path = (*entry)["path"].value<std::string>()) {
            manifest.local_paths[std::string(key.str())] = *path;
          }
        }
      }
    }
  }
  return manifest;
}

Manifest read_pyproject_toml(std::string_view text, const std::string& file) {
  const toml::table document = parse_toml(text, file);
  Manifest manifest;
  manifest.name = normalize_python_name(document["project"]["name"].value_or(std::string()));

  // uv: a source says where a dependency comes from; the lists say its kind.
  std::map<std::string, std::vector<std::string>> kinds;
  note_requirements(document["project"]["dependencies"], "dependencies", kinds);
  if (const toml::table* extras = document["project"]["optional-dependencies"].as_table()) {
    for (const auto& [extra, list] : *extras) {
      note_requirements(toml::node_view<const toml::node>(list), "optional-dependencies", kinds);
    }
  }
  if (const toml::table* groups = document["dependency-groups"].as_table()) {
    for (const auto& [group, list] : *groups) {
      note_requirements(toml::node_view<const toml::node>(list), "dependency-groups", kinds);
    }
  }
  note_requirements(document["tool"]["uv"]["dev-dependencies"], "dependency-groups", kinds);
  if (const toml::table* sources = document["tool"]["uv"]["sources"].as_table()) {
    for (const auto& [key, value] : *sources) {
      const std::string name = normalize_python_name(key.str());
      auto found = kinds.find(name);
      if (found == kinds.end()) continue;  // a source no list uses declares nothing
      for (const auto& kind : found->second) {
        auto dependency = local_dependency(kind, std::string(key.str()), value, "tool.uv.sources");
        dependency.name = name;
        if (!dependency.text.empty()) manifest.dependencies.push_back(std::move(dependency));
      }
    }
  }

  // poetry: `name = {path = "../x"}` in its dependency tables.
  auto add_poetry = [&](const toml::table* table, const std::string& kind,
                        const std::string& section) {
    if (table == nullptr) return;
    for (const auto& [key, value] : *table) {
      auto dependency = local_dependency(kind, std::string(key.str()), value, section);
      dependency.name = normalize_python_name(key.str());
      if (!dependency.path.empty()) manifest.dependencies.push_back(std::move(dependency));
    }
  };
  const auto poetry = document["tool"]["poetry"];
  add_poetry(poetry["dependencies"].as_table(), "dependencies", "tool.poetry.dependencies");
  add_poetry(poetry["dev-dependencies"].as_table(), "dependency-groups",
             "tool.poetry.dev-dependencies");
  if (const toml::table* groups = poetry["group"].as_table()) {
    for (const auto& [group, table] : *groups) {
      const std::string section = "tool.poetry.group." + std::string(group.str()) + ".dependencies";
      add_poetry(
          table.as_table() == nullptr ? nullptr : (*table.as_table())["dependencies"].as_table(),
          "dependency-groups", section);
    }
  }
  return manifest;
}

}  // namespace svcdiff::config
