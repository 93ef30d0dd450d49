// Shared helper for GPU tests: skip cleanly (with the reason) when no CUDA device can be used.
#pragma once
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstdlib>
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

// True when TRANCHE_EXPECT_GPU=1 (set by scripts/device/gpu-session.sh): a GPU test that cannot find its GPU then
// fails instead of skipping, so a session on a broken device cannot pass by skipping everything.
inline bool tranche_test_expect_gpu() {
  const char* v = std::getenv("TRANCHE_EXPECT_GPU");
  return v && std::string(v) == "1";
}

// In a test body: GTEST_SKIP() with the reason when there is no GPU (GTEST_FAIL under TRANCHE_EXPECT_GPU=1).
#define TRANCHE_REQUIRE_GPU()                                           \
  do {                                                                  \
    std::string tranche_gpu_why_;                                       \
    if (!tranche_test_has_gpu(&tranche_gpu_why_)) {                     \
      if (tranche_test_expect_gpu()) {                                  \
        GTEST_FAIL() << "TRANCHE_EXPECT_GPU=1 but " << tranche_gpu_why_; \
      }                                                                 \
      GTEST_SKIP() << tranche_gpu_why_;                                 \
    }                                                                   \
  } while (0)

// In a test body that needs n >= 2 GPUs: as TRANCHE_REQUIRE_GPU, then skips (never fails) with a message that
// starts with kTrancheNeedsMoreGpus when fewer than n are visible: a one-GPU machine cannot run such a test, and
// the GPU session accepts exactly these skips.
inline constexpr const char* kTrancheNeedsMoreGpus = "tranche-skip: needs more GPUs";
#define TRANCHE_REQUIRE_GPUS(n)                                                    \
  do {                                                                             \
    TRANCHE_REQUIRE_GPU();                                                         \
    const int tranche_gpus_seen_ = tranche_test_gpu_count();                       \
    if (tranche_gpus_seen_ < (n)) {                                                \
      GTEST_SKIP() << kTrancheNeedsMoreGpus << ": needs at least " << (n)          \
                   << " GPUs; " << tranche_gpus_seen_ << " visible";               \
    }                                                                              \
  } while (0)
