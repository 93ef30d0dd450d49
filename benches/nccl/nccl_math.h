// Pure NCCL benchmark arithmetic: algbw and busbw as nccl-tests defines them, per-rank element counts and buffer
// sizes, the size sweep, and the headline figure. See docs/methodology/nccl.md. No CUDA, no NCCL.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/collective_pattern.h"

namespace tranche::nccl {

using CollectiveOp = kernels::CollectiveKind;

// "all_reduce", "all_gather", ... as in the check ids (nccl.<name>).
std::string_view op_name(CollectiveOp op);
// Every op, in check order.
const std::vector<CollectiveOp>& all_ops();
// The op of check id "nccl.<name>"; nullopt for any other id (nccl.pairwise included).
std::optional<CollectiveOp> op_from_check_id(std::string_view check_id);

// busbw / algbw for `nranks` ranks (nccl-tests src/<op>.cu GetBw): all_reduce 2(n-1)/n; all_gather,
// reduce_scatter, alltoall (n-1)/n; broadcast, reduce, sendrecv 1. Precondition: nranks >= 1.
double bus_factor(CollectiveOp op, int nranks);
// algbw = size / time in B/s; `size_bytes` is the nccl-tests "size" column (see ElementCounts).
double algbw(std::uint64_t size_bytes, double seconds);
double busbw(CollectiveOp op, std::uint64_t size_bytes, double seconds, int nranks);

// How nccl-tests maps its "size" S (bytes) onto one NCCL call with n ranks and element size e:
// count = elements NCCL is called with; send/recv = elements each rank's buffers hold.
//   all_reduce, broadcast, reduce, sendrecv: count = S/e, send = recv = count
//   all_gather: count = S/(e n), send = count, recv = n count
//   reduce_scatter: count = S/(e n), send = n count, recv = count
//   alltoall: count = S/(e n) per peer, send = recv = n count
// `size_bytes` rounds S down to what the counts really move (S = n count e for the per-peer ops).
struct ElementCounts {
  std::uint64_t count = 0;
  std::uint64_t send = 0;
  std::uint64_t recv = 0;
  std::uint64_t size_bytes = 0;
};
ElementCounts element_counts(CollectiveOp op, std::uint64_t size_bytes, int element_bytes, int nranks);
// Bytes of device memory one rank needs at size S: a send and a receive buffer of max(send, recv) elements
// each, so the same two buffers serve out-of-place and in-place runs.
std::uint64_t buffer_bytes_per_rank(CollectiveOp op, std::uint64_t size_bytes, int element_bytes, int nranks);
// The largest S whose buffers fit in `usable_bytes` per rank (the caller subtracts NCCL's own reserve).
std::uint64_t max_size_for_memory(CollectiveOp op, std::uint64_t usable_bytes, int element_bytes, int nranks);
// In-place is defined (and verified) for all_reduce, all_gather, reduce_scatter, broadcast, reduce; nccl-tests
// does not check alltoall or sendrecv in place, nor does tranche.
bool supports_in_place(CollectiveOp op);

// Sizes min, min*f, min*f^2, ... <= max (nccl-tests -b/-e/-f), each rounded down to a whole number of elements per
// rank and dropped when that leaves zero; duplicates removed. Throws InputError naming the parameter when
// min_bytes < 1, max_bytes < min_bytes or step_factor < 2.
std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes, std::uint64_t step_factor,
                                       CollectiveOp op, int element_bytes, int nranks);

// sendrecv with a shift: rank r sends to (r + shift) mod n and receives from (r - shift) mod n. shift 1 is
// nccl-tests' ring; shift = n/2 pairs every GPU of one node with its counterpart on the other (nccl.pairwise).
// verify_as: the rank whose ring predecessor is `from`, i.e. the rank the ring verifier (expected_value
// sendrecv: data of rank - 1) must be told so it expects `from`'s data. Precondition: n >= 1, 0 <= r < n.
struct SendRecvPeers {
  int to = 0;
  int from = 0;
  int verify_as = 0;
};
SendRecvPeers sendrecv_peers(int rank, int nranks, int shift);

// One row of the result table: one size, one placement, one data type.
struct SizeResult {
  std::uint64_t size_bytes = 0;
  double seconds = 0;  // mean time per iteration (nccl-tests "time")
  double algbw = 0;    // B/s
  double busbw = 0;    // B/s
  std::uint64_t mismatches = 0;
};

// Headline: mean busbw over the rows with size >= plateau_bytes (nullopt when there are none) and the busbw of
// the largest size.
struct Headline {
  std::optional<double> plateau_mean;
  int plateau_rows = 0;
  std::optional<double> at_largest;
  std::uint64_t largest_bytes = 0;
};
Headline headline(const std::vector<SizeResult>& rows, std::uint64_t plateau_bytes);

}  // namespace tranche::nccl
