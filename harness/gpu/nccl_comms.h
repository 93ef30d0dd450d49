// One NCCL communicator per local GPU (one stream each), created together, waited on with a deadline and aborted
// on error or timeout. Used by single-node runs (every rank local) and multi-node runs (a slice of the ranks).
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "harness/gpu/nccl_api.h"

namespace tranche {

// Where this process's GPUs sit in the NCCL world: the shared id (rank 0 creates it; MPI broadcasts it across
// nodes), the world size and the world rank of the first local GPU (local GPU i is rank first_rank + i).
struct NcclWorld {
  nccl_abi::UniqueId id{};
  int nranks = 0;
  int first_rank = 0;
};

// A world of exactly `gpus.size()` ranks on this node, with a fresh id from ncclGetUniqueId.
NcclWorld single_node_world(const NcclApi& api, std::size_t local_gpus);

class NcclComms {
 public:
  struct Rank {
    int device = -1;
    int rank = -1;
    nccl_abi::comm_t comm = nullptr;
    cudaStream_t stream = nullptr;
    cudaEvent_t start = nullptr, stop = nullptr;
  };

  // ncclCommInitRank for every GPU of `gpus` inside one group (NCCL requires the group when one thread inits
  // several ranks); a stream and two timing events per GPU. Throws GpuError; nothing leaks on throw.
  // Limit: blocking init has no deadline of its own; the supervisor's worker deadline bounds it.
  NcclComms(const NcclApi& api, const std::vector<int>& gpus, const NcclWorld& world);
  // Destroys communicators, events and streams, unless abort() ran: then streams and events are left to the
  // process's exit, because destroying a stream a hung kernel still occupies may block.
  ~NcclComms();
  NcclComms(const NcclComms&) = delete;
  NcclComms& operator=(const NcclComms&) = delete;

  std::vector<Rank>& ranks() { return ranks_; }
  int world_size() const { return world_size_; }
  bool aborted() const { return aborted_; }

  // Issues `issue(rank)` for every local rank between ncclGroupStart and ncclGroupEnd (one thread, many GPUs).
  void group(const std::function<void(Rank&)>& issue);

  // Polls cudaStreamQuery and ncclCommGetAsyncError on every local rank until all streams are idle. On an
  // asynchronous NCCL error: abort() and GpuError E_NCCL_API. At `deadline` or when `cancelled()` turns true:
  // abort() and GpuError E_NCCL_TIMEOUT whose message names `what` (op and size) and the world ranks not done.
  void wait(std::chrono::steady_clock::time_point deadline, const std::string& what,
            const std::function<bool()>& cancelled);

  // For error paths: waits up to `grace` for every stream to go idle (clean teardown follows); when one does not,
  // or reports an error, abort(). Never throws.
  void settle(std::chrono::milliseconds grace) noexcept;

  // ncclCommAbort on every communicator (idempotent). After it no CUDA call that could wait on a hung stream is
  // made by this object.
  void abort() noexcept;

 private:
  void release_streams() noexcept;

  const NcclApi& api_;
  std::vector<Rank> ranks_;
  int world_size_ = 0;
  bool aborted_ = false;
};

}  // namespace tranche
