// Host reference for GEMM verification: which output elements are sampled, their exact-ish values in double, and
// the count of elements outside the per-precision tolerance. Pure; no GPU.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "benches/gemm/gemm_math.h"

namespace tranche {

// The verified output elements: every (rows[r], cols[c]) pair, so only the sampled rows of A and the sampled
// columns of B are needed on the host.
struct GemmSample {
  std::vector<std::int64_t> rows;
  std::vector<std::int64_t> cols;
  std::size_t size() const { return rows.size() * cols.size(); }
};

// min(count, n) distinct indices in [0, n), sorted, the same for the same (n, count, seed). When count >= 2 the
// first and last index are included, so the edge tiles of odd shapes are always checked. Precondition: n >= 1.
std::vector<std::int64_t> sample_indices(std::int64_t n, std::int64_t count, std::uint64_t seed);
// About `elements` positions as a grid: ceil(sqrt(elements)) rows (at most m) by enough columns (at most n).
GemmSample choose_gemm_sample(const GemmShape& shape, std::int64_t elements, std::uint64_t seed);

struct ReferenceDot {
  double value = 0;    // scale * sum_p a[p] * b[p], accumulated in double
  double abs_sum = 0;  // scale * sum_p |a[p] * b[p]| (scale >= 0)
};
// Precondition: a.size() == b.size().
ReferenceDot reference_dot(std::span<const double> a, std::span<const double> b, double scale = 1.0);

struct GemmMismatch {
  std::int64_t row = 0, col = 0;
  double observed = 0, expected = 0, bound = 0;
};

struct GemmVerification {
  std::int64_t checked = 0;
  std::int64_t mismatches = 0;   // outside the bound, NaN and Inf included
  std::int64_t non_finite = 0;   // NaN or Inf among the mismatches
  double max_error_ratio = 0;    // max |observed - expected| / bound over finite elements with bound > 0
  std::vector<GemmMismatch> first;  // the first few mismatches (at most 8), for the report
  std::int64_t checksummed_products = 0;  // products whose device checksum was compared (count_checksum_mismatches)
  std::int64_t checksum_mismatches = 0;   // of those, the ones differing from the first product of their input set
};

// A fixed algorithm on fixed inputs gives bitwise-identical products (gpu-burn relies on the same fact), so every
// checksum must equal the first one recorded for the same input set. sets[i] is the input set of the product whose
// checksum is sums[i], in the order they were computed. Returns how many differ from their set's first.
// Precondition: sets.size() == sums.size().
std::int64_t count_checksum_mismatches(std::span<const std::int64_t> sets, std::span<const std::uint64_t> sums);

// Compares observed D elements with the reference. a_rows holds the sampled rows of A (rows.size() x k, row
// after row), b_cols the sampled columns of B (cols.size() x k), observed[r * cols.size() + c] is
// D(rows[r], cols[c]); scale multiplies every product (FP8 A and B scales; 1 otherwise).
// Precondition: spans of those sizes.
GemmVerification verify_gemm_sample(GemmPrecision p, std::int64_t k, const GemmSample& sample,
                                    std::span<const double> a_rows, std::span<const double> b_cols,
                                    std::span<const double> observed, double scale = 1.0);

}  // namespace tranche
