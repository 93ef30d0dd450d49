// derive_baseline on the five fixture reports reproduces medians and MAD margins computed by hand.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/derive.h"
#include "harness/judge/sku_match.h"
#include "reports/node_report.h"

namespace tranche {
namespace {

std::vector<DeriveInput> fixtures(const std::string& letters = "abcde") {
  std::vector<DeriveInput> out;
  for (char c : letters) {
    const std::string path = std::string(TRANCHE_TEST_DATA) + "/reports/derive/node-" + c + ".json";
    NodeReport r = load_node_report(path);
    DeriveInput in{path, std::move(r.measurements), {}};
    for (const auto& g : r.inventory["gpus"]) in.gpu_names.push_back(g["name"]);
    out.push_back(std::move(in));
  }
  return out;
}

const Expectation* find(const Baseline& b, const std::string& metric) {
  for (const auto& e : b.expectations) {
    if (e.metric == metric) return &e;
  }
  return nullptr;
}

TEST(DeriveMath, MedianAndMad) {
  EXPECT_EQ(median_of({3, 1, 2}), 2);
  EXPECT_EQ(median_of({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(mad_of({1, 2, 3, 4, 100}), 1);  // deviations 2,1,0,1,97 -> median 1: robust to the outlier
}

TEST(Derive, ReproducesHandComputedFigures) {
  DeriveOptions o;
  o.id = "h100-fleet";
  const DeriveResult r = derive_baseline(fixtures(), o);
  const double kSigma = 1.4826;
  // gemm.bf16 8192^3: 10 pooled values 770..805 TFLOP/s -> median (792+795)/2 = 793.5, MAD 5.5.
  const Expectation* g = find(r.baseline, "gemm.bf16/flops");
  ASSERT_NE(g, nullptr);
  EXPECT_DOUBLE_EQ(g->reference, 793.5e12);
  EXPECT_NEAR(g->warn_ratio, 1 - 3 * kSigma * 5.5 / 793.5, 1e-12);
  EXPECT_NEAR(g->fail_ratio, 1 - 5 * kSigma * 5.5 / 793.5, 1e-12);
  EXPECT_EQ(g->labels.at("m"), "8192");
  // membw.triad: median 2.92 TB/s, MAD 0.015: fail margin 5 sigma = 3.8% is widened to the 5% minimum.
  const Expectation* t = find(r.baseline, "membw.triad/bandwidth");
  ASSERT_NE(t, nullptr);
  EXPECT_NEAR(t->reference, 2.92e12, 1.0);
  EXPECT_NEAR(t->warn_ratio, 1 - 3 * kSigma * 0.015 / 2.92, 1e-9);
  EXPECT_DOUBLE_EQ(t->fail_ratio, 0.95);
  // Node-level aggregate: 5 values 395..420 GB/s -> median 405.
  const Expectation* a = find(r.baseline, "pcie.h2d/aggregate_bandwidth");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->reference, 405e9);
  // A latency is lower_is_better: median 2.0 us, MAD 0.1 us. 3 and 5 sigma (22% and 37%) are wider than the
  // derived defaults, so the margins stop there: 1.05 and 1.10 (golden nodes that spread wider are not golden).
  const Expectation* l = find(r.baseline, "p2p.latency/latency");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->direction, Direction::lower_is_better);
  EXPECT_EQ(l->provenance, Provenance::derived);
  EXPECT_NEAR(l->reference, 2.0e-6, 1e-18);
  EXPECT_GT(1 + 3 * kSigma * 0.1 / 2.0, 1.05);
  EXPECT_NEAR(l->warn_ratio, 1.05, 1e-9);
  EXPECT_NEAR(l->fail_ratio, 1.10, 1e-9);
  // Counts, mismatches and unitless figures are not derived.
  EXPECT_EQ(find(r.baseline, "pcie.h2d/link_width"), nullptr);
  EXPECT_EQ(find(r.baseline, "gemm.bf16/mismatches"), nullptr);
  // The source says which reports and how many.
  EXPECT_NE(g->source.find("derived from 5 reports: "), std::string::npos) << g->source;
  EXPECT_NE(g->source.find("node-e.json"), std::string::npos);
  EXPECT_NE(g->source.find("median of 10 values"), std::string::npos);
  // No shipped base: the match rule comes from the GPU name; the result is a valid baseline file.
  EXPECT_EQ(r.baseline.match.name_pattern, "NVIDIA H100 80GB HBM3");
  const Baseline again = baseline_from_json(to_json(r.baseline), "derived");
  EXPECT_EQ(again.expectations.size(), r.baseline.expectations.size());
}

TEST(Derive, ShippedBaseCopiesMatchAndNode) {
  const auto shipped = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
  DeriveOptions o;
  o.id = "h100-sxm5-80gb";
  o.base = &shipped[0];
  for (const auto& b : shipped) {
    if (b.id == o.id) o.base = &b;
  }
  const DeriveResult r = derive_baseline(fixtures(), o);
  EXPECT_EQ(r.baseline.match.pci_device_ids, o.base->match.pci_device_ids);
  EXPECT_EQ(r.baseline.node.gpus_per_node, (std::vector<int>{4, 8}));  // HGX H100 boards carry 4 or 8
  EXPECT_FALSE(find(r.baseline, "gemm.bf16/flops")->next_step.empty());
}

TEST(Derive, TooFewSamplesNamesMetricAndCount) {
  DeriveOptions o;
  o.id = "x";
  try {
    derive_baseline(fixtures("abcd"), o);  // the node-level figures have 4 values
    FAIL();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("p2p.latency/latency {peer=1} has 4 values"), std::string::npos) << what;
    EXPECT_NE(what.find("at least 5"), std::string::npos) << what;
  }
  o.min_samples = 4;
  EXPECT_NO_THROW(derive_baseline(fixtures("abcd"), o));
}

TEST(Derive, NameRuleFromTheGpuNameMatchesItLiterally) {
  std::vector<DeriveInput> in;
  for (int r = 0; r < 2; ++r) {
    DeriveInput d{"r" + std::to_string(r) + ".json", {}, {"NVIDIA A100-SXM4-80GB (rev. 2)"}};
    Measurement m;
    m.check_id = "membw.copy";
    for (int i = 0; i < 3; ++i) m.add_metric("bandwidth", 1.5e12 + i * 1e10, "B/s");
    d.measurements.push_back(m);
    in.push_back(d);
  }
  DeriveOptions o;
  o.id = "site-a100";
  const Baseline b = derive_baseline(in, o).baseline;
  EXPECT_TRUE(sku_matches(b.match, SkuProbe{0, "NVIDIA A100-SXM4-80GB (rev. 2)", std::nullopt, 1}));
  EXPECT_FALSE(sku_matches(b.match, SkuProbe{0, "NVIDIA A100-SXM4-80GB (rev. 22)", std::nullopt, 1}));
  EXPECT_DOUBLE_EQ(b.expectations.at(0).reference, 1.51e12);  // 6 values: 1.50,1.50,1.51,1.51,1.52,1.52
}

TEST(Derive, OneReportIsNotAFleet) {
  DeriveOptions o;
  o.id = "x";
  o.min_samples = 1;
  EXPECT_THROW(derive_baseline(fixtures("a"), o), InputError);
}

}  // namespace
}  // namespace tranche
