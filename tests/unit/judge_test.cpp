// judge(): status pass-through, built-in mismatch rule, label matching, the metric_present rule, per-GPU
// acceptance, and the fixture report judged against two shipped SKUs.
#include "harness/judge/judge.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/judge/baseline_file.h"
#include "reports/node_report.h"

namespace tranche {
namespace {

const std::map<std::string, std::string> k8192{{"m", "8192"}, {"n", "8192"}, {"k", "8192"}};
const std::map<std::string, std::string> k4096{{"m", "4096"}, {"n", "4096"}, {"k", "4096"}};

Baseline test_baseline() {
  Baseline b;
  b.id = "test";
  b.expectations.push_back(
      {"gemm.bf16/flops", k8192, 100.0, "FLOP/s", Direction::higher_is_better, 0.95, 0.9, true, "test reference", ""});
  b.expectations.push_back(
      {"membw.triad/bandwidth", {}, 10.0, "B/s", Direction::higher_is_better, 0.95, 0.9, true, "test reference", ""});
  b.expectations.push_back(
      {"p2p.latency/latency", {}, 2.0, "s", Direction::lower_is_better, 1.1, 1.2, false, "test reference", ""});
  return b;
}

Measurement gemm(int device, std::optional<double> flops, const std::map<std::string, std::string>& labels = k8192) {
  Measurement m;
  m.check_id = "gemm.bf16";
  m.device = device;
  m.add_metric("flops", flops, "FLOP/s").labels = labels;
  m.add_metric("mismatches", 0.0, "count").labels = labels;
  return m;
}

std::vector<Verdict> with_metric(const std::vector<Verdict>& vs, const std::string& metric) {
  std::vector<Verdict> out;
  std::copy_if(vs.begin(), vs.end(), std::back_inserter(out), [&](const Verdict& v) { return v.metric == metric; });
  return out;
}

TEST(Judge, SkipAndErrorPassThrough) {
  Measurement s;
  s.check_id = "gemm.fp8";
  s.status = MeasurementStatus::skipped;
  s.reason = "no FP8 on this GPU";
  s.required = false;
  Measurement e;
  e.check_id = "gemm.bf16";
  e.status = MeasurementStatus::error;
  e.error = ErrorInfo{"E_CUDA_STICKY", "illegal address", "cuda", 700, "cudaErrorIllegalAddress", "", "", 2, true};
  const Baseline b = test_baseline();
  const auto vs = judge({s, e}, &b);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].outcome, Outcome::skip);
  EXPECT_FALSE(vs[0].required);
  EXPECT_EQ(vs[0].message, "no FP8 on this GPU");
  EXPECT_EQ(vs[1].outcome, Outcome::error);
  EXPECT_EQ(vs[1].error_id, "E_CUDA_STICKY");
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::incomplete);
}

TEST(Judge, VerdictRecordsRuleReferenceObservedRatioAndSource) {
  const Baseline b = test_baseline();
  const auto vs = with_metric(judge({gemm(1, 92.0)}, &b), "gemm.bf16/flops");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].outcome, Outcome::warn);
  EXPECT_EQ(vs[0].rule, "higher_is_better");
  EXPECT_EQ(vs[0].reference, 100.0);
  EXPECT_EQ(vs[0].observed, 92.0);
  EXPECT_DOUBLE_EQ(*vs[0].ratio, 0.92);
  EXPECT_EQ(vs[0].source, "test: test reference");
  EXPECT_EQ(vs[0].device, 1);
  EXPECT_EQ(vs[0].check_id, "gemm.bf16");
}

TEST(Judge, NonZeroMismatchesFailWithOrWithoutBaseline) {
  Measurement m = gemm(0, 100.0);
  m.metrics[1].value = 4.0;
  const Baseline b = test_baseline();
  for (const Baseline* baseline : {static_cast<const Baseline*>(nullptr), &b}) {
    SCOPED_TRACE(baseline ? "with the test baseline" : "without a baseline");
    const auto vs = with_metric(judge({m}, baseline), "gemm.bf16/mismatches");
    ASSERT_EQ(vs.size(), 1u);
    EXPECT_EQ(vs[0].outcome, Outcome::fail);
    EXPECT_EQ(vs[0].error_id, "E_DATA_MISMATCH");
    EXPECT_EQ(summarize(judge({m}, baseline)).acceptance, Acceptance::rejected);
  }
}

