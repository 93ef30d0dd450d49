// samples_kept and compact_sample: the report's sample policy in one place.
#include "reports/report_samples.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace tranche {

std::vector<bool> samples_kept(const Measurement& m) {
  std::vector<bool> kept(m.metrics.size(), false);
  std::set<int> headline_taken;  // GPU (or -1 for the node) whose headline figure is already chosen
  for (size_t k = 0; k < m.metrics.size(); ++k) {
    const Metric& x = m.metrics[k];
    if (x.samples.empty()) continue;
    const bool mismatch = x.name.size() >= 11 && x.name.compare(x.name.size() - 11, 11, "/mismatches") == 0;
    const int gpu = (x.device ? x.device : m.device).value_or(-1);
    // Node-scoped checks (PCIe all-GPU phase, the P2P matrix) have many figures per GPU: only their spread keeps samples.
    if (!mismatch && m.device && headline_taken.insert(gpu).second) kept[k] = true;
    if (x.cv && *x.cv > kKeepSamplesAboveCv) kept[k] = true;
  }
  return kept;
}

std::optional<double> compact_sample(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4e", v);
  return std::strtod(buf, nullptr);
}

}  // namespace tranche
