// NCCL communicators over local GPUs with bounded waits and abort (docs/methodology/nccl.md, "Bounded waits").
#include "harness/gpu/nccl_comms.h"

#include <thread>

#include "harness/gpu/cuda_error.h"

namespace tranche {

NcclWorld single_node_world(const NcclApi& api, std::size_t local_gpus) {
  NcclWorld w;
  TRANCHE_NCCL(api.ncclGetUniqueId(&w.id));
  w.nranks = static_cast<int>(local_gpus);
  w.first_rank = 0;
  return w;
}

NcclComms::NcclComms(const NcclApi& api, const std::vector<int>& gpus, const NcclWorld& world)
    : api_(api), world_size_(world.nranks) {
  ranks_.resize(gpus.size());
  try {
    for (std::size_t i = 0; i < gpus.size(); ++i) {
      Rank& r = ranks_[i];
      r.device = gpus[i];
      r.rank = world.first_rank + static_cast<int>(i);
      TRANCHE_CUDA(cudaSetDevice(r.device));
      TRANCHE_CUDA(cudaStreamCreateWithFlags(&r.stream, cudaStreamNonBlocking));
      TRANCHE_CUDA(cudaEventCreate(&r.start));
      TRANCHE_CUDA(cudaEventCreate(&r.stop));
    }
    TRANCHE_NCCL(api_.ncclGroupStart());
    nccl_abi::Result st = nccl_abi::kSuccess;
    for (Rank& r : ranks_) {
      TRANCHE_CUDA(cudaSetDevice(r.device));
      st = api_.ncclCommInitRank(&r.comm, world.nranks, world.id, r.rank);
      if (st != nccl_abi::kSuccess) break;
    }
    const nccl_abi::Result end = api_.ncclGroupEnd();
    if (st != nccl_abi::kSuccess) throw_nccl_error(st, "ncclCommInitRank(&comm, nranks, id, rank)", __FILE__, __LINE__);
    if (end != nccl_abi::kSuccess) throw_nccl_error(end, "ncclGroupEnd() after ncclCommInitRank", __FILE__, __LINE__);
  } catch (...) {
    // Nothing was queued on the streams yet, so they can be released; half-made communicators are aborted.
    for (Rank& r : ranks_) {
      if (r.comm) api_.ncclCommAbort(r.comm);
      r.comm = nullptr;
    }
    release_streams();
    throw;
  }
}

NcclComms::~NcclComms() {
  if (aborted_) return;  // a hung stream may still hold them: leave streams and events to process exit
  for (Rank& r : ranks_) {
    if (r.comm) api_.ncclCommDestroy(r.comm);
    r.comm = nullptr;
  }
  release_streams();
}

void NcclComms::release_streams() noexcept {
  for (Rank& r : ranks_) {
    if (r.device < 0 || cudaSetDevice(r.device) != cudaSuccess) continue;
    if (r.start) cudaEventDestroy(r.start);
    if (r.stop) cudaEventDestroy(r.stop);
    if (r.stream) cudaStreamDestroy(r.stream);
    r.start = r.stop = nullptr;
    r.stream = nullptr;
  }
  cudaGetLastError();  // release errors must not leak into the next check's first call
}

void NcclComms::group(const std::function<void(Rank&)>& issue) {
  TRANCHE_NCCL(api_.ncclGroupStart());
  try {
    for (Rank& r : ranks_) {
      TRANCHE_CUDA(cudaSetDevice(r.device));
      issue(r);
    }
  } catch (...) {
    api_.ncclGroupEnd();  // close the group so NCCL's thread-local group depth is balanced
    throw;
  }
  TRANCHE_NCCL(api_.ncclGroupEnd());
}

void NcclComms::wait(std::chrono::steady_clock::time_point deadline, const std::string& what,
                     const std::function<bool()>& cancelled) {
  std::vector<bool> done(ranks_.size(), false);
  for (;;) {
    bool all = true;
    for (std::size_t i = 0; i < ranks_.size(); ++i) {
      Rank& r = ranks_[i];
      if (done[i]) continue;
      nccl_abi::Result async = nccl_abi::kSuccess;
      const nccl_abi::Result q = api_.ncclCommGetAsyncError(r.comm, &async);
      if (q != nccl_abi::kSuccess || (async != nccl_abi::kSuccess && async != nccl_abi::kInProgress)) {
        const nccl_abi::Result bad = q != nccl_abi::kSuccess ? q : async;
        ErrorInfo e = nccl_error_info(bad, "ncclCommGetAsyncError(comm, &async)", __FILE__, __LINE__);
        e.gpu = r.device;
        e.message = what + ": rank " + std::to_string(r.rank) + " (GPU " + std::to_string(r.device) +
                    ") reported an asynchronous NCCL error: " + e.message;
        abort();
        throw GpuError(e);
      }
      TRANCHE_CUDA(cudaSetDevice(r.device));
      const cudaError_t st = cudaStreamQuery(r.stream);
      if (st == cudaSuccess) {
        done[i] = true;
        continue;
      }
      if (st != cudaErrorNotReady) {
        abort();
        throw_cuda_error(st, "cudaStreamQuery(stream)", __FILE__, __LINE__);
      }
      cudaGetLastError();  // cudaErrorNotReady is recorded as the last error: clear it
      all = false;
    }
    if (all) return;
    const bool stop = cancelled && cancelled();
    if (stop || std::chrono::steady_clock::now() >= deadline) {
      std::string pending;
      for (std::size_t i = 0; i < ranks_.size(); ++i) {
        if (!done[i]) pending += (pending.empty() ? "" : ",") + std::to_string(ranks_[i].rank);
      }
      ErrorInfo e;
      e.id = "E_NCCL_TIMEOUT";
      e.api = "nccl";
      e.expr = "cudaStreamQuery / ncclCommGetAsyncError";
      e.message = what + (stop ? ": cancelled" : ": did not finish before the deadline") + "; ranks not done: " +
                  pending + " of " + std::to_string(world_size_) + "; communicators aborted";
      abort();
      throw GpuError(e);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

void NcclComms::settle(std::chrono::milliseconds grace) noexcept {
  if (aborted_) return;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  for (;;) {
    bool idle = true;
    for (Rank& r : ranks_) {
      if (cudaSetDevice(r.device) != cudaSuccess) {
        idle = false;
        break;
      }
      const cudaError_t st = cudaStreamQuery(r.stream);
      cudaGetLastError();
      if (st == cudaSuccess) continue;
      if (st != cudaErrorNotReady) {
        abort();
        return;
      }
      idle = false;
    }
    if (idle) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      abort();
      return;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

void NcclComms::abort() noexcept {
  if (aborted_) return;
  aborted_ = true;
  for (Rank& r : ranks_) {
    if (r.comm) api_.ncclCommAbort(r.comm);
    r.comm = nullptr;
  }
}

}  // namespace tranche
