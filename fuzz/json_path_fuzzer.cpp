// The JSON writer on arbitrary path bytes (SPEC §5): every format renders,
// every JSON format parses, and decoding each `\xNN` in a path gives back
// exactly the bytes it was written from.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "output/artifact.hpp"
#include "output/formats.hpp"

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The reader's side of SPEC §5: every `\xNN` becomes the byte NN.
std::string decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
        hex_digit(text[i + 2]) >= 0 && hex_digit(text[i + 3]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 2]) * 16 + hex_digit(text[i + 3]));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using svcdiff::fuzz::require;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  svcdiff::output::Artifact artifact;
  artifact.base = "b";
  artifact.head = "h";
  artifact.base_rule = "flag";
  artifact.services = {"api"};
  svcdiff::output::Item item;
  item.name = "api";
  item.project = "api";
  item.path = bytes;
  item.buildspec = bytes;
  item.vars = {{"VALUE", bytes}};
  item.reasons.push_back({svcdiff::plan::ReasonKind::file, bytes, bytes, bytes, bytes});
  artifact.waves = {{item}};

  std::vector<std::string> notes;
  using svcdiff::output::Format;
  for (const Format format : {Format::env, Format::github, Format::text}) {
    (void)svcdiff::output::render(artifact, format, notes);
  }
  const nlohmann::json services =
      nlohmann::json::parse(svcdiff::output::render(artifact, Format::services, notes));
  require(services["services"][0] == "api", "services lists the service");
  const std::string text = svcdiff::output::render(artifact, Format::items, notes);
  const nlohmann::json items = nlohmann::json::parse(text);  // throws (a finding) if invalid
  const nlohmann::json& written = items.at("waves").at(0).at(0);
  // An empty path or buildspec is left out of the item (SPEC §5): read it as "".
  const auto field = [](const nlohmann::json& object, const char* key) {
    return object.contains(key) ? object.at(key).get<std::string>() : std::string();
  };
  require(decode(field(written, "path")) == bytes, "item path round-trips", text);
  require(decode(field(written, "buildspec")) == bytes, "buildspec round-trips", text);
  require(decode(field(written.at("reasons").at(0), "path")) == bytes, "reason path round-trips",
          text);
  return 0;
}
