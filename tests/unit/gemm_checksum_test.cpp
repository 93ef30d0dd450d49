// GEMM silent-corruption rules that need no GPU: the checksum comparison, the minimum timed duration, the planted
// fault names, and, on simulated device arithmetic, that non-negative inputs make a zeroed element and a stale
// product fall outside the tolerance in every precision.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>
#include <vector>

#include "benches/gemm/gemm_core.h"
#include "benches/gemm/gemm_numeric.h"
#include "benches/gemm/gemm_reference.h"

namespace tranche {
namespace {

TEST(GemmChecksum, EveryProductIsComparedWithTheFirstOfItsSet) {
  // Sets 0, 1, 2 in rotation; the fifth product (set 1) came out different.
  const std::vector<std::int64_t> sets = {0, 1, 2, 0, 1, 2, 0};
  std::vector<std::uint64_t> sums = {10, 20, 30, 10, 21, 30, 10};
  EXPECT_EQ(count_checksum_mismatches(sets, sums), 1);
  sums[4] = 20;
  EXPECT_EQ(count_checksum_mismatches(sets, sums), 0);
  // A stale set (its output replaced after the loop): its last checksum differs from its first.
  sums.push_back(20);
  std::vector<std::int64_t> with_last = sets;
  with_last.push_back(2);
  EXPECT_EQ(count_checksum_mismatches(with_last, sums), 1);
  EXPECT_EQ(count_checksum_mismatches({}, {}), 0);
}

TEST(GemmTiming, SamplesLastAtLeastTheMinimumDuration) {
  EXPECT_DOUBLE_EQ(gemm_sample_seconds(0.025, 2.0, 30), 2.0 / 30);
  EXPECT_DOUBLE_EQ(gemm_sample_seconds(0.025, 0.5, 30), 0.025);  // already long enough
  EXPECT_DOUBLE_EQ(gemm_sample_seconds(0.025, 0.0, 30), 0.025);  // minimum off
  const double per_gemm = 1.5e-3;  // about an 8192^3 bf16 product on H100
  const std::int64_t it = gemm_iterations_for(gemm_sample_seconds(0.025, 2.0, 30), per_gemm);
  EXPECT_GE(static_cast<double>(it) * per_gemm * 30, 2.0 - per_gemm * 30);
}

TEST(GemmPlantNames, RoundTripAndRejectUnknown) {
  for (GemmPlant p : {GemmPlant::none, GemmPlant::zero, GemmPlant::above_bound, GemmPlant::stale}) {
    EXPECT_EQ(gemm_plant_from_string(gemm_plant_name(p)), p);
  }
  EXPECT_FALSE(gemm_plant_from_string("true").has_value());
}

// Operand values as the fill kernel stores them: u in [0, 1) scaled and rounded into the input type.
double stored_non_negative(GemmPrecision p, double u) {
  switch (p) {
    case GemmPrecision::fp64: return u;
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return static_cast<float>(u);
    case GemmPrecision::fp16: return decode_fp16(encode_fp16(u));
    case GemmPrecision::bf16: return decode_bf16(encode_bf16(u));
    case GemmPrecision::fp8: return decode_e4m3(encode_e4m3(16.0 * u));
    case GemmPrecision::int8: return std::nearbyint(127.0 * u);
  }
  return u;
}

double rounded_output(GemmPrecision p, double x) {
  switch (p) {
    case GemmPrecision::fp16: return decode_fp16(encode_fp16(x));
    case GemmPrecision::bf16:
    case GemmPrecision::fp8: return decode_bf16(encode_bf16(x));
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return static_cast<float>(x);
    default: return x;
  }
}

class GemmSilentCorruption : public ::testing::TestWithParam<GemmPrecision> {};

// 6 x 5 outputs at k = 4096 from two input sets (the rotation); the observed products are the references rounded
// to the output type. A zeroed element is caught wherever it is; a stale product (set 1's outputs where set 0's
// belong) is caught, and most of its elements are caught one by one.
TEST_P(GemmSilentCorruption, ZeroedElementAndStaleProductAreCaught) {
  const GemmPrecision p = GetParam();
  const std::int64_t m = 6, n = 5, k = 4096;
  const double scale = p == GemmPrecision::fp8 ? 1.0 / 256.0 : 1.0;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Set {
    std::vector<double> a, b, d;
  };
  Set sets[2];
  GemmSample all;
  for (std::int64_t i = 0; i < m; ++i) all.rows.push_back(i);
  for (std::int64_t j = 0; j < n; ++j) all.cols.push_back(j);
  for (Set& s : sets) {
    for (std::int64_t i = 0; i < m * k; ++i) s.a.push_back(stored_non_negative(p, u(rng)));
    for (std::int64_t i = 0; i < n * k; ++i) s.b.push_back(stored_non_negative(p, u(rng)));
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        const ReferenceDot r = reference_dot(std::span(s.a).subspan(i * k, k), std::span(s.b).subspan(j * k, k), scale);
        s.d.push_back(rounded_output(p, r.value));
        // Non-cancelling inputs: the bound is a small fraction of the value.
        const double bound = gemm_error_bound(gemm_tolerance(p, k), r.abs_sum, r.value);
        EXPECT_LT(bound, 0.05 * r.value) << gemm_precision_name(p);
      }
    }
    EXPECT_EQ(verify_gemm_sample(p, k, all, s.a, s.b, s.d, scale).mismatches, 0) << gemm_precision_name(p);
  }
  for (std::size_t e = 0; e < sets[0].d.size(); ++e) {
    std::vector<double> zeroed = sets[0].d;
    zeroed[e] = 0.0;
    EXPECT_EQ(verify_gemm_sample(p, k, all, sets[0].a, sets[0].b, zeroed, scale).mismatches, 1)
        << gemm_precision_name(p) << " element " << e;
  }
  const GemmVerification stale = verify_gemm_sample(p, k, all, sets[0].a, sets[0].b, sets[1].d, scale);
  EXPECT_GE(stale.mismatches, 1) << gemm_precision_name(p);
  std::cout << gemm_precision_name(p) << ": stale product, " << stale.mismatches << " of " << sets[0].d.size()
            << " elements outside the bound\n";
}

INSTANTIATE_TEST_SUITE_P(AllPrecisions, GemmSilentCorruption, ::testing::ValuesIn(kAllGemmPrecisions),
                         [](const auto& p) { return std::string(gemm_precision_name(p.param)); });

}  // namespace
}  // namespace tranche
