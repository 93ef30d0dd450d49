// A RAII CUDA event for ordering streams (cudaStreamWaitEvent) and cross-stream timing.
#pragma once
#include <cuda_runtime_api.h>

#include <chrono>

#include "harness/gpu/cuda_error.h"

namespace tranche {

// An event on the current device at construction. Throws GpuError when creation fails.
class CudaEvent {
 public:
  explicit CudaEvent(unsigned flags = cudaEventDefault) { TRANCHE_CUDA(cudaEventCreateWithFlags(&event_, flags)); }
  ~CudaEvent() {
    if (event_) cudaEventDestroy(event_);
  }
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  cudaEvent_t get() const { return event_; }
  void record(cudaStream_t stream) { TRANCHE_CUDA(cudaEventRecord(event_, stream)); }

 private:
  cudaEvent_t event_ = nullptr;
};

// Seconds from `start` to `stop` (both recorded, on the same device), after waiting for `stop` with a deadline.
double event_seconds(const CudaEvent& start, const CudaEvent& stop, std::chrono::steady_clock::time_point deadline);

}  // namespace tranche
