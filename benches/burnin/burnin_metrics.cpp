// Telemetry summary and throughput series -> burn-in metrics.
#include "benches/burnin/burnin_metrics.h"

namespace tranche {

namespace {

Metric& put(Measurement& m, const std::string& q, std::optional<double> v, const char* unit, int device) {
  Metric& x = m.add_metric(q, v, unit);
  x.device = device;
  return x;
}

}  // namespace

void append_telemetry_metrics(Measurement& m, const TelemetrySummary& s, int device) {
  put(m, "ecc_uncorrected_new", s.ecc_uncorrected_delta, "count", device);
  put(m, "ecc_corrected_new", s.ecc_corrected_delta, "count", device);
  put(m, "row_remap_failure",
      s.row_remap_failure ? std::optional<double>(*s.row_remap_failure ? 1.0 : 0.0) : std::nullopt, "bool", device);
  // Xids come from events, not a counter: with no sampler there is nothing to say (n_samples 0 -> null).
  put(m, "critical_xids", s.n_samples ? std::optional<double>(s.critical_xid_events) : std::nullopt, "count", device);
  put(m, "xid_events", s.n_samples ? std::optional<double>(s.xid_events) : std::nullopt, "count", device);
  put(m, "hw_slowdown_share", s.hw_slowdown_share, "ratio", device);
  std::optional<double> thermal;
  if (s.hw_thermal_share || s.sw_thermal_share) {
    thermal = std::max(s.hw_thermal_share.value_or(0), s.sw_thermal_share.value_or(0));
  }
  put(m, "thermal_throttle_share", thermal, "ratio", device);
  put(m, "over_slowdown_s", s.over_slowdown_s, "s", device);
  put(m, "peak_temperature", s.peak_gpu_temp_c, "degC", device);
  put(m, "peak_power", s.peak_power_w, "W", device);
  put(m, "pcie_replay_new", s.pcie_replay_delta, "count", device);
  put(m, "nvlink_errors_new", s.nvlink_error_delta, "count", device);
}

const std::vector<const char*>& burnin_telemetry_quantities() {
  static const std::vector<const char*> kQuantities = {
      "ecc_uncorrected_new", "ecc_corrected_new", "row_remap_failure",  "critical_xids",
      "xid_events",          "hw_slowdown_share", "thermal_throttle_share", "over_slowdown_s",
      "peak_temperature",    "peak_power",        "pcie_replay_new",     "nvlink_errors_new"};
  return kQuantities;
}

void append_stability_metrics(Measurement& m, const std::vector<double>& rates,
                              const std::map<std::string, std::string>& labels, int device) {
  const Stability st = rate_stability(rates);
  if (rates.empty()) {
    put(m, "flops", std::nullopt, "FLOP/s", device).labels = labels;
  } else {
    Metric& f = m.add_median_metric("flops", rates, "FLOP/s");
    f.device = device;
    f.labels = labels;
  }
  put(m, "slowest_interval_ratio", st.slowest_over_median, "ratio", device).labels = labels;
  Metric& cv = put(m, "interval_cv", st.cv, "ratio", device);
  cv.labels = labels;
  cv.n_samples = st.intervals;
}

void append_power_metrics(Measurement& m, const TelemetrySummary& s, std::optional<double> limit, int device) {
  std::optional<double> ratio;
  if (s.p95_power_w && limit && *limit > 0) ratio = *s.p95_power_w / *limit;
  put(m, "power_ratio", ratio, "ratio", device);
  put(m, "power_limit", limit, "W", device);
}

}  // namespace tranche
