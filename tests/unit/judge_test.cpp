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
  EXPECT_EQ(vs[0].source, "test: datasheet: test reference");  // "<baseline>: <provenance>: <source>"
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

TEST(Judge, GemmAtAnotherSizeIsUnjudgedNeverAPass) {
  const Baseline b = test_baseline();
  const auto vs = judge({gemm(0, 10.0, k4096)}, &b);  // no reference for 4096^3
  const auto flops = with_metric(vs, "gemm.bf16/flops");
  ASSERT_EQ(flops.size(), 1u);
  EXPECT_EQ(flops[0].outcome, Outcome::unjudged);
  EXPECT_EQ(flops[0].rule, "no_expectation");
  EXPECT_EQ(flops[0].observed, 10.0);
  EXPECT_EQ(flops[0].labels, k4096);
  for (const auto& v : vs) EXPECT_NE(v.outcome, Outcome::error) << v.message;  // no headline map: not held
  const Summary s = summarize(vs);
  EXPECT_EQ(s.counts.at("unjudged"), 1);
  EXPECT_EQ(s.counts.at("pass"), 1);  // the built-in zero-mismatches rule only
  EXPECT_EQ(s.unjudged_metrics, std::vector<std::string>{"gemm.bf16/flops"});
  EXPECT_NE(s.headline.find("not judged: gemm.bf16/flops"), std::string::npos) << s.headline;
}

JudgeOptions with_headlines() {
  JudgeOptions o;
  o.headline_metrics = {{"gemm.bf16", "gemm.bf16/flops"}, {"membw.triad", "membw.triad/bandwidth"}};
  return o;
}

TEST(Judge, RequiredCheckWithUnjudgedHeadlineMakesTheNodeIncomplete) {
  const Baseline b = test_baseline();
  const auto vs = judge({gemm(0, 10.0, k4096)}, &b, with_headlines());
  const auto it = std::find_if(vs.begin(), vs.end(), [](const Verdict& v) { return v.rule == "headline_judged"; });
  ASSERT_NE(it, vs.end());
  EXPECT_EQ(it->outcome, Outcome::error);
  EXPECT_EQ(it->error_id, "E_NO_EXPECTATION");
  EXPECT_EQ(it->metric, "gemm.bf16/flops");
  EXPECT_NE(it->message.find("tranche baseline derive"), std::string::npos) << it->message;
  EXPECT_NE(it->message.find("\"required\": false"), std::string::npos) << it->message;
  const Summary s = summarize(vs);
  EXPECT_EQ(s.acceptance, Acceptance::incomplete);
  EXPECT_EQ(s.error_ids, std::vector<std::string>{"E_NO_EXPECTATION"});
  EXPECT_EQ(gpu_acceptance(vs).at(0), Acceptance::incomplete);
}

TEST(Judge, HeadlineRuleSparesOptionalChecksAndJudgedHeadlines) {
  const Baseline b = test_baseline();
  Measurement optional = gemm(0, 10.0, k4096);
  optional.required = false;
  auto vs = judge({optional}, &b, with_headlines());
  EXPECT_TRUE(std::none_of(vs.begin(), vs.end(), [](const Verdict& v) { return v.outcome == Outcome::error; }));
  // Judged at 8192, also measured at 4096: the headline is judged; the 4096 figure alone is unjudged.
  Measurement both = gemm(0, 100.0);
  both.add_metric("flops", 50.0, "FLOP/s").labels = k4096;
  vs = judge({both}, &b, with_headlines());
  EXPECT_TRUE(std::none_of(vs.begin(), vs.end(), [](const Verdict& v) { return v.outcome == Outcome::error; }));
  EXPECT_EQ(summarize(vs).acceptance, Acceptance::accepted);
  EXPECT_EQ(summarize(vs).counts.at("unjudged"), 1);
}

