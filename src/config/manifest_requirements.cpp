// requirements*.txt: pip's line format, read without a library.
#include "config/manifests.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

std::string_view trim(std::string_view text) {
  auto start = text.find_first_not_of(" \t\r");
  if (start == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t\r");
  return text.substr(start, end - start + 1);
}

// A relative local path out of a requirement's location, or "" for anything
// else (an index name, a URL, an absolute path, which is not portable).
std::string local_path(std::string_view location) {
  location = trim(location);
  if (location.rfind("file:", 0) == 0) {
    location.remove_prefix(5);
    if (location.rfind("//", 0) == 0) return "";  // file:///abs: absolute
  }
  if (auto fragment = location.find('#'); fragment != std::string_view::npos) {
    location = location.substr(0, fragment);  // #egg=name
  }
  if (!location.empty() && location.back() == ']') {
    location = location.substr(0, location.rfind('['));  // ../x[extra]
  }
  if (location == "." || location == ".." || location.rfind("./", 0) == 0 ||
      location.rfind("../", 0) == 0) {
    return std::string(location);
  }
  return "";
}

}  // namespace

std::vector<DeclaredDependency> read_requirements_txt(std::string_view text,
                                                      const std::string& file) {
  std::vector<DeclaredDependency> dependencies;
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    // A comment starts a line or follows whitespace.
    for (std::size_t hash = line.find('#'); hash != std::string_view::npos;
         hash = line.find('#', hash + 1)) {
      if (hash == 0 || line[hash - 1] == ' ' || line[hash - 1] == '\t') {
        line = line.substr(0, hash);
        break;
      }
    }
    line = trim(line);
    if (line.empty()) continue;
    std::string_view location;
    if (line.rfind("-e", 0) == 0 || line.rfind("--editable", 0) == 0) {
      std::string_view rest = line.substr(line[1] == 'e' ? 2 : 10);
      if (!rest.empty() && rest[0] == '=') rest.remove_prefix(1);
      location = trim(rest);
      if (location.empty()) {
        throw config_error_at({file, number, 1}, "`" + std::string(line) + "` needs a path or URL");
      }
    } else if (line[0] == '-') {
      continue;  // -r, -c, --index-url, ...: options, not requirements
    } else if (auto at = line.find(" @ "); at != std::string_view::npos) {
      location = line.substr(at + 3);
    } else {
      location = line;
    }
    std::string path = local_path(location);
    if (!path.empty()) {
      dependencies.push_back({"requirements", "", path, false, number, std::string(line)});
    }
  }
  return dependencies;
}

}  // namespace svcdiff::config
