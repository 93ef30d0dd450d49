// Kernel launches that cannot inherit or leave a stale CUDA last-error: TRANCHE_LAUNCH and its testable parts.
#pragma once
#include <cuda_runtime_api.h>

#include "harness/gpu/cuda_error.h"

namespace tranche {

// The calling thread's CUDA last-error state, behind function pointers so tests can inject a fake one.
// take: returns the last error and resets it to cudaSuccess (cudaGetLastError; a sticky error is not reset).
// current_context: the sticky error the current device's context is in, or cudaSuccess (sticky_cuda_error_now);
// null means "the slot's sticky error is the current device's". The last-error slot is per thread, not per device:
// a thread that serves several GPUs one after another (phase alone of pcie.*, --sequential) may hold a sticky error
// of a GPU it used before, already reported there; the current device's own context says whose it is.
struct CudaErrorState {
  cudaError_t (*take)() = nullptr;
  cudaError_t (*current_context)() = nullptr;
};

// The CUDA runtime's own state: {cudaGetLastError, sticky_cuda_error_now}.
CudaErrorState runtime_error_state();

// True when `stale`, read from the thread's last-error slot, is a sticky error of the current device: sticky, and
// (when state.current_context is set) the current device's context holds a sticky error too.
bool stale_error_is_current_devices(cudaError_t stale, const CudaErrorState& state);

// Before a launch: resets the thread's last error. A non-sticky one was already returned by the call that made it
// (or is the cudaErrorNotReady of a poll) and is dropped, so the launch cannot report it as its own; so is a sticky
// one of another device. A sticky one of the current device means its context is unusable: throws GpuError
// (E_CUDA_STICKY) naming `expr`.
void clear_stale_cuda_error(const char* expr, const char* file, int line,
                            const CudaErrorState& state = runtime_error_state());

// After a launch: throws GpuError when the launcher returned an error, or when the last-error state still holds one
// (a launcher that forgot to read it). Leaves a clean state on success.
void check_launch_status(cudaError_t launched, const char* expr, const char* file, int line,
                         const CudaErrorState& state = runtime_error_state());

}  // namespace tranche

// Runs `expr`, a kernels:: launcher returning cudaError_t (a <<<>>> launch followed by cudaGetLastError), with the
// last-error state cleared before and checked after. Throws GpuError on failure. Use for every kernel launch.
#define TRANCHE_LAUNCH(expr)                                                              \
  do {                                                                                    \
    ::tranche::clear_stale_cuda_error(#expr, __FILE__, __LINE__);                         \
    const cudaError_t tranche_launch_status_ = (expr);                                    \
    ::tranche::check_launch_status(tranche_launch_status_, #expr, __FILE__, __LINE__);    \
  } while (0)
