// The manifest readers of `infer`, format by format, on plain text.
#include "config/manifests.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/run.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

// The message of the config error `read` throws, or "" when it throws none.
template <typename Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    return cli::error_line(error);
  }
  return "";
}

TEST(PackageJson, ReadsTheNameAndEveryDependencyKind) {
  auto manifest = read_package_json(R"({
    "name": "@acme/web",
    "dependencies": {"@acme/common": "workspace:*", "react": "^18"},
    "devDependencies": {"@acme/test-kit": "1.0.0"},
    "peerDependencies": {"@acme/ui": "*"},
    "optionalDependencies": {"@acme/extra": "file:../extra"}
  })",
                                    "web/package.json");
  EXPECT_EQ(manifest.name, "@acme/web");
  ASSERT_EQ(manifest.dependencies.size(), 5u);
  EXPECT_EQ(manifest.dependencies[0].kind, "dependencies");
  EXPECT_EQ(manifest.dependencies[0].name, "@acme/common");
  EXPECT_EQ(manifest.dependencies[0].text, R"("@acme/common": "workspace:*")");
  EXPECT_EQ(manifest.dependencies[2].kind, "devDependencies");
  EXPECT_EQ(manifest.dependencies[3].kind, "peerDependencies");
  EXPECT_EQ(manifest.dependencies[4].kind, "optionalDependencies");
}

TEST(PackageJson, BadJsonNamesFileLineAndColumn) {
  std::string message = error_of([] {
    read_package_json("{\n  \"name\": \"a\",\n  \"dependencies\": {,}\n}\n", "a/package.json");
  });
  EXPECT_EQ(message.rfind("a/package.json:3:20: error: not valid JSON", 0), 0u) << message;
  message = error_of([] {
    read_package_json("{\"name\": \"a\",\n \"dependencies\": [\"b\"]}", "a/package.json");
  });
  EXPECT_EQ(message,
            "a/package.json:2:2: error: `dependencies` must be an object of package names");
  // A number past a double's range is refused at its last byte, as syntax errors are (found
  // by the fuzzer; it was an internal error).
  message = error_of([] { read_package_json("{\"name\": \"a\",\n \"v\": 9e99999}", "p.json"); });
  EXPECT_EQ(message, "p.json:2:13: error: not valid JSON: number overflow parsing '9e99999'");
}

