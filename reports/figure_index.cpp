// FigureIndex: maps built once per report, so referring a verdict to its figure is a lookup, not a scan.
#include "reports/figure_index.h"

namespace tranche {

FigureIndex::FigureIndex(const std::vector<Measurement>& measurements) {
  for (size_t i = 0; i < measurements.size(); ++i) {
    const Measurement& m = measurements[i];
    measurements_.emplace(std::make_pair(m.check_id, m.device.value_or(-1)), i);
    for (size_t k = 0; k < m.metrics.size(); ++k) {
      const Metric& x = m.metrics[k];
      metrics_.emplace(Key{m.check_id, gpu_of(m, x).value_or(-1), x.name, x.labels}, std::make_pair(i, k));
    }
  }
}

std::optional<std::pair<size_t, size_t>> FigureIndex::metric_of(const Verdict& v) const {
  if (v.metric.empty()) return std::nullopt;
  auto it = metrics_.find(Key{v.check_id, v.device.value_or(-1), v.metric, v.labels});
  if (it == metrics_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> FigureIndex::measurement_of(const Verdict& v) const {
  auto it = measurements_.find({v.check_id, v.device.value_or(-1)});
  if (it == measurements_.end()) it = measurements_.find({v.check_id, -1});  // node-scoped check, per-GPU verdict
  if (it == measurements_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tranche
