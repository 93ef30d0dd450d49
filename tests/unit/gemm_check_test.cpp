// gemm.<p> checks without a GPU: registration, declared metrics, parameters, validation and applicability.
#include <gtest/gtest.h>

#include "benches/gemm/gemm_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

nlohmann::json defaults(const CheckInfo& info) {
  nlohmann::json p = nlohmann::json::object();
  for (const auto& spec : info.params) p[spec.name] = spec.default_value;
  return p;
}

GemmOptions options_with(GemmPrecision prec, const nlohmann::json& overrides) {
  SystemInfo sys;
  nlohmann::json params = defaults(gemm_check_info(prec));
  for (const auto& [key, value] : overrides.items()) params[key] = value;
  RunContext ctx(sys, 0, {0}, params, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  return gemm_options_from(ctx, prec);
}

TEST(GemmCheck, EveryPrecisionIsRegisteredWithItsMetrics) {
  for (GemmPrecision p : kAllGemmPrecisions) {
    const std::string id = "gemm." + std::string(gemm_precision_name(p));
    const auto* entry = CheckRegistry::global().find(id);
    ASSERT_NE(entry, nullptr) << id;
    EXPECT_EQ(entry->info.scope, Scope::gpu);
    EXPECT_EQ(entry->info.order, 20);
    EXPECT_EQ(entry->info.metrics,
              (std::vector<std::string>{id + "/flops", id + "/mismatches", id + "/algorithm_id"}));
    EXPECT_EQ(entry->make()->info().id, id);
  }
}

TEST(GemmCheck, DefaultsAreOneSquareShapeOf8192) {
  const GemmOptions o = options_with(GemmPrecision::bf16, nlohmann::json::object());
  ASSERT_EQ(o.shapes.size(), 1u);
  EXPECT_EQ(o.shapes[0], (GemmShape{8192, 8192, 8192}));
  EXPECT_EQ(o.candidates, 8);
  EXPECT_EQ(o.workspace_bytes, 64 << 20);
  EXPECT_EQ(o.verify_samples, 4096);
  EXPECT_EQ(o.plant_error, GemmPlant::none);
  EXPECT_EQ(o.min_duration_s, 2.0);
  EXPECT_EQ(o.iterations, 0);
}

TEST(GemmCheck, ShapeListsAndValidation) {
  const GemmOptions o = options_with(GemmPrecision::fp16, {{"m", {1000, 2048}}, {"n", {777}}, {"k", {513, 64}}});
  ASSERT_EQ(o.shapes.size(), 2u);
  EXPECT_EQ(o.shapes[1], (GemmShape{2048, 777, 64}));
  EXPECT_THROW(options_with(GemmPrecision::int8, {{"k", {513}}}), InputError);
  EXPECT_THROW(options_with(GemmPrecision::fp8, {{"m", {1000}}}), InputError);
  EXPECT_NO_THROW(options_with(GemmPrecision::fp8, {{"m", {1008}}, {"n", {777}}, {"k", {512}}}));
  EXPECT_THROW(options_with(GemmPrecision::fp32, {{"m", {1, 2}}, {"n", {1, 2, 3}}}), InputError);
  EXPECT_THROW(options_with(GemmPrecision::fp32, {{"samples", 0}}), InputError);
  EXPECT_THROW(options_with(GemmPrecision::fp32, {{"candidates", 0}}), InputError);
  EXPECT_THROW(options_with(GemmPrecision::fp32, {{"verify_samples", 0}}), InputError);
  EXPECT_THROW(options_with(GemmPrecision::fp32, {{"sample_s", 0.0}}), InputError);
}

TEST(GemmCheck, NotApplicableBelowTheMinimumComputeCapability) {
  SystemInfo sys;
  GpuInfo ampere;
  ampere.index = 0;
  ampere.name = "A100";
  ampere.cc_major = 8;
  GpuInfo turing;
  turing.index = 1;
  turing.name = "T4";
  turing.cc_major = 7;
  turing.cc_minor = 5;
  sys.gpus = {ampere, turing};
  const auto fp8 = gemm_not_applicable(GemmPrecision::fp8, sys, 0);
  ASSERT_TRUE(fp8.has_value());
  EXPECT_NE(fp8->find("8.9"), std::string::npos);
  EXPECT_NE(fp8->find("A100"), std::string::npos);
  EXPECT_FALSE(gemm_not_applicable(GemmPrecision::bf16, sys, 0));
  EXPECT_FALSE(gemm_not_applicable(GemmPrecision::int8, sys, 0));
  EXPECT_TRUE(gemm_not_applicable(GemmPrecision::bf16, sys, 1));
  EXPECT_TRUE(gemm_not_applicable(GemmPrecision::tf32, sys, 1));
  EXPECT_FALSE(gemm_not_applicable(GemmPrecision::fp16, sys, 1));
  EXPECT_FALSE(gemm_not_applicable(GemmPrecision::fp64, sys, 1));
  EXPECT_FALSE(gemm_not_applicable(GemmPrecision::fp8, sys, std::nullopt));
}

}  // namespace
}  // namespace tranche
