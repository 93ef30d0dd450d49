// In-node sibling rule: a GPU behind its node's median warns even when it clears the baseline.
#include "harness/judge/sibling_rule.h"

#include <gtest/gtest.h>

#include "harness/judge/judge.h"

namespace tranche {
namespace {

std::vector<Measurement> node(const std::vector<double>& flops, double latency_gpu0 = 2e-6) {
  std::vector<Measurement> out;
  for (size_t g = 0; g < flops.size(); ++g) {
    Measurement m;
    m.check_id = "gemm.bf16";
    m.device = static_cast<int>(g);
    m.add_metric("flops", flops[g], "FLOP/s").device = static_cast<int>(g);
    m.add_metric("mismatches", 0.0, "count").device = static_cast<int>(g);
    out.push_back(m);
  }
  Measurement lat;
  lat.check_id = "p2p.latency";
  for (size_t g = 0; g < flops.size(); ++g) {
    Metric& x = lat.add_metric("latency", g == 0 ? latency_gpu0 : 2e-6, "s");
    x.device = static_cast<int>(g);
    x.labels["peer"] = g == 1 ? "0" : "1";
  }
  out.push_back(lat);
  return out;
}

TEST(SiblingRule, UniformNodeHasNoVerdict) {
  EXPECT_TRUE(sibling_verdicts(node({100, 101, 99, 100, 100.5, 99.5, 100, 100}), SiblingRule{}).empty());
}

TEST(SiblingRule, OneGpuFourPercentBehindWarns) {
  const auto v = sibling_verdicts(node({100, 100, 100, 96, 100, 100, 100, 100}), SiblingRule{});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].device, 3);
  EXPECT_EQ(v[0].outcome, Outcome::warn);
  EXPECT_EQ(v[0].rule, "sibling_outlier");
  EXPECT_FALSE(v[0].required);
  EXPECT_DOUBLE_EQ(*v[0].reference, 100.0);
  EXPECT_DOUBLE_EQ(*v[0].ratio, 0.96);
  EXPECT_NE(v[0].message.find("4.0% below"), std::string::npos) << v[0].message;
  EXPECT_TRUE(sibling_verdicts(node({100, 100, 100, 96, 100, 100, 100, 100}), SiblingRule{0.05}).empty());
  EXPECT_TRUE(sibling_verdicts(node({100, 100, 100, 96, 100, 100, 100, 100}), SiblingRule{0.0}).empty());
}

TEST(SiblingRule, LatencyAboveTheMedianWarnsAndTooFewGpusDoNot) {
  // Latency to peer 1 is reported by GPUs 0, 2..7 (GPU 1 reports peer 0): GPU 0 is 10% above their median.
  const auto v = sibling_verdicts(node({100, 100, 100, 100, 100, 100, 100, 100}, 2.2e-6), SiblingRule{});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].metric, "p2p.latency/latency");
  EXPECT_EQ(v[0].device, 0);
  EXPECT_NE(v[0].message.find("above"), std::string::npos);
  // Four GPUs are enough for gemm (GPU 3 warns); the three latencies to peer 1 are not.
  const auto w = sibling_verdicts(node({100, 100, 100, 60}, 9e-6), SiblingRule{});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].device, 3);
}

TEST(SiblingRule, JudgeAddsSiblingWarningsSoTheNodeSaysSo) {
  const auto verdicts = judge(node({100, 100, 100, 96, 100, 100, 100, 100}), nullptr);
  int warns = 0;
  for (const auto& v : verdicts) warns += v.rule == "sibling_outlier";
  EXPECT_EQ(warns, 1);
  EXPECT_EQ(summarize(verdicts).worst, Outcome::warn);
  JudgeOptions off;
  off.sibling_margin = 0;
  for (const auto& v : judge(node({100, 100, 100, 96, 100, 100, 100, 100}), nullptr, off)) {
    EXPECT_NE(v.rule, "sibling_outlier");
  }
}

}  // namespace
}  // namespace tranche
