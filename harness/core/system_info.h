// SystemInfo: what the planner and the checks know about the node before any check runs (CUDA-side view).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/inventory.h"

namespace tranche {

// One CUDA device as the runtime sees it. index is the CUDA ordinal in this process.
struct GpuInfo {
  int index = 0;
  std::string name;
  std::string uuid;        // "GPU-xxxxxxxx-..." as nvidia-smi prints it
  std::string pci_bus_id;  // "0000:18:00.0"
  int cc_major = 0;
  int cc_minor = 0;
  int sm_count = 0;
  std::uint64_t memory_bytes = 0;
  std::uint64_t l2_bytes = 0;
  int numa_node = -1;      // -1 when unknown
  // Compute capability as one number: 90 for 9.0.
  int sm() const { return cc_major * 10 + cc_minor; }
};

struct SystemInfo {
  std::string hostname;
  std::vector<GpuInfo> gpus;              // every visible device, in CUDA ordinal order
  std::optional<ErrorInfo> device_error;  // why gpus is empty (E_NO_DEVICE with the CUDA error name)
  int cuda_driver_version = 0;            // e.g. 13000; 0 when no driver
  int cuda_runtime_version = 0;           // the runtime tranche was built with
  Inventory inventory;                    // NVML + CUDA + /sys identity and configuration (probe_system fills it)

  const GpuInfo* gpu(int index) const {
    for (const auto& g : gpus) {
      if (g.index == index) return &g;
    }
    return nullptr;
  }
};

}  // namespace tranche