// What a package.json says, read the plain way: the whole document, keys in
// order, the last of duplicate keys. read_package_json reads only what it
// needs from the parser's events and must say exactly this.
std::vector<std::string> document_reading(const std::string& text) {
  auto document = nlohmann::json::parse(text);
  auto name = document.find("name");
  std::vector<std::string> out{
      name != document.end() && name->is_string() ? name->get<std::string>() : ""};
  for (const char* kind :
       {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    auto list = document.find(kind);
    if (list == document.end() || list->is_null()) continue;
    for (const auto& [dependency, spec] : list->items()) {
      out.push_back(std::string(kind) + " " + nlohmann::json(dependency).dump() + ": " +
                    spec.dump());
    }
  }
  return out;
}

// `{"x": ` and `depth` nested arrays and objects, open at the end.
std::string deep(int depth) {
  std::string text = R"({"x": )";
  for (int i = 0; i < depth; ++i) text += i % 2 == 0 ? "[" : R"({"d": )";
  text += "1";
  for (int i = depth - 1; i >= 0; --i) text += i % 2 == 0 ? "]" : "}";
  return text;
}

std::vector<std::string> events_reading(const std::string& text) {
  auto manifest = read_package_json(text, "package.json");
  std::vector<std::string> out{manifest.name};
  for (const auto& dependency : manifest.dependencies) {
    EXPECT_EQ(dependency.text.rfind(nlohmann::json(dependency.name).dump() + ": ", 0), 0u);
    out.push_back(dependency.kind + " " + dependency.text);
  }
  return out;
}

TEST(PackageJson, SaysWhatTheWholeDocumentSays) {
  const std::vector<std::string> texts = {
      R"({"name": "a", "dependencies": {"b": "1", "a\"q\\b": "x\u0001y\nz\u007f\u00e9"}})",
      R"({"dependencies": {"z": "1", "b": "2", "z": "3"}, "name": "late"})",
      R"({"dependencies": {"b": "1"}, "dependencies": {"c": "2"}})",
      R"({"name": "a", "dependencies": {"b": 1, "c": {"version": "2"}, "d": null}})",
      R"({"name": {"first": "x"}, "devDependencies": null, "peerDependencies": {}})",
      R"({"name": "a", "name": 7, "scripts": {"dependencies": {"x": "1"}}})",
      R"({"workspaces": ["a", {"dependencies": {}}], "optionalDependencies": {"e": "file:../e"}})",
      R"({"name": "a", "dependencies": null, "dependencies": {"f": "2"}})",
      R"({})",
      // Aimed at the scanner that reads the common text by hand, and at
      // what it leaves to the parser.
      R"({"name": "a\/b\\c\"d\b\f\n\r\t", "dependencies": {"k\ty": "v\u00e9", "\u0062": "1"}})",
      R"({"n\u0061me": "escaped", "dependencie\u0073": {"c": "1"}, "name": "plain"})",
      "{\"name\": \"Jos\u00e9 \u2603 \U0001d11e\", \"dependencies\": {\"\u00fc\": \"\u00f6\"}}",
      "\xEF\xBB\xBF{\"name\": \"after a byte order mark\"}",
      " \r\n\t{ \"name\" :\"a\" ,\"dependencies\":{ \"b\" : \"1\" } }\n\t",
      R"({"v": [-0, 0, -0.5, 12.75, 1e5, 1E+2, 2.5e-3, 123456789012345678901234567890], "name": "n"})",
      R"({"flags": [true, false, null, {}, [], "", {"a": [{"b": null}]}], "name": "x"})",
      R"({"name": null, "devDependencies": {}, "peerDependencies": {"z": "", "a": "b"}})",
      R"({"name": ["a"], "optionalDependencies": {"q": "1", "q": "2"}})",
      R"({"dependencies": null, "name": "a", "dependencies": null})",
      R"({"devDependencies": {"x": "1"}, "devDependencies": {"y": "2"}})",
      R"({"name": "a", "scripts": {"test": "jest --runInBand \"a b\""}, "dependencies": {"b": "1"}})",
      deep(10) + R"(, "name": "shallow"})",
      deep(200) + R"(, "name": "deeper than the scanner goes"})",
      std::string(R"({"name": "nul", "dependencies": {"b": "1"}})") + '\0' + "after",
  };
  for (const auto& text : texts) EXPECT_EQ(events_reading(text), document_reading(text)) << text;
}

// Text that is not JSON is the parser's error, whichever reader met it first;
// none of these may be read as a manifest.
TEST(PackageJson, RefusesWhatTheParserRefuses) {
  const std::vector<std::string> texts = {
      "",
      "   ",
      R"({"name": "a",})",
      R"({"dependencies": {"b": "1",}})",
      R"({"v": [1,]})",
      R"({"v": 01})",
      R"({"v": -})",
      R"({"v": 1.})",
      R"({"v": .5})",
      R"({"v": +1})",
      R"({"v": 1e})",
      R"({"v": 0x10})",
      R"({"v": tru})",
      R"({"v": nulll})",
      R"({"v": "a\qb"})",
      R"({"v": "\ud800"})",
      R"({"v": "\udc00 alone"})",
      R"({"v": "\u12g4"})",
      "{\"v\": \"a raw\ttab\"}",
      "{\"v\": \"a raw\nnewline\"}",
      "{\"v\": \"overlong \xC0\xAF\"}",
      "{\"v\": \"surrogate \xED\xA0\x80\"}",
      "{\"v\": \"past U+10FFFF \xF4\x90\x80\x80\"}",
      "{\"v\": \"cut \xE2\x82\"}",
      "{\"v\": \"lone continuation \x80\"}",
      R"({"name": "a"} x)",
      R"({"name": "a"}})",
      R"({"name" "a"})",
      R"({name: "a"})",
      R"({'name': 'a'})",
      "{\"name\": \"a\" // comment\n}",
      R"({"name": "unterminated)",
      R"({"name": "a")",
      R"({"dependencies": {"b": "1")",
      deep(300),
  };
  for (const auto& text : texts) {
    const std::string message = error_of([&] { read_package_json(text, "package.json"); });
    EXPECT_EQ(message.rfind("package.json:", 0), 0u) << text << " -> " << message;
    EXPECT_NE(message.find(": error: not valid JSON: "), std::string::npos) << text << message;
  }
  EXPECT_EQ(error_of([] { read_package_json("{\"a\": [1,]}", "p.json"); }),
            "p.json:1:10: error: not valid JSON: error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(error_of([] { read_package_json("{\"v\":\n 01}", "p.json"); }),
            "p.json:2:3: error: not valid JSON: error while parsing object - unexpected number "
            "literal; expected '}'");
  for (const char* text : {R"("name")", R"([{"name": "a"}])", "7"}) {
    EXPECT_EQ(error_of([&] { read_package_json(text, "p.json"); }),
              "p.json:1:1: error: expected a JSON object");
  }
}

