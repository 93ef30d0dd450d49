// Inventory: the node's hardware identity and configuration (CUDA + NVML + /proc + /sys), GPU-free, so recorded
// inventories can be judged and rendered anywhere. A field NVML could not give is nullopt, and the GPU's (or
// node's) `unavailable` map says why ("NVML_ERROR_NOT_SUPPORTED", "symbol missing in this driver", "no NVML").
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/errors.h"

namespace tranche {

inline constexpr const char* kInventorySchema = "tranche/inventory/v1";

// NVML's throttle ("clocks event") reason bits, as nvml.h defines them.
inline constexpr std::uint64_t kThrottleGpuIdle = 0x1;
inline constexpr std::uint64_t kThrottleAppClocks = 0x2;
inline constexpr std::uint64_t kThrottleSwPowerCap = 0x4;
inline constexpr std::uint64_t kThrottleHwSlowdown = 0x8;
inline constexpr std::uint64_t kThrottleSyncBoost = 0x10;
inline constexpr std::uint64_t kThrottleSwThermal = 0x20;
inline constexpr std::uint64_t kThrottleHwThermal = 0x40;
inline constexpr std::uint64_t kThrottleHwPowerBrake = 0x80;
inline constexpr std::uint64_t kThrottleDisplayClocks = 0x100;
// Names of the set bits ("gpu_idle", "hw_slowdown", ...); unknown bits as "bit_<n>".
std::vector<std::string> throttle_reason_names(std::uint64_t mask);

struct PcieLink {
  std::optional<int> max_generation;      // the link's capability: min(GPU, slot); what the SKU is judged on
  std::optional<int> max_width;           // lanes
  std::optional<int> current_generation;  // downshifts at idle (power saving): informational only at preflight
  std::optional<int> current_width;       // the trained width; does not downshift at idle
};

struct EccState {
  std::optional<bool> enabled;                                              // current mode
  std::optional<bool> pending_enabled;                                      // mode after the next reboot / GPU reset
  std::optional<std::uint64_t> volatile_corrected, volatile_uncorrected;    // since the driver loaded
  std::optional<std::uint64_t> aggregate_corrected, aggregate_uncorrected;  // lifetime (InfoROM)
};

// Pre-Ampere page retirement.
struct RetiredPages {
  std::optional<std::uint64_t> single_bit;  // retired for multiple single-bit errors
  std::optional<std::uint64_t> double_bit;  // retired for a double-bit error
  std::optional<bool> pending;              // a retirement waits for a driver reload
};

// Ampere and later row remapping.
struct RowRemap {
  std::optional<std::uint64_t> correctable;    // rows remapped for correctable errors
  std::optional<std::uint64_t> uncorrectable;  // rows remapped for uncorrectable errors
  std::optional<bool> pending;                 // a remap waits for a GPU reset
  std::optional<bool> failure;                 // a remap failed: the GPU is out of spare rows (RMA)
};

struct NvLinkState {
  int link = 0;
  std::optional<bool> active;
  std::optional<int> version;
  std::optional<std::string> remote_bus_id;  // PCI bus id of the far end ("00000000:18:00.0")
  std::optional<std::string> remote_type;    // "gpu", "switch", "ibmnpu", "unknown"
  std::optional<std::uint64_t> replay_errors, recovery_errors, crc_flit_errors, crc_data_errors;
};

struct GpuProcess {
  std::int64_t pid = 0;
  std::optional<std::uint64_t> used_memory_bytes;
  std::string name;  // from NVML or /proc/<pid>/comm; "" when unknown
};

struct GpuInventory {
  int index = 0;                  // CUDA ordinal (NVML index when CUDA sees no device); metrics' device
  std::optional<int> nvml_index;  // nullopt when NVML is absent
  bool cuda_visible = false;      // CUDA enumerates it in this process
  std::optional<std::string> name, uuid, serial, board_part_number, pci_bus_id, vbios, architecture;
  std::optional<std::uint32_t> pci_device_id;     // (device << 16) | vendor, as nvidia-smi: 0x233010DE
  std::optional<std::uint32_t> pci_subsystem_id;  // 0x16C110DE
  std::optional<std::uint64_t> memory_bytes;
  std::optional<int> sm_count;
  std::optional<std::string> compute_capability;  // "9.0"
  PcieLink pcie;
  std::optional<double> power_limit_w, default_power_limit_w, enforced_power_limit_w;
  std::optional<double> max_sm_clock_hz, max_memory_clock_hz;
  EccState ecc;
  RetiredPages retired_pages;
  RowRemap row_remap;
  std::optional<bool> persistence_mode;
  std::optional<std::string> compute_mode;  // "default", "exclusive_thread", "prohibited", "exclusive_process"
  std::optional<bool> mig_enabled, mig_pending_enabled;
  std::optional<std::uint64_t> throttle_reasons;  // NVML bit mask (kThrottle*)
  std::optional<double> temperature_c, slowdown_temperature_c, shutdown_temperature_c;
  std::vector<NvLinkState> nvlinks;                  // empty when the GPU has none (or NVML is absent)
  std::optional<std::vector<GpuProcess>> processes;  // nullopt when NVML could not list them
  std::optional<int> numa_node;
  std::optional<std::string> cpu_affinity;         // CPU list as the kernel writes it: "0-55,112-167"
  std::map<std::string, std::string> unavailable;  // JSON key -> why it is null

