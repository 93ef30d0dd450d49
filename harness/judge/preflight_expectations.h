// The preflight rules: the node's identity and configuration turned into ordinary Expectations on the
// preflight.* metrics, so a bad preflight becomes a normal verdict (observed, reference, GPU, next step).
#pragma once
#include <vector>

#include "harness/judge/baseline.h"

namespace tranche {

// Rules that hold for every SKU (always produced):
//   preflight.inventory/sku_mismatch == 0 (one SKU per node); preflight.ecc/ecc_enabled == 1,
//   ecc_mode_change_pending == 0, volatile_uncorrected == 0; retired_pages_pending, row_remap_pending,
//   row_remap_failure == 0 (required = false: each exists on only some architectures); hw_slowdown and
//   thermal_slowdown == 0 at idle; foreign_processes: warn when > 0, fail instead with options.exclusive;
//   persistence_mode: warn when off.
// Rules from the SKU's NodeExpectations, only when the field is set: gpu_count == gpus_per_node; PCIe
// max_link_generation >= pcie_generation; max_link_width and link_width (trained) >= pcie_width; NVLink
// links_active >= nvlinks_per_gpu (no rule when 0); memory_bytes >= memory_bytes_min; driver_version >=
// min_driver. The current PCIe generation is never judged here: links downshift at idle (the PCIe bandwidth
// checks judge it under load).
// "Warn when a count is above 0" is lower_is_better against reference 1 with warn_ratio 0 and fail_ratio 1e9:
// ratio = count, 0 passes, any count up to 1e9 warns. "Warn when off" is higher_is_better against 1 with
// warn_ratio 1 and fail_ratio 0. Throws InputError when node.min_driver is not a dotted version.
std::vector<Expectation> preflight_expectations(const NodeExpectations& node, const JudgeOptions& options);

}  // namespace tranche
