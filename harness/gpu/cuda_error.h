// TRANCHE_CUDA: the one macro that turns a failed CUDA runtime call into a GpuError with call, code, place, GPU.
#pragma once
#include <cuda_runtime_api.h>

#include "harness/core/errors.h"

namespace tranche {

// True for errors after which the CUDA context cannot be used again (illegal address, launch failure, ECC,
// contained HBM/NVLink errors, MPS client terminated).
bool is_sticky_cuda_error(cudaError_t err);
// The ErrorInfo for err: id E_CUDA_STICKY, E_OUT_OF_MEMORY or E_CUDA_API; gpu is the current device.
ErrorInfo cuda_error_info(cudaError_t err, const char* expr, const char* file, int line);
// Throws GpuError(cuda_error_info(...)); resets the thread's last error first when err is not sticky.
[[noreturn]] void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line);
// The sticky error the current device's context is in, or cudaSuccess: for failures reported by libraries with
// their own status codes (cuBLASLt), whose cause may be a context the GPU made unusable. Does not block.
cudaError_t sticky_cuda_error_now();

}  // namespace tranche

#define TRANCHE_CUDA(expr)                                                   \
  do {                                                                       \
    const cudaError_t tranche_cuda_status_ = (expr);                         \
    if (tranche_cuda_status_ != cudaSuccess) {                               \
      ::tranche::throw_cuda_error(tranche_cuda_status_, #expr, __FILE__, __LINE__); \
    }                                                                        \
  } while (0)