  // Name and PCI device id ("NVIDIA H100 80GB HBM3 (0x2330)"): two GPUs with equal sku() are the same SKU.
  std::string sku() const;
};

struct NodeInventory {
  std::string hostname;
  std::optional<std::string> kernel, cpu_model;
  std::optional<int> numa_nodes;
  std::optional<std::string> driver_version, nvml_version;  // "580.65.06", "13.580.65.06"
  int cuda_driver_version = 0;                              // 13000; 0 without a driver
  int cuda_runtime_version = 0;
  std::optional<std::int64_t> tranche_pid;  // this process: not a foreign process on the GPUs
  std::optional<ErrorInfo> nvml_error;      // E_NO_NVML when libnvidia-ml.so.1 is missing or nvmlInit failed
  std::optional<ErrorInfo> device_error;    // E_NO_DEVICE when CUDA sees no GPU
  std::map<std::string, std::string> unavailable;
};

// The GPU topology matrix as `nvidia-smi topo -m` shows it: cells[i][j] for gpus[i], gpus[j] is "X" on the
// diagonal, "NV<n>" for n NVLinks between them, else the PCIe relationship: "PIX" (one switch), "PXB" (several
// switches), "PHB" (same host bridge), "NODE" (same NUMA node), "SYS" (across NUMA nodes), "BOARD" (same board);
// "" when unknown.
struct TopologyMatrix {
  std::vector<int> gpus;  // GPU indices, rows/columns in this order
  std::vector<std::vector<std::string>> cells;
  std::vector<std::vector<int>> nvlinks;  // NVLink count per pair (0 on the diagonal)
};

struct Inventory {
  NodeInventory node;
  std::vector<GpuInventory> gpus;  // in index order
  TopologyMatrix topology;
};

// Explicit JSON (schema reports/schema/inventory.schema.json). The reader requires every key the writer writes
// (nulls allowed where the model is optional), ignores unknown keys (fixtures carry a "fixture_note"), and throws
// InputError "<where>: ..." naming the key.
nlohmann::json to_json(const Inventory& inv);
Inventory inventory_from_json(const nlohmann::json& j, const std::string& where);

// "580.65.06" -> 580065006 (major*1e6 + minor*1e3 + patch): driver versions compare as numbers. nullopt when the
// string is not dotted decimal.
std::optional<double> driver_version_number(const std::string& version);

// The kernel's CPU list format "0-3,8" for a bit mask over CPUs (bit i = CPU i). "" for an empty mask.
std::string cpu_list_string(const std::vector<bool>& cpus);

}  // namespace tranche
