// probe_inventory: fills SystemInfo::inventory from the CUDA view, NVML (dlopen) and /proc, /sys — once per run.
#pragma once
#include <string>
#include <vector>

#include "harness/core/inventory.h"
#include "harness/core/system_info.h"

namespace tranche {

// Builds sys.inventory from sys.gpus (CUDA), NVML and the kernel's files. Never throws for missing NVML, missing
// symbols or unsupported fields: node.nvml_error says E_NO_NVML (with the fix in the error catalog) and the
// CUDA-side inventory is still filled; a field NVML does not support is null with its reason in `unavailable`.
// GPUs are matched between CUDA and NVML by PCI bus id (CUDA and NVML number devices differently).
void probe_inventory(SystemInfo& sys);

// Pure helpers (unit-tested without a GPU).
// NVML/CUDA bus id "00000000:1A:00.0" -> sysfs name "0000:1a:00.0". Unchanged when not in that form.
std::string sysfs_pci_name(const std::string& bus_id);
// Equal bus ids regardless of domain width and case.
bool same_bus_id(const std::string& a, const std::string& b);
// nvidia-smi's name for an NVML nvmlGpuTopologyLevel_t value: 0 BOARD, 10 PIX, 20 PXB, 30 PHB, 40 NODE, 50 SYS.
std::string topology_level_name(int level);
// NVLinks between each pair of GPUs from their per-link state: links whose remote end is the other GPU's bus
// id, or, when both reach NVSwitches (HGX), the smaller of their active switch-link counts (what
// `nvidia-smi topo -m` shows as NV18 on an HGX H100). Rows/columns follow `gpus`.
std::vector<std::vector<int>> nvlink_count_matrix(const std::vector<GpuInventory>& gpus);

}  // namespace tranche
