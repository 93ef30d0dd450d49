// Last-error hygiene around kernel launches (CUDA runtime API, "Error Handling": cudaGetLastError returns the
// thread's last error and resets it; an error that corrupts the context is returned again by every later call).
#include "harness/gpu/cuda_launch.h"

namespace tranche {

CudaErrorState runtime_error_state() { return CudaErrorState{&cudaGetLastError}; }

void clear_stale_cuda_error(const char* expr, const char* file, int line, const CudaErrorState& state) {
  const cudaError_t stale = state.take();
  if (stale != cudaSuccess && is_sticky_cuda_error(stale)) throw_cuda_error(stale, expr, file, line);
}

void check_launch_status(cudaError_t launched, const char* expr, const char* file, int line,
                         const CudaErrorState& state) {
  if (launched != cudaSuccess) {
    (void)state.take();  // the launcher may have returned without reading it; leave nothing for the next call
    throw_cuda_error(launched, expr, file, line);
  }
  const cudaError_t pending = state.take();
  if (pending != cudaSuccess) throw_cuda_error(pending, expr, file, line);
}

}  // namespace tranche
