// Order statistics and spread over samples: median, percentiles, MAD, mean, CV.
#pragma once
#include <optional>
#include <span>
#include <vector>

namespace tranche {

// Percentile p in [0, 100] with linear interpolation between closest ranks (the "R-7" definition, as numpy's
// default). Throws std::invalid_argument on an empty input or p outside [0, 100]. NaNs must be removed first.
double percentile(std::span<const double> samples, double p);
double median(std::span<const double> samples);
// Median absolute deviation from the median (unscaled). Throws on empty input.
double mad(std::span<const double> samples);
double mean(std::span<const double> samples);
// Sample standard deviation (n-1); 0 for one sample.
double stddev(std::span<const double> samples);
// stddev / mean; nullopt for fewer than two samples or a zero mean.
std::optional<double> cv(std::span<const double> samples);

struct SampleSummary {
  double median = 0, min = 0, max = 0, mean = 0;
  std::optional<double> cv;
  int n = 0;
};
// Throws std::invalid_argument on empty input.
SampleSummary summarize_samples(std::span<const double> samples);

}  // namespace tranche
