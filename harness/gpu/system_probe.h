// probe_system: the CUDA-side view of the node (devices, versions), without failing when there is no driver.
#pragma once
#include "harness/core/system_info.h"

namespace tranche {

// Never throws for a missing driver or device: SystemInfo::device_error says why gpus is empty
// (E_NO_DEVICE with the CUDA error name from cudaGetDeviceCount). Also fills SystemInfo::inventory (NVML, /sys;
// see inventory_probe.h), so call it once per run.
SystemInfo probe_system();

}  // namespace tranche
