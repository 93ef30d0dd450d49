// CUDA error classification and GpuError construction.
#include "harness/gpu/cuda_error.h"

#include <string>
#include <utility>

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
    // driver_types.h (CUDA 13.0): "any further CUDA work will return the same error ... the process must be
    // terminated and relaunched". Contained: an HBM/NVLink fault contained by the GPU (Xid 94 on Hopper).
    case cudaErrorContained:
    case cudaErrorNvlinkUncorrectable:
    case cudaErrorTensorMemoryLeak:
    case cudaErrorMpsClientTerminated:
    case cudaErrorExternalDevice:
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
  // cudaGetDevice reads the thread's current device without touching the context, so it answers after a sticky
  // error too; the runner needs the GPU to end its remaining checks.
  int dev = -1;
  if (cudaGetDevice(&dev) == cudaSuccess) e.gpu = dev;
  e.message = std::string(expr) + " failed: " + e.code_name + " (" + cudaGetErrorString(err) + ")";
  return e;
}

void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  ErrorInfo info = cuda_error_info(err, expr, file, line);
  // A non-sticky error is reported here, once: reset the thread's last error so the next launch or poll does not
  // report it again as its own. A sticky one cannot be reset (every later call returns it).
  if (!info.sticky) (void)cudaGetLastError();
  throw GpuError(std::move(info));
}

cudaError_t sticky_cuda_error_now() {
  // cudaStreamQuery touches the context without blocking; after a sticky error every such call returns it.
  const cudaError_t st = cudaStreamQuery(nullptr);
  (void)cudaGetLastError();  // drop cudaErrorNotReady or a non-sticky answer
  return is_sticky_cuda_error(st) ? st : cudaSuccess;
}

}  // namespace tranche