TEST(Judge, GemmAtAnotherSizeGetsNoVerdictAndIsNotAnError) {
  const Baseline b = test_baseline();
  const auto vs = judge({gemm(0, 10.0, k4096)}, &b);
  EXPECT_TRUE(with_metric(vs, "gemm.bf16/flops").empty());  // no reference for 4096^3: no verdict, no error
  for (const auto& v : vs) EXPECT_NE(v.outcome, Outcome::error) << v.message;
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::accepted);
}

TEST(Judge, RequiredMetricMissingFromARunCheckIsAnError) {
  const Baseline b = test_baseline();
  Measurement m;
  m.check_id = "gemm.bf16";
  m.device = 0;
  m.add_metric("mismatches", 0.0, "count");
  const auto vs = with_metric(judge({m}, &b), "gemm.bf16/flops");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].rule, "metric_present");
  EXPECT_EQ(vs[0].outcome, Outcome::error);
  EXPECT_EQ(vs[0].error_id, "E_METRIC_MISSING");
}

TEST(Judge, ExpectationOfACheckThatDidNotRunIsNotAnError) {
  const Baseline b = test_baseline();  // requires membw.triad, which is not in the run
  const auto vs = judge({gemm(0, 100.0)}, &b);
  EXPECT_TRUE(with_metric(vs, "membw.triad/bandwidth").empty());
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::accepted);
}

TEST(Judge, OptionalExpectationMissingIsSilent) {
  const Baseline b = test_baseline();
  Measurement m;
  m.check_id = "p2p.latency";
  m.add_metric("mismatches", 0.0, "count");
  EXPECT_TRUE(with_metric(judge({m}, &b), "p2p.latency/latency").empty());
}

TEST(Judge, LabelsInTheExpectationMustAllMatch) {
  Baseline b = test_baseline();
  b.expectations[1].labels = {{"phase", "alone"}};
  Measurement m;
  m.check_id = "membw.triad";
  m.add_metric("bandwidth", 5.0, "B/s").labels = {{"phase", "all_gpus"}};
  m.add_metric("bandwidth", 9.6, "B/s").labels = {{"phase", "alone"}, {"extra", "x"}};
  const auto vs = with_metric(judge({m}, &b), "membw.triad/bandwidth");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].observed, 9.6);
  EXPECT_EQ(vs[0].outcome, Outcome::pass);
}

TEST(Judge, OkMeasurementWithoutExpectationsPasses) {
  Measurement m;
  m.check_id = "preflight.driver";
  m.add_metric("device_count", 8.0, "count");
  const auto vs = judge({m}, nullptr);
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].outcome, Outcome::pass);
  EXPECT_EQ(vs[0].rule, "status");
}

TEST(Judge, GpuAcceptanceIsFailClosedPerGpu) {
  const Baseline b = test_baseline();
  Measurement err;
  err.check_id = "membw.triad";
  err.device = 2;
  err.status = MeasurementStatus::error;
  err.reason = "timeout";
  const auto acc = gpu_acceptance(judge({gemm(0, 100.0), gemm(1, 50.0), err}, &b));
  EXPECT_EQ(acc.at(0), Acceptance::accepted);
  EXPECT_EQ(acc.at(1), Acceptance::rejected);
  EXPECT_EQ(acc.at(2), Acceptance::incomplete);
}

