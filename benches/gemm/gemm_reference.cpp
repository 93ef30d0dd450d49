// Host reference for GEMM verification (see gemm_reference.h and docs/methodology/gemm.md).
#include "benches/gemm/gemm_reference.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <cmath>
#include <set>

namespace tranche {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): a tiny, fully specified generator, so the sample is the same everywhere.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<std::int64_t> sample_indices(std::int64_t n, std::int64_t count, std::uint64_t seed) {
  assert(n >= 1);
  std::vector<std::int64_t> out;
  if (count <= 0) return out;
  if (count >= n) {
    for (std::int64_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  std::set<std::int64_t> chosen;
  if (count >= 2) chosen = {0, n - 1};
  std::uint64_t state = seed;
  const auto un = static_cast<std::uint64_t>(n);
  while (static_cast<std::int64_t>(chosen.size()) < count) {
    chosen.insert(static_cast<std::int64_t>(next_random(state) % un));  // modulo bias < n / 2^64: irrelevant
  }
  out.assign(chosen.begin(), chosen.end());
  return out;
}

GemmSample choose_gemm_sample(const GemmShape& shape, std::int64_t elements, std::uint64_t seed) {
  GemmSample s;
  if (elements <= 0) return s;
  const auto want_rows = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(elements))));
  const std::int64_t rows = std::min(shape.m, want_rows);
  const std::int64_t cols = std::min(shape.n, (elements + rows - 1) / rows);
  s.rows = sample_indices(shape.m, rows, seed);
  s.cols = sample_indices(shape.n, cols, seed ^ 0xC01u);
  return s;
}

ReferenceDot reference_dot(std::span<const double> a, std::span<const double> b, double scale) {
  assert(a.size() == b.size());
  double sum = 0, abs_sum = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    const double prod = a[p] * b[p];
    sum += prod;
    abs_sum += std::fabs(prod);
  }
  return {sum * scale, abs_sum * std::fabs(scale)};
}

GemmVerification verify_gemm_sample(GemmPrecision p, std::int64_t k, const GemmSample& sample,
                                    std::span<const double> a_rows, std::span<const double> b_cols,
                                    std::span<const double> observed, double scale) {
  const auto ku = static_cast<std::size_t>(k);
  const std::size_t nr = sample.rows.size(), nc = sample.cols.size();
  assert(a_rows.size() == nr * ku && b_cols.size() == nc * ku && observed.size() == nr * nc);
  const GemmTolerance tol = gemm_tolerance(p, k);
  GemmVerification v;
  for (std::size_t r = 0; r < nr; ++r) {
    for (std::size_t c = 0; c < nc; ++c) {
      const ReferenceDot ref = reference_dot(a_rows.subspan(r * ku, ku), b_cols.subspan(c * ku, ku), scale);
      const double got = observed[r * nc + c];
      const double bound = gemm_error_bound(tol, ref.abs_sum, ref.value);
      ++v.checked;
      if (std::isfinite(got) && bound > 0) {
        v.max_error_ratio = std::max(v.max_error_ratio, std::fabs(got - ref.value) / bound);
      }
      if (gemm_element_ok(got, ref.value, bound)) continue;
      ++v.mismatches;
      if (!std::isfinite(got)) ++v.non_finite;
      if (v.first.size() < 8) v.first.push_back({sample.rows[r], sample.cols[c], got, ref.value, bound});
    }
  }
  return v;
}

std::int64_t count_checksum_mismatches(std::span<const std::int64_t> sets, std::span<const std::uint64_t> sums) {
  assert(sets.size() == sums.size());
  std::map<std::int64_t, std::uint64_t> first;
  std::int64_t differ = 0;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const auto [it, fresh] = first.emplace(sets[i], sums[i]);
    if (!fresh && it->second != sums[i]) ++differ;
  }
  return differ;
}

}  // namespace tranche
