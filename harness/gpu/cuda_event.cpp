// event_seconds: a bounded wait on the stop event, then the GPU-clock interval.
#include "harness/gpu/cuda_event.h"

#include "harness/gpu/cuda_poll.h"

namespace tranche {

double event_seconds(const CudaEvent& start, const CudaEvent& stop, std::chrono::steady_clock::time_point deadline) {
  poll_until_done([&] { return cudaEventQuery(stop.get()); }, deadline, "timed transfer", "cudaEventQuery(stop)");
  float ms = 0.f;
  TRANCHE_CUDA(cudaEventElapsedTime(&ms, start.get(), stop.get()));
  return static_cast<double>(ms) * 1e-3;
}

}  // namespace tranche
