// The shipped profiles parse and select only the check families tranche defines.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "harness/judge/profile_file.h"

namespace tranche {
namespace {

TEST(ShippedProfiles, ParseAndSelectKnownFamilies) {
  const std::set<std::string> families{"preflight", "gemm", "membw", "pcie", "p2p", "burnin", "memtest"};
  std::set<std::string> names;
  for (const auto& f : std::filesystem::directory_iterator(std::string(TRANCHE_SOURCE_DIR) + "/baselines/profiles")) {
    if (f.path().extension() != ".json") continue;
    const Profile p = load_profile(f.path().string());
    EXPECT_EQ(p.name, f.path().stem().string());
    EXPECT_FALSE(p.description.empty());
    EXPECT_EQ(p.checks.front().select, "preflight.") << p.name;  // preflight first, always
    for (const auto& e : p.checks) {
      EXPECT_TRUE(families.count(e.select.substr(0, e.select.find('.')))) << p.name << ": " << e.select;
      // Parameter names and types are checked against the linked checks by make_plan in
      // RegistryConsistency.ShippedProfilesPlanOrNameTheMissingFamily.
    }
    names.insert(p.name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"quick", "acceptance", "burnin", "full", "health"}));
}

}  // namespace
}  // namespace tranche
