// Telemetry: summary arithmetic, downsampling bounds, and the report size of a simulated 24-hour 8-GPU run.
#include <gtest/gtest.h>

#include <cmath>

#include "harness/core/inventory.h"
#include "harness/core/telemetry.h"

namespace tranche {
namespace {

TelemetrySeries day_of_samples(int gpu) {
  TelemetrySeries s;
  s.gpu = gpu;
  s.interval_s = 1.0;
  s.power_limit_w = 700;
  s.slowdown_temp_c = 87;
  for (int i = 0; i < 24 * 3600; ++i) {
    TelemetrySample x;
    x.t_s = i;
    x.gpu_temp_c = 70 + 5 * std::sin(i / 600.0);
    x.mem_temp_c = 78 + 3 * std::sin(i / 900.0);
    x.power_w = 650 + 40 * std::sin(i / 97.0);
    x.sm_clock_mhz = 1980 - (i % 7);
    x.mem_clock_mhz = 2619;
    x.util_gpu = 100;
    x.util_mem = 60;
    x.clock_event_reasons = kThrottleSwPowerCap;
    x.ecc_corrected = 12;
    x.ecc_uncorrected = 0;
    x.pcie_replay = 3;
    x.nvlink_errors = 0;
    s.samples.push_back(x);
  }
  return s;
}

TEST(Telemetry, DownsampleKeepsBoundsPeaksAndCounters) {
  std::vector<TelemetrySample> v(1000);
  for (int i = 0; i < 1000; ++i) {
    v[i].t_s = i;
    v[i].gpu_temp_c = i == 501 ? 95.0 : 60.0;
    v[i].power_w = 600;
    v[i].ecc_corrected = static_cast<std::uint64_t>(i / 100);
    v[i].clock_event_reasons = i == 777 ? kThrottleHwThermal : 0;
  }
  for (std::size_t max : {2u, 3u, 10u, 999u}) {
    const auto d = downsample_telemetry(v, max);
    EXPECT_EQ(d.size(), max);
    EXPECT_EQ(d.front().t_s, 0);
    double peak = 0;
    std::uint64_t reasons = 0;
    for (const auto& x : d) peak = std::max(peak, *x.gpu_temp_c), reasons |= *x.clock_event_reasons;
    EXPECT_EQ(peak, 95.0) << max;                     // a one-sample peak survives
    EXPECT_EQ(reasons, kThrottleHwThermal) << max;    // so does a one-sample throttle
    EXPECT_EQ(*d.back().ecc_corrected, 9u) << max;    // counters end where the series ends
  }
  EXPECT_EQ(downsample_telemetry(v, 5000).size(), 1000u);  // small series pass through
  EXPECT_EQ(downsample_telemetry(v, 0).size(), 2u);        // the bound is at least 2
}

TEST(Telemetry, SummaryWeighsSamplesByTime) {
  TelemetrySeries s;
  s.interval_s = 1;
  s.slowdown_temp_c = 87;
  for (int i = 0; i < 10; ++i) {
    TelemetrySample x;
    x.t_s = i;
    x.gpu_temp_c = i < 8 ? 70.0 : 90.0;
    x.power_w = i < 5 ? 400.0 : 600.0;
    x.clock_event_reasons = i == 0 ? kThrottleHwSlowdown | kThrottleHwPowerBrake : 0;
    x.ecc_uncorrected = i < 5 ? 2u : 3u;
    s.samples.push_back(x);
  }
  s.xids = {{3.0, 13}, {4.0, 48}};
  const TelemetrySummary r = summarize_telemetry(s);
  EXPECT_EQ(r.n_samples, 10);
  EXPECT_DOUBLE_EQ(r.duration_s, 10);
  EXPECT_DOUBLE_EQ(*r.hw_slowdown_share, 0.1);
  EXPECT_DOUBLE_EQ(*r.power_brake_share, 0.1);
  EXPECT_DOUBLE_EQ(*r.over_slowdown_s, 2);
  EXPECT_DOUBLE_EQ(*r.mean_power_w, 500);
  EXPECT_DOUBLE_EQ(*r.peak_gpu_temp_c, 90);
  EXPECT_DOUBLE_EQ(*r.ecc_uncorrected_delta, 1);
  EXPECT_EQ(r.xid_events, 2);
  EXPECT_EQ(r.critical_xid_events, 1);
  EXPECT_FALSE(r.pcie_replay_delta.has_value());  // never read: null, not zero
}

TEST(Telemetry, ReportOfA24HourEightGpuRunStaysUnderFiveMegabytes) {
  nlohmann::json node = nlohmann::json::array();
  for (int g = 0; g < 8; ++g) {
    // Each GPU's burnin.gemm and burnin.power measurement carries a series (the power one is shorter in practice;
    // a full day on both is the bound).
    node.push_back(telemetry_json(day_of_samples(g), 1440));
    node.push_back(telemetry_json(day_of_samples(g), 1440));
  }
  const std::size_t bytes = node.dump().size();
  EXPECT_LT(bytes, 5u * 1000 * 1000) << bytes;
  RecordProperty("report_bytes", static_cast<int>(bytes));
}

TEST(Telemetry, JsonRoundTripKeepsTheSummary) {
  TelemetrySeries s = day_of_samples(2);
  s.samples.resize(500);
  s.xids = {{12.5, 79}};
  const TelemetrySeries back = telemetry_series_from_json(telemetry_json(s, 1000), "test");
  EXPECT_EQ(back.samples.size(), 500u);
  EXPECT_EQ(back.xids.size(), 1u);
  EXPECT_EQ(back.gpu, 2);
  const auto a = summarize_telemetry(s), b = summarize_telemetry(back);
  EXPECT_NEAR(*a.peak_power_w, *b.peak_power_w, 0.05);
  EXPECT_EQ(a.critical_xid_events, b.critical_xid_events);
  EXPECT_THROW(telemetry_series_from_json(nlohmann::json::object(), "x.json"), InputError);
}

}  // namespace
}  // namespace tranche
