// cuBLAS/cuBLASLt status to GpuError.
#include "harness/gpu/cublaslt_error.h"

#include "harness/gpu/cublaslt_api.h"
#include "harness/gpu/cuda_error.h"

#include <cuda_runtime_api.h>

#include <string>

namespace tranche {

ErrorInfo cublas_error_info(cublasStatus_t status, const char* expr, const char* file, int line,
                            cudaError_t cuda_state) {
  ErrorInfo e;
  e.api = "cublasLt";
  e.code = static_cast<long long>(status);
  // A status came back, so the library is loaded; stay safe (no throw) if it is not.
  const CublasLtApi* lt = try_cublaslt();
  const char* name = lt ? lt->cublasLtGetStatusName(status) : nullptr;
  const char* text = lt ? lt->cublasLtGetStatusString(status) : nullptr;
  e.code_name = name ? name : "CUBLAS_STATUS_" + std::to_string(static_cast<int>(status));
  e.expr = expr;
  e.where = std::string(file) + ":" + std::to_string(line);
  e.id = status == CUBLAS_STATUS_ALLOC_FAILED ? "E_OUT_OF_MEMORY" : "E_CUBLAS_API";
  int dev = -1;
  if (cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
  e.message = std::string(expr) + " failed: " + e.code_name + (text ? std::string(" (") + text + ")" : "");
  if (cuda_state != cudaSuccess) {
    e.sticky = true;
    e.id = "E_CUDA_STICKY";
    e.message += std::string("; the CUDA context is in ") + cudaGetErrorName(cuda_state);
  }
  return e;
}

void throw_cublas_error(cublasStatus_t status, const char* expr, const char* file, int line) {
  throw GpuError(cublas_error_info(status, expr, file, line, sticky_cuda_error_now()));
}

}  // namespace tranche
