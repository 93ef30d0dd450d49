// Streams, events and bounded waits: GPU-clock timing and no wait without a deadline.
#pragma once
#include <cuda_runtime_api.h>

#include <chrono>
#include <utility>

#include "harness/gpu/cuda_error.h"

namespace tranche {

// Makes `gpu` current for the calling thread (each check thread owns one GPU).
void set_device(int gpu);

// RAII non-blocking stream on the current device.
class Stream {
 public:
  Stream();
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

// Polls cudaStreamQuery until the stream is idle; throws GpuError E_TIMEOUT naming `what` at the deadline and
// the CUDA error if the stream failed. Sleeps ~100 us between polls.
void wait_stream(cudaStream_t stream, std::chrono::steady_clock::time_point deadline, const char* what);

// A pair of CUDA events recorded on one stream; elapsed time measured by the GPU clock.
class EventTimer {
 public:
  EventTimer();
  ~EventTimer();
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;
  void start(cudaStream_t stream);
  void stop(cudaStream_t stream);
  // Seconds between start and stop; waits for the stop event with the deadline.
  double elapsed_s(std::chrono::steady_clock::time_point deadline);

 private:
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

}  // namespace tranche
