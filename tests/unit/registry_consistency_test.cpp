// The global registry as linked into tranche: unique ids, complete CheckInfo, metric names under their check.
#include <gtest/gtest.h>

#include <regex>

#include "harness/core/registry.h"

namespace tranche {
namespace {

TEST(RegistryConsistency, IdsAreUnique) {
  EXPECT_TRUE(CheckRegistry::global().duplicate_ids().empty());
  EXPECT_FALSE(CheckRegistry::global().entries().empty());
}

TEST(RegistryConsistency, EveryCheckDescribesItself) {
  const std::regex id_re("^[a-z0-9_]+\\.[a-z0-9_]+$");
  const std::regex quantity_re("^[a-z0-9_]+$");
  for (const auto& e : CheckRegistry::global().entries()) {
    const CheckInfo& i = e.info;
    EXPECT_TRUE(std::regex_match(i.id, id_re)) << i.id;
    EXPECT_FALSE(i.summary.empty()) << i.id;
    EXPECT_GT(i.timeout_s, 0.0) << i.id;
    EXPECT_FALSE(i.metrics.empty()) << i.id << " declares no metric";
    for (const auto& m : i.metrics) {
      ASSERT_EQ(m.rfind(i.id + "/", 0), 0u) << m << " is not under " << i.id;
      EXPECT_TRUE(std::regex_match(m.substr(i.id.size() + 1), quantity_re)) << m;
    }
    for (const auto& p : i.params) {
      EXPECT_FALSE(p.name.empty()) << i.id;
      EXPECT_FALSE(p.default_value.is_null()) << i.id << "." << p.name;
      EXPECT_NE(p.name, "timeout_s") << "timeout_s is provided for every check by the planner";
    }
    // The factory builds the check it describes.
    EXPECT_EQ(e.make()->info().id, i.id);
  }
}

}  // namespace
}  // namespace tranche
