// pom.xml, read with pugixml.
#include <pugixml.hpp>

#include "config/manifests.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

std::string trimmed(const char* text) {
  std::string_view view(text);
  auto start = view.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "";
  auto end = view.find_last_not_of(" \t\r\n");
  return std::string(view.substr(start, end - start + 1));
}

// `${project.groupId}` and `${name}` from <properties>; anything else stays.
std::string expand(const std::string& value, const pugi::xml_node& project,
                   const std::string& group_id) {
  if (value.size() < 4 || value.rfind("${", 0) != 0 || value.back() != '}') return value;
  const std::string key = value.substr(2, value.size() - 3);
  if (key == "project.groupId" || key == "pom.groupId" || key == "groupId") return group_id;
  if (key == "project.parent.groupId")
    return trimmed(project.child("parent").child_value("groupId"));
  std::string property = trimmed(project.child("properties").child_value(key.c_str()));
  return property.empty() ? value : property;
}

}  // namespace

Manifest read_pom_xml(std::string_view text, const std::string& file) {
  pugi::xml_document document;
  pugi::xml_parse_result result = document.load_buffer(text.data(), text.size());
  if (!result) {
    auto position = position_at(text, static_cast<std::size_t>(result.offset));
    throw config_error_at({file, position.line, position.column},
                          std::string("not valid XML: ") + result.description());
  }
  pugi::xml_node project = document.child("project");
  if (!project) throw config_error_at({file, 1, 1}, "no <project> element");
  Manifest manifest;
  // A module without its own groupId inherits its parent's.
  std::string group_id = trimmed(project.child_value("groupId"));
  if (group_id.empty()) group_id = trimmed(project.child("parent").child_value("groupId"));
  const std::string artifact_id = trimmed(project.child_value("artifactId"));
  if (!artifact_id.empty()) manifest.name = group_id + ":" + artifact_id;
  for (pugi::xml_node dependency : project.child("dependencies").children("dependency")) {
    std::string group = expand(trimmed(dependency.child_value("groupId")), project, group_id);
    std::string artifact = expand(trimmed(dependency.child_value("artifactId")), project, group_id);
    std::string scope = trimmed(dependency.child_value("scope"));
    if (scope.empty()) scope = "compile";
    auto position = position_at(text, static_cast<std::size_t>(dependency.offset_debug()));
    const std::string name = group + ":" + artifact;
    manifest.dependencies.push_back(
        {scope, name, "", false, position.line, "<dependency> " + name + " (" + scope + ")"});
  }
  return manifest;
}

}  // namespace svcdiff::config
