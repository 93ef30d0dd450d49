// Pure GEMM formulas: FLOP count, bytes, shape rules, rotation count and the per-precision error tolerance
// (derivations in docs/methodology/gemm.md).
#pragma once
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace tranche {

enum class GemmPrecision { fp64, fp32, tf32, fp16, bf16, fp8, int8 };

inline constexpr GemmPrecision kAllGemmPrecisions[] = {GemmPrecision::fp64, GemmPrecision::fp32, GemmPrecision::tf32,
                                                      GemmPrecision::fp16, GemmPrecision::bf16, GemmPrecision::fp8,
                                                      GemmPrecision::int8};

// "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8": the part after "gemm." in the check id.
constexpr std::string_view gemm_precision_name(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64: return "fp64";
    case GemmPrecision::fp32: return "fp32";
    case GemmPrecision::tf32: return "tf32";
    case GemmPrecision::fp16: return "fp16";
    case GemmPrecision::bf16: return "bf16";
    case GemmPrecision::fp8: return "fp8";
    case GemmPrecision::int8: return "int8";
  }
  return "?";
}

inline std::ostream& operator<<(std::ostream& os, GemmPrecision p) { return os << gemm_precision_name(p); }

// Bytes of one stored element of A/B (input) and of C/D (output). fp8 writes bf16, int8 writes int32.
constexpr int gemm_input_bytes(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64: return 8;
    case GemmPrecision::fp32:
    case GemmPrecision::tf32: return 4;
    case GemmPrecision::fp16:
    case GemmPrecision::bf16: return 2;
    case GemmPrecision::fp8:
    case GemmPrecision::int8: return 1;
  }
  return 0;
}
constexpr int gemm_output_bytes(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::fp64: return 8;
    case GemmPrecision::fp32:
    case GemmPrecision::tf32:
    case GemmPrecision::int8: return 4;
    case GemmPrecision::fp16:
    case GemmPrecision::bf16:
    case GemmPrecision::fp8: return 2;
  }
  return 0;
}

// Lowest compute capability (major*10+minor) tranche runs the precision on: bf16/tf32 tensor cores from sm_80,
// FP8 E4M3 from sm_89; int8 through cuBLASLt with plain column-major layouts from sm_80 (Turing needs the COL32
// tiled layouts, which tranche does not build). fp64/fp32/fp16 run on every GPU CUDA 13 supports.
constexpr int gemm_min_sm(GemmPrecision p) {
  switch (p) {
    case GemmPrecision::tf32:
    case GemmPrecision::bf16:
    case GemmPrecision::int8: return 80;
    case GemmPrecision::fp8: return 89;
    default: return 0;
  }
}

struct GemmShape {
  std::int64_t m = 0, n = 0, k = 0;
  friend bool operator==(const GemmShape&, const GemmShape&) = default;
};

// Floating-point (or integer multiply-add) operations of D = A*B: one multiply and one add per (i, j, p).
constexpr double gemm_flops(const GemmShape& s) {
  return 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k);
}

// Bytes of one input set: A (m x k) and B (k x n) in the input type, D (m x n) in the output type.
constexpr std::uint64_t gemm_set_bytes(GemmPrecision p, const GemmShape& s) {
  const auto in = static_cast<std::uint64_t>(gemm_input_bytes(p));
  const auto out = static_cast<std::uint64_t>(gemm_output_bytes(p));
  const auto m = static_cast<std::uint64_t>(s.m), n = static_cast<std::uint64_t>(s.n),
             k = static_cast<std::uint64_t>(s.k);
  return in * (m * k + k * n) + out * m * n;
}

// FLOP/s of `gemms` products of shape s done in `seconds` (> 0).
constexpr double gemm_flop_rate(const GemmShape& s, std::int64_t gemms, double seconds) {
  return gemm_flops(s) * static_cast<double>(gemms) / seconds;
}

