// What to tell an operator whose NVIDIA driver is older than the CUDA runtime tranche was built with.
#pragma once
#include <string>

namespace tranche {

// For a CUDA runtime version (cudaRuntimeGetVersion encoding, 13000 = 13.0): "the CUDA 13.0 runtime tranche was
// built with needs NVIDIA driver R580 or later; upgrade the driver, or on a datacenter GPU install NVIDIA's
// forward-compatibility package cuda-compat-13-0 and put /usr/local/cuda-13.0/compat on LD_LIBRARY_PATH, or run
// a tranche built with an older CUDA". Runtimes before 11.0 or unknown (0) get the generic advice. Pure.
std::string driver_too_old_hint(int cuda_runtime_version);

}  // namespace tranche
