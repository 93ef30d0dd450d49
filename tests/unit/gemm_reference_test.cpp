// GEMM host reference: storage-format conversions, sampled positions, the reference dot product against a naive
// triple loop, and the tolerance against simulated device arithmetic (accepts rounding, catches a wrong element).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>

#include "benches/gemm/gemm_numeric.h"
#include "benches/gemm/gemm_reference.h"

namespace tranche {
namespace {

TEST(GemmNumeric, KnownBitPatterns) {
  EXPECT_EQ(decode_fp16(0x3C00), 1.0);
  EXPECT_EQ(decode_fp16(0x7BFF), 65504.0);
  EXPECT_EQ(decode_fp16(0x0001), std::ldexp(1.0, -24));
  EXPECT_EQ(decode_fp16(0xC000), -2.0);
  EXPECT_TRUE(std::isinf(decode_fp16(0x7C00)));
  EXPECT_TRUE(std::isnan(decode_fp16(0x7E00)));
  EXPECT_EQ(decode_bf16(0x3F80), 1.0);
  EXPECT_EQ(decode_bf16(0xC040), -3.0);
  EXPECT_EQ(decode_e4m3(0x38), 1.0);
  EXPECT_EQ(decode_e4m3(0x7E), 448.0);
  EXPECT_EQ(decode_e4m3(0x01), std::ldexp(1.0, -9));
  EXPECT_EQ(decode_e4m3(0xB8), -1.0);
  EXPECT_TRUE(std::isnan(decode_e4m3(0x7F)));
  EXPECT_EQ(decode_e4m3(0x78), 256.0);  // exponent field 15 is a normal exponent in E4M3
}

TEST(GemmNumeric, EveryFiniteBitPatternRoundTrips) {
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const auto h = static_cast<std::uint16_t>(b);
    if (!std::isnan(decode_fp16(h))) {
      ASSERT_EQ(encode_fp16(decode_fp16(h)), h) << std::hex << b;
    }
    if (!std::isnan(decode_bf16(h))) {
      ASSERT_EQ(encode_bf16(decode_bf16(h)), h) << std::hex << b;
    }
  }
  for (std::uint32_t b = 0; b < 0x100; ++b) {
    const auto q = static_cast<std::uint8_t>(b);
    if (!std::isnan(decode_e4m3(q))) {
      ASSERT_EQ(encode_e4m3(decode_e4m3(q)), q) << std::hex << b;
    }
  }
}

TEST(GemmNumeric, RoundToNearestEvenSaturationAndOverflow) {
  EXPECT_EQ(decode_fp16(encode_fp16(1.0 + std::ldexp(1.0, -11))), 1.0);  // tie -> even
  EXPECT_EQ(decode_fp16(encode_fp16(1.0 + 3 * std::ldexp(1.0, -11))), 1.0 + std::ldexp(1.0, -9));
  EXPECT_EQ(decode_fp16(encode_fp16(1.0 + 0.6 * std::ldexp(1.0, -10))), 1.0 + std::ldexp(1.0, -10));
  EXPECT_TRUE(std::isinf(decode_fp16(encode_fp16(70000.0))));
  EXPECT_EQ(decode_fp16(encode_fp16(65519.0)), 65504.0);  // below the midpoint to 2^16
  EXPECT_EQ(decode_bf16(encode_bf16(1.0 + std::ldexp(1.0, -8))), 1.0);
  EXPECT_EQ(decode_e4m3(encode_e4m3(1000.0)), 448.0);  // satfinite
  EXPECT_EQ(decode_e4m3(encode_e4m3(-1000.0)), -448.0);
  EXPECT_EQ(decode_e4m3(encode_e4m3(1.0625)), 1.0);  // tie between 1 and 1.125 -> even
  EXPECT_EQ(decode_e4m3(encode_e4m3(std::ldexp(1.0, -11))), 0.0);
  EXPECT_EQ(decode_e4m3(encode_e4m3(0.3 * std::ldexp(1.0, -9) + std::ldexp(1.0, -9))), std::ldexp(1.0, -9));
  EXPECT_EQ(round_tf32(1.0f + std::ldexp(1.0f, -11)), 1.0f);
  EXPECT_EQ(round_tf32(1.0f + std::ldexp(1.0f, -10)), 1.0f + std::ldexp(1.0f, -10));
  EXPECT_EQ(round_tf32(1.0f + 3 * std::ldexp(1.0f, -11)), 1.0f + std::ldexp(1.0f, -9));
}

TEST(GemmNumeric, DecodesStoredBuffersPerPrecision) {
  const std::int32_t ints[2] = {-5, 123456};
  EXPECT_EQ(decode_gemm_outputs(GemmPrecision::int8, ints, 2), (std::vector<double>{-5, 123456}));
  const std::int8_t bytes[3] = {-127, 0, 127};
  EXPECT_EQ(decode_gemm_inputs(GemmPrecision::int8, bytes, 3), (std::vector<double>{-127, 0, 127}));
  const float f[2] = {1.5f, -0.25f};
  EXPECT_EQ(decode_gemm_inputs(GemmPrecision::tf32, f, 2), (std::vector<double>{1.5, -0.25}));
  const std::uint16_t bf[2] = {0x3F80, 0xC040};
  EXPECT_EQ(decode_gemm_outputs(GemmPrecision::fp8, bf, 2), (std::vector<double>{1.0, -3.0}));
  const std::uint8_t e4[2] = {0x38, 0xB8};
  EXPECT_EQ(decode_gemm_inputs(GemmPrecision::fp8, e4, 2), (std::vector<double>{1.0, -1.0}));
}

TEST(GemmSampleTest, IndicesAreDistinctSortedInRangeWithEdges) {
  const auto idx = sample_indices(1000, 64, 42);
  ASSERT_EQ(idx.size(), 64u);
  EXPECT_EQ(idx.front(), 0);
  EXPECT_EQ(idx.back(), 999);
  EXPECT_EQ(std::set<std::int64_t>(idx.begin(), idx.end()).size(), idx.size());
  for (std::size_t i = 1; i < idx.size(); ++i) EXPECT_LT(idx[i - 1], idx[i]);
  EXPECT_EQ(sample_indices(1000, 64, 42), idx);  // deterministic
  EXPECT_NE(sample_indices(1000, 64, 43), idx);  // the seed matters
  EXPECT_EQ(sample_indices(5, 64, 1), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(sample_indices(5, 0, 1).size(), 0u);
  EXPECT_EQ(sample_indices(5, 1, 1).size(), 1u);
}

TEST(GemmSampleTest, GridSizes) {
  const GemmSample big = choose_gemm_sample({8192, 8192, 8192}, 4096, 7);
  EXPECT_EQ(big.rows.size(), 64u);
  EXPECT_EQ(big.cols.size(), 64u);
  EXPECT_EQ(big.size(), 4096u);
  const GemmSample thin = choose_gemm_sample({3, 777, 513}, 4096, 7);
  EXPECT_EQ(thin.rows.size(), 3u);
  EXPECT_EQ(thin.cols.size(), 777u);
  const GemmSample tiny = choose_gemm_sample({2, 2, 2}, 4096, 7);
  EXPECT_EQ(tiny.size(), 4u);
}

TEST(GemmReferenceTest, MatchesNaiveTripleLoop) {
  const std::int64_t m = 7, n = 5, k = 9;
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> dist(-9, 9);
  std::vector<double> a(m * k), b(n * k);  // a: row i contiguous; b: column j contiguous (TN storage)
  for (auto& x : a) x = dist(rng);
  for (auto& x : b) x = dist(rng);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double naive = 0, naive_abs = 0;
      for (std::int64_t p = 0; p < k; ++p) {
        naive += a[i * k + p] * b[j * k + p];
        naive_abs += std::fabs(a[i * k + p] * b[j * k + p]);
      }
      const ReferenceDot r = reference_dot(std::span(a).subspan(i * k, k), std::span(b).subspan(j * k, k));
      EXPECT_EQ(r.value, naive);
      EXPECT_EQ(r.abs_sum, naive_abs);
      const ReferenceDot scaled =
          reference_dot(std::span(a).subspan(i * k, k), std::span(b).subspan(j * k, k), 0.25);
      EXPECT_EQ(scaled.value, naive * 0.25);
    }
  }
}

