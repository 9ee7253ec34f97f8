// make_artifact on plain data: a selection made by hand.
#include "output/artifact.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace svcdiff::output {
namespace {

using Names = std::vector<std::string>;

// web waits for api; lib is a library, selected but not listed.
TEST(MakeArtifact, ItemsComeByWaveAndKnowTheirServiceIndex) {
  std::vector<config::Service> services(3);
  services[0].name = "web";
  services[1].name = "api";
  services[2].name = "lib";
  services[2].build = false;
  plan::Selection selection;
  selection.selected = {true, true, true};
  selection.reasons.resize(3);
  selection.reasons_left_out.resize(3);
  selection.wave = {1, 0, -1};
  selection.waits_for = {{1}, {}, {}};
  selection.listed = {1, 0};  // by name

  const Artifact artifact = make_artifact(services, selection);
  EXPECT_EQ(artifact.services, (Names{"api", "web"}));
  ASSERT_EQ(artifact.waves.size(), 2u);
  ASSERT_EQ(artifact.waves[0].size(), 1u);
  ASSERT_EQ(artifact.waves[1].size(), 1u);
  const Item& api = artifact.waves[0][0];
  const Item& web = artifact.waves[1][0];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.service, 1u);
  EXPECT_EQ(api.wave, 0);
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.service, 0u);
  EXPECT_EQ(web.wave, 1);
  EXPECT_EQ(web.depends_on, Names{"api"});
}

}  // namespace
}  // namespace svcdiff::output