// The hand-written 8-GPU H100 report judged against two shipped SKUs: what it was (H100 SXM5) and what it is not
// (A100 SXM4): the same measurements give different, predictable verdicts.
class FixtureReport : public testing::Test {
 protected:
  static const Verdict* find(const std::vector<Verdict>& vs, const std::string& metric, int device,
                             const std::map<std::string, std::string>& labels = {}) {
    for (const auto& v : vs) {
      if (v.metric == metric && v.device == device && (labels.empty() || v.labels == labels)) return &v;
    }
    return nullptr;
  }
  // Passes when the verdict on metric for device (and labels) exists and has outcome `want`; a missing verdict
  // fails the test instead of crashing it.
  static testing::AssertionResult outcome_is(const std::vector<Verdict>& vs, const std::string& metric, int device,
                                             Outcome want, const std::map<std::string, std::string>& labels = {}) {
    const Verdict* v = find(vs, metric, device, labels);
    if (!v) return testing::AssertionFailure() << "no verdict on " << metric << " for GPU " << device;
    if (v->outcome != want) {
      return testing::AssertionFailure() << metric << " on GPU " << device << " is " << to_string(v->outcome)
                                         << ", expected " << to_string(want) << ": " << v->message;
    }
    return testing::AssertionSuccess();
  }
  NodeReport report_ = load_node_report(std::string(TRANCHE_TEST_DATA) + "/reports/h100-8gpu.json");
  std::vector<Baseline> shipped_ = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
};

TEST_F(FixtureReport, AgainstH100Sxm5) {
  const Baseline b = resolve_baseline("h100-sxm5-80gb", shipped_);
  const auto vs = judge(report_.measurements, &b);
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 0, Outcome::pass, k8192));
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 5, Outcome::warn, k8192));  // 740/797.5 = 0.928
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 6, Outcome::fail, k8192));  // 700/797.5 = 0.878
  EXPECT_EQ(find(vs, "gemm.bf16/flops", 0, k4096), nullptr);                 // no 4096^3 reference
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/mismatches", 7, Outcome::fail, k8192));
  EXPECT_TRUE(outcome_is(vs, "membw.triad/bandwidth", 7, Outcome::fail));  // 2.60/2.97 = 0.875
  EXPECT_TRUE(outcome_is(vs, "pcie.h2d/link_width", 3, Outcome::fail));    // x8 trained, x16 expected
  EXPECT_TRUE(outcome_is(vs, "pcie.h2d/link_generation", 3, Outcome::pass));
  EXPECT_TRUE(outcome_is(vs, "pcie.d2h/link_width", 0, Outcome::skip));  // null: NVML absent, not required
  EXPECT_TRUE(outcome_is(vs, "p2p.unidir/bandwidth", 0, Outcome::pass, {{"peer", "1"}, {"method", "ce"}}));
  const Verdict* gemm0 = find(vs, "gemm.bf16/flops", 0, k8192);
  ASSERT_NE(gemm0, nullptr);
  EXPECT_NE(gemm0->source.find("h100-sxm5-80gb: measured"), std::string::npos);
  const Summary s = summarize(vs);
  EXPECT_EQ(s.acceptance, Acceptance::rejected);
  const auto acc = gpu_acceptance(vs);
  EXPECT_EQ(acc.at(0), Acceptance::accepted);
  EXPECT_EQ(acc.at(3), Acceptance::rejected);
  EXPECT_EQ(acc.at(5), Acceptance::accepted);  // a warn still accepts
  EXPECT_EQ(acc.at(6), Acceptance::rejected);
}

TEST_F(FixtureReport, AgainstA100Sxm4) {
  const Baseline b = resolve_baseline("a100-sxm4-80gb", shipped_);
  const auto vs = judge(report_.measurements, &b);
  for (int g = 0; g < 8; ++g) {
    EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", g, Outcome::pass, k8192)) << g;    // far above 264.5
    EXPECT_TRUE(outcome_is(vs, "pcie.h2d/link_generation", g, Outcome::fail)) << g;  // Gen5 != Gen4
  }
  EXPECT_TRUE(outcome_is(vs, "membw.triad/bandwidth", 7, Outcome::pass));  // 2.60 TB/s > 1.70 TB/s
  const Verdict* slow = find(vs, "gemm.bf16/flops", 6, k8192);
  ASSERT_NE(slow, nullptr);
  ASSERT_TRUE(slow->ratio.has_value());
  EXPECT_NEAR(*slow->ratio, 700.0 / 264.5, 1e-9);
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::rejected);
}

}  // namespace
}  // namespace tranche
