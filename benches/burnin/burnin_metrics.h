// The metrics a burn-in check derives from its telemetry and its per-minute throughput: pure, so the rules are
// tested on recorded series (tests/unit/burnin_rules_test.cpp) without a GPU.
#pragma once
#include <string>
#include <vector>

#include "benches/burnin/burnin_math.h"
#include "harness/core/measurement.h"
#include "harness/core/telemetry.h"

namespace tranche {

// Appends to `m` (whose check_id is set) the telemetry metrics judged by burnin_expectations():
// <id>/ecc_uncorrected_new, ecc_corrected_new, row_remap_failure, critical_xids (count), hw_slowdown_share,
// thermal_throttle_share (HW or SW thermal) (ratio 0..1), over_slowdown_s (s), and unjudged context:
// peak_temperature (degC), peak_power (W), pcie_replay_new, nvlink_errors_new, xid_events (count). A field NVML
// could not read is a null metric (the judge skips a non-required rule on null). device labels every metric.
void append_telemetry_metrics(Measurement& m, const TelemetrySummary& s, int device);
// The quantities append_telemetry_metrics appends, in its order: what each burn-in check's CheckInfo declares.
const std::vector<const char*>& burnin_telemetry_quantities();

// Appends <id>/flops (median of the interval rates, with every interval rate kept as samples),
// <id>/slowest_interval_ratio and <id>/interval_cv (ratio), labelled with `labels` (e.g. {"precision":"bf16"}).
void append_stability_metrics(Measurement& m, const std::vector<double>& interval_rates,
                              const std::map<std::string, std::string>& labels, int device);

// <id>/power_ratio (ratio): the 95th percentile of the sampled power over the enforced limit; null without either.
void append_power_metrics(Measurement& m, const TelemetrySummary& s, std::optional<double> power_limit_w, int device);

}  // namespace tranche
