// Stream, bounded wait and event timer.
#include "harness/gpu/stream.h"

#include "harness/gpu/cuda_poll.h"

namespace tranche {

void set_device(int gpu) { TRANCHE_CUDA(cudaSetDevice(gpu)); }

Stream::Stream() { TRANCHE_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
Stream::~Stream() {
  if (stream_) cudaStreamDestroy(stream_);
}

void wait_stream(cudaStream_t stream, std::chrono::steady_clock::time_point deadline, const char* what) {
  poll_until_done([&] { return cudaStreamQuery(stream); }, deadline, what, "cudaStreamQuery");
}

EventTimer::EventTimer() {
  TRANCHE_CUDA(cudaEventCreate(&start_));
  TRANCHE_CUDA(cudaEventCreate(&stop_));
}
EventTimer::~EventTimer() {
  if (start_) cudaEventDestroy(start_);
  if (stop_) cudaEventDestroy(stop_);
}
void EventTimer::start(cudaStream_t stream) { TRANCHE_CUDA(cudaEventRecord(start_, stream)); }
void EventTimer::stop(cudaStream_t stream) { TRANCHE_CUDA(cudaEventRecord(stop_, stream)); }

double EventTimer::elapsed_s(std::chrono::steady_clock::time_point deadline) {
  poll_until_done([&] { return cudaEventQuery(stop_); }, deadline, "timed loop", "cudaEventQuery");
  float ms = 0.f;
  TRANCHE_CUDA(cudaEventElapsedTime(&ms, start_, stop_));
  return static_cast<double>(ms) * 1e-3;
}

}  // namespace tranche
