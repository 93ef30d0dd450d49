// The NVML reads behind TelemetrySampler; every field is optional (a reading NVML refuses stays null).
#include "harness/gpu/telemetry_sampler.h"

#include <chrono>
#include <cstring>

#include "harness/gpu/nvml_api.h"

namespace tranche {

struct TelemetrySampler::Nvml {
  const nvml::Api* api = nullptr;
  nvml::Device dev = nullptr;
  nvml::EventSet events = nullptr;
};

namespace {

std::optional<double> field_as_double(const nvml::FieldValue& f) {
  if (f.nvml_return != nvml::kSuccess) return std::nullopt;
  switch (f.value_type) {
    case 0: { double d; std::memcpy(&d, f.value, 8); return d; }
    case 1: { unsigned u; std::memcpy(&u, f.value, 4); return u; }
    case 2:
    case 3: { unsigned long long u; std::memcpy(&u, f.value, 8); return static_cast<double>(u); }
    case 4: { long long v; std::memcpy(&v, f.value, 8); return static_cast<double>(v); }
    case 5: { int v; std::memcpy(&v, f.value, 4); return v; }
    case 6: { unsigned short v; std::memcpy(&v, f.value, 2); return v; }
    default: return std::nullopt;
  }
}

TelemetrySample read_sample(const nvml::Api& a, nvml::Device dev, double t_s) {
  TelemetrySample s;
  s.t_s = t_s;
  unsigned u = 0;
  if (a.device_get_temperature_v) {
    nvml::TemperatureV1 t{nvml::kTemperatureV1Version, nvml::kTemperatureGpu, 0};
    if (a.device_get_temperature_v(dev, &t) == nvml::kSuccess) s.gpu_temp_c = t.temperature;
  }
  if (!s.gpu_temp_c && a.device_get_temperature &&
      a.device_get_temperature(dev, nvml::kTemperatureGpu, &u) == nvml::kSuccess) {
    s.gpu_temp_c = u;
  }
  if (a.device_get_field_values) {
    nvml::FieldValue f{};
    f.field_id = nvml::kFieldMemoryTemp;
    if (a.device_get_field_values(dev, 1, &f) == nvml::kSuccess) {
      // A GPU without an HBM sensor answers 0 degC rather than an error; that is no reading.
      if (auto v = field_as_double(f); v && *v > 0) s.mem_temp_c = v;
    }
  }
  if (a.device_get_power_usage && a.device_get_power_usage(dev, &u) == nvml::kSuccess) s.power_w = u / 1000.0;
  if (a.device_get_clock_info && a.device_get_clock_info(dev, nvml::kClockSm, &u) == nvml::kSuccess) {
    s.sm_clock_mhz = u;
  }
  if (a.device_get_clock_info && a.device_get_clock_info(dev, nvml::kClockMem, &u) == nvml::kSuccess) {
    s.mem_clock_mhz = u;
  }
  nvml::Utilization util{};
  if (a.device_get_utilization_rates && a.device_get_utilization_rates(dev, &util) == nvml::kSuccess) {
    s.util_gpu = util.gpu;
    s.util_mem = util.memory;
  }
  unsigned long long r = 0;
  if (a.device_get_clocks_event_reasons && a.device_get_clocks_event_reasons(dev, &r) == nvml::kSuccess) {
    s.clock_event_reasons = r;
  }
  unsigned long long n = 0;
  if (a.device_get_total_ecc_errors &&
      a.device_get_total_ecc_errors(dev, nvml::kMemoryErrorCorrected, nvml::kVolatileEcc, &n) == nvml::kSuccess) {
    s.ecc_corrected = n;
  }
  if (a.device_get_total_ecc_errors &&
      a.device_get_total_ecc_errors(dev, nvml::kMemoryErrorUncorrected, nvml::kVolatileEcc, &n) == nvml::kSuccess) {
    s.ecc_uncorrected = n;
  }
  unsigned corr = 0, unc = 0, pending = 0, failed = 0;
  if (a.device_get_remapped_rows && a.device_get_remapped_rows(dev, &corr, &unc, &pending, &failed) == nvml::kSuccess) {
    s.row_remap_correctable = corr;
    s.row_remap_uncorrectable = unc;
    s.row_remap_pending = pending != 0;
    s.row_remap_failure = failed != 0;
  }
  if (a.device_get_pcie_replay_counter && a.device_get_pcie_replay_counter(dev, &u) == nvml::kSuccess) {
    s.pcie_replay = u;
  }
  if (a.device_get_nvlink_error_counter && a.device_get_nvlink_state) {
    std::optional<std::uint64_t> sum;
    for (unsigned link = 0; link < nvml::kNvLinkMaxLinks; ++link) {
      int active = 0;
      if (a.device_get_nvlink_state(dev, link, &active) != nvml::kSuccess || !active) continue;
      for (int counter : {nvml::kNvLinkErrorReplay, nvml::kNvLinkErrorRecovery, nvml::kNvLinkErrorCrcFlit,
                          nvml::kNvLinkErrorCrcData}) {
        if (a.device_get_nvlink_error_counter(dev, link, counter, &n) == nvml::kSuccess) sum = sum.value_or(0) + n;
      }
    }
    s.nvlink_errors = sum;
  }
  return s;
}

}  // namespace

TelemetrySampler::TelemetrySampler(const SystemInfo& system, int gpu, double interval_s, std::size_t max_samples)
    : nvml_(std::make_unique<Nvml>()), max_samples_(std::max<std::size_t>(max_samples, 16)) {
  series_.gpu = gpu;
  series_.interval_s = std::max(0.05, interval_s);
  ErrorInfo why;
  nvml_->api = nvml::load(&why);
  if (!nvml_->api) {
    series_.unavailable = "no NVML: " + why.message;
    return;
  }
  const nvml::Api& a = *nvml_->api;
  const GpuInfo* info = system.gpu(gpu);
  if (!info || info->pci_bus_id.empty() || !a.device_get_handle_by_pci_bus_id ||
      a.device_get_handle_by_pci_bus_id(info->pci_bus_id.c_str(), &nvml_->dev) != nvml::kSuccess) {
    nvml_->api = nullptr;
    series_.unavailable = "NVML does not know GPU " + std::to_string(gpu) + " by its PCI bus id";
    return;
  }
  unsigned u = 0;
  if (a.device_get_enforced_power_limit && a.device_get_enforced_power_limit(nvml_->dev, &u) == nvml::kSuccess) {
    series_.power_limit_w = u / 1000.0;
  }
  if (a.device_get_temperature_threshold &&
      a.device_get_temperature_threshold(nvml_->dev, nvml::kTempThresholdSlowdown, &u) == nvml::kSuccess) {
    series_.slowdown_temp_c = u;
  }
  if (a.event_set_create && a.device_register_events && a.event_set_wait && a.event_set_free &&
      a.event_set_create(&nvml_->events) == nvml::kSuccess) {
    const nvml::Return r = a.device_register_events(nvml_->dev, nvml::kEventTypeXidCriticalError, nvml_->events);
    if (r != nvml::kSuccess) {
      a.event_set_free(nvml_->events);
      nvml_->events = nullptr;
      series_.unavailable = "Xid events: nvmlDeviceRegisterEvents answered " + a.error_name(r);
    }
  } else {
    series_.unavailable = "Xid events: this NVML has no event set API";
  }
}

TelemetrySampler::~TelemetrySampler() {
  stop();
  if (nvml_->events) nvml_->api->event_set_free(nvml_->events);
}

void TelemetrySampler::start() {
  if (!nvml_->api || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

TelemetrySeries TelemetrySampler::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return series_;
}

std::optional<TelemetrySample> TelemetrySampler::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (series_.samples.empty()) return std::nullopt;
  return series_.samples.back();
}

void TelemetrySampler::run() {
  using clock = std::chrono::steady_clock;
  const nvml::Api& a = *nvml_->api;
  const auto t0 = clock::now();
  const auto period = std::chrono::duration<double>(series_.interval_s);
  auto next = t0;
  auto seconds = [&] { return std::chrono::duration<double>(clock::now() - t0).count(); };
  while (!stop_) {
    TelemetrySample s = read_sample(a, nvml_->dev, seconds());
    {
      std::lock_guard<std::mutex> lock(mu_);
      series_.samples.push_back(s);
      // Bounded memory for runs of days: past the cap, the older half is merged pairwise.
      if (series_.samples.size() > max_samples_) {
        const std::size_t half = series_.samples.size() / 2;
        std::vector<TelemetrySample> old(series_.samples.begin(), series_.samples.begin() + static_cast<long>(half));
        std::vector<TelemetrySample> merged = downsample_telemetry(old, half / 2);
        merged.insert(merged.end(), series_.samples.begin() + static_cast<long>(half), series_.samples.end());
        series_.samples = std::move(merged);
      }
    }
    next += std::chrono::duration_cast<clock::duration>(period);
    // Wait for Xid events until the next sample is due (the event wait is the sleep), in slices short enough
    // to stop within ~0.2 s.
    while (!stop_ && clock::now() < next) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - clock::now()).count();
      const unsigned ms = static_cast<unsigned>(std::clamp<long long>(left, 1, 200));
      if (nvml_->events) {
        nvml::EventData e{};
        const nvml::Return r = a.event_set_wait(nvml_->events, &e, ms);
        if (r == nvml::kSuccess && (e.event_type & nvml::kEventTypeXidCriticalError)) {
          std::lock_guard<std::mutex> lock(mu_);
          if (series_.xids.size() < 1000) series_.xids.push_back({seconds(), e.event_data});
        } else if (r != nvml::kSuccess && r != nvml::kErrorTimeout) {
          std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        }
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      }
    }
  }
}

}  // namespace tranche
