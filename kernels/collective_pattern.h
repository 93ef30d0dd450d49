// The values NCCL checks send and expect, as one formula shared by host tests and device kernels: small
// non-negative integers whose every partial sum over ranks is exact in float and bf16 (docs/methodology/nccl.md).
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define TRANCHE_HOST_DEVICE __host__ __device__
#else
#define TRANCHE_HOST_DEVICE
#endif

namespace tranche::kernels {

enum class CollectiveKind : int { all_reduce, all_gather, reduce_scatter, broadcast, reduce, alltoall, sendrecv };

// Largest integer up to which every integer is exact: 2^8 in bf16 (8 significand bits), 2^24 in float.
TRANCHE_HOST_DEVICE constexpr std::uint64_t exact_integer_limit(bool bf16) { return bf16 ? 256u : (1u << 24); }

// The value range for `nranks` contributors: values lie in [1, span] with span * nranks <= the exact limit, so any
// sum over any subset of ranks, in any order, is an exact integer. 0 when even all-ones would overflow (bf16 with
// more than 256 ranks): then rank_value uses sparse ones instead.
TRANCHE_HOST_DEVICE constexpr std::uint64_t value_span(int nranks, bool bf16) {
  const std::uint64_t per = exact_integer_limit(bf16) / static_cast<std::uint64_t>(nranks > 0 ? nranks : 1);
  return per > 15 ? 15 : per;  // at most 16 distinct values: enough to catch misplaced or stale elements
}

// Value of element i of rank r's contribution. Dense case: 1 + (i * 7 + r * 5) mod span, never zero, varies
// along the buffer and across ranks. Sparse case (span 0): 1 on the ranks with (i + r) % stride == 0, where
// stride = ceil(nranks / limit), so no element sums more than `limit` ones.
TRANCHE_HOST_DEVICE constexpr std::uint64_t rank_value(int r, std::uint64_t i, int nranks, bool bf16) {
  const std::uint64_t span = value_span(nranks, bf16);
  if (span > 0) return 1 + (i * 7 + static_cast<std::uint64_t>(r) * 5) % span;
  const std::uint64_t limit = exact_integer_limit(bf16);
  const std::uint64_t stride = (static_cast<std::uint64_t>(nranks) + limit - 1) / limit;
  return (i + static_cast<std::uint64_t>(r)) % stride == 0 ? 1 : 0;
}

// Sum over every rank of element i: the exact value of a sum reduction.
TRANCHE_HOST_DEVICE constexpr std::uint64_t reduced_value(std::uint64_t i, int nranks, bool bf16) {
  std::uint64_t s = 0;
  for (int q = 0; q < nranks; ++q) s += rank_value(q, i, nranks, bf16);
  return s;
}

// Element index a rank's send buffer holds at position i: inputs of all_gather and sendrecv are one block of
// `count` elements (index i); reduce_scatter and alltoall send n blocks (index i over the whole buffer).
// Expected value of element j of rank r's receive buffer after `kind`, with `count` the per-rank element count
// NCCL is called with (nccl-tests' "paramcount"): root 0 for broadcast and reduce; the caller checks reduce on
// the root only. sendrecv is the ring exchange: r receives from r - 1.
TRANCHE_HOST_DEVICE constexpr std::uint64_t expected_value(CollectiveKind kind, int r, std::uint64_t j,
                                                           std::uint64_t count, int nranks, bool bf16) {
  switch (kind) {
    case CollectiveKind::all_reduce:
    case CollectiveKind::reduce: return reduced_value(j, nranks, bf16);
    case CollectiveKind::reduce_scatter: return reduced_value(static_cast<std::uint64_t>(r) * count + j, nranks, bf16);
    case CollectiveKind::broadcast: return rank_value(0, j, nranks, bf16);
    case CollectiveKind::all_gather: return rank_value(static_cast<int>(j / count), j % count, nranks, bf16);
    case CollectiveKind::alltoall:
      return rank_value(static_cast<int>(j / count), static_cast<std::uint64_t>(r) * count + j % count, nranks, bf16);
    case CollectiveKind::sendrecv: return rank_value((r + nranks - 1) % nranks, j, nranks, bf16);
  }
  return 0;
}

}  // namespace tranche::kernels
