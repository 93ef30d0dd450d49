// Telemetry of one GPU during a long check: the sampled series, its downsampled form for the report, and the
// summary the burn-in rules judge. Pure (no NVML, no CUDA): the sampler in harness/gpu fills it.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tranche {

// One NVML reading. Counters are cumulative as NVML reports them (deltas are taken in summarize_telemetry);
// every field is null when NVML does not support it on this GPU.
struct TelemetrySample {
  double t_s = 0;                            // seconds since the sampler started
  std::optional<double> gpu_temp_c;          // degC
  std::optional<double> mem_temp_c;          // degC (HBM; null where NVML has no reading)
  std::optional<double> power_w;             // W
  std::optional<double> sm_clock_mhz;        // MHz
  std::optional<double> mem_clock_mhz;       // MHz
  std::optional<double> util_gpu;            // percent
  std::optional<double> util_mem;            // percent
  std::optional<std::uint64_t> clock_event_reasons;  // NVML clocks-event (throttle) bit mask, see inventory.h
  std::optional<std::uint64_t> ecc_corrected;        // volatile total, count
  std::optional<std::uint64_t> ecc_uncorrected;      // volatile total, count
  std::optional<std::uint64_t> row_remap_correctable;
  std::optional<std::uint64_t> row_remap_uncorrectable;
  std::optional<bool> row_remap_pending;
  std::optional<bool> row_remap_failure;
  std::optional<std::uint64_t> pcie_replay;     // count since driver load
  std::optional<std::uint64_t> nvlink_errors;   // sum of replay, recovery and CRC counters over the GPU's links
};

// An Xid event NVML reported for this GPU (nvmlEventTypeXidCriticalError).
struct XidEvent {
  double t_s = 0;
  std::uint64_t xid = 0;
};

struct TelemetrySeries {
  int gpu = -1;                    // CUDA ordinal
  double interval_s = 1.0;         // sampling period asked for
  std::optional<double> power_limit_w;          // enforced power limit at the start
  std::optional<double> slowdown_temp_c;        // the GPU's own slowdown threshold (NVML)
  std::vector<TelemetrySample> samples;         // in time order
  std::vector<XidEvent> xids;
  std::string unavailable;                      // why a field or the whole sampler had no data ("" when none)
};

// Xids that end a burn-in (docs/methodology/burnin.md lists each with its meaning).
const std::vector<std::uint64_t>& critical_xids();
bool is_critical_xid(std::uint64_t xid);

// What the burn-in rules look at, over the whole series (first to last sample).
struct TelemetrySummary {
  double duration_s = 0;
  int n_samples = 0;
  std::optional<double> peak_gpu_temp_c, peak_mem_temp_c;
  std::optional<double> mean_power_w, peak_power_w, p95_power_w;
  std::optional<double> median_sm_clock_mhz;
  // Share of the sampled time each reason was active (0..1); null when NVML gave no reasons.
  std::optional<double> hw_slowdown_share, hw_thermal_share, sw_thermal_share, power_brake_share, sw_power_cap_share;
  // Seconds (sample-weighted) the GPU spent at or above its slowdown temperature; null without threshold or temps.
  std::optional<double> over_slowdown_s;
  std::optional<double> ecc_corrected_delta, ecc_uncorrected_delta;
  std::optional<double> row_remap_uncorrectable_delta;
  std::optional<bool> row_remap_failure;  // true if any sample saw a failed remap
  std::optional<double> pcie_replay_delta, nvlink_error_delta;
  int xid_events = 0, critical_xid_events = 0;
};

// Pure. Samples are weighted by the time to the next sample (the last one by interval_s).
TelemetrySummary summarize_telemetry(const TelemetrySeries& series);

// At most `max_points` points (>= 2) covering the whole series: consecutive samples are merged into equal buckets;
// a bucket keeps the mean of each gauge, the max temperature and power (so peaks survive), the OR of the reasons
// and the last value of each counter. Returns the input when it is already small enough. Pure.
std::vector<TelemetrySample> downsample_telemetry(const std::vector<TelemetrySample>& samples, std::size_t max_points);

// The report form: {"gpu", "interval_s", "power_limit_w", "slowdown_temp_c", "summary": {...}, "xids": [...],
// "columns": [...], "points": [[t, ...], ...]} with points downsampled to `max_points` and numbers rounded to
// what the sensors resolve (0.1), so a 24-hour 8-GPU run stays well under 5 MB (tests/unit/telemetry_test.cpp).
nlohmann::json telemetry_json(const TelemetrySeries& series, std::size_t max_points);
nlohmann::json telemetry_summary_json(const TelemetrySummary& s);
// Reads the report form back (columns may come in any order; unknown columns are ignored), so a recorded
// report's telemetry can be re-summarised and used as a test fixture. Throws InputError naming `where` for a
// missing key or a malformed point.
TelemetrySeries telemetry_series_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace tranche
