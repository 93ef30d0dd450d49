// FigureIndex: finds the measurement and metric a verdict judged, by check, GPU, metric name and labels. The v2
// writer uses it to refer to figures by position; the GPU summary to count figures no verdict judged.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"

namespace tranche {

class FigureIndex {
 public:
  explicit FigureIndex(const std::vector<Measurement>& measurements);
  // (measurement, metric) positions of the figure `v` judged; nullopt when the verdict names no metric present.
  std::optional<std::pair<size_t, size_t>> metric_of(const Verdict& v) const;
  // The measurement of the verdict's check on its GPU (or the node-scoped one); nullopt when none.
  std::optional<size_t> measurement_of(const Verdict& v) const;
  // A metric's GPU: its own, else its measurement's.
  static std::optional<int> gpu_of(const Measurement& m, const Metric& x) { return x.device ? x.device : m.device; }

 private:
  using Key = std::tuple<std::string, int, std::string, std::map<std::string, std::string>>;
  std::map<Key, std::pair<size_t, size_t>> metrics_;
  std::map<std::pair<std::string, int>, size_t> measurements_;  // first measurement per (check, GPU or -1)
};

}  // namespace tranche
