// event_seconds: a bounded wait on the stop event, then the GPU-clock interval.
#include "harness/gpu/cuda_event.h"

#include <thread>

namespace tranche {

double event_seconds(const CudaEvent& start, const CudaEvent& stop, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const cudaError_t st = cudaEventQuery(stop.get());
    if (st == cudaSuccess) break;
    if (st != cudaErrorNotReady) throw_cuda_error(st, "cudaEventQuery(stop)", __FILE__, __LINE__);
    if (std::chrono::steady_clock::now() >= deadline) {
      ErrorInfo e;
      e.id = "E_TIMEOUT";
      e.api = "cuda";
      e.expr = "cudaEventQuery(stop)";
      e.message = "GPU work did not finish before the deadline: timed transfer";
      int dev = -1;
      if (cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
      throw GpuError(e);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  float ms = 0.f;
  TRANCHE_CUDA(cudaEventElapsedTime(&ms, start.get(), stop.get()));
  return static_cast<double>(ms) * 1e-3;
}

}  // namespace tranche
