// Shared helper for GPU tests: skip cleanly (with the reason) when no CUDA device can be used.
#pragma once
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <string>

// True when the CUDA runtime sees at least one device; otherwise `why` (if given) says what CUDA reported.
inline bool tranche_test_has_gpu(std::string* why = nullptr) {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    if (why) *why = std::string("no usable CUDA device: ") + cudaGetErrorName(err);
    return false;
  }
  if (count == 0) {
    if (why) *why = "no CUDA device visible";
    return false;
  }
  return true;
}

// Number of CUDA devices this process sees (0 when CUDA reports an error, e.g. no driver).
inline int tranche_test_gpu_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) count = 0;
  cudaGetLastError();
  return count;
}

// In a test body: GTEST_SKIP() with the reason when there is no GPU.
#define TRANCHE_REQUIRE_GPU()                                 \
  do {                                                        \
    std::string tranche_gpu_why_;                             \
    if (!tranche_test_has_gpu(&tranche_gpu_why_)) {           \
      GTEST_SKIP() << tranche_gpu_why_;                       \
    }                                                         \
  } while (0)
