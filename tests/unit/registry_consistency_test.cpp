// The global registry as linked into tranche, and the shipped baselines and profiles checked against it.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/plan.h"
#include "harness/core/registry.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/preflight_expectations.h"
#include "harness/judge/profile_file.h"

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

// The shipped data against the linked checks: baselines may only expect metrics some check declares, and every
// shipped profile must plan (except those naming families this build does not have yet, which must say so).

TEST(RegistryConsistency, EveryBaselineExpectationNamesADeclaredMetric) {
  const auto declared = CheckRegistry::global().declared_metrics();
  const auto baselines = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
  ASSERT_GE(baselines.size(), 11u);
  for (const auto& b : baselines) {
    for (const auto& x : b.expectations) EXPECT_TRUE(declared.count(x.metric)) << b.file << ": " << x.metric;
    for (const auto& x : preflight_expectations(b.node, {})) {
      EXPECT_TRUE(declared.count(x.metric)) << b.file << " (preflight): " << x.metric;
    }
  }
}

// Nothing passes unjudged (docs/methodology/baselines.md): a required check of the acceptance profile whose
// headline a shipped baseline cannot judge would leave every healthy node of that SKU incomplete.
TEST(RegistryConsistency, ShippedBaselinesJudgeEveryRequiredHeadlineOfTheAcceptanceProfile) {
  const Profile p = load_profile(std::string(TRANCHE_SOURCE_DIR) + "/baselines/profiles/acceptance.json");
  const Plan plan = make_plan(CheckRegistry::global(), SystemInfo{}, p, {});
  const auto headlines = CheckRegistry::global().headline_metrics();
  const auto baselines = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
  int checked = 0;
  for (const auto& item : plan.items) {
    const auto h = headlines.find(item.entry->info.id);
    if (!item.required || h == headlines.end()) continue;
    for (const auto& b : baselines) {
      // FP8 tensor cores start with compute capability 8.9: gemm.fp8 does not apply to Ampere (a skip).
      if (h->second == "gemm.fp8/flops" && b.id.rfind("a100", 0) == 0) continue;
      bool judged = false;
      for (const auto& e : b.expectations) judged |= e.metric == h->second;
      EXPECT_TRUE(judged) << b.id << " has no expectation for " << h->second;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(RegistryConsistency, ShippedProfilesPlanOrNameTheMissingFamily) {
  SystemInfo sys;
  for (const char* name : {"quick", "acceptance", "burnin", "full", "health"}) {
    const Profile p = load_profile(std::string(TRANCHE_SOURCE_DIR) + "/baselines/profiles/" + name + ".json");
    bool needs_burnin = false;
    for (const auto& e : p.checks) needs_burnin |= e.select.rfind("burnin", 0) == 0;
    if (needs_burnin && !CheckRegistry::global().find("burnin.gemm")) {
      try {
        make_plan(CheckRegistry::global(), sys, p, {});
        ADD_FAILURE() << name << " planned without burn-in checks";
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("burnin."), std::string::npos) << e.what();
      }
      continue;
    }
    const Plan plan = make_plan(CheckRegistry::global(), sys, p, {});
    EXPECT_FALSE(plan.items.empty()) << name;
  }
}

}  // namespace
}  // namespace tranche
