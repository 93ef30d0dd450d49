// Registry selection and the planner: defaults, profile params, --set overrides, --gpus, and their errors.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/plan.h"
#include "tests/unit/fake_checks.h"

namespace tranche {
namespace {

using test::fake_system;

CheckRegistry fake_registry() {
  CheckRegistry r;
  r.add([] { return std::make_unique<test::FakeMetricCheck>(); });
  r.add([] { return std::make_unique<test::FakeThrowingCheck>(); });
  r.add([] { return std::make_unique<test::FakeOverrunCheck>(); });
  r.add([] { return std::make_unique<test::FakeNotApplicableCheck>(); });
  return r;
}

Profile profile_of(std::vector<ProfileEntry> entries) {
  Profile p;
  p.name = "test";
  p.source = "test.json";
  p.checks = std::move(entries);
  return p;
}

TEST(Registry, SelectsByIdAndFamilyPrefixInRegistryOrder) {
  auto r = fake_registry();
  auto all = r.select("fake.");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]->info.id, "fake.metric");  // order 1
  EXPECT_EQ(all[3]->info.id, "fake.na");      // order 4
  EXPECT_EQ(r.select("fake").size(), 4u);
  auto two = r.select("fake.na, fake.metric");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0]->info.id, "fake.metric");
}

TEST(Registry, UnknownCheckNamesItAndSuggestsTheNearest) {
  auto r = fake_registry();
  try {
    r.select("fake.metric,fake.metrc");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'fake.metrc'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean fake.metric?"), std::string::npos) << msg;
  }
  try {
    r.select("gemm.bf17");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("gemm.bf17"), std::string::npos);
    EXPECT_NE(msg.find("tranche list"), std::string::npos) << "nothing near: points to the list: " << msg;
  }
  EXPECT_THROW(r.select(" , "), InputError);
  EXPECT_THROW(r.select("fake.metricx"), InputError);  // a prefix only matches at a dot
}

TEST(Registry, ReportsDuplicateIds) {
  auto r = fake_registry();
  EXPECT_TRUE(r.duplicate_ids().empty());
  r.add([] { return std::make_unique<test::FakeMetricCheck>(); });
  ASSERT_EQ(r.duplicate_ids().size(), 1u);
  EXPECT_EQ(r.duplicate_ids()[0], "fake.metric");
}

TEST(Plan, DefaultsThenProfileThenOverrides) {
  auto r = fake_registry();
  auto sys = fake_system(2);
  PlanOptions o;
  auto plan = make_plan(r, sys, profile_of({{"fake.metric", {{"value", 3.5}}, true}}), o);
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_EQ(plan.items[0].params["value"], 3.5);
  EXPECT_EQ(plan.items[0].params["sizes"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(plan.gpus, (std::vector<int>{0, 1}));

  o.overrides["fake.value"] = "7";
  o.overrides["fake.metric.sizes"] = "4,8,16";
  o.overrides["fake.metric.timeout_s"] = "9";
  plan = make_plan(r, sys, profile_of({{"fake.metric", {{"value", 3.5}}, true}}), o);
  EXPECT_EQ(plan.items[0].params["value"], 7.0);
  EXPECT_EQ(plan.items[0].params["sizes"], nlohmann::json::array({4, 8, 16}));
  EXPECT_DOUBLE_EQ(plan.items[0].timeout_s, 9.0);
}

TEST(Plan, ChecksOptionReplacesProfileSelection) {
  auto r = fake_registry();
  auto sys = fake_system(1);
  PlanOptions o;
  o.checks = "fake.na";
  auto plan = make_plan(r, sys, profile_of({{"fake.metric", {}, true}}), o);
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_EQ(plan.items[0].entry->info.id, "fake.na");
}

TEST(Plan, BadInputsAreInputErrors) {
  auto r = fake_registry();
  auto sys = fake_system(2);
  PlanOptions o;
  EXPECT_THROW(make_plan(r, sys, profile_of({{"nope.", {}, true}}), o), InputError);
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {{"colour", 1}}, true}}), o), InputError);
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {{"value", "high"}}, true}}), o), InputError);
  o.gpus = std::vector<int>{0, 5};
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {}, true}}), o), InputError);
  PlanOptions bad_set;
  bad_set.overrides["fake.metric.value"] = "ten";
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {}, true}}), bad_set), InputError);
  PlanOptions unknown_param;
  unknown_param.overrides["fake.metric.colour"] = "1";
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {}, true}}), unknown_param), InputError);
  PlanOptions no_dot;
  no_dot.overrides["value"] = "1";
  EXPECT_THROW(make_plan(r, sys, profile_of({{"fake.metric", {}, true}}), no_dot), InputError);
}

TEST(Plan, ConvertParamFollowsTheDefaultsType) {
  EXPECT_EQ(convert_param(1, "42", "t"), 42);
  EXPECT_EQ(convert_param(1.5, "2.25", "t"), 2.25);
  EXPECT_EQ(convert_param(true, "no", "t"), false);
  EXPECT_EQ(convert_param("x", "abc", "t"), "abc");
  EXPECT_THROW(convert_param(1, "4x", "t"), InputError);
  EXPECT_THROW(convert_param(1, "99999999999999999999999", "t"), InputError);
  EXPECT_THROW(convert_param(true, "maybe", "t"), InputError);
}

TEST(Plan, NoGpusGivesAnEmptySelectionNotAnError) {
  auto r = fake_registry();
  SystemInfo none;
  PlanOptions o;
  o.gpus = std::vector<int>{0};
  auto plan = make_plan(r, none, profile_of({{"fake.metric", {}, true}}), o);
  EXPECT_TRUE(plan.gpus.empty());
}

}  // namespace
}  // namespace tranche
