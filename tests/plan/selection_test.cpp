// select_services and mark_removed on plain data: no repository, no files.
#include "plan/selection.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace svcdiff::plan {
namespace {

using Names = std::vector<std::string>;

config::Service service(const std::string& name, const Names& paths, Names depends_on = {},
                        bool build = true, const Names& exclude = {}) {
  config::Service s;
  s.name = name;
  s.project = name;
  for (const auto& text : paths) s.paths.push_back({text, {}});
  for (const auto& text : exclude) s.exclude.push_back({text, {}});
  s.depends_on = std::move(depends_on);
  s.build = build;
  return s;
}

std::vector<match::Pattern> compile(const Names& texts) {
  std::vector<match::Pattern> patterns;
  for (const auto& text : texts) patterns.push_back(match::Pattern::compile(text));
  return patterns;
}

// The services, their graph and their classifier, as the cli builds them.
class Plan {
 public:
  explicit Plan(std::vector<config::Service> services, const Names& ignore = {},
                const Names& global = {})
      : services_(std::move(services)) {
    std::vector<graph::NodeSpec> nodes;
    std::vector<match::ServicePatterns> patterns;
    for (const auto& s : services_) {
      nodes.push_back({s.name, s.depends_on, s.build, {}, {}});
      Names paths, exclude;
      for (const auto& p : s.paths) paths.push_back(p.text);
      for (const auto& p : s.exclude) exclude.push_back(p.text);
      patterns.push_back({s.name, compile(paths), compile(exclude)});
    }
    graph_ = std::make_unique<graph::DependencyGraph>(std::move(nodes));
    classifier_ = std::make_unique<match::PathClassifier>(compile(ignore), compile(global),
                                                          std::move(patterns));
  }

  // A selection views its changes: each list is kept as long as the plan.
  Selection select(const Names& paths) const {
    auto& changes = changes_.emplace_back();
    for (const auto& path : paths) changes.push_back({path, ChangeKind::modified, false});
    return select_services({services_, *classifier_, *graph_, changes});
  }
  Selection select_all(ReasonKind kind, const std::string& detail) const {
    static const std::vector<ChangedPath> kNone;
    return select_services({services_, *classifier_, *graph_, kNone, true, kind, detail});
  }

  std::size_t index(const std::string& name) const { return graph_->find(name); }
  Names listed(const Selection& selection) const { return names(selection.listed); }
  Names names(const std::vector<std::size_t>& indices) const {
    Names out;
    for (std::size_t i : indices) out.push_back(services_[i].name);
    return out;
  }
  int wave(const Selection& selection, const std::string& name) const {
    return selection.wave[index(name)];
  }
  const std::vector<Reason>& reasons(const Selection& selection, const std::string& name) const {
    return selection.reasons[index(name)];
  }
  const graph::DependencyGraph& graph() const { return *graph_; }