// Why the shape cannot run in this precision, or nullopt. Every dimension must be in [1, 2^31). int8 (IMMA,
// TN, plain column-major): m and k multiples of 4 (leading dimensions of A, B, D), and k <= 133143 so that
// k*127*127 fits the int32 accumulator. fp8: m and k multiples of 16 (cuBLASLt FP8 alignment rules).
std::optional<std::string> gemm_shape_error(GemmPrecision p, const GemmShape& s);

// Zips the m, n and k lists into shapes; a list of length 1 is repeated to the length of the others.
// Throws std::invalid_argument when a list is empty or two lists of length > 1 differ in length.
std::vector<GemmShape> gemm_shapes(const std::vector<std::int64_t>& m, const std::vector<std::int64_t>& n,
                                   const std::vector<std::int64_t>& k);

// Number of input sets to rotate so that consecutive products never find their operands in L2: the smallest
// count >= 2 whose total is >= 4x the L2 size, capped at max_sets and at what `budget_bytes` holds (never < 1).
std::int64_t gemm_rotation_count(std::uint64_t set_bytes, std::uint64_t l2_bytes, std::uint64_t budget_bytes,
                                 std::int64_t max_sets = 64);

// Target GPU time of one sample so that `samples` samples last at least min_duration_s in all (the sustained
// figure after clocks and power settle, not the first burst): max(sample_s, min_duration_s / samples).
double gemm_sample_seconds(double sample_s, double min_duration_s, std::int64_t samples);
// Products per timed sample: round(sample_s / seconds_per_gemm) clamped to [1, max_iterations].
std::int64_t gemm_iterations_for(double sample_s, double seconds_per_gemm, std::int64_t max_iterations = 10000);

// The error bound for one output element: |observed - reference| <= bound, where
//   bound = sum_coeff * abs_sum + ref_coeff * |reference| + floor,
// abs_sum = scale * sum_p |a_ip * b_pj| (the exact-arithmetic sum of absolute products; <= ||a_i||_2 ||b_j||_2).
// int8 is exact (all zero). See docs/methodology/gemm.md for each term.
struct GemmTolerance {
  double sum_coeff = 0;  // input rounding inside the GEMM + accumulation (worst case over summation orders)
  double ref_coeff = 0;  // rounding of the result to the output type (and the fp32 epilogue)
  double floor = 0;      // absolute: spacing of the output type's subnormals
};

// Unit roundoffs (u = 2^-t for t significand bits including the implicit one).
inline constexpr double kUnitFp64 = 0x1p-53;
inline constexpr double kUnitFp32 = 0x1p-24;
inline constexpr double kUnitTf32 = 0x1p-11;
inline constexpr double kUnitFp16 = 0x1p-11;
inline constexpr double kUnitBf16 = 0x1p-8;
inline constexpr double kUnitE4m3 = 0x1p-4;
// Hopper FP8 tensor cores keep about 14 significand bits in the accumulator between promotions to FP32
// (DeepSeek-V3 technical report, section 3.3.2); cuBLASLt promotes (FAST_ACCUM off) — we assume at most every
// 128 products (four k=32 MMA steps, CUTLASS's default promotion interval). Validated on a GPU via max_error_ratio.
inline constexpr double kFp8AccumulatorUnit = 0x1p-13;
inline constexpr std::int64_t kFp8PromotionInterval = 128;

// gamma_n = n*u / (1 - n*u) (Higham, Accuracy and Stability, 2nd ed., Lemma 3.1); +inf when n*u >= 1.
double gemm_gamma(double n, double u);

GemmTolerance gemm_tolerance(GemmPrecision p, std::int64_t k);
double gemm_error_bound(const GemmTolerance& t, double abs_sum, double reference);
// False for a non-finite observation or |observed - reference| > bound; exact comparison for int8.
bool gemm_element_ok(double observed, double reference, double bound);

}  // namespace tranche
