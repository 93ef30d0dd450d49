// --duration and the profile's "duration" reach burnin.gemm's duration_s and stretch its deadline; other checks
// keep theirs.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/plan.h"
#include "harness/judge/profile_file.h"

namespace tranche {
namespace {

const PlanItem& item(const Plan& p, const std::string& id) {
  for (const auto& i : p.items) {
    if (i.entry->info.id == id) return i;
  }
  throw std::runtime_error("no plan item " + id);
}

Profile burnin_profile(std::optional<double> duration) {
  Profile p;
  p.name = "t";
  p.source = "t.json";
  p.checks = {{"burnin.", nlohmann::json::object(), true}, {"memtest.random", nlohmann::json::object(), true}};
  p.duration_s = duration;
  return p;
}

TEST(BurninPlan, DurationFlowsToDurationSAndTheDeadline) {
  PlanOptions o;
  o.duration_s = 3 * 3600;
  const Plan p = make_plan(CheckRegistry::global(), SystemInfo{}, burnin_profile(std::nullopt), o);
  const PlanItem& g = item(p, "burnin.gemm");
  EXPECT_DOUBLE_EQ(g.params["duration_s"].get<double>(), 10800);
  EXPECT_GE(g.timeout_s, 10800 + duration_margin_s(10800));
  const PlanItem& pw = item(p, "burnin.power");
  EXPECT_DOUBLE_EQ(pw.params["load_s"].get<double>(), 300);  // its own length, not --duration
  EXPECT_FALSE(item(p, "memtest.random").params.contains("duration_s"));
}

TEST(BurninPlan, ProfileDurationThenCliThenSet) {
  const Plan from_profile = make_plan(CheckRegistry::global(), SystemInfo{}, burnin_profile(600.0), {});
  EXPECT_DOUBLE_EQ(item(from_profile, "burnin.gemm").params["duration_s"].get<double>(), 600);
  PlanOptions o;
  o.duration_s = 1200;
  const Plan cli = make_plan(CheckRegistry::global(), SystemInfo{}, burnin_profile(600.0), o);
  EXPECT_DOUBLE_EQ(item(cli, "burnin.gemm").params["duration_s"].get<double>(), 1200);
  o.overrides["burnin.gemm.duration_s"] = "90";
  const Plan set = make_plan(CheckRegistry::global(), SystemInfo{}, burnin_profile(600.0), o);
  EXPECT_DOUBLE_EQ(item(set, "burnin.gemm").params["duration_s"].get<double>(), 90);
}

TEST(BurninPlan, ProfileFileDurationIsParsedAndChecked) {
  nlohmann::json j = {{"name", "x"}, {"description", "d"}, {"duration", "2h"},
                      {"checks", nlohmann::json::array({{{"select", "burnin."}}})}};
  EXPECT_DOUBLE_EQ(*profile_from_json(j, "x.json").duration_s, 7200);
  j["duration"] = "2 hours";
  EXPECT_THROW(profile_from_json(j, "x.json"), InputError);
  j["duration"] = 7200;
  EXPECT_THROW(profile_from_json(j, "x.json"), InputError);
}

}  // namespace
}  // namespace tranche