 private:
  std::vector<config::Service> services_;
  std::unique_ptr<graph::DependencyGraph> graph_;
  std::unique_ptr<match::PathClassifier> classifier_;
  mutable std::deque<std::vector<ChangedPath>> changes_;
};

// common (a library) <- api, web; api <- worker; solo stands alone.
Plan library_plan() {
  return Plan({service("api", {"services/api/"}, {"common"}),
               service("common", {"libs/common/"}, {}, false), service("solo", {"services/solo/"}),
               service("web", {"services/web/"}, {"common"}),
               service("worker", {"services/worker/"}, {"api"})});
}

TEST(SelectServices, ChangedFileSelectsItsOwnerWithTheMatchingPattern) {
  Plan plan = library_plan();
  Selection selection = plan.select({"services/solo/main.py"});
  EXPECT_EQ(plan.listed(selection), Names{"solo"});
  ASSERT_EQ(plan.reasons(selection, "solo").size(), 1u);
  const Reason& reason = plan.reasons(selection, "solo")[0];
  EXPECT_EQ(reason.kind, ReasonKind::file);
  EXPECT_EQ(reason.path, "services/solo/main.py");
  EXPECT_EQ(reason.pattern, "services/solo/");
  EXPECT_EQ(plan.wave(selection, "solo"), 0);
  EXPECT_FALSE(selection.all);
}

TEST(SelectServices, LibraryChangeSelectsDependentsTransitivelyButNeverItself) {
  Plan plan = library_plan();
  Selection selection = plan.select({"libs/common/util.py"});
  EXPECT_EQ(plan.listed(selection), (Names{"api", "web", "worker"}));
  EXPECT_TRUE(selection.selected[plan.index("common")]);  // selected, not listed
  EXPECT_FALSE(selection.selected[plan.index("solo")]);
  // The library builds nothing, so it takes no wave: api and web come first.
  EXPECT_EQ(plan.wave(selection, "common"), -1);
  EXPECT_EQ(plan.wave(selection, "api"), 0);
  EXPECT_EQ(plan.wave(selection, "web"), 0);
  EXPECT_EQ(plan.wave(selection, "worker"), 1);
  ASSERT_EQ(plan.reasons(selection, "worker").size(), 1u);
  EXPECT_EQ(plan.reasons(selection, "worker")[0].kind, ReasonKind::dependency);
  EXPECT_EQ(plan.reasons(selection, "worker")[0].via, "api");
  EXPECT_EQ(plan.reasons(selection, "api")[0].via, "common");
  // The index too, which `explain` follows the chain by.
  EXPECT_EQ(plan.reasons(selection, "worker")[0].via_service, plan.index("api"));
  EXPECT_EQ(plan.reasons(selection, "api")[0].via_service, plan.index("common"));
}

TEST(SelectServices, DirectChangeKeepsOnlyItsFileReason) {
  Plan plan = library_plan();
  Selection selection = plan.select({"libs/common/util.py", "services/api/app.py"});
  ASSERT_EQ(plan.reasons(selection, "api").size(), 1u);
  EXPECT_EQ(plan.reasons(selection, "api")[0].kind, ReasonKind::file);
}

TEST(SelectServices, WavesCountOnlySelectedServices) {
  Plan plan = library_plan();
  // worker changed, api did not: worker needs nothing built before it.
  Selection selection = plan.select({"services/worker/w.py"});
  EXPECT_EQ(plan.listed(selection), Names{"worker"});
  EXPECT_EQ(plan.wave(selection, "worker"), 0);
  EXPECT_EQ(plan.wave(selection, "api"), -1);
}

TEST(SelectServices, IgnoredPathSelectsNothingAndRecordsThePattern) {
  Plan plan({service("api", {"services/api/"})}, {"**/*.md"});
  Selection selection = plan.select({"services/api/README.md"});
  EXPECT_TRUE(selection.listed.empty());
  ASSERT_EQ(selection.paths.size(), 1u);
  ASSERT_NE(selection.paths[0].ignored_by, nullptr);
  EXPECT_EQ(selection.paths[0].ignored_by->source(), "**/*.md");
}

TEST(SelectServices, ExcludedPathDoesNotSelect) {
  Plan plan({service("api", {"services/api/"}, {}, true, {"services/api/docs/"})});
  EXPECT_TRUE(plan.select({"services/api/docs/guide.txt"}).listed.empty());
  EXPECT_EQ(plan.listed(plan.select({"services/api/src/x.py"})), Names{"api"});
}

TEST(SelectServices, GlobalPathSelectsEveryServiceButLibraries) {
  Plan with_global(
      {service("api", {"services/api/"}, {"common"}),
       service("common", {"libs/common/"}, {}, false), service("solo", {"services/solo/"})},
      {}, {"/buildspecs/"});
  Selection selection = with_global.select({"buildspecs/service.yml"});
  EXPECT_EQ(with_global.listed(selection), (Names{"api", "solo"}));
  const Reason& reason = with_global.reasons(selection, "solo")[0];
  EXPECT_EQ(reason.kind, ReasonKind::global);
  EXPECT_EQ(reason.pattern, "/buildspecs/");
}

TEST(SelectServices, SelectAllGivesEveryServiceTheSameReason) {
  Plan plan = library_plan();
  Selection selection = plan.select_all(ReasonKind::unknown_base, "unknown base: shallow clone");
  EXPECT_TRUE(selection.all);
  EXPECT_EQ(plan.listed(selection), (Names{"api", "solo", "web", "worker"}));
  EXPECT_EQ(plan.reasons(selection, "web")[0].kind, ReasonKind::unknown_base);
  EXPECT_EQ(plan.reasons(selection, "web")[0].detail, "unknown base: shallow clone");
  EXPECT_EQ(plan.wave(selection, "worker"), 1);
}

TEST(SelectServices, ReasonsAreCappedPerService) {
  Plan plan({service("api", {"services/api/"})});
  Names paths;
  for (int i = 0; i < 1000; ++i) paths.push_back("services/api/f" + std::to_string(i));
  Selection selection = plan.select(paths);
  EXPECT_EQ(plan.reasons(selection, "api").size(), 64u);
  EXPECT_EQ(selection.paths.size(), 1000u);
}

TEST(MarkRemoved, MovesGoneServicesOutAndRecomputesWaves) {
  Plan plan = library_plan();
  Selection selection = plan.select({"services/api/app.py"});
  EXPECT_EQ(plan.listed(selection), (Names{"api", "worker"}));
  EXPECT_EQ(plan.wave(selection, "worker"), 1);
  const std::size_t api = plan.index("api");
  mark_removed(selection, plan.graph(), [&](std::size_t i) { return i == api; });
  EXPECT_EQ(plan.listed(selection), Names{"worker"});
  EXPECT_EQ(plan.names(selection.removed), Names{"api"});
  EXPECT_EQ(plan.wave(selection, "worker"), 0);
  EXPECT_EQ(plan.wave(selection, "api"), -1);
}

TEST(ReasonKindName, NamesMatchTheItemsFormat) {
  EXPECT_STREQ(reason_kind_name(ReasonKind::file), "file");
  EXPECT_STREQ(reason_kind_name(ReasonKind::global), "global");
  EXPECT_STREQ(reason_kind_name(ReasonKind::dependency), "dependency");
  EXPECT_STREQ(reason_kind_name(ReasonKind::all), "all");
  EXPECT_STREQ(reason_kind_name(ReasonKind::unknown_base), "unknown_base");
}

}  // namespace
}  // namespace svcdiff::plan
