// Bounded polling of a CUDA stream or event that leaves no cudaErrorNotReady behind in the last-error state.
#pragma once
#include <cuda_runtime_api.h>

#include <chrono>
#include <functional>

#include "harness/gpu/cuda_launch.h"

namespace tranche {

// Calls `query` (e.g. cudaStreamQuery or cudaEventQuery on one handle) until it returns cudaSuccess, sleeping
// `pause` between calls. After each cudaErrorNotReady answer the thread's last error is reset through `state`
// (the runtime records cudaErrorNotReady there too, and the next launch would report it as its own failure:
// pytorch/pytorch#18584, #61554). Throws GpuError with the query's error when it returns anything else, and
// GpuError E_TIMEOUT naming `what` once steady_clock reaches `deadline` with the work unfinished.
// `probe`, when set, runs after every unfinished answer (before the deadline is looked at): a second source of
// errors the stream cannot report, such as NCCL's asynchronous errors or a cancelled run; it ends the wait by
// throwing, and whatever it throws propagates unchanged.
void poll_until_done(const std::function<cudaError_t()>& query, std::chrono::steady_clock::time_point deadline,
                     const char* what, const char* expr, const CudaErrorState& state = runtime_error_state(),
                     std::chrono::microseconds pause = std::chrono::microseconds(100),
                     const std::function<void()>& probe = {});

// The E_TIMEOUT GpuError poll_until_done throws: "GPU work did not finish before the deadline: <what>", on the
// current device when cudaGetDevice answers.
[[noreturn]] void throw_gpu_timeout(const char* what, const char* expr);

}  // namespace tranche
