// GEMM formulas: FLOP count, bytes, shape rules, shape lists, rotation, iterations and the tolerance rules.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "benches/gemm/gemm_math.h"

namespace tranche {
namespace {

TEST(GemmMath, FlopsAreTwoMnk) {
  EXPECT_EQ(gemm_flops({1, 1, 1}), 2.0);
  EXPECT_EQ(gemm_flops({1000, 777, 513}), 2.0 * 1000 * 777 * 513);
  EXPECT_EQ(gemm_flops({8192, 8192, 8192}), 1099511627776.0);  // 2 * 2^39, exact in double
  EXPECT_EQ(gemm_flops({65536, 65536, 65536}), std::ldexp(1.0, 49));
}

TEST(GemmMath, FlopRateDividesByTime) {
  EXPECT_DOUBLE_EQ(gemm_flop_rate({8192, 8192, 8192}, 10, 0.01), 1099511627776.0 * 1000.0);
  EXPECT_DOUBLE_EQ(gemm_flop_rate({2, 3, 4}, 1, 2.0), 24.0);
}

TEST(GemmMath, SetBytesCountInputsAndOutputInTheirTypes) {
  EXPECT_EQ(gemm_set_bytes(GemmPrecision::fp16, {2, 3, 4}), 2u * (2 * 4 + 4 * 3) + 2u * 2 * 3);
  EXPECT_EQ(gemm_set_bytes(GemmPrecision::fp8, {2, 3, 4}), 1u * (8 + 12) + 2u * 6);   // bf16 output
  EXPECT_EQ(gemm_set_bytes(GemmPrecision::int8, {2, 3, 4}), 1u * (8 + 12) + 4u * 6);  // int32 output
  EXPECT_EQ(gemm_set_bytes(GemmPrecision::fp64, {8192, 8192, 8192}), 3ull * 8 * 8192 * 8192);
  EXPECT_EQ(gemm_set_bytes(GemmPrecision::tf32, {1, 1, 1}), 12u);
}

TEST(GemmMath, PrecisionNamesAndMinimumComputeCapability) {
  EXPECT_EQ(gemm_precision_name(GemmPrecision::bf16), "bf16");
  EXPECT_EQ(gemm_precision_name(GemmPrecision::int8), "int8");
  EXPECT_EQ(gemm_min_sm(GemmPrecision::fp8), 89);
  EXPECT_EQ(gemm_min_sm(GemmPrecision::tf32), 80);
  EXPECT_EQ(gemm_min_sm(GemmPrecision::bf16), 80);
  EXPECT_EQ(gemm_min_sm(GemmPrecision::fp64), 0);
}

TEST(GemmMath, ShapeRules) {
  EXPECT_FALSE(gemm_shape_error(GemmPrecision::fp16, {1000, 777, 513}));
  EXPECT_FALSE(gemm_shape_error(GemmPrecision::fp64, {1, 1, 1}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::fp32, {0, 8, 8}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::fp32, {8, 8, -1}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::fp32, {std::int64_t{1} << 31, 8, 8}));
  // int8: m and k multiples of 4; k bounded by the int32 accumulator.
  EXPECT_FALSE(gemm_shape_error(GemmPrecision::int8, {1000, 777, 512}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::int8, {1000, 777, 513}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::int8, {1001, 777, 512}));
  EXPECT_FALSE(gemm_shape_error(GemmPrecision::int8, {4, 1, 133140}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::int8, {4, 1, 133144}));
  // fp8: m and k multiples of 16.
  EXPECT_FALSE(gemm_shape_error(GemmPrecision::fp8, {1008, 777, 512}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::fp8, {1000, 777, 512}));
  EXPECT_TRUE(gemm_shape_error(GemmPrecision::fp8, {1008, 777, 520}));
}

TEST(GemmMath, ShapeListsZipAndBroadcast) {
  const auto one = gemm_shapes({8192}, {8192}, {8192});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], (GemmShape{8192, 8192, 8192}));
  const auto two = gemm_shapes({1024, 2048}, {512}, {64, 128});
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], (GemmShape{1024, 512, 64}));
  EXPECT_EQ(two[1], (GemmShape{2048, 512, 128}));
  EXPECT_THROW(gemm_shapes({1, 2}, {1, 2, 3}, {1}), std::invalid_argument);
  EXPECT_THROW(gemm_shapes({}, {1}, {1}), std::invalid_argument);
}

TEST(GemmMath, RotationCountCoversFourTimesL2) {
  const std::uint64_t l2 = 50ull << 20;
  const std::uint64_t big = 1ull << 40;
  EXPECT_EQ(gemm_rotation_count(1ull << 30, l2, big), 2);          // one set already dwarfs L2: still two
  EXPECT_EQ(gemm_rotation_count(10ull << 20, l2, big), 20);        // 4 * 50 MiB / 10 MiB
  EXPECT_EQ(gemm_rotation_count((10ull << 20) + 1, l2, big), 20);  // rounds up
  EXPECT_EQ(gemm_rotation_count(1024, l2, big), 64);               // capped at max_sets
  EXPECT_EQ(gemm_rotation_count(1024, l2, big, 8), 8);
  EXPECT_EQ(gemm_rotation_count(10ull << 20, l2, 35ull << 20), 3);  // memory budget wins
  EXPECT_EQ(gemm_rotation_count(10ull << 20, l2, 1), 1);            // never below one
  EXPECT_EQ(gemm_rotation_count(10ull << 20, 0, big), 2);           // unknown L2: two
}