// --- Simulated device arithmetic -------------------------------------------------------------------------------

struct Operands {
  std::vector<double> a, b;  // stored values: a is m x k by rows, b is n x k by columns
  double scale = 1.0;
};

double stored(GemmPrecision p, double x) {
  switch (p) {
    case GemmPrecision::fp64: return x;
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return static_cast<float>(x);
    case GemmPrecision::fp16: return decode_fp16(encode_fp16(x));
    case GemmPrecision::bf16: return decode_bf16(encode_bf16(x));
    case GemmPrecision::fp8: return decode_e4m3(encode_e4m3(16.0 * x));
    case GemmPrecision::int8: return std::nearbyint(127.0 * x);
  }
  return x;
}

Operands make_operands(GemmPrecision p, std::int64_t m, std::int64_t n, std::int64_t k, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Operands o;
  for (std::int64_t i = 0; i < m * k; ++i) o.a.push_back(stored(p, u(rng)));
  for (std::int64_t i = 0; i < n * k; ++i) o.b.push_back(stored(p, u(rng)));
  if (p == GemmPrecision::fp8) o.scale = 1.0 / 256.0;
  return o;
}

// x rounded to `bits` significand bits, to nearest or toward zero.
double round_bits(double x, int bits, bool truncate) {
  if (x == 0 || !std::isfinite(x)) return x;
  int e = 0;
  std::frexp(x, &e);
  const double q = std::ldexp(1.0, e - bits);
  return (truncate ? std::trunc(x / q) : std::nearbyint(x / q)) * q;
}

