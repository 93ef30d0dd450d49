// Pure burn-in arithmetic: per-interval throughput from timed batches, and its stability (methodology in
// docs/methodology/burnin.md).
#pragma once
#include <optional>
#include <vector>

namespace tranche {

// One timed group of back-to-back GEMMs: when it ended (host seconds since the burn-in started), the work it did
// and the GPU time it took (CUDA events).
struct TimedBatch {
  double end_s = 0;
  double flops = 0;
  double gpu_s = 0;
};

// FLOP/s per interval of `interval_s` (a minute by default): the work of the batches that ended in the interval
// over their GPU time. Intervals without a batch are skipped; the last interval counts only when its batches
// cover at least half of it (a stub at the end would be noise). Precondition: interval_s > 0.
std::vector<double> per_interval_rates(const std::vector<TimedBatch>& batches, double interval_s = 60.0);

struct Stability {
  std::optional<double> median;               // of the interval rates
  std::optional<double> slowest_over_median;  // min / median (1 = perfectly steady)
  std::optional<double> cv;                   // stddev / mean (population)
  int intervals = 0;
};
// Null fields when there are no rates; cv null with a single rate.
Stability rate_stability(const std::vector<double>& rates);

}  // namespace tranche
