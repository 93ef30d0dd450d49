// Last-error hygiene around kernel launches (CUDA runtime API, "Error Handling": cudaGetLastError returns the
// thread's last error and resets it; an error that corrupts the context is returned again by every later call).
#include "harness/gpu/cuda_launch.h"

namespace tranche {

CudaErrorState runtime_error_state() { return CudaErrorState{&cudaGetLastError, &sticky_cuda_error_now}; }

bool stale_error_is_current_devices(cudaError_t stale, const CudaErrorState& state) {
  if (stale == cudaSuccess || !is_sticky_cuda_error(stale)) return false;
  if (!state.current_context) return true;
  // A corrupted context answers every call with its sticky error; a healthy one does not (it may be NotReady).
  return is_sticky_cuda_error(state.current_context());
}

void clear_stale_cuda_error(const char* expr, const char* file, int line, const CudaErrorState& state) {
  const cudaError_t stale = state.take();
  if (stale_error_is_current_devices(stale, state)) throw_cuda_error(stale, expr, file, line);
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
