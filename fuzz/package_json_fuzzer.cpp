// package.json from arbitrary bytes: read_package_json reads only what
// `infer` needs from the parser's events; whatever it returns must be what the
// whole document says (name, each dependency kind, keys sorted, the last of
// duplicate keys, the text `explain` shows), and text that is not a JSON
// object is a one-line config error.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "config/manifests.hpp"
#include "core/error.hpp"
#include "fuzz_check.hpp"

namespace {

const char* const kKinds[] = {"dependencies", "devDependencies", "peerDependencies",
                              "optionalDependencies"};

// The manifest as one string, from the whole document; "" when the reader
// must refuse the text (not JSON, not an object, a kind that is no object).
std::string document_reading(std::string_view text) {
  auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return "";
  auto name = document.find("name");
  std::string out = name != document.end() && name->is_string() ? name->get<std::string>() : "";
  for (const char* kind : kKinds) {
    auto list = document.find(kind);
    if (list == document.end() || list->is_null()) continue;
    if (!list->is_object()) return "";
    for (const auto& [dependency, spec] : list->items()) {
      out +=
          std::string("\n") + kind + " " + nlohmann::json(dependency).dump() + ": " + spec.dump();
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using svcdiff::fuzz::require;
  const std::string expected = document_reading(text);
  try {
    auto manifest = svcdiff::config::read_package_json(text, "package.json");
    std::string got = manifest.name;
    for (const auto& dependency : manifest.dependencies) {
      got += "\n" + dependency.kind + " " + dependency.text;
    }
    require(!expected.empty() || got.empty(), "a refused text is an error", got);
    require(got == expected, "the events say what the document says", got);
  } catch (const svcdiff::Error& error) {
    require(error.code() == svcdiff::ExitCode::config, "a bad manifest is a config error",
            error.what());
    svcdiff::fuzz::require_one_line(error.what());
    require(expected.empty(), "only a text the document refuses is an error", error.what());
  }
  return 0;
}
