// Fleet statistics: distribution summary and the two-sided outlier rule (modified z-score and percent floor).
#include "reports/fleet_stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace tranche {
namespace {

TEST(FleetStats, DistributionOfKnownValues) {
  const std::vector<double> v{5, 1, 4, 2, 3};
  const Distribution d = distribution_of(v);
  EXPECT_EQ(d.n, 5);
  EXPECT_EQ(d.min, 1);
  EXPECT_EQ(d.max, 5);
  EXPECT_EQ(d.median, 3);
  EXPECT_DOUBLE_EQ(d.p05, 1.2);
  EXPECT_DOUBLE_EQ(d.p95, 4.8);
  EXPECT_EQ(d.mad, 1);
  EXPECT_THROW(distribution_of(std::vector<double>{}), std::invalid_argument);
}

TEST(FleetStats, OutlierNeedsBothZAndPercentOnTheWorseSide) {
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(100.0 + (i % 5 - 2) * 0.1);  // MAD 0.1
  const Distribution d = distribution_of(v);
  const OutlierRule rule;  // z 3.5, 1.5%
  EXPECT_TRUE(score_against(96.0, d, false, rule).outlier);    // -4%: z -27
  EXPECT_FALSE(score_against(99.0, d, false, rule).outlier);   // -1%: z beyond, percent not
  EXPECT_FALSE(score_against(104.0, d, false, rule).outlier);  // faster is never an outlier
  EXPECT_TRUE(score_against(104.0, d, true, rule).outlier);    // ... unless lower is better (latency)
  const OutlierScore s = score_against(96.0, d, false, rule);
  EXPECT_NEAR(s.percent_from_median, -4.0, 1e-9);
  EXPECT_NEAR(s.z, 0.6745 * -4.0 / 0.1, 1e-9);
}

TEST(FleetStats, WideFleetNeedsALargerDeviation) {
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(100.0 + (i % 11 - 5) * 1.0);  // MAD 3
  const Distribution d = distribution_of(v);
  EXPECT_FALSE(score_against(94.0, d, false, OutlierRule{}).outlier);  // -6%: z only -1.35
  EXPECT_TRUE(score_against(80.0, d, false, OutlierRule{}).outlier);
}

TEST(FleetStats, IdenticalPeersLeaveOnlyThePercentRuleAndFewPeersNone) {
  const Distribution same = distribution_of(std::vector<double>(10, 50.0));
  EXPECT_TRUE(score_against(48.0, same, false, OutlierRule{}).outlier);
  EXPECT_FALSE(score_against(49.5, same, false, OutlierRule{}).outlier);
  const Distribution few = distribution_of(std::vector<double>{50, 50, 50});
  EXPECT_FALSE(score_against(10.0, few, false, OutlierRule{}).outlier);
}

}  // namespace
}  // namespace tranche
