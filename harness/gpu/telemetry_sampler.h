// TelemetrySampler: a thread that reads one GPU's NVML telemetry every interval and listens for its Xid events,
// while a long check loads the GPU. The series it returns is pure data (harness/core/telemetry.h).
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "harness/core/system_info.h"
#include "harness/core/telemetry.h"

namespace tranche {

class TelemetrySampler {
 public:
  // Samples CUDA ordinal `gpu` (found in NVML by its PCI bus id) every `interval_s` seconds (>= 0.05). Never
  // throws: without NVML, or for a GPU NVML does not know, the series stays empty with the reason in
  // `unavailable`. Keeps at most `max_samples` samples (older halves are downsampled in place beyond that) and
  // at most 1000 Xid events.
  TelemetrySampler(const SystemInfo& system, int gpu, double interval_s, std::size_t max_samples = 200000);
  ~TelemetrySampler();  // stops the thread
  TelemetrySampler(const TelemetrySampler&) = delete;
  TelemetrySampler& operator=(const TelemetrySampler&) = delete;

  // Starts the thread (once).
  void start();
  // Stops the thread within about one interval and returns the series. Idempotent.
  TelemetrySeries stop();
  // The most recent sample, for progress lines; thread-safe.
  std::optional<TelemetrySample> latest() const;

 private:
  void run();
  struct Nvml;
  std::unique_ptr<Nvml> nvml_;
  TelemetrySeries series_;
  std::size_t max_samples_;
  mutable std::mutex mu_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tranche
