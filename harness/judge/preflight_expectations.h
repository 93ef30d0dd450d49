// The preflight rules: the node's identity and configuration turned into ordinary Expectations on the
// preflight.* metrics, so a bad preflight becomes a normal verdict (observed, reference, GPU, next step).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "harness/judge/baseline.h"

namespace tranche {

// Rules that hold for every SKU (always produced):
//   preflight.inventory/sku_mismatch == 0 (one SKU per node); preflight.ecc/ecc_enabled == 1,
//   ecc_mode_change_pending == 0, volatile_uncorrected == 0; retired_pages_pending, row_remap_pending,
//   row_remap_failure == 0 (required = false: each exists on only some architectures); hw_slowdown and
//   thermal_slowdown == 0 at idle; foreign_processes: warn when > 0, fail instead with options.exclusive;
//   persistence_mode: warn when off.
// Rules from the SKU's NodeExpectations, only when the field is set: gpu_count one of gpus_per_node; PCIe
// max_link_generation >= pcie_generation; max_link_width and link_width (trained) >= pcie_width; NVLink
// links_active >= nvlinks_per_gpu (no rule when 0); memory_bytes >= memory_bytes_min; driver_version >=
// minimum_driver(min_driver, options.cuda_runtime_version) (also when the SKU states no floor). The current PCIe generation is never judged here: links downshift at idle (the PCIe bandwidth
// checks judge it under load).
// "Warn when a count is above 0" is lower_is_better against reference 1 with warn_ratio 0 and fail_ratio 1e9:
// ratio = count, 0 passes, any count up to 1e9 warns. "Warn when off" is higher_is_better against 1 with
// warn_ratio 1 and fail_ratio 0. Throws InputError when node.min_driver is not a dotted version.
std::vector<Expectation> preflight_expectations(const NodeExpectations& node, const JudgeOptions& options);

// Metrics kept for the record that no rule judges by design, so they are neither verdicts nor "unjudged":
// the preflight facts (device count, CUDA versions, lifetime ECC count, distinct SKUs, NVLinks reported, the idle
// PCIe generation, the throttle-reason bit mask) and every "*/algorithm_id" (which cuBLASLt algorithm ran).
bool is_record_only_metric(const std::string& metric);

// The minimum Linux driver of a CUDA runtime version (cudaRuntimeGetVersion encoding, 13000 = 13.0), from the
// CUDA release notes' minor-version-compatibility table; nullopt for an unknown (0) or older runtime.
struct RuntimeDriverFloor {
  std::string version;  // "580.65.06"
  std::string runtime;  // "CUDA 13.x"
};
std::optional<RuntimeDriverFloor> runtime_driver_floor(int cuda_runtime_version);

// The driver a node must run: the larger of the SKU's floor (node.min_driver, "" = none) and the runtime's,
// with both sources in `why`. Empty version when neither is known. Throws InputError for a malformed SKU floor.
struct DriverFloor {
  std::string version;
  std::string why;            // "minimum driver 580.65.06: the larger of the SKU's floor 570.133.20 and ..."
  bool from_runtime = false;  // the runtime's floor is the binding one
};
DriverFloor minimum_driver(const std::string& sku_floor, int cuda_runtime_version);

}  // namespace tranche
