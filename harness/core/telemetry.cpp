// Telemetry summary, downsampling and report JSON.
#include "harness/core/telemetry.h"

#include <algorithm>
#include <cmath>

#include "harness/core/errors.h"
#include "harness/core/inventory.h"

namespace tranche {

const std::vector<std::uint64_t>& critical_xids() {
  static const std::vector<std::uint64_t> kXids = {48, 61, 62, 63, 64, 74, 79, 92, 94, 95, 119, 120, 140};
  return kXids;
}

bool is_critical_xid(std::uint64_t xid) {
  const auto& v = critical_xids();
  return std::find(v.begin(), v.end(), xid) != v.end();
}

namespace {

double weight(const std::vector<TelemetrySample>& s, std::size_t i, double interval_s) {
  return i + 1 < s.size() ? std::max(0.0, s[i + 1].t_s - s[i].t_s) : interval_s;
}

template <class Get>
std::optional<double> counter_delta(const std::vector<TelemetrySample>& s, Get get) {
  std::optional<double> first, last;
  for (const auto& x : s) {
    if (const auto v = get(x)) {
      if (!first) first = static_cast<double>(*v);
      last = static_cast<double>(*v);
    }
  }
  if (!first) return std::nullopt;
  return std::max(0.0, *last - *first);  // a counter reset (driver reload) is not growth
}

std::optional<double> round1(std::optional<double> v) {
  if (!v) return v;
  return std::round(*v * 10.0) / 10.0;
}

nlohmann::json num(std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
template <class T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

TelemetrySummary summarize_telemetry(const TelemetrySeries& series) {
  TelemetrySummary out;
  const auto& s = series.samples;
  out.n_samples = static_cast<int>(s.size());
  out.xid_events = static_cast<int>(series.xids.size());
  for (const auto& x : series.xids) out.critical_xid_events += is_critical_xid(x.xid) ? 1 : 0;
  if (s.empty()) return out;
  out.duration_s = s.back().t_s - s.front().t_s + series.interval_s;

  double reason_time = 0, hw = 0, hw_th = 0, sw_th = 0, brake = 0, cap = 0, power_sum = 0, power_time = 0;
  double hot_time = 0, temp_time = 0;
  std::vector<double> powers, clocks;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const TelemetrySample& x = s[i];
    const double w = weight(s, i, series.interval_s);
    auto peak = [](std::optional<double>& p, std::optional<double> v) {
      if (v && (!p || *v > *p)) p = v;
    };
    peak(out.peak_gpu_temp_c, x.gpu_temp_c);
    peak(out.peak_mem_temp_c, x.mem_temp_c);
    peak(out.peak_power_w, x.power_w);
    if (x.power_w) {
      powers.push_back(*x.power_w);
      power_sum += *x.power_w * w;
      power_time += w;
    }
    if (x.sm_clock_mhz) clocks.push_back(*x.sm_clock_mhz);
    if (x.clock_event_reasons) {
      const std::uint64_t r = *x.clock_event_reasons;
      reason_time += w;
      if (r & kThrottleHwSlowdown) hw += w;
      if (r & kThrottleHwThermal) hw_th += w;
      if (r & kThrottleSwThermal) sw_th += w;
      if (r & kThrottleHwPowerBrake) brake += w;
      if (r & kThrottleSwPowerCap) cap += w;
    }
    if (x.gpu_temp_c && series.slowdown_temp_c) {
      temp_time += w;
      if (*x.gpu_temp_c >= *series.slowdown_temp_c) hot_time += w;
    }
    if (x.row_remap_failure) out.row_remap_failure = out.row_remap_failure.value_or(false) || *x.row_remap_failure;
  }
  if (power_time > 0) out.mean_power_w = power_sum / power_time;
  auto percentile = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const auto idx = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)));
    return v[idx];
  };
  if (!powers.empty()) out.p95_power_w = percentile(powers, 0.95);
  if (!clocks.empty()) out.median_sm_clock_mhz = percentile(clocks, 0.5);
  if (reason_time > 0) {
    out.hw_slowdown_share = hw / reason_time;
    out.hw_thermal_share = hw_th / reason_time;
    out.sw_thermal_share = sw_th / reason_time;
    out.power_brake_share = brake / reason_time;
    out.sw_power_cap_share = cap / reason_time;
  }
  if (temp_time > 0) out.over_slowdown_s = hot_time;
  out.ecc_corrected_delta = counter_delta(s, [](const TelemetrySample& x) { return x.ecc_corrected; });
  out.ecc_uncorrected_delta = counter_delta(s, [](const TelemetrySample& x) { return x.ecc_uncorrected; });
  out.row_remap_uncorrectable_delta =
      counter_delta(s, [](const TelemetrySample& x) { return x.row_remap_uncorrectable; });
  out.pcie_replay_delta = counter_delta(s, [](const TelemetrySample& x) { return x.pcie_replay; });
  out.nvlink_error_delta = counter_delta(s, [](const TelemetrySample& x) { return x.nvlink_errors; });
  return out;
}

