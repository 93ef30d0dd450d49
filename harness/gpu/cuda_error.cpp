// CUDA error classification and GpuError construction.
#include "harness/gpu/cuda_error.h"

#include <string>

namespace tranche {

bool is_sticky_cuda_error(cudaError_t err) {
  switch (err) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorECCUncorrectable:
    case cudaErrorAssert:
    case cudaErrorLaunchTimeout:
    case cudaErrorContextIsDestroyed:
      return true;
    default:
      return false;
  }
}

ErrorInfo cuda_error_info(cudaError_t err, const char* expr, const char* file, int line) {
  ErrorInfo e;
  e.api = "cuda";
  e.code = static_cast<long long>(err);
  e.code_name = cudaGetErrorName(err);
  e.expr = expr;
  e.where = std::string(file) + ":" + std::to_string(line);
  e.sticky = is_sticky_cuda_error(err);
  e.id = e.sticky ? "E_CUDA_STICKY" : err == cudaErrorMemoryAllocation ? "E_OUT_OF_MEMORY" : "E_CUDA_API";
  int dev = -1;
  if (!e.sticky && cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
  e.message = std::string(expr) + " failed: " + e.code_name + " (" + cudaGetErrorString(err) + ")";
  return e;
}

void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  throw GpuError(cuda_error_info(err, expr, file, line));
}

}  // namespace tranche
