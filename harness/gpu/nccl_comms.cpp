// NCCL communicators over local GPUs with bounded waits and abort (docs/methodology/nccl.md, "Bounded waits").
#include "harness/gpu/nccl_comms.h"

#include <thread>

#include "harness/gpu/cuda_error.h"
#include "harness/gpu/cuda_poll.h"
#include "harness/gpu/nccl_ras.h"

namespace tranche {

namespace {

// RAS gets at most this long: the supervisor kills a worker 5 s after the check's deadline.
constexpr std::chrono::milliseconds kRasBudget{3000};

std::string ras_note() {
  const RasStatus s = query_ras_status(ras_address(), kRasBudget);
  return s.reached ? "NCCL RAS (" + s.address + "): " + ras_status_summary(s.text)
                   : "NCCL RAS not reached: " + s.text;
}

GpuError with_note(const GpuError& e, const std::string& note) {
  ErrorInfo info = e.info();
  info.message += "; " + note;
  return GpuError(info);
}

}  // namespace

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
  // One answer for every local stream: an error as soon as one reports it, not ready while any still runs.
  auto query_all = [&]() -> cudaError_t {
    cudaError_t answer = cudaSuccess;
    for (std::size_t i = 0; i < ranks_.size(); ++i) {
      if (done[i]) continue;
      if (const cudaError_t set = cudaSetDevice(ranks_[i].device); set != cudaSuccess) return set;
      const cudaError_t st = cudaStreamQuery(ranks_[i].stream);
      if (st == cudaSuccess) {
        done[i] = true;
      } else if (st == cudaErrorNotReady) {
        answer = cudaErrorNotReady;
      } else {
        return st;
      }
    }
    return answer;
  };
  auto pending_ranks = [&] {
    std::string pending;
    for (std::size_t i = 0; i < ranks_.size(); ++i) {
      if (!done[i]) pending += (pending.empty() ? "" : ",") + std::to_string(ranks_[i].rank);
    }
    return pending;
  };
  // What each communicator says at the end: its asynchronous state (ncclInProgress while work is queued).
  auto comm_states = [&] {
    std::string states;
    for (Rank& r : ranks_) {
      nccl_abi::Result async = nccl_abi::kSuccess;
      const nccl_abi::Result q = api_.ncclCommGetAsyncError(r.comm, &async);
      states += (states.empty() ? "" : ", ") + std::string("rank ") + std::to_string(r.rank) + " " +
                nccl_result_name(q != nccl_abi::kSuccess ? q : async);
    }
    return states;
  };
  auto timeout = [&](const char* why) {
    ErrorInfo e;
    e.id = "E_NCCL_TIMEOUT";
    e.api = "nccl";
    e.expr = "cudaStreamQuery / ncclCommGetAsyncError";
    e.message = what + why + "; ranks not done: " + pending_ranks() + " of " + std::to_string(world_size_) +
                "; communicator states: " + comm_states() + "; communicators aborted";
    return GpuError(e);
  };
  // NCCL's asynchronous errors (a peer gone, a network failure) never reach the stream: asked after every poll.
  auto probe = [&] {
    for (Rank& r : ranks_) {
      nccl_abi::Result async = nccl_abi::kSuccess;
      const nccl_abi::Result q = api_.ncclCommGetAsyncError(r.comm, &async);
      if (q == nccl_abi::kSuccess && (async == nccl_abi::kSuccess || async == nccl_abi::kInProgress)) continue;
      ErrorInfo e = nccl_error_info(q != nccl_abi::kSuccess ? q : async, "ncclCommGetAsyncError(comm, &async)",
                                    __FILE__, __LINE__);
      e.gpu = r.device;
      e.message = what + ": rank " + std::to_string(r.rank) + " (GPU " + std::to_string(r.device) +
                  ") reported an asynchronous NCCL error: " + e.message;
      throw GpuError(e);
    }
    if (cancelled && cancelled()) throw timeout(": cancelled");
  };
  try {
    poll_until_done(query_all, deadline, what.c_str(), "cudaStreamQuery(stream)", runtime_error_state(),
                    std::chrono::microseconds(100), probe);
  } catch (const GpuError& e) {
    // Any failure leaves collectives queued: abort, so nothing later waits on a hung stream. An NCCL failure
    // first asks RAS (while the communicators still exist) which ranks it sees as missing or dead.
    const bool timed_out = e.info().id == "E_TIMEOUT";
    if ((!timed_out && e.info().api != "nccl") || (cancelled && cancelled())) {  // a cancelled run leaves at once
      abort();
      throw;
    }
    const GpuError described = timed_out ? timeout(": did not finish before the deadline") : e;
    const std::string ras = ras_note();
    abort();
    throw with_note(described, ras);
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
