// Sample statistics; all functions copy and sort rather than reorder the caller's data.
#include "harness/core/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace tranche {

namespace {
std::vector<double> sorted_copy(std::span<const double> s) {
  if (s.empty()) throw std::invalid_argument("statistics of an empty sample set");
  std::vector<double> v(s.begin(), s.end());
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

double percentile(std::span<const double> samples, double p) {
  if (!(p >= 0.0 && p <= 100.0)) throw std::invalid_argument("percentile outside [0, 100]");
  auto v = sorted_copy(samples);
  const double rank = p / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const auto hi = static_cast<size_t>(std::ceil(rank));
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

double median(std::span<const double> samples) { return percentile(samples, 50.0); }

double mad(std::span<const double> samples) {
  const double m = median(samples);
  std::vector<double> dev;
  dev.reserve(samples.size());
  for (double x : samples) dev.push_back(std::fabs(x - m));
  return median(dev);
}

double mean(std::span<const double> samples) {
  if (samples.empty()) throw std::invalid_argument("mean of an empty sample set");
  return std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
}

double stddev(std::span<const double> samples) {
  if (samples.size() < 2) return 0.0;
  const double m = mean(samples);
  double ss = 0.0;
  for (double x : samples) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(samples.size() - 1));
}

std::optional<double> cv(std::span<const double> samples) {
  if (samples.size() < 2) return std::nullopt;
  const double m = mean(samples);
  if (m == 0.0) return std::nullopt;
  return stddev(samples) / std::fabs(m);
}

SampleSummary summarize_samples(std::span<const double> samples) {
  auto v = sorted_copy(samples);
  SampleSummary s;
  s.median = median(v);
  s.min = v.front();
  s.max = v.back();
  s.mean = mean(v);
  s.cv = cv(v);
  s.n = static_cast<int>(v.size());
  return s;
}

}  // namespace tranche