TEST(GemmMath, IterationsPerSample) {
  EXPECT_EQ(gemm_iterations_for(0.025, 0.001), 25);
  EXPECT_EQ(gemm_iterations_for(0.025, 0.0018), 14);  // round(13.9)
  EXPECT_EQ(gemm_iterations_for(0.025, 0.1), 1);     // a product longer than a sample: one
  EXPECT_EQ(gemm_iterations_for(0.025, 1e-9), 10000);
  EXPECT_EQ(gemm_iterations_for(0.025, 0.0), 1);
  EXPECT_EQ(gemm_iterations_for(0.0, 0.001), 1);
}

TEST(GemmMath, GammaIsHighamsBound) {
  EXPECT_DOUBLE_EQ(gemm_gamma(10, 0.01), 0.1 / 0.9);
  EXPECT_DOUBLE_EQ(gemm_gamma(0, 0.01), 0.0);
  EXPECT_TRUE(std::isinf(gemm_gamma(100, 0.01)));
  EXPECT_TRUE(std::isinf(gemm_gamma(200, 0.01)));
}

TEST(GemmMath, Int8IsExact) {
  const GemmTolerance t = gemm_tolerance(GemmPrecision::int8, 8192);
  EXPECT_EQ(t.sum_coeff, 0.0);
  EXPECT_EQ(t.ref_coeff, 0.0);
  EXPECT_EQ(t.floor, 0.0);
  const double bound = gemm_error_bound(t, 1e8, 12345);
  EXPECT_EQ(bound, 0.0);
  EXPECT_TRUE(gemm_element_ok(12345, 12345, bound));
  EXPECT_FALSE(gemm_element_ok(12346, 12345, bound));
}

TEST(GemmMath, ToleranceOrderFollowsPrecision) {
  const std::int64_t k = 8192;
  auto sum = [&](GemmPrecision p) { return gemm_tolerance(p, k).sum_coeff; };
  auto ref = [&](GemmPrecision p) { return gemm_tolerance(p, k).ref_coeff; };
  EXPECT_LT(sum(GemmPrecision::fp64), sum(GemmPrecision::fp32));
  EXPECT_EQ(sum(GemmPrecision::fp32), sum(GemmPrecision::fp16));  // both fp32 accumulation of exact products
  EXPECT_EQ(sum(GemmPrecision::fp16), sum(GemmPrecision::bf16));
  EXPECT_LT(sum(GemmPrecision::fp32), sum(GemmPrecision::tf32));  // plus tf32 input rounding
  EXPECT_LT(sum(GemmPrecision::tf32), sum(GemmPrecision::fp8));   // 14-bit accumulator between promotions
  EXPECT_LT(ref(GemmPrecision::fp32), ref(GemmPrecision::fp16));
  EXPECT_LT(ref(GemmPrecision::fp16), ref(GemmPrecision::bf16));
  EXPECT_EQ(ref(GemmPrecision::fp8), ref(GemmPrecision::bf16));  // fp8 writes bf16
}

TEST(GemmMath, ToleranceValues) {
  // fp16 at k = 8192: gamma_8192(2^-23) + gamma_8192(2^-53) on the sum; 2^-11 + 2^-24 on the result.
  const GemmTolerance h = gemm_tolerance(GemmPrecision::fp16, 8192);
  EXPECT_NEAR(h.sum_coeff, 8192 * 0x1p-23, 2e-6);
  EXPECT_DOUBLE_EQ(h.ref_coeff, 0x1p-11 + 0x1p-24);
  EXPECT_DOUBLE_EQ(h.floor, 0x1p-24);
  // tf32 input rounding dominates at small k.
  EXPECT_NEAR(gemm_tolerance(GemmPrecision::tf32, 1).sum_coeff, 0x1p-9, 1e-5);
  // fp8's accumulator term stops growing at the promotion interval; the fp32 part keeps growing with k.
  const double f128 = gemm_tolerance(GemmPrecision::fp8, 128).sum_coeff;
  const double f4096 = gemm_tolerance(GemmPrecision::fp8, 4096).sum_coeff;
  EXPECT_GT(f4096, f128);
  EXPECT_LT(f4096 - f128, 4096 * 0x1p-22);
  // Every float tolerance grows with k.
  for (GemmPrecision p : kAllGemmPrecisions) {
    if (p == GemmPrecision::int8) continue;
    EXPECT_LT(gemm_tolerance(p, 64).sum_coeff, gemm_tolerance(p, 65536).sum_coeff) << gemm_precision_name(p);
  }
}

TEST(GemmMath, ErrorBoundFormula) {
  const GemmTolerance t{0.01, 0.001, 1e-6};
  // 0.01 * 100 + 0.001 * (|-20| + 1) + 1e-6
  EXPECT_DOUBLE_EQ(gemm_error_bound(t, 100, -20), 1.0 + 0.021 + 1e-6);
}

TEST(GemmMath, ElementOkEdges) {
  EXPECT_TRUE(gemm_element_ok(1.5, 1.0, 0.5));   // on the bound passes
  EXPECT_FALSE(gemm_element_ok(1.5000001, 1.0, 0.5));
  EXPECT_TRUE(gemm_element_ok(0.5, 1.0, 0.5));
  EXPECT_FALSE(gemm_element_ok(std::numeric_limits<double>::quiet_NaN(), 1.0, 1e300));
  EXPECT_FALSE(gemm_element_ok(std::numeric_limits<double>::infinity(), 1.0, 1e300));
  EXPECT_FALSE(gemm_element_ok(-std::numeric_limits<double>::infinity(), 1.0, 1e300));
}

}  // namespace
}  // namespace tranche