TEST(GoMod, ReadsModuleRequiresAndLocalReplaces) {
  auto manifest = read_go_mod(
      "module example.com/api // the API\n"
      "\n"
      "go 1.22\n"
      "require example.com/common v0.0.0\n"
      "require (\n"
      "\tgithub.com/pkg/errors v0.9.1\n"
      "\t\"example.com/auth\" v0.1.0 // indirect\n"
      ")\n"
      "replace example.com/common => ../../libs/common\n"
      "replace (\n"
      "\texample.com/auth v0.1.0 => ./auth\n"
      "\tgithub.com/pkg/errors => github.com/fork/errors v1.0.0\n"
      ")\n",
      "services/api/go.mod");
  EXPECT_EQ(manifest.name, "example.com/api");
  ASSERT_EQ(manifest.dependencies.size(), 3u);
  EXPECT_EQ(manifest.dependencies[0].name, "example.com/common");
  EXPECT_EQ(manifest.dependencies[0].kind, "direct");
  EXPECT_EQ(manifest.dependencies[0].line, 4);
  EXPECT_EQ(manifest.dependencies[0].text, "require example.com/common v0.0.0");
  EXPECT_EQ(manifest.dependencies[2].name, "example.com/auth");
  EXPECT_EQ(manifest.dependencies[2].kind, "indirect");
  EXPECT_EQ(manifest.local_paths.size(), 2u);
  EXPECT_EQ(manifest.local_paths["example.com/common"], "../../libs/common");
  EXPECT_EQ(manifest.local_paths["example.com/auth"], "./auth");
}

TEST(GoMod, ReadsGoWorkUse) {
  auto work = read_go_mod("go 1.22\n\nuse (\n\t./services/api\n\t./libs/common\n)\nuse ./tools\n",
                          "go.work");
  EXPECT_EQ(work.uses, (std::vector<std::string>{"./services/api", "./libs/common", "./tools"}));
}

TEST(GoMod, BrokenLinesNameTheirLine) {
  EXPECT_EQ(error_of([] { read_go_mod("module a\nrequire (\n\tb v1\n", "go.mod"); }),
            "go.mod:2:1: error: `require (` is never closed; add a line with `)`");
  EXPECT_EQ(error_of([] { read_go_mod("module a\n\nrequire b\n", "x/go.mod"); }),
            "x/go.mod:3:1: error: `require` takes a module path and a version");
  EXPECT_EQ(error_of([] { read_go_mod("module \"a\n", "go.mod"); }),
            "go.mod:1:1: error: unterminated string");
  EXPECT_EQ(error_of([] { read_go_mod("replace a b\n", "go.mod"); }),
            "go.mod:1:1: error: `replace` takes `module [version] => path` or `=> module version`");
}