double to_output(GemmPrecision p, double x) {
  switch (p) {
    case GemmPrecision::fp16: return decode_fp16(encode_fp16(x));
    case GemmPrecision::bf16:
    case GemmPrecision::fp8: return decode_bf16(encode_bf16(x));
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return static_cast<float>(x);
    default: return x;
  }
}

// One output element the way a GPU could compute it: sequential accumulation in the accumulator's precision
// (truncating when `truncate`), tf32 input rounding, FP8's 14-bit accumulator promoted every 128 products.
double simulate(GemmPrecision p, std::span<const double> a, std::span<const double> b, double scale, bool truncate) {
  const std::size_t k = a.size();
  if (p == GemmPrecision::int8 || p == GemmPrecision::fp64) {
    double s = 0;
    for (std::size_t i = 0; i < k; ++i) s += a[i] * b[i];
    return s;
  }
  double acc = 0, chunk = 0;
  for (std::size_t i = 0; i < k; ++i) {
    double x = a[i], y = b[i];
    if (p == GemmPrecision::tf32) {
      x = round_bits(x, 11, truncate);
      y = round_bits(y, 11, truncate);
    }
    const double prod = round_bits(x * y, 24, truncate);
    if (p == GemmPrecision::fp8) {
      chunk = round_bits(chunk + prod, 14, truncate);
      if ((i + 1) % 128 == 0 || i + 1 == k) {
        acc = round_bits(acc + chunk, 24, truncate);
        chunk = 0;
      }
    } else {
      acc = round_bits(acc + prod, 24, truncate);
    }
  }
  return to_output(p, round_bits(acc * scale, 24, false));
}

class GemmToleranceSim : public ::testing::TestWithParam<GemmPrecision> {};

