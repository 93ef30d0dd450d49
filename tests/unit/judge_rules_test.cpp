// Table-driven tests of judge_value: every direction, the exact ratio boundaries, NaN, null and unit mismatch.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "harness/judge/judge.h"

namespace tranche {
namespace {

struct RuleCase {
  const char* name;
  Direction direction;
  double reference;
  double warn;
  double fail;
  std::optional<double> observed;
  const char* unit;
  bool required;
  Outcome expected;
  std::optional<double> ratio;  // expected ratio, when one is formed
  const char* error_id;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const RuleCase kCases[] = {
    // higher_is_better: ratio >= warn pass, >= fail warn, else fail. Division is correctly rounded, so 95/100 is
    // exactly the double 0.95: these are the boundaries themselves, not neighbours.
    {"higher_above_reference", Direction::higher_is_better, 100, 0.95, 0.90, 120, "B/s", true, Outcome::pass, 1.2, ""},
    {"higher_at_reference", Direction::higher_is_better, 100, 0.95, 0.90, 100, "B/s", true, Outcome::pass, 1.0, ""},
    {"higher_exactly_warn", Direction::higher_is_better, 100, 0.95, 0.90, 95, "B/s", true, Outcome::pass, 0.95, ""},
    {"higher_just_below_warn", Direction::higher_is_better, 100, 0.95, 0.90, 94.999, "B/s", true, Outcome::warn,
     0.94999, ""},
    {"higher_exactly_fail", Direction::higher_is_better, 100, 0.95, 0.90, 90, "B/s", true, Outcome::warn, 0.90, ""},
    {"higher_just_below_fail", Direction::higher_is_better, 100, 0.95, 0.90, 89.999, "B/s", true, Outcome::fail,
     0.89999, ""},
    {"higher_zero_observed", Direction::higher_is_better, 100, 0.95, 0.90, 0, "B/s", true, Outcome::fail, 0.0, ""},
    {"higher_warn_equals_fail", Direction::higher_is_better, 100, 0.90, 0.90, 89, "B/s", true, Outcome::fail, 0.89, ""},
    // lower_is_better: ratio <= warn pass, <= fail warn, else fail.
    {"lower_below_reference", Direction::lower_is_better, 100, 1.05, 1.25, 80, "s", true, Outcome::pass, 0.8, ""},
    {"lower_exactly_warn", Direction::lower_is_better, 100, 1.05, 1.25, 105, "s", true, Outcome::pass, 1.05, ""},
    {"lower_just_above_warn", Direction::lower_is_better, 100, 1.05, 1.25, 105.001, "s", true, Outcome::warn, 1.05001,
     ""},
    {"lower_exactly_fail", Direction::lower_is_better, 100, 1.05, 1.25, 125, "s", true, Outcome::warn, 1.25, ""},
    {"lower_just_above_fail", Direction::lower_is_better, 100, 1.05, 1.25, 125.001, "s", true, Outcome::fail, 1.25001,
     ""},
    // equal: exact or fail.
    {"equal_same", Direction::equal, 5, 1, 1, 5, "count", true, Outcome::pass, 1.0, ""},
    {"equal_lower", Direction::equal, 5, 1, 1, 4, "count", true, Outcome::fail, 0.8, ""},
    {"equal_higher", Direction::equal, 16, 1, 1, 32, "count", true, Outcome::fail, 2.0, ""},
    // No value: required -> error, optional -> skip; never a pass and never a silent fail.
    {"nan_required", Direction::higher_is_better, 100, 0.95, 0.90, kNaN, "B/s", true, Outcome::error, std::nullopt,
     "E_METRIC_MISSING"},
    {"nan_optional", Direction::higher_is_better, 100, 0.95, 0.90, kNaN, "B/s", false, Outcome::skip, std::nullopt, ""},
    {"inf_required", Direction::higher_is_better, 100, 0.95, 0.90, kInf, "B/s", true, Outcome::error, std::nullopt,
     "E_METRIC_MISSING"},
    {"null_required", Direction::higher_is_better, 100, 0.95, 0.90, std::nullopt, "B/s", true, Outcome::error,
     std::nullopt, "E_METRIC_MISSING"},
    {"null_optional_equal", Direction::equal, 5, 1, 1, std::nullopt, "count", false, Outcome::skip, std::nullopt, ""},
    // A unit mismatch is never converted silently.
    {"unit_mismatch", Direction::higher_is_better, 100, 0.95, 0.90, 100, "GB/s", true, Outcome::error, std::nullopt,
     "E_BAD_INPUT"},
    // A zero reference cannot form a ratio (the loader rejects it; the judge must not divide by it either).
    {"zero_reference", Direction::higher_is_better, 0, 0.95, 0.90, 100, "B/s", true, Outcome::error, std::nullopt,
     "E_BAD_INPUT"},
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class JudgeRule : public testing::TestWithParam<RuleCase> {};

TEST_P(JudgeRule, GivesTheExpectedVerdict) {
  const RuleCase& c = GetParam();
  Expectation e;
  e.metric = "membw.triad/bandwidth";
  e.reference = c.reference;
  e.unit = std::string(c.unit) == "GB/s" ? "B/s" : c.unit;
  e.direction = c.direction;
  e.warn_ratio = c.warn;
  e.fail_ratio = c.fail;
  e.required = c.required;
  e.source = "rule table";
  Metric m;
  m.name = "membw.triad/bandwidth";
  m.value = c.observed;
  m.unit = c.unit;
  m.device = 3;
  const Verdict v = judge_value(m, e);
  EXPECT_EQ(v.outcome, c.expected) << c.name << ": " << v.message;
  EXPECT_EQ(v.error_id, c.error_id) << c.name;
  if (c.ratio) {
    ASSERT_TRUE(v.ratio.has_value()) << c.name;
    EXPECT_NEAR(*v.ratio, *c.ratio, 1e-12) << c.name;
  } else {
    EXPECT_FALSE(v.ratio.has_value()) << c.name;
  }
  EXPECT_EQ(v.rule, to_string(c.direction));
  EXPECT_EQ(v.reference, c.reference);
  EXPECT_EQ(v.source, "rule table");
  EXPECT_EQ(v.device, 3);
  EXPECT_EQ(v.required, c.required);
  EXPECT_FALSE(v.message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, JudgeRule, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<RuleCase>& i) { return std::string(i.param.name); });

TEST(JudgeRule, WarnAndFailMessagesCarryTheNextStep) {
  Expectation e{"gemm.bf16/flops", {}, 100, "FLOP/s", Direction::higher_is_better, 0.95, 0.9, true, "s",
                "reseat the GPU"};
  Metric m;
  m.name = "gemm.bf16/flops";
  m.unit = "FLOP/s";
  m.value = 50;
  EXPECT_NE(judge_value(m, e).message.find("next: reseat the GPU"), std::string::npos);
  m.value = 100;
  EXPECT_EQ(judge_value(m, e).message.find("next:"), std::string::npos);
}

TEST(JudgeRule, DirectionNamesRoundTrip) {
  for (auto d : {Direction::higher_is_better, Direction::lower_is_better, Direction::equal}) {
    EXPECT_EQ(direction_from_string(to_string(d)), d);
  }
  EXPECT_FALSE(direction_from_string("higher").has_value());
}

}  // namespace
}  // namespace tranche
