// driver_too_old_hint: the driver branch each CUDA major needs, and the cuda-compat way around an old driver.
#include "harness/core/driver_compat_hint.h"

namespace tranche {

std::string driver_too_old_hint(int cuda_runtime_version) {
  // Minimum Linux driver branch per CUDA major: CUDA release notes, "CUDA Toolkit and Minimum Required Driver
  // Version for CUDA Minor Version Compatibility" (13.x: >= 580; 12.x: >= 525; 11.x: >= 450), the same table as
  // runtime_driver_floor in harness/judge/preflight_expectations.cpp. Forward compatibility (cuda-compat-M-m)
  // is NVIDIA's "CUDA Forward Compatible Upgrade", supported on datacenter GPUs only.
  const int major = cuda_runtime_version / 1000;
  const int minor = (cuda_runtime_version % 1000) / 10;
  const char* branch = major >= 13 ? "R580" : major == 12 ? "R525" : major == 11 ? "R450" : nullptr;
  if (!branch) return "upgrade the NVIDIA driver to one that supports the CUDA runtime tranche was built with";
  const std::string version = std::to_string(major) + "." + std::to_string(minor);
  const std::string package = "cuda-compat-" + std::to_string(major) + "-" + std::to_string(minor);
  return "the CUDA " + version + " runtime tranche was built with needs NVIDIA driver " + branch +
         " or later; upgrade the driver, or on a datacenter GPU install NVIDIA's forward-compatibility package " +
         package + " and put /usr/local/cuda-" + version + "/compat on LD_LIBRARY_PATH, or run a tranche built "
         "with an older CUDA";
}

}  // namespace tranche
