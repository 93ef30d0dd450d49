// GemmLoad: one precision's fixed operands, a deterministic cuBLASLt algorithm and the on-device checksum
// comparison of every product's output with the first product's — the working part of burnin.gemm and
// burnin.power.
#pragma once
#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "benches/gemm/gemm_math.h"
#include "benches/gemm/gemm_reference.h"

namespace tranche {

// Precisions a burn-in can run: fp64, fp32, tf32, fp16, bf16 (fp8 and int8 need scale and layout set-up that
// the load does not do). Throws InputError naming `check` for another name.
GemmPrecision burnin_precision(const std::string& name, const std::string& check);

struct GemmCounts {
  std::int64_t products = 0;     // compared with the first product's checksum
  std::int64_t mismatches = 0;   // of those, outputs whose checksum differed (silent data corruption)
  std::int64_t first_bad = -1;   // product index of the first mismatch, -1 when none
  std::int64_t last_bad = -1;
};

// Owns its buffers, cuBLASLt objects and checksum state on the current device; not thread-safe (one per GPU
// thread). Every method throws GpuError for a failed API call or a passed deadline.
class GemmLoad {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  // Fills A and B with fixed random values from `seed` and picks the heuristic's first algorithm without split-K
  // (splitk == 1: no partial sums reduced by atomics, so every product is bit-identical). Throws GpuError
  // (CUBLAS_STATUS_NOT_SUPPORTED) when the heuristic offers none.
  GemmLoad(GemmPrecision p, const GemmShape& shape, std::uint64_t seed, std::int64_t workspace_bytes,
           std::int64_t verify_samples, cudaStream_t stream, Deadline deadline);
  ~GemmLoad();
  GemmLoad(const GemmLoad&) = delete;
  GemmLoad& operator=(const GemmLoad&) = delete;

  // Enqueues `count` products, each followed by its checksum comparison; with `flip_first`, TEST-ONLY, the first
  // product's output gets one bit flipped before its checksum (the comparison must catch it).
  void enqueue(std::int64_t count, bool flip_first = false);
  // Recomputes the sampled output elements on the host from the last product (waits for the stream).
  GemmVerification verify(Deadline deadline);
  // Reads the device counters (waits for the stream).
  GemmCounts counts(Deadline deadline);
  std::int64_t enqueued() const;  // products enqueued so far (the index the next one gets)
  double flops_per_product() const;
  GemmPrecision precision() const;
  nlohmann::json details() const;  // precision, shape, algorithm, verify sample size

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tranche
