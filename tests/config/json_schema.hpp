#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff::testing {

// A JSON Schema (draft-07) validator for the keywords schema/svcdiff.schema.json
// uses: type, properties, patternProperties, additionalProperties, required,
// items, enum, const, pattern, minLength, maxLength, maxItems, maxProperties and
// local `$ref`s into `definitions`. Test-only. It is strict: the constructor
// throws std::invalid_argument for any other keyword, so the schema cannot
// gain a constraint that these tests would silently skip.
class JsonSchema {
 public:
  explicit JsonSchema(nlohmann::json schema);

  // One message per violation, "<JSON pointer>: <what>"; empty when valid.
  std::vector<std::string> validate(const nlohmann::json& instance) const;

 private:
  void check_keywords(const nlohmann::json& schema, const std::string& where) const;
  const nlohmann::json& resolve(const nlohmann::json& schema) const;
  void validate(const nlohmann::json& schema, const nlohmann::json& instance,
                const std::string& pointer, std::vector<std::string>& errors) const;

  nlohmann::json schema_;
};

// YAML as an editor's YAML 1.2 language server sees it, as JSON: quoted
// scalars are strings; plain ones are null, booleans, integers or floats when
// the core schema says so, else strings. Throws on invalid YAML.
nlohmann::json yaml_to_json(std::string_view text);

}  // namespace svcdiff::testing