std::vector<TelemetrySample> downsample_telemetry(const std::vector<TelemetrySample>& samples,
                                                  std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 2);
  if (samples.size() <= max_points) return samples;
  std::vector<TelemetrySample> out;
  out.reserve(max_points);
  const std::size_t n = samples.size();
  for (std::size_t b = 0; b < max_points; ++b) {
    const std::size_t lo = b * n / max_points, hi = (b + 1) * n / max_points;
    TelemetrySample m = samples[hi - 1];  // counters and flags: the bucket's last value
    m.t_s = samples[lo].t_s;
    auto mean = [&](std::optional<double> TelemetrySample::*f) {
      double sum = 0;
      int k = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        if (const auto& v = samples[i].*f) sum += *v, ++k;
      }
      return k ? std::optional<double>(sum / k) : std::nullopt;
    };
    auto max = [&](std::optional<double> TelemetrySample::*f) {
      std::optional<double> best;
      for (std::size_t i = lo; i < hi; ++i) {
        if (const auto& v = samples[i].*f; v && (!best || *v > *best)) best = v;
      }
      return best;
    };
    m.gpu_temp_c = max(&TelemetrySample::gpu_temp_c);
    m.mem_temp_c = max(&TelemetrySample::mem_temp_c);
    m.power_w = max(&TelemetrySample::power_w);
    m.sm_clock_mhz = mean(&TelemetrySample::sm_clock_mhz);
    m.mem_clock_mhz = mean(&TelemetrySample::mem_clock_mhz);
    m.util_gpu = mean(&TelemetrySample::util_gpu);
    m.util_mem = mean(&TelemetrySample::util_mem);
    std::optional<std::uint64_t> reasons;
    for (std::size_t i = lo; i < hi; ++i) {
      if (samples[i].clock_event_reasons) reasons = reasons.value_or(0) | *samples[i].clock_event_reasons;
    }
    m.clock_event_reasons = reasons;
    out.push_back(m);
  }
  return out;
}

nlohmann::json telemetry_summary_json(const TelemetrySummary& s) {
  return {{"duration_s", s.duration_s},
          {"n_samples", s.n_samples},
          {"peak_gpu_temp_c", num(s.peak_gpu_temp_c)},
          {"peak_mem_temp_c", num(s.peak_mem_temp_c)},
          {"mean_power_w", num(round1(s.mean_power_w))},
          {"peak_power_w", num(s.peak_power_w)},
          {"p95_power_w", num(s.p95_power_w)},
          {"median_sm_clock_mhz", num(s.median_sm_clock_mhz)},
          {"hw_slowdown_share", num(s.hw_slowdown_share)},
          {"hw_thermal_share", num(s.hw_thermal_share)},
          {"sw_thermal_share", num(s.sw_thermal_share)},
          {"power_brake_share", num(s.power_brake_share)},
          {"sw_power_cap_share", num(s.sw_power_cap_share)},
          {"over_slowdown_s", num(s.over_slowdown_s)},
          {"ecc_corrected_delta", num(s.ecc_corrected_delta)},
          {"ecc_uncorrected_delta", num(s.ecc_uncorrected_delta)},
          {"row_remap_uncorrectable_delta", num(s.row_remap_uncorrectable_delta)},
          {"row_remap_failure", opt(s.row_remap_failure)},
          {"pcie_replay_delta", num(s.pcie_replay_delta)},
          {"nvlink_error_delta", num(s.nvlink_error_delta)},
          {"xid_events", s.xid_events},
          {"critical_xid_events", s.critical_xid_events}};
}

