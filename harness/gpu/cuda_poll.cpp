// poll_until_done: a deadline on every wait, and the last-error state left clean after cudaErrorNotReady.
#include "harness/gpu/cuda_poll.h"

#include <string>
#include <thread>

namespace tranche {

void throw_gpu_timeout(const char* what, const char* expr) {
  ErrorInfo e;
  e.id = "E_TIMEOUT";
  e.api = "cuda";
  e.expr = expr;
  e.message = std::string("GPU work did not finish before the deadline: ") + what;
  int dev = -1;
  if (cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
  throw GpuError(e);
}

void poll_until_done(const std::function<cudaError_t()>& query, std::chrono::steady_clock::time_point deadline,
                     const char* what, const char* expr, const CudaErrorState& state,
                     std::chrono::microseconds pause, const std::function<void()>& probe) {
  for (;;) {
    const cudaError_t st = query();
    if (st == cudaSuccess) return;
    if (st != cudaErrorNotReady) throw_cuda_error(st, expr, __FILE__, __LINE__);
    // Not an error: reset it. A sticky error of this device that surfaced meanwhile is kept by the runtime and
    // reported here; one of another device this thread used before was reported there, and a non-sticky one
    // belongs to no call of this wait (the query answered NotReady): both are dropped with the reset.
    const cudaError_t left = state.take();
    if (stale_error_is_current_devices(left, state)) throw_cuda_error(left, expr, __FILE__, __LINE__);
    if (probe) probe();
    if (std::chrono::steady_clock::now() >= deadline) throw_gpu_timeout(what, expr);
    std::this_thread::sleep_for(pause);
  }
}

}  // namespace tranche
