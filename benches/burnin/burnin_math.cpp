// per_interval_rates and rate_stability.
#include "benches/burnin/burnin_math.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tranche {

std::vector<double> per_interval_rates(const std::vector<TimedBatch>& batches, double interval_s) {
  std::map<long long, std::pair<double, double>> bins;  // interval -> (flops, gpu seconds)
  for (const auto& b : batches) {
    auto& bin = bins[static_cast<long long>(std::floor(std::max(0.0, b.end_s) / interval_s))];
    bin.first += b.flops;
    bin.second += b.gpu_s;
  }
  std::vector<double> out;
  for (auto it = bins.begin(); it != bins.end(); ++it) {
    const auto& [flops, gpu_s] = it->second;
    const bool last = std::next(it) == bins.end();
    if (gpu_s <= 0 || (last && out.size() > 0 && gpu_s < 0.5 * interval_s)) continue;
    out.push_back(flops / gpu_s);
  }
  return out;
}

Stability rate_stability(const std::vector<double>& rates) {
  Stability s;
  s.intervals = static_cast<int>(rates.size());
  if (rates.empty()) return s;
  std::vector<double> v = rates;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  if (*s.median > 0) s.slowest_over_median = v.front() / *s.median;
  if (n >= 2) {
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(n);
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    var /= static_cast<double>(n);
    if (mean > 0) s.cv = std::sqrt(var) / mean;
  }
  return s;
}

}  // namespace tranche
