// The burn-in rules as ordinary Expectations on the metrics burnin.* checks emit, with the documented defaults
// (docs/methodology/burnin.md) that apply where the baseline has no expectation of its own for the metric.
#pragma once
#include <vector>

#include "harness/judge/baseline.h"

namespace tranche {

// For burnin.gemm and burnin.power (each watches the GPU's telemetry while it loads it):
//   ecc_uncorrected_new == 0, critical_xids == 0, row_remap_failure == 0, over_slowdown_s == 0 (fail);
//   ecc_corrected_new > 0 warns; hw_slowdown_share and thermal_throttle_share: > 0 warns, > 1% of the time fails.
// For burnin.gemm: slowest_interval_ratio < 0.95 warns, < 0.90 fails; interval_cv > 2% warns, > 5% fails.
// For burnin.power: power_ratio (p95 power / enforced limit) < 0.85 warns, never fails.
// SDC (burnin.gemm/mismatches) and memtest errors (memtest.*/mismatches) fail through the judge's built-in
// zero_mismatches rule. Every rule is required = false: a metric NVML could not read is skipped, not an error.
std::vector<Expectation> burnin_default_expectations();

// `baseline` plus every default whose metric the baseline does not already judge (a SKU or site figure wins).
std::vector<Expectation> with_burnin_defaults(const std::vector<Expectation>& baseline);

}  // namespace tranche
