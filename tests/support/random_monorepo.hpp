#pragma once

// Seeded random monorepos for the tests that hold two ways of computing one
// answer to each other (discovery on demand against full discovery, the
// result cache against none): services under services/*/* and apps/*,
// libraries, a site, a global directory, and commits that add, remove and
// change them. The same seed gives the same repository on every run.
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "support/temp_repo.hpp"

namespace svcdiff::testing {

// Uniform picks from a fixed seed: the same sequence on every run. The
// generators of the random tests derive from it.
class SeededPicks {
 public:
  explicit SeededPicks(unsigned seed) : random_(seed) {}

 protected:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  int pick(int n) { return static_cast<int>(pick(static_cast<std::size_t>(n))); }
  static std::string basename(const std::string& dir) { return dir.substr(dir.rfind('/') + 1); }

 private:
  std::mt19937 random_;
};

class RandomMonorepo : private SeededPicks {
 public:
  static constexpr const char* kBuildspec =
      "version: 0.2\nphases:\n  build:\n    commands: [make]\n";

  // With `npm`, every service also has a package.json naming others as
  // dependencies, and the changes edit, remove and rename them too.
  RandomMonorepo(TempRepo& repo, unsigned seed, bool npm = false)
      : SeededPicks(seed), repo_(repo), npm_(npm) {}

  // A layout: services under services/*/* (named by basename) and apps/*
  // (ci/buildspec.yml, named by path), libraries, a site, a global
  // directory, ignored files, and a namesake below a glob that is no service.
  void build() {
    for (int domain = 0; domain < 3; ++domain) {
      const int count = 1 + pick(4);
      for (int i = 0; i < count; ++i) {
        add_service("services/d" + std::to_string(domain) + "/svc" + std::to_string(domain) +
                    std::to_string(i));
      }
    }
    const int apps = 1 + pick(3);
    for (int i = 0; i < apps; ++i) {
      const std::string dir = "apps/app" + std::to_string(i);
      repo_.write(dir + "/ci/buildspec.yml", kBuildspec);
      repo_.write(dir + "/main.go", "package main\n");
      apps_.push_back(dir);
    }
    for (const char* lib : {"libs/lib0/x.py", "libs/lib1/x.py", "site/index.html",
                            "tools/ci/run.sh", "docs/guide.md"}) {
      repo_.write(lib, "v0\n");
    }
    const std::string& some = services_[pick(services_.size())];
    repo_.write(some + "/tools/" + basename(some) + "/buildspec.yml", kBuildspec);
    if (npm_) {
      for (const auto& dir : services_) write_package_json(dir);
    }
  }

  // svcdiff.yml: explicit entries override some discovered services (they
  // depend on a library), `site` depends on a discovered service.
  // `full`: with `infer: [npm]`, which makes discovery run in full.
  std::string config(bool full) {
    std::string text = "version: 1\n";
    if (full) text += "infer: [npm]\n";
    text +=
        "ignore: [\"**/*.md\"]\nglobal: [\"tools/ci/\"]\ndiscover:\n"
        "  - {glob: \"services/*/*\"}\n"
        "  - {glob: \"apps/*\", require: ci/buildspec.yml, name: path}\n"
        "services:\n"
        "  lib0:\n    paths: [libs/lib0/]\n    build: false\n"
        "  lib1:\n    paths: [libs/lib1/]\n    build: false\n"
        "  site:\n    paths: [site/]\n    depends_on: [" +
        basename(services_[config_pick_]) + "]\n";
    for (const auto& name : overridden_) {
      text += "  " + name + ":\n    depends_on: [lib" + std::to_string(name.size() % 2);
      // npm: an inferred edge excluded (`!name`), which is an error once that
      // service is gone and a warning while no manifest declares the edge.
      if (npm_ && full) text += ", \"!" + basename(services_[config_pick_]) + "\"";
      text += "]\n";
    }
    return text;
  }

  void choose_config() {
    // What add_linked_services made keeps its shape: only chain0 has an
    // entry, so its dependents are found through inferred edges alone.
    const std::size_t random = linked_from_ ? linked_from_ : services_.size();
    config_pick_ = pick(random);
    for (std::size_t i = 0; i < random; ++i) {
      if (pick(3) == 0) overridden_.push_back(basename(services_[i]));
    }
    if (linked_from_) overridden_.push_back(kChainRoot);
  }

  // npm services whose manifests make a known shape, for the tests of infer's
  // edges on demand: chain0 <- chain1 <- chain2 (each depends on the one
  // before; chain0's explicit entry, from choose_config, depends on a
  // library), chain2 and loop depend on each other (a cycle a change to
  // chain0 reaches), apart0 and apart1 too (a cycle nothing here reaches).
  // Before choose_config.
  void add_linked_services() {
    const std::string dir = "services/d5/";
    linked_from_ = services_.size();
    add_service(dir + kChainRoot, {"left-pad"});
    add_service(dir + "chain1", {kChainRoot});
    add_service(dir + "chain2", {"chain1", "loop"});
    add_service(dir + "loop", {"chain2"});
    add_service(dir + "apart0", {"apart1"});
    add_service(dir + "apart1", {"apart0"});
  }

