// TRANCHE_CUBLAS: the one macro that turns a failed cuBLAS/cuBLASLt call into a GpuError (E_CUBLAS_API).
#pragma once
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include "harness/core/errors.h"

namespace tranche {

// The ErrorInfo for status: id E_OUT_OF_MEMORY for CUBLAS_STATUS_ALLOC_FAILED, E_CUBLAS_API otherwise; api
// "cublasLt", code name from cublasLtGetStatusName; gpu is the current device. When `cuda_state` (the CUDA context's
// sticky error, sticky_cuda_error_now()) is not cudaSuccess the failure is E_CUDA_STICKY, sticky, and the message
// names both codes: the GPU, not the library, failed.
ErrorInfo cublas_error_info(cublasStatus_t status, const char* expr, const char* file, int line,
                            cudaError_t cuda_state = cudaSuccess);
// Throws GpuError(cublas_error_info(status, ..., sticky_cuda_error_now())).
[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* expr, const char* file, int line);

}  // namespace tranche

#define TRANCHE_CUBLAS(expr)                                                              \
  do {                                                                                    \
    const cublasStatus_t tranche_cublas_status_ = (expr);                                 \
    if (tranche_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                \
      ::tranche::throw_cublas_error(tranche_cublas_status_, #expr, __FILE__, __LINE__);   \
    }                                                                                     \
  } while (0)
