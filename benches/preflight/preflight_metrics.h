// Preflight metrics: pure functions from an Inventory (probed now or recorded in a fixture) to the preflight.*
// measurements, so every preflight rule is testable without a GPU. See docs/methodology/preflight.md.
#pragma once
#include <string>
#include <vector>

#include "harness/core/inventory.h"
#include "harness/core/measurement.h"

namespace tranche {

// Per-GPU metrics carry Metric.device = GPU index and labels {serial, bus_id} ("unknown" when NVML did not say),
// so a verdict names the GPU. A value NVML did not give is never invented: when no GPU has it the metric is
// absent (m.details.unavailable says why); when only some GPUs have it, the others get a null value (which the
// judge fails: an inconsistent node is not accepted). Without NVML every measurement has status error with the
// inventory's E_NO_NVML ErrorInfo. check_id and metrics are filled; the runner fills times and params.

// preflight.inventory: gpu_count (node), distinct_skus (node, informational), sku_mismatch (bool per GPU: its
// name + PCI device id differs from the node's most common SKU), memory_bytes (B per GPU), driver_version (node,
// "580.65.06" as 580065006, see driver_version_number). The inventory itself goes in the node report's
// "inventory" (to_json(SystemInfo::inventory)), not in these details.
Measurement preflight_inventory_measurement(const Inventory& inv);
// preflight.pcie: max_link_generation, max_link_width, link_width (current; width does not downshift at idle),
// link_generation (current; informational only: links downshift at idle).
Measurement preflight_pcie_measurement(const Inventory& inv);
// preflight.ecc: ecc_enabled, ecc_mode_change_pending (bool: pending mode differs from current),
// volatile_uncorrected (count), aggregate_uncorrected (count, informational), retired_pages_pending (bool,
// pre-Ampere), row_remap_pending, row_remap_failure (bool, Ampere and later).
Measurement preflight_ecc_measurement(const Inventory& inv);
// preflight.nvlink: links_active (count per GPU; 0 when NVML reports no NVLink), links_reported (count).
Measurement preflight_nvlink_measurement(const Inventory& inv);
// preflight.processes: foreign_processes (count per GPU of compute processes other than node.tranche_pid).
Measurement preflight_processes_measurement(const Inventory& inv);
// preflight.persistence: persistence_mode (bool per GPU).
Measurement preflight_persistence_measurement(const Inventory& inv);
// preflight.throttle: hw_slowdown (bool: HW slowdown or power brake active), thermal_slowdown (bool: SW or HW
// thermal slowdown active), throttle_reasons (the NVML mask, informational).
Measurement preflight_throttle_measurement(const Inventory& inv);

// All of the above, in that order.
std::vector<Measurement> preflight_measurements(const Inventory& inv);

}  // namespace tranche
