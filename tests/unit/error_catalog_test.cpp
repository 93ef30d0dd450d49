// The error catalog: ids unique, well-formed, with a message and a next step each.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/core/error_catalog.h"

namespace tranche {
namespace {

TEST(ErrorCatalog, IdsAreUniqueAndWellFormed) {
  std::set<std::string> seen;
  for (const auto& e : error_catalog()) {
    EXPECT_TRUE(seen.insert(std::string(e.id)).second) << "duplicate id " << e.id;
    EXPECT_EQ(e.id.rfind("E_", 0), 0u) << e.id;
    EXPECT_FALSE(e.summary.empty()) << e.id;
    EXPECT_FALSE(e.next_step.empty()) << e.id;
  }
}

TEST(ErrorCatalog, LooksUpKnownIds) {
  EXPECT_TRUE(is_known_error("E_NO_DEVICE"));
  EXPECT_TRUE(is_known_error("E_DATA_MISMATCH"));
  EXPECT_FALSE(is_known_error("E_NOPE"));
  EXPECT_EQ(error_entry("E_TIMEOUT").id, "E_TIMEOUT");
}

}  // namespace
}  // namespace tranche