  // A code change to what add_linked_services made: chain0 itself, or the
  // library it depends on, now and then with another change of code.
  void change_linked(int round) {
    const std::string tag = std::to_string(round);
    if (pick(2) == 0) {
      repo_.write(std::string("services/d5/") + kChainRoot + "/src/app.py", "print(" + tag + ")\n");
    } else {
      repo_.write("libs/lib" + std::to_string(std::string(kChainRoot).size() % 2) + "/x.py",
                  tag + "\n");
    }
    if (pick(2) == 0) change_code(round);
  }

  // A commit that leaves every manifest, require file and the config alone:
  // one to three services' code (and now and then a library) changes.
  void change_code(int round) {
    const int changes = 1 + pick(3);
    for (int i = 0; i < changes; ++i) {
      const std::string tag = std::to_string(round) + "_" + std::to_string(i);
      if (pick(4) == 0) {
        repo_.write("libs/lib" + std::to_string(pick(2)) + "/x.py", tag + "\n");
      } else {
        repo_.write(services_[pick(services_.size())] + "/src/app.py", "print(" + tag + ")\n");
      }
    }
  }

  // One to four changes of the kinds a commit brings.
  void change(int round) {
    const int changes = 1 + pick(4);
    for (int i = 0; i < changes; ++i) change_one(round, i);
  }

 private:
  static constexpr const char* kChainRoot = "chain0";

  void add_service(const std::string& dir) {
    repo_.write(dir + "/buildspec.yml", kBuildspec);
    repo_.write(dir + "/src/app.py", "print()\n");
    repo_.write(dir + "/README.md", "# readme\n");
    services_.push_back(dir);
    if (npm_) write_package_json(dir);
  }

  // A service whose package.json depends on exactly `packages` (by basename).
  void add_service(const std::string& dir, const std::vector<std::string>& packages) {
    repo_.write(dir + "/buildspec.yml", kBuildspec);
    repo_.write(dir + "/src/app.py", "print()\n");
    services_.push_back(dir);
    std::string deps;
    for (const auto& name : packages) {
      deps += std::string(deps.empty() ? "" : ", ") + "\"" + (name == "left-pad" ? "" : "@r/") +
              name + "\": \"1\"";
    }
    repo_.write(dir + "/package.json",
                "{\"name\": \"@r/" + basename(dir) + "\", \"dependencies\": {" + deps + "}}\n");
  }

  // A package named after its directory's basename (or, now and then, not)
  // depending on up to three others by name, and on one outside the repo.
  void write_package_json(const std::string& dir, const std::string& name_suffix = "") {
    std::string deps = "\"left-pad\": \"^1\"";
    const int count = pick(4);
    for (int k = 0; k < count; ++k) {
      deps += ", \"@r/" + basename(services_[pick(services_.size())]) + "\": \"" +
              std::to_string(k) + "\"";
    }
    const char* kind = pick(3) == 0 ? "devDependencies" : "dependencies";
    repo_.write(dir + "/package.json", "{\"name\": \"@r/" + basename(dir) + name_suffix + "\", \"" +
                                           kind + "\": {" + deps + "}}\n");
  }

  void change_npm(const std::string& service, const std::string& tag) {
    switch (pick(5)) {
      case 0:
      case 1:
        write_package_json(service);  // dependencies added, removed, changed
        break;
      case 2:
        repo_.remove(service + "/package.json");
        break;
      case 3:
        write_package_json(service, pick(2) == 0 ? "-renamed" + tag : "");
        break;
      default: {
        // A service moved: its directory renamed, its package too.
        const std::string to = service.substr(0, service.rfind('/') + 1) + "moved" + tag;
        std::error_code error;
        std::filesystem::rename(repo_.at(service), repo_.at(to), error);
        if (!error) services_.push_back(to);
        break;
      }
    }
  }

  void change_one(int round, int i) {
    const std::string& service = services_[pick(services_.size())];
    const std::string tag = std::to_string(round) + "_" + std::to_string(i);
    if (npm_ && pick(2) == 0) {
      change_npm(service, tag);
      return;
    }
    switch (pick(11)) {
      case 0:
        repo_.write(service + "/src/app.py", "print(" + tag + ")\n");
        break;
      case 1:
        repo_.write("libs/lib" + std::to_string(pick(2)) + "/x.py", tag + "\n");
        break;
      case 2:
        add_service("services/d" + std::to_string(pick(4)) + "/new" + tag);
        break;
      case 3:
        repo_.remove(service);  // a removed service
        break;
      case 4:
        repo_.write(service + "/README.md", tag + "\n");  // ignored
        break;
      case 5:
        repo_.write(service + "/buildspec.yml", std::string(kBuildspec) + "# " + tag + "\n");
        break;
      case 6:
        if (pick(3) == 0) repo_.write("tools/ci/run.sh", tag + "\n");  // global, now and then
        break;
      case 7:
        repo_.write(service + "/deep/" + basename(service) + "/buildspec.yml", kBuildspec);
        break;
      case 8:
        repo_.write(apps_[pick(apps_.size())] + "/main.go", "package main // " + tag + "\n");
        break;
      case 9:
        repo_.remove(service + "/buildspec.yml");  // the directory stays, no service
        break;
      default:
        repo_.write("site/index.html", tag + "\n");
    }
  }

  TempRepo& repo_;
  std::vector<std::string> services_;
  std::vector<std::string> apps_;
  std::vector<std::string> overridden_;
  std::size_t config_pick_ = 0;
  std::size_t linked_from_ = 0;  // services_ from here on are add_linked_services'
  bool npm_ = false;
};

}  // namespace svcdiff::testing
