// RAII wrappers of cuBLASLt for one TN matrix product shape: handle, descriptors, heuristic candidates, launch.
#pragma once
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/gpu/cublaslt_error.h"

namespace tranche {

// Element types of A, B, C, D, the compute type and the scale type (alpha, beta and the FP8 scale factors).
struct MatmulTypes {
  cudaDataType_t a = CUDA_R_32F, b = CUDA_R_32F, c = CUDA_R_32F, d = CUDA_R_32F;
  cublasComputeType_t compute = CUBLAS_COMPUTE_32F;
  cudaDataType_t scale = CUDA_R_32F;
};

// "13.1.0" from cublasLtGetVersion() (the library loaded at run time, not the header); for the node report.
std::string cublaslt_version_string();

// A cuBLASLt handle for the current device. Throws GpuError. Not thread-safe to share across GPUs.
class LtHandle {
 public:
  LtHandle();
  ~LtHandle();
  LtHandle(const LtHandle&) = delete;
  LtHandle& operator=(const LtHandle&) = delete;
  cublasLtHandle_t get() const { return handle_; }

 private:
  cublasLtHandle_t handle_ = nullptr;
};

// What cuBLASLt says about an algorithm (CUBLASLT_ALGO_CONFIG_*), for the report.
struct LtAlgoConfig {
  int id = -1;
  unsigned tile = 0;
  unsigned stages = 0;
  int splitk = 1;
  unsigned reduction_scheme = 0;
};
LtAlgoConfig lt_algo_config(const cublasLtMatmulAlgo_t& algo);

// The split-K reduction schemes (CUBLASLT_REDUCTION_SCHEME_* bits) the heuristic may offer for `types`. Every
// product's device checksum is compared bitwise with the first one's (gemm.*, burnin.*), so a scheme is allowed
// only when its sums cannot depend on the order partial results arrive in, and only when it keeps the accumulator's
// precision: NONE and COMPUTE_TYPE (partials kept in the workspace, reduced in a separate step) always; INPLACE
// (partials added into the output buffer, serialised by counters, cublasLt.h) only for int32 output, compute and
// scale, where wrap-around integer addition gives the same bits in any order. cublasLt.h does not say the INPLACE
// order is fixed, so fp32/fp64 outputs never use it. OUTPUT_TYPE never (it rounds fp16/bf16 partials).
std::uint32_t lt_reduction_scheme_mask(const MatmulTypes& types);
// True when `config`'s reduction scheme is within `mask` (NONE, 0, always is): candidates() drops any other the
// heuristic returns despite the preference.
bool lt_reduction_allowed(const LtAlgoConfig& config, std::uint32_t mask);

struct LtCandidate {
  cublasLtMatmulAlgo_t algo{};
  std::size_t workspace_bytes = 0;  // what this algorithm needs
  float waves = 0;                  // cuBLASLt's device-fill estimate (1.0 = one full wave)
  int rank = 0;                     // position in the heuristic's list (0 = its first choice)
  LtAlgoConfig config;
};

// D = A^T * B (alpha 1, beta 0) in the "TN" form that int8 and FP8 require and every precision runs fast:
// A is stored k x m column-major (lda = k: row i of the logical m x k matrix is contiguous), B is k x n
// column-major (ldb = k), C = D is m x n column-major (ldd = m). Throws GpuError from the constructor.
class LtMatmul {
 public:
  LtMatmul(cublasLtHandle_t handle, const MatmulTypes& types, std::int64_t m, std::int64_t n, std::int64_t k);
  ~LtMatmul();
  LtMatmul(const LtMatmul&) = delete;
  LtMatmul& operator=(const LtMatmul&) = delete;

  // FP8: device pointers to one scale factor each for A and B, of the scale type; they must outlive this object.
  void set_ab_scales(const void* a_scale, const void* b_scale);

  // The heuristic's first `max_count` algorithms that fit `workspace_bytes` and whose reduction scheme is in
  // lt_reduction_scheme_mask (order-independent sums at the accumulator's precision). Throws GpuError when none is
  // offered.
  std::vector<LtCandidate> candidates(std::size_t workspace_bytes, int max_count) const;

  // Enqueues one product on `stream`; returns the status without throwing so a failing candidate can be skipped.
  cublasStatus_t enqueue(const LtCandidate& candidate, const void* a, const void* b, void* d, void* workspace,
                         std::size_t workspace_bytes, cudaStream_t stream) const;

 private:
  void release() noexcept;
  cublasLtHandle_t handle_;
  MatmulTypes types_;
  cublasLtMatmulDesc_t desc_ = nullptr;
  cublasLtMatrixLayout_t a_layout_ = nullptr, b_layout_ = nullptr, d_layout_ = nullptr;
  alignas(8) unsigned char alpha_[8] = {};
  alignas(8) unsigned char beta_[8] = {};
};

}  // namespace tranche