TEST_P(GemmToleranceSim, AcceptsRoundingAndCatchesAPlantedError) {
  const GemmPrecision p = GetParam();
  const std::int64_t m = 6, n = 5;
  for (std::int64_t k : {1, 4, 7, 128, 513, 4096}) {
    if (gemm_shape_error(p, {16, n, k})) continue;  // int8 needs k % 4 == 0, fp8 k % 16 == 0
    const Operands o = make_operands(p, m, n, k, static_cast<unsigned>(k));
    GemmSample all;
    for (std::int64_t i = 0; i < m; ++i) all.rows.push_back(i);
    for (std::int64_t j = 0; j < n; ++j) all.cols.push_back(j);
    for (bool truncate : {false, true}) {
      std::vector<double> d(static_cast<std::size_t>(m * n));
      for (std::int64_t i = 0; i < m; ++i) {
        for (std::int64_t j = 0; j < n; ++j) {
          d[i * n + j] = simulate(p, std::span(o.a).subspan(i * k, k), std::span(o.b).subspan(j * k, k), o.scale,
                                  truncate);
        }
      }
      const GemmVerification ok = verify_gemm_sample(p, k, all, o.a, o.b, d, o.scale);
      EXPECT_EQ(ok.checked, m * n);
      EXPECT_EQ(ok.mismatches, 0) << gemm_precision_name(p) << " k=" << k << " truncate=" << truncate
                                  << " max_error_ratio=" << ok.max_error_ratio;
      EXPECT_LE(ok.max_error_ratio, 1.0);

      // A wrong element: off by 5% of the sum of absolute products (int8: by one).
      const ReferenceDot r = reference_dot(std::span(o.a).subspan(2 * k, k), std::span(o.b).subspan(3 * k, k),
                                           o.scale);
      std::vector<double> bad = d;
      bad[2 * n + 3] += p == GemmPrecision::int8 ? 1.0 : 0.05 * r.abs_sum;
      const GemmVerification caught = verify_gemm_sample(p, k, all, o.a, o.b, bad, o.scale);
      EXPECT_EQ(caught.mismatches, 1) << gemm_precision_name(p) << " k=" << k;
      ASSERT_EQ(caught.first.size(), 1u);
      EXPECT_EQ(caught.first[0].row, 2);
      EXPECT_EQ(caught.first[0].col, 3);
      EXPECT_EQ(caught.non_finite, 0);

      bad = d;
      bad[0] = std::numeric_limits<double>::quiet_NaN();
      bad[1] = std::numeric_limits<double>::infinity();
      const GemmVerification nan = verify_gemm_sample(p, k, all, o.a, o.b, bad, o.scale);
      EXPECT_EQ(nan.mismatches, 2);
      EXPECT_EQ(nan.non_finite, 2);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPrecisions, GemmToleranceSim, ::testing::ValuesIn(kAllGemmPrecisions),
                         [](const auto& p) { return std::string(gemm_precision_name(p.param)); });

TEST(GemmReferenceTest, SampledGridMapsObservedValuesByRowThenColumn) {
  const std::int64_t m = 9, n = 8, k = 3;
  const Operands o = make_operands(GemmPrecision::fp64, m, n, k, 11);
  GemmSample s;
  s.rows = {1, 4, 8};
  s.cols = {0, 2, 5, 6, 7};
  std::vector<double> a_rows, b_cols, observed;
  for (auto i : s.rows) a_rows.insert(a_rows.end(), o.a.begin() + i * k, o.a.begin() + (i + 1) * k);
  for (auto j : s.cols) b_cols.insert(b_cols.end(), o.b.begin() + j * k, o.b.begin() + (j + 1) * k);
  for (auto i : s.rows) {
    for (auto j : s.cols) {
      observed.push_back(reference_dot(std::span(o.a).subspan(i * k, k), std::span(o.b).subspan(j * k, k)).value);
    }
  }
  EXPECT_EQ(verify_gemm_sample(GemmPrecision::fp64, k, s, a_rows, b_cols, observed).mismatches, 0);
  observed[1 * 5 + 2] += 1.0;  // row 4, column 5
  const GemmVerification v = verify_gemm_sample(GemmPrecision::fp64, k, s, a_rows, b_cols, observed);
  ASSERT_EQ(v.mismatches, 1);
  EXPECT_EQ(v.first[0].row, 4);
  EXPECT_EQ(v.first[0].col, 5);
}

}  // namespace
}  // namespace tranche
