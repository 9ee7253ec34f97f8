#include "config/json_schema.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

namespace svcdiff::testing {
namespace {

using nlohmann::json;

const std::set<std::string> kAnnotations = {"$schema",     "$id",     "$comment", "title",
                                            "description", "default", "examples", "definitions"};
const std::set<std::string> kKeywords = {"type",
                                         "properties",
                                         "patternProperties",
                                         "additionalProperties",
                                         "required",
                                         "items",
                                         "enum",
                                         "const",
                                         "pattern",
                                         "minLength",
                                         "maxLength",
                                         "maxItems",
                                         "maxProperties",
                                         "$ref"};

bool has_type(const json& instance, const std::string& type) {
  if (type == "null") return instance.is_null();
  if (type == "boolean") return instance.is_boolean();
  if (type == "object") return instance.is_object();
  if (type == "array") return instance.is_array();
  if (type == "string") return instance.is_string();
  if (type == "number") return instance.is_number();
  if (type == "integer") {
    if (instance.is_number_integer()) return true;
    if (!instance.is_number_float()) return false;
    double value = instance.get<double>();
    return value == static_cast<double>(static_cast<long long>(value));
  }
  throw std::invalid_argument("unknown type `" + type + "`");
}

// JSON Schema lengths count code points, not bytes.
std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool search(const std::string& pattern, const std::string& text) {
  return std::regex_search(text, std::regex(pattern, std::regex::ECMAScript));
}

// YAML 1.2 core schema resolution of a plain scalar.
json plain_scalar(const std::string& text) {
  static const std::regex kNull("~|null|Null|NULL|");
  static const std::regex kTrue("true|True|TRUE");
  static const std::regex kFalse("false|False|FALSE");
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kOctal("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(text, kNull)) return nullptr;
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;
  try {
    if (std::regex_match(text, kInteger)) return std::stoll(text);
    if (std::regex_match(text, kOctal)) return std::stoll(text.substr(2), nullptr, 8);
    if (std::regex_match(text, kHex)) return std::stoll(text.substr(2), nullptr, 16);
  } catch (const std::out_of_range&) {
    return std::stod(text);
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags a quoted scalar "!", a plain one "?".
      return node.Tag() == "!" ? json(node.Scalar()) : plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const auto& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = to_json(entry.second);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

JsonSchema::JsonSchema(json schema) : schema_(std::move(schema)) {
  check_keywords(schema_, "#");
  if (schema_.contains("definitions")) {
    for (const auto& [name, definition] : schema_["definitions"].items()) {
      check_keywords(definition, "#/definitions/" + name);
    }
  }
}

void JsonSchema::check_keywords(const json& schema, const std::string& where) const {
  if (!schema.is_object()) throw std::invalid_argument(where + ": a schema must be an object");
  for (const auto& [key, value] : schema.items()) {
    if (kAnnotations.count(key) == 0 && kKeywords.count(key) == 0) {
      throw std::invalid_argument(where + ": keyword `" + key + "` is not supported");
    }
    // Draft-07 ignores everything beside a `$ref`: a constraint there would be dead.
    if (key != "$ref" && kKeywords.count(key) != 0 && schema.contains("$ref")) {
      throw std::invalid_argument(where + ": `" + key + "` beside `$ref` is ignored in draft-07");
    }
  }
  if (schema.contains("$ref")) resolve(schema);
  if (schema.contains("type")) {
    const json& type = schema["type"];
    for (const auto& name : type.is_array() ? type : json::array({type})) {
      has_type(nullptr, name.get<std::string>());  // throws for an unknown type
    }
  }
  if (schema.contains("pattern")) std::regex(schema["pattern"].get<std::string>());
  for (const char* map : {"properties", "patternProperties"}) {
    if (!schema.contains(map)) continue;
    for (const auto& [name, sub] : schema[map].items()) {
      if (std::string(map) == "patternProperties") std::regex{name};
      check_keywords(sub, where + "/" + map + "/" + name);
    }
  }
  if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
    check_keywords(schema["additionalProperties"], where + "/additionalProperties");
  }
  if (schema.contains("items")) check_keywords(schema["items"], where + "/items");
}

const json& JsonSchema::resolve(const json& schema) const {
  if (!schema.contains("$ref")) return schema;
  const std::string ref = schema["$ref"].get<std::string>();
  const std::string prefix = "#/definitions/";
  if (ref.rfind(prefix, 0) != 0 || !schema_.contains("definitions") ||
      !schema_["definitions"].contains(ref.substr(prefix.size()))) {
    throw std::invalid_argument("unresolvable $ref `" + ref + "`");
  }
  return resolve(schema_["definitions"][ref.substr(prefix.size())]);
}

std::vector<std::string> JsonSchema::validate(const json& instance) const {
  std::vector<std::string> errors;
  validate(schema_, instance, "", errors);
  return errors;
}

void JsonSchema::validate(const json& unresolved, const json& instance, const std::string& pointer,
                          std::vector<std::string>& errors) const {
  const json& schema = resolve(unresolved);
  const std::string at = pointer.empty() ? "/" : pointer;
  auto fail = [&](const std::string& what) { errors.push_back(at + ": " + what); };

  if (schema.contains("type")) {
    const json& type = schema["type"];
    std::vector<std::string> types;
    if (type.is_string()) {
      types.push_back(type.get<std::string>());
    } else {
      types = type.get<std::vector<std::string>>();
    }
    bool any = std::any_of(types.begin(), types.end(),
                           [&](const std::string& t) { return has_type(instance, t); });
    if (!any) {
      fail("expected type " + type.dump() + ", found " + instance.dump());
      return;  // the other keywords would only repeat it
    }
  }
  if (schema.contains("const") && instance != schema["const"]) {
    fail("expected " + schema["const"].dump() + ", found " + instance.dump());
  }
  if (schema.contains("enum")) {
    const json& choices = schema["enum"];
    if (std::find(choices.begin(), choices.end(), instance) == choices.end()) {
      fail(instance.dump() + " is not one of " + choices.dump());
    }
  }
  if (instance.is_string()) {
    const std::string text = instance.get<std::string>();
    if (schema.contains("minLength") && code_points(text) < schema["minLength"].get<std::size_t>())
      fail("shorter than " + schema["minLength"].dump());
    if (schema.contains("maxLength") && code_points(text) > schema["maxLength"].get<std::size_t>())
      fail("longer than " + schema["maxLength"].dump());
    if (schema.contains("pattern") && !search(schema["pattern"].get<std::string>(), text))
      fail(instance.dump() + " does not match " + schema["pattern"].dump());
  }
  if (instance.is_array()) {
    if (schema.contains("maxItems") && instance.size() > schema["maxItems"].get<std::size_t>())
      fail("more than " + schema["maxItems"].dump() + " items");
    if (schema.contains("items")) {
      for (std::size_t i = 0; i < instance.size(); ++i) {
        validate(schema["items"], instance[i], pointer + "/" + std::to_string(i), errors);
      }
    }
  }
  if (instance.is_object()) {
    if (schema.contains("maxProperties") &&
        instance.size() > schema["maxProperties"].get<std::size_t>())
      fail("more than " + schema["maxProperties"].dump() + " properties");
    if (schema.contains("required")) {
      for (const auto& name : schema["required"]) {
        if (!instance.contains(name.get<std::string>()))
          fail("missing required property " + name.dump());
      }
    }
    for (const auto& [key, value] : instance.items()) {
      const std::string child = pointer + "/" + pointer_token(key);
      bool matched = false;
      if (schema.contains("properties") && schema["properties"].contains(key)) {
        matched = true;
        validate(schema["properties"][key], value, child, errors);
      }
      if (schema.contains("patternProperties")) {
        for (const auto& [pattern, sub] : schema["patternProperties"].items()) {
          if (!search(pattern, key)) continue;
          matched = true;
          validate(sub, value, child, errors);
        }
      }
      if (matched || !schema.contains("additionalProperties")) continue;
      const json& additional = schema["additionalProperties"];
      if (additional.is_boolean()) {
        if (!additional.get<bool>()) fail("property \"" + key + "\" is not allowed");
      } else {
        validate(additional, value, child, errors);
      }
    }
  }
}

json yaml_to_json(std::string_view text) { return to_json(YAML::Load(std::string(text))); }

}  // namespace svcdiff::testing
