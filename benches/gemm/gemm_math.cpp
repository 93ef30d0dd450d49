// Pure GEMM formulas (see gemm_math.h and docs/methodology/gemm.md).
#include "benches/gemm/gemm_math.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace tranche {

std::optional<std::string> gemm_shape_error(GemmPrecision p, const GemmShape& s) {
  constexpr std::int64_t kMaxDim = std::int64_t{1} << 31;
  if (s.m < 1 || s.n < 1 || s.k < 1 || s.m >= kMaxDim || s.n >= kMaxDim || s.k >= kMaxDim) {
    return "every GEMM dimension must be between 1 and 2^31-1";
  }
  if (p == GemmPrecision::int8) {
    if (s.m % 4 != 0 || s.k % 4 != 0) return "gemm.int8 needs m and k to be multiples of 4 (cuBLASLt IMMA, TN)";
    if (s.k > 133143) return "gemm.int8 needs k <= 133143 so that k*127*127 fits the int32 accumulator";
  }
  if (p == GemmPrecision::fp8 && (s.m % 16 != 0 || s.k % 16 != 0)) {
    return "gemm.fp8 needs m and k to be multiples of 16 (cuBLASLt FP8 alignment, TN)";
  }
  return std::nullopt;
}

std::vector<GemmShape> gemm_shapes(const std::vector<std::int64_t>& m, const std::vector<std::int64_t>& n,
                                   const std::vector<std::int64_t>& k) {
  if (m.empty() || n.empty() || k.empty()) throw std::invalid_argument("m, n and k need at least one value each");
  const std::size_t count = std::max({m.size(), n.size(), k.size()});
  for (const auto* list : {&m, &n, &k}) {
    if (list->size() != 1 && list->size() != count) {
      throw std::invalid_argument("m, n and k must have the same number of values (or a single value)");
    }
  }
  auto at = [](const std::vector<std::int64_t>& v, std::size_t i) { return v.size() == 1 ? v[0] : v[i]; };
  std::vector<GemmShape> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back({at(m, i), at(n, i), at(k, i)});
  return out;
}

std::int64_t gemm_rotation_count(std::uint64_t set_bytes, std::uint64_t l2_bytes, std::uint64_t budget_bytes,
                                 std::int64_t max_sets) {
  if (set_bytes == 0) return 1;
  std::uint64_t want = (4 * l2_bytes + set_bytes - 1) / set_bytes;
  want = std::max<std::uint64_t>(want, 2);
  want = std::min<std::uint64_t>(want, static_cast<std::uint64_t>(std::max<std::int64_t>(max_sets, 1)));
  want = std::min<std::uint64_t>(want, budget_bytes / set_bytes);
  return static_cast<std::int64_t>(std::max<std::uint64_t>(want, 1));
}

double gemm_sample_seconds(double sample_s, double min_duration_s, std::int64_t samples) {
  if (samples < 1 || !(min_duration_s > 0)) return sample_s;
  return std::max(sample_s, min_duration_s / static_cast<double>(samples));
}

std::int64_t gemm_iterations_for(double sample_s, double seconds_per_gemm, std::int64_t max_iterations) {
  if (!(seconds_per_gemm > 0) || !(sample_s > 0)) return 1;
  const double want = std::round(sample_s / seconds_per_gemm);
  if (want >= static_cast<double>(max_iterations)) return max_iterations;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(want));
}

double gemm_gamma(double n, double u) {
  const double nu = n * u;
  if (nu >= 1.0) return std::numeric_limits<double>::infinity();
  return nu / (1.0 - nu);
}

GemmTolerance gemm_tolerance(GemmPrecision p, std::int64_t k) {
  const double kd = static_cast<double>(k);
  // Error of the host reference itself (double, any order).
  const double reference = gemm_gamma(kd, kUnitFp64);
  // FP32 accumulation on tensor cores may truncate instead of rounding to nearest (Fasi et al., 2021): 2u.
  const double fp32_accumulate = gemm_gamma(kd, 2 * kUnitFp32);
  GemmTolerance t;
  switch (p) {
    case GemmPrecision::fp64:
      t.sum_coeff = gemm_gamma(kd, 2 * kUnitFp64) + reference;
      t.ref_coeff = kUnitFp64;
      t.floor = 0x1p-1074;
      break;
    case GemmPrecision::fp32:
      t.sum_coeff = fp32_accumulate + reference;
      t.ref_coeff = kUnitFp32;
      t.floor = 0x1p-149;
      break;
    case GemmPrecision::tf32:
      // Each fp32 factor is cut to tf32 inside the GEMM (10 explicit bits; < 2^-10 relative even when
      // truncated), so each product is off by < 2*2^-10 + 2^-20 relative.
      t.sum_coeff = 2 * (2 * kUnitTf32) + (2 * kUnitTf32) * (2 * kUnitTf32) + fp32_accumulate + reference;
      t.ref_coeff = kUnitFp32;
      t.floor = 0x1p-149;
      break;
    case GemmPrecision::fp16:
      t.sum_coeff = fp32_accumulate + reference;
      t.ref_coeff = kUnitFp16 + kUnitFp32;
      t.floor = 0x1p-24;
      break;
    case GemmPrecision::bf16:
      t.sum_coeff = fp32_accumulate + reference;
      t.ref_coeff = kUnitBf16 + kUnitFp32;
      t.floor = 0x1p-133;
      break;
    case GemmPrecision::fp8: {
      const double chunk = static_cast<double>(std::min<std::int64_t>(k, kFp8PromotionInterval));
      t.sum_coeff = gemm_gamma(chunk, kFp8AccumulatorUnit) + fp32_accumulate + reference;
      t.ref_coeff = kUnitBf16 + kUnitFp32;  // bf16 output after the fp32 epilogue (scales, alpha)
      t.floor = 0x1p-133;
      break;
    }
    case GemmPrecision::int8:
      break;  // exact: int8 products summed in int32 without overflow (k bounded by gemm_shape_error)
  }
  return t;
}

double gemm_error_bound(const GemmTolerance& t, double abs_sum, double reference) {
  const double accumulate = t.sum_coeff * abs_sum;
  // The output rounding applies to the computed value, which is within `accumulate` of the reference.
  return accumulate + t.ref_coeff * (std::fabs(reference) + accumulate) + t.floor;
}

bool gemm_element_ok(double observed, double reference, double bound) {
  if (!std::isfinite(observed)) return false;
  return std::fabs(observed - reference) <= bound;
}

}  // namespace tranche
