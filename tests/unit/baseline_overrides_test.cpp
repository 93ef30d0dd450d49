// Site overrides: only ever tighten, are recorded in the baseline and in every source they touch.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/judge.h"
#include "harness/judge/overrides.h"

namespace tranche {
namespace {

const std::string kDir = std::string(TRANCHE_TEST_DATA) + "/baselines/overrides/";

Baseline h100() {
  return resolve_baseline("h100-sxm5-80gb", load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus"));
}

const Expectation& find(const Baseline& b, const std::string& metric) {
  for (const auto& e : b.expectations) {
    if (e.metric == metric) return e;
  }
  throw std::runtime_error("no " + metric);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SiteOverrides, TightenRecordAndAdd) {
  const SiteOverrides s = load_site_overrides(kDir + "stricter-h100.json");
  const Baseline base = h100();
  const Baseline b = apply_site_overrides(base, s);
  EXPECT_EQ(find(b, "gemm.bf16/flops").warn_ratio, 0.97);
  EXPECT_EQ(find(b, "gemm.bf16/flops").fail_ratio, 0.93);
  EXPECT_EQ(find(b, "gemm.bf16/flops").reference, find(base, "gemm.bf16/flops").reference);  // margins, not numbers
  EXPECT_NE(find(b, "gemm.bf16/flops").source.find("site override"), std::string::npos);
  EXPECT_EQ(find(b, "gemm.fp16/flops").source, find(base, "gemm.fp16/flops").source);  // untouched
  EXPECT_EQ(find(b, "pcie.h2d/aggregate_bandwidth").reference, 2.0e11);
  EXPECT_EQ(b.expectations.size(), base.expectations.size() + 1);
  EXPECT_EQ(b.node.min_driver, "580.95.05");
  EXPECT_EQ(b.overrides_file, kDir + "stricter-h100.json");
  EXPECT_EQ(b.overrides_sha256.size(), 64u);

  // A GPU at 0.95 of reference passes the vendor baseline but warns under the site's.
  Metric m;
  m.name = "gemm.bf16/flops";
  m.unit = "FLOP/s";
  m.labels = {{"m", "8192"}, {"n", "8192"}, {"k", "8192"}};
  m.value = 0.95 * find(base, "gemm.bf16/flops").reference;
  EXPECT_EQ(judge_value(m, find(base, "gemm.bf16/flops")).outcome, Outcome::pass);
  EXPECT_EQ(judge_value(m, find(b, "gemm.bf16/flops")).outcome, Outcome::warn);
}

TEST(SiteOverrides, LooseningIsRejectedNamingFileAndPlace) {
  const SiteOverrides s = load_site_overrides(kDir + "looser-h100.json");
  const std::string what = error_of([&] { apply_site_overrides(h100(), s); });
  EXPECT_NE(what.find("looser-h100.json: $.margins[0].fail_ratio"), std::string::npos) << what;
  EXPECT_NE(what.find("only tighten"), std::string::npos) << what;
}

TEST(SiteOverrides, AppliesToAnotherSku) {
  const SiteOverrides s = load_site_overrides(kDir + "wrong-sku.json");
  EXPECT_NE(error_of([&] { apply_site_overrides(h100(), s); }).find("$.applies_to"), std::string::npos);
}

TEST(SiteOverrides, MarginForAMetricTheBaselineLacks) {
  SiteOverrides s;
  s.file = "x.json";
  s.margins.push_back({"gemm.bf16/flop", {}, 0.99, std::nullopt, std::nullopt});
  EXPECT_NE(error_of([&] { apply_site_overrides(h100(), s); }).find("x.json: $.margins[0].metric"), std::string::npos);
}

TEST(SiteOverrides, CannotDropARequiredExpectationOrDuplicateOne) {
  SiteOverrides s;
  s.file = "x.json";
  s.margins.push_back({"gemm.bf16/flops", {}, std::nullopt, std::nullopt, false});
  EXPECT_NE(error_of([&] { apply_site_overrides(h100(), s); }).find("$.margins[0].required"), std::string::npos);
  SiteOverrides dup;
  dup.file = "y.json";
  dup.expectations.push_back(find(h100(), "membw.triad/bandwidth"));
  EXPECT_NE(error_of([&] { apply_site_overrides(h100(), dup); }).find("y.json: $.expectations[0]"), std::string::npos);
}

TEST(SiteOverrides, ParseErrorsAreOneLineWithPlace) {
  const nlohmann::json j = {{"schema", kSiteOverridesSchema},
                            {"site", "s"},
                            {"source", "x"},
                            {"margins", {{{"metric", "gemm.bf16/flops"}, {"warn", 0.9}}}}};
  const std::string what = error_of([&] { site_overrides_from_json(j, "o.json"); });
  EXPECT_NE(what.find("o.json: $.margins[0]"), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos);
}

TEST(SiteOverrides, MalformedMinDriverIsRejectedAtLoadNotAfterTheRun) {
  const nlohmann::json j = {{"schema", kSiteOverridesSchema},
                            {"site", "s"},
                            {"source", "x"},
                            {"node", {{"min_driver", "latest"}}}};
  const std::string what = error_of([&] { site_overrides_from_json(j, "o.json"); });
  EXPECT_NE(what.find("o.json"), std::string::npos) << what;
  EXPECT_NE(what.find("min_driver"), std::string::npos) << what;
  EXPECT_NE(what.find("is not a version"), std::string::npos) << what;
}

}  // namespace
}  // namespace tranche
