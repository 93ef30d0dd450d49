// nccl-tests' bandwidth arithmetic and size sweep (docs/methodology/nccl.md).
#include "benches/nccl/nccl_math.h"

#include <algorithm>
#include <cassert>

#include "harness/core/errors.h"

namespace tranche::nccl {

std::string_view op_name(CollectiveOp op) {
  switch (op) {
    case CollectiveOp::all_reduce: return "all_reduce";
    case CollectiveOp::all_gather: return "all_gather";
    case CollectiveOp::reduce_scatter: return "reduce_scatter";
    case CollectiveOp::broadcast: return "broadcast";
    case CollectiveOp::reduce: return "reduce";
    case CollectiveOp::alltoall: return "alltoall";
    case CollectiveOp::sendrecv: return "sendrecv";
  }
  return "all_reduce";
}

const std::vector<CollectiveOp>& all_ops() {
  static const std::vector<CollectiveOp> kOps = {CollectiveOp::all_reduce, CollectiveOp::all_gather,
                                                 CollectiveOp::reduce_scatter, CollectiveOp::broadcast,
                                                 CollectiveOp::reduce, CollectiveOp::alltoall,
                                                 CollectiveOp::sendrecv};
  return kOps;
}

double bus_factor(CollectiveOp op, int nranks) {
  assert(nranks >= 1);
  const double n = nranks;
  switch (op) {
    case CollectiveOp::all_reduce: return 2.0 * (n - 1) / n;
    case CollectiveOp::all_gather:
    case CollectiveOp::reduce_scatter:
    case CollectiveOp::alltoall: return (n - 1) / n;
    case CollectiveOp::broadcast:
    case CollectiveOp::reduce:
    case CollectiveOp::sendrecv: return 1.0;
  }
  return 1.0;
}

double algbw(std::uint64_t size_bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(size_bytes) / seconds : 0.0;
}

double busbw(CollectiveOp op, std::uint64_t size_bytes, double seconds, int nranks) {
  return algbw(size_bytes, seconds) * bus_factor(op, nranks);
}

namespace {
bool per_peer(CollectiveOp op) {
  return op == CollectiveOp::all_gather || op == CollectiveOp::reduce_scatter || op == CollectiveOp::alltoall;
}
}  // namespace

ElementCounts element_counts(CollectiveOp op, std::uint64_t size_bytes, int element_bytes, int nranks) {
  assert(element_bytes > 0 && nranks > 0);
  const auto e = static_cast<std::uint64_t>(element_bytes);
  const auto n = static_cast<std::uint64_t>(nranks);
  ElementCounts c;
  if (!per_peer(op)) {
    c.count = size_bytes / e;
    c.send = c.recv = c.count;
    c.size_bytes = c.count * e;
    return c;
  }
  c.count = size_bytes / (e * n);
  c.send = op == CollectiveOp::all_gather ? c.count : n * c.count;
  c.recv = op == CollectiveOp::reduce_scatter ? c.count : n * c.count;
  c.size_bytes = n * c.count * e;
  return c;
}

std::uint64_t buffer_bytes_per_rank(CollectiveOp op, std::uint64_t size_bytes, int element_bytes, int nranks) {
  const ElementCounts c = element_counts(op, size_bytes, element_bytes, nranks);
  return 2 * std::max(c.send, c.recv) * static_cast<std::uint64_t>(element_bytes);
}

std::uint64_t max_size_for_memory(CollectiveOp op, std::uint64_t usable_bytes, int element_bytes, int nranks) {
  std::uint64_t s = usable_bytes / 2;  // two buffers of at most S bytes each
  while (s > 0 && buffer_bytes_per_rank(op, s, element_bytes, nranks) > usable_bytes) s -= s / 64 + 1;
  return s;
}

bool supports_in_place(CollectiveOp op) { return op != CollectiveOp::alltoall && op != CollectiveOp::sendrecv; }

std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes, std::uint64_t step_factor,
                                       CollectiveOp op, int element_bytes, int nranks) {
  if (min_bytes < 1) throw InputError("parameter min_bytes must be at least 1 (got 0)");
  if (max_bytes < min_bytes) {
    throw InputError("parameter max_bytes (" + std::to_string(max_bytes) + ") must be >= min_bytes (" +
                     std::to_string(min_bytes) + ")");
  }
  if (step_factor < 2) {
    throw InputError("parameter step_factor must be at least 2 (got " + std::to_string(step_factor) + ")");
  }
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t s = min_bytes;; s *= step_factor) {
    const std::uint64_t moved = element_counts(op, s, element_bytes, nranks).size_bytes;
    if (moved > 0 && (sizes.empty() || sizes.back() != moved)) sizes.push_back(moved);
    if (s > max_bytes / step_factor) break;  // the next step would pass max (or overflow)
  }
  return sizes;
}

Headline headline(const std::vector<SizeResult>& rows, std::uint64_t plateau_bytes) {
  Headline h;
  double sum = 0;
  for (const SizeResult& r : rows) {
    if (r.size_bytes >= plateau_bytes) {
      sum += r.busbw;
      ++h.plateau_rows;
    }
    if (r.size_bytes >= h.largest_bytes) {
      h.largest_bytes = r.size_bytes;
      h.at_largest = r.busbw;
    }
  }
  if (h.plateau_rows > 0) h.plateau_mean = sum / h.plateau_rows;
  return h;
}

std::optional<CollectiveOp> op_from_check_id(std::string_view check_id) {
  for (CollectiveOp op : all_ops()) {
    if (check_id.substr(0, 5) == "nccl." && check_id.substr(5) == op_name(op)) return op;
  }
  return std::nullopt;
}

SendRecvPeers sendrecv_peers(int rank, int nranks, int shift) {
  const int s = ((shift % nranks) + nranks) % nranks;
  SendRecvPeers p;
  p.to = (rank + s) % nranks;
  p.from = (rank - s + nranks) % nranks;
  p.verify_as = (p.from + 1) % nranks;
  return p;
}

}  // namespace tranche::nccl