nlohmann::json telemetry_json(const TelemetrySeries& series, std::size_t max_points) {
  nlohmann::json xids = nlohmann::json::array();
  for (const auto& x : series.xids) {
    xids.push_back({{"t_s", round1(x.t_s).value()}, {"xid", x.xid}, {"critical", is_critical_xid(x.xid)}});
  }
  nlohmann::json points = nlohmann::json::array();
  for (const auto& x : downsample_telemetry(series.samples, max_points)) {
    points.push_back({round1(x.t_s).value(), num(round1(x.gpu_temp_c)), num(round1(x.mem_temp_c)),
                      num(round1(x.power_w)), num(round1(x.sm_clock_mhz)), num(round1(x.mem_clock_mhz)),
                      num(round1(x.util_gpu)), num(round1(x.util_mem)), opt(x.clock_event_reasons),
                      opt(x.ecc_corrected), opt(x.ecc_uncorrected), opt(x.pcie_replay), opt(x.nvlink_errors)});
  }
  return {{"gpu", series.gpu},
          {"interval_s", series.interval_s},
          {"power_limit_w", num(series.power_limit_w)},
          {"slowdown_temp_c", num(series.slowdown_temp_c)},
          {"unavailable", series.unavailable},
          {"summary", telemetry_summary_json(summarize_telemetry(series))},
          {"xids", std::move(xids)},
          {"columns", {"t_s", "gpu_temp_c", "mem_temp_c", "power_w", "sm_clock_mhz", "mem_clock_mhz", "util_gpu",
                       "util_mem", "clock_event_reasons", "ecc_corrected", "ecc_uncorrected", "pcie_replay",
                       "nvlink_errors"}},
          {"points", std::move(points)}};
}

TelemetrySeries telemetry_series_from_json(const nlohmann::json& j, const std::string& where) {
  try {
    TelemetrySeries out;
    out.gpu = j.at("gpu").get<int>();
    out.interval_s = j.at("interval_s").get<double>();
    auto opt_num = [&](const char* key) {
      const auto it = j.find(key);
      return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    out.power_limit_w = opt_num("power_limit_w");
    out.slowdown_temp_c = opt_num("slowdown_temp_c");
    if (j.contains("unavailable")) out.unavailable = j.at("unavailable").get<std::string>();
    for (const auto& x : j.at("xids")) out.xids.push_back({x.at("t_s").get<double>(), x.at("xid").get<std::uint64_t>()});
    const auto& cols = j.at("columns");
    for (const auto& p : j.at("points")) {
      if (!p.is_array() || p.size() != cols.size()) throw InputError(where + ": a point does not match 'columns'");
      TelemetrySample s;
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const std::string name = cols[c].get<std::string>();
        const auto& v = p[c];
        auto d = [&] { return v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt; };
        auto u = [&] { return v.is_number() ? std::optional<std::uint64_t>(v.get<std::uint64_t>()) : std::nullopt; };
        if (name == "t_s") s.t_s = v.get<double>();
        else if (name == "gpu_temp_c") s.gpu_temp_c = d();
        else if (name == "mem_temp_c") s.mem_temp_c = d();
        else if (name == "power_w") s.power_w = d();
        else if (name == "sm_clock_mhz") s.sm_clock_mhz = d();
        else if (name == "mem_clock_mhz") s.mem_clock_mhz = d();
        else if (name == "util_gpu") s.util_gpu = d();
        else if (name == "util_mem") s.util_mem = d();
        else if (name == "clock_event_reasons") s.clock_event_reasons = u();
        else if (name == "ecc_corrected") s.ecc_corrected = u();
        else if (name == "ecc_uncorrected") s.ecc_uncorrected = u();
        else if (name == "pcie_replay") s.pcie_replay = u();
        else if (name == "nvlink_errors") s.nvlink_errors = u();
      }
      out.samples.push_back(s);
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where + ": not a telemetry series (" + e.what() + ")");
  }
}

}  // namespace tranche