TEST(CargoToml, ReadsPathAndWorkspaceDependenciesOfEveryKind) {
  auto manifest = read_cargo_toml(R"([package]
name = "api"

[dependencies]
common = { path = "../../libs/common" }
serde = "1"
auth = { workspace = true }

[dev-dependencies]
testkit = { path = "../testkit" }

[target.'cfg(unix)'.build-dependencies]
gen = { path = "../gen" }
)",
                                  "services/api/Cargo.toml");
  EXPECT_EQ(manifest.name, "api");
  EXPECT_FALSE(manifest.workspace_root);
  // toml++ keeps a table's keys sorted.
  ASSERT_EQ(manifest.dependencies.size(), 4u);
  EXPECT_EQ(manifest.dependencies[0].name, "auth");
  EXPECT_TRUE(manifest.dependencies[0].workspace);
  EXPECT_EQ(manifest.dependencies[0].text, "[dependencies] auth = {workspace = true}");
  EXPECT_EQ(manifest.dependencies[1].kind, "dependencies");
  EXPECT_EQ(manifest.dependencies[1].path, "../../libs/common");
  EXPECT_EQ(manifest.dependencies[1].line, 5);
  EXPECT_EQ(manifest.dependencies[1].text,
            "[dependencies] common = {path = \"../../libs/common\"}");
  EXPECT_EQ(manifest.dependencies[2].kind, "dev-dependencies");
  EXPECT_EQ(manifest.dependencies[3].kind, "build-dependencies");
  EXPECT_EQ(manifest.dependencies[3].path, "../gen");
  EXPECT_EQ(manifest.dependencies[3].text,
            "[target.cfg(unix).build-dependencies] gen = {path = \"../gen\"}");
}

TEST(CargoToml, ReadsTheWorkspaceDependencyPaths) {
  auto root = read_cargo_toml(
      "[workspace]\nmembers = [\"services/*\"]\n\n[workspace.dependencies]\n"
      "auth = { path = \"libs/auth\" }\nserde = \"1\"\n",
      "Cargo.toml");
  EXPECT_TRUE(root.workspace_root);
  EXPECT_EQ(root.local_paths, (std::map<std::string, std::string>{{"auth", "libs/auth"}}));
}

TEST(CargoToml, BadTomlNamesFileLineAndColumn) {
  std::string message =
      error_of([] { read_cargo_toml("[package]\nname = \"a\"\nversion = \n", "a/Cargo.toml"); });
  EXPECT_EQ(message.rfind("a/Cargo.toml:3:", 0), 0u) << message;
  EXPECT_NE(message.find("error: not valid TOML"), std::string::npos) << message;
}

TEST(PomXml, InheritsTheParentGroupIdAndReadsScopes) {
  auto manifest = read_pom_xml(R"(<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>com.acme</groupId><artifactId>parent</artifactId></parent>
  <artifactId>api</artifactId>
  <dependencies>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>common</artifactId>
    </dependency>
    <dependency>
      <groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope>
    </dependency>
  </dependencies>
</project>
)",
                               "services/api/pom.xml");
  EXPECT_EQ(manifest.name, "com.acme:api");
  ASSERT_EQ(manifest.dependencies.size(), 2u);
  EXPECT_EQ(manifest.dependencies[0].name, "com.acme:common");
  EXPECT_EQ(manifest.dependencies[0].kind, "compile");
  EXPECT_EQ(manifest.dependencies[0].line, 6);
  EXPECT_EQ(manifest.dependencies[0].text, "<dependency> com.acme:common (compile)");
  EXPECT_EQ(manifest.dependencies[1].name, "junit:junit");
  EXPECT_EQ(manifest.dependencies[1].kind, "test");
}

TEST(PomXml, BadXmlNamesFileLineAndColumn) {
  std::string message = error_of([] {
    read_pom_xml("<project>\n  <artifactId>a</artifactId>\n  <dependencies>\n</project>\n",
                 "a/pom.xml");
  });
  EXPECT_EQ(message.rfind("a/pom.xml:4:", 0), 0u) << message;
  EXPECT_NE(message.find("not valid XML"), std::string::npos) << message;
  EXPECT_EQ(error_of([] { read_pom_xml("<other/>", "b/pom.xml"); }),
            "b/pom.xml:1:1: error: no <project> element");
}