TEST(Judge, NoBaselineLeavesEveryRequiredHeadlineUnjudged) {
  Measurement triad;
  triad.check_id = "membw.triad";
  triad.device = 0;
  triad.add_metric("bandwidth", 3e12, "B/s");
  const auto vs = judge({gemm(0, 100.0), triad}, nullptr, with_headlines());
  EXPECT_EQ(std::count_if(vs.begin(), vs.end(), [](const Verdict& v) { return v.error_id == "E_NO_EXPECTATION"; }),
            2);
  EXPECT_NE(vs.back().message.find("no baseline was selected"), std::string::npos) << vs.back().message;
  const Summary s = summarize(vs);
  EXPECT_EQ(s.acceptance, Acceptance::incomplete);
  EXPECT_EQ(s.unjudged_metrics, (std::vector<std::string>{"gemm.bf16/flops", "membw.triad/bandwidth"}));
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
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].observed, 5.0);  // phase all_gpus: no expectation, so not judged (and not a pass)
  EXPECT_EQ(vs[0].outcome, Outcome::unjudged);
  EXPECT_EQ(vs[1].observed, 9.6);
  EXPECT_EQ(vs[1].outcome, Outcome::pass);
}

TEST(Judge, OkMeasurementWithoutExpectationsIsUnjudged) {
  Measurement m;
  m.check_id = "pcie.h2d";
  m.add_metric("aggregate_bandwidth", 2e11, "B/s").labels = {{"phase", "all_gpus"}};
  Measurement empty;
  empty.check_id = "preflight.nvlink";
  const auto vs = judge({m, empty}, nullptr);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].outcome, Outcome::unjudged);
  EXPECT_EQ(vs[0].metric, "pcie.h2d/aggregate_bandwidth");
  EXPECT_EQ(vs[1].outcome, Outcome::unjudged);  // reported nothing: nothing to call a pass
  EXPECT_EQ(vs[1].rule, "status");
  const Summary s = summarize(vs);
  EXPECT_EQ(s.acceptance, Acceptance::incomplete);  // nothing passed: nothing was proven
  EXPECT_EQ(s.counts.at("pass"), 0);
  EXPECT_EQ(s.unjudged_metrics, (std::vector<std::string>{"pcie.h2d/aggregate_bandwidth", "preflight.nvlink"}));
}

TEST(Judge, RecordOnlyMetricsGetNoVerdictTheirCheckPassesOnStatus) {
  Measurement driver;
  driver.check_id = "preflight.driver";
  driver.add_metric("device_count", 8.0, "count");
  driver.add_metric("cuda_runtime_version", 13000.0, "count");
  Measurement g = gemm(0, 100.0);
  g.add_metric("algorithm_id", 17.0, "count").labels = k8192;
  const Baseline b = test_baseline();
  const auto vs = judge({driver, g}, &b);
  EXPECT_TRUE(with_metric(vs, "preflight.driver/device_count").empty());
  EXPECT_TRUE(with_metric(vs, "gemm.bf16/algorithm_id").empty());
  ASSERT_FALSE(vs.empty());
  EXPECT_EQ(vs[0].check_id, "preflight.driver");
  EXPECT_EQ(vs[0].outcome, Outcome::pass);
  EXPECT_EQ(vs[0].rule, "status");
  EXPECT_TRUE(summarize(vs).unjudged_metrics.empty());
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
  // A measured reference earns 0.92/0.85 (docs/methodology/baselines.md, "Provenance and margins").
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 5, Outcome::pass, k8192));      // 740/797.5 = 0.928
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 6, Outcome::warn, k8192));      // 700/797.5 = 0.878
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/flops", 0, Outcome::unjudged, k4096));  // no 4096^3 reference
  EXPECT_TRUE(outcome_is(vs, "gemm.bf16/mismatches", 7, Outcome::fail, k8192));
  EXPECT_TRUE(outcome_is(vs, "membw.triad/bandwidth", 7, Outcome::warn));  // 2.60/2.97 = 0.875
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
  EXPECT_EQ(acc.at(5), Acceptance::accepted);
  EXPECT_EQ(acc.at(6), Acceptance::accepted);  // a warn still accepts
  EXPECT_EQ(acc.at(7), Acceptance::rejected);  // wrong results
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
