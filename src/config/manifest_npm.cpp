// package.json, read with nlohmann/json.
#include <nlohmann/json.hpp>

#include "config/manifests.hpp"
#include "core/error.hpp"

namespace svcdiff::config {

TextPosition position_at(std::string_view text, std::size_t offset) {
  TextPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

namespace {

const char* const kNpmKinds[] = {"dependencies", "devDependencies", "peerDependencies",
                                 "optionalDependencies"};

// Where `"key"` first stands in the text, for messages about its value.
TextPosition position_of_key(std::string_view text, const std::string& key) {
  auto at = text.find("\"" + key + "\"");
  return position_at(text, at == std::string_view::npos ? 0 : at);
}

}  // namespace

Manifest read_package_json(std::string_view text, const std::string& file) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // e.byte is 1-based: the position of the byte that broke the parse.
    auto position = position_at(text, error.byte == 0 ? 0 : error.byte - 1);
    std::string what = error.what();
    auto detail = what.find("error while parsing");
    throw config_error_at(
        {file, position.line, position.column},
        "not valid JSON: " + (detail == std::string::npos ? what : what.substr(detail)));
  }
  if (!document.is_object()) throw config_error_at({file, 1, 1}, "expected a JSON object");
  Manifest manifest;
  if (auto name = document.find("name"); name != document.end() && name->is_string()) {
    manifest.name = name->get<std::string>();
  }
  for (const char* kind : kNpmKinds) {
    auto list = document.find(kind);
    if (list == document.end() || list->is_null()) continue;
    if (!list->is_object()) {
      auto position = position_of_key(text, kind);
      throw config_error_at({file, position.line, position.column},
                            std::string("`") + kind + "` must be an object of package names");
    }
    for (const auto& [name, spec] : list->items()) {
      manifest.dependencies.push_back(
          {kind, name, "", false, 0, nlohmann::json(name).dump() + ": " + spec.dump()});
    }
  }
  return manifest;
}

}  // namespace svcdiff::config
