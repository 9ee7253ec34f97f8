// Infer's cached edges put back on services: for part of them (discovery on
// demand), edges sorted by service are bisected, and edges in any other order
// (a cache file not written by edges_of) are looked at one by one; both ways
// give the same services the same edges.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cache/cache_file.hpp"
#include "cache/result_cache.hpp"
#include "config/model.hpp"

namespace svcdiff::cache {
namespace {

std::vector<config::Service> services_named(const std::vector<std::string>& names) {
  std::vector<config::Service> services(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) services[i].name = names[i];
  return services;
}

using Inferred = std::vector<std::vector<config::InferredDependency>>;

Inferred inferred_of(const std::vector<config::Service>& services) {
  Inferred inferred;
  inferred.reserve(services.size());
  for (const auto& service : services) inferred.push_back(service.inferred);
  return inferred;
}

const InferredEdges kSorted{{"api", "lib", "services/api/package.json"},
                            {"other", "web", "services/other/package.json"},
                            {"web", "api", "services/web/package.json"},
                            {"web", "lib", "services/web/go.mod"},
                            {"web", "gone", "services/web/Cargo.toml"}};
// The same edges, services out of order (each service's own still in order).
const InferredEdges kUnsorted{{"web", "api", "services/web/package.json"},
                              {"web", "lib", "services/web/go.mod"},
                              {"web", "gone", "services/web/Cargo.toml"},
                              {"other", "web", "services/other/package.json"},
                              {"api", "lib", "services/api/package.json"}};

TEST(RestoreEdgesAmong, UnsortedEdgesAreReadOneByOneWithTheSameAnswer) {
  ASSERT_TRUE(kSorted.run("web"));
  ASSERT_FALSE(kUnsorted.run("web"));  // the fallback under test
  const Inferred expected{{{"lib", "services/api/package.json"}},
                          {},
                          {{"api", "services/web/package.json"}, {"lib", "services/web/go.mod"}}};
  for (const InferredEdges* edges : {&kSorted, &kUnsorted}) {
    SCOPED_TRACE(edges == &kSorted ? "sorted" : "unsorted");
    // `other` is not among them: its edge is passed over. `gone` is not
    // there: dropped only when the caller reads no dependency outside.
    auto services = services_named({"api", "lib", "web"});
    EXPECT_TRUE(restore_edges_among(*edges, services, /*drop_outside=*/true));
    EXPECT_EQ(inferred_of(services), expected);

    services = services_named({"api", "lib", "web"});
    EXPECT_FALSE(restore_edges_among(*edges, services, /*drop_outside=*/false));
    EXPECT_EQ(inferred_of(services), Inferred(3)) << "left untouched";

    // Without web, nothing leads outside.
    services = services_named({"api", "lib"});
    EXPECT_TRUE(restore_edges_among(*edges, services, /*drop_outside=*/false));
    EXPECT_EQ(inferred_of(services), (Inferred{{{"lib", "services/api/package.json"}}, {}}));
  }
}

}  // namespace
}  // namespace svcdiff::cache