TEST(PyprojectToml, ReadsUvSourcesByTheKindOfListThatUsesThem) {
  auto manifest = read_pyproject_toml(R"([project]
name = "My_Api"
dependencies = ["common>=1", "requests"]

[project.optional-dependencies]
cli = ["Tools.Kit[x]"]

[dependency-groups]
dev = ["testkit"]

[tool.uv.sources]
common = { workspace = true }
tools-kit = { path = "../../libs/tools" }
testkit = { path = "../testkit", editable = true }
unused = { path = "../unused" }

[tool.uv.workspace]
members = ["services/*"]
)",
                                      "services/api/pyproject.toml");
  EXPECT_EQ(manifest.name, "my-api");
  ASSERT_EQ(manifest.dependencies.size(), 3u);
  EXPECT_EQ(manifest.dependencies[0].name, "common");
  EXPECT_EQ(manifest.dependencies[0].kind, "dependencies");
  EXPECT_TRUE(manifest.dependencies[0].workspace);
  EXPECT_EQ(manifest.dependencies[0].text, "[tool.uv.sources] common = {workspace = true}");
  EXPECT_EQ(manifest.dependencies[1].name, "testkit");
  EXPECT_EQ(manifest.dependencies[1].kind, "dependency-groups");
  EXPECT_EQ(manifest.dependencies[2].name, "tools-kit");
  EXPECT_EQ(manifest.dependencies[2].kind, "optional-dependencies");
  EXPECT_EQ(manifest.dependencies[2].path, "../../libs/tools");
}

TEST(PyprojectToml, ReadsPoetryPathDependencies) {
  auto manifest = read_pyproject_toml(R"([tool.poetry]
name = "api"

[tool.poetry.dependencies]
python = "^3.11"
common = { path = "../../libs/common", develop = true }

[tool.poetry.group.test.dependencies]
testkit = { path = "../testkit" }
)",
                                      "services/api/pyproject.toml");
  ASSERT_EQ(manifest.dependencies.size(), 2u);
  EXPECT_EQ(manifest.dependencies[0].kind, "dependencies");
  EXPECT_EQ(manifest.dependencies[0].path, "../../libs/common");
  EXPECT_EQ(manifest.dependencies[0].line, 6);
  EXPECT_EQ(manifest.dependencies[1].kind, "dependency-groups");
  EXPECT_EQ(manifest.dependencies[1].text,
            "[tool.poetry.group.test.dependencies] testkit = {path = \"../testkit\"}");
}

TEST(RequirementsTxt, ReadsLocalPathLinesOnly) {
  auto dependencies = read_requirements_txt(
      "# pinned\n"
      "requests==2.31\n"
      "-e ../../libs/common\n"
      "--editable=../auth  # local\n"
      "-r base.txt\n"
      "./vendor/kit[extra]\n"
      "tools @ file:../tools\n"
      "file:../gen#egg=gen\n"
      "-e git+https://example.invalid/x.git#egg=x\n"
      "abs @ file:///opt/abs\n",
      "services/api/requirements.txt");
  ASSERT_EQ(dependencies.size(), 5u);
  EXPECT_EQ(dependencies[0].path, "../../libs/common");
  EXPECT_EQ(dependencies[0].line, 3);
  EXPECT_EQ(dependencies[0].text, "-e ../../libs/common");
  EXPECT_EQ(dependencies[1].path, "../auth");
  EXPECT_EQ(dependencies[2].path, "./vendor/kit");
  EXPECT_EQ(dependencies[3].path, "../tools");
  EXPECT_EQ(dependencies[4].path, "../gen");
  EXPECT_EQ(dependencies[4].kind, "requirements");
}

TEST(RequirementsTxt, EditableWithoutPathNamesItsLine) {
  EXPECT_EQ(error_of([] { read_requirements_txt("flask\n-e\n", "requirements-dev.txt"); }),
            "requirements-dev.txt:2:1: error: `-e` needs a path or URL");
}

TEST(PythonName, NormalizesLikePep503) {
  EXPECT_EQ(normalize_python_name("My__Pkg.Name-x"), "my-pkg-name-x");
}

}  // namespace
}  // namespace svcdiff::config
