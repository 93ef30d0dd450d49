// Sibling rule: group per-GPU figures by name and labels, compare each GPU with the node median.
#include "harness/judge/sibling_rule.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "harness/core/statistics.h"

namespace tranche {

std::vector<Verdict> sibling_verdicts(const std::vector<Measurement>& measurements, const SiblingRule& rule) {
  struct Entry {
    const Measurement* m;
    const Metric* metric;
  };
  std::map<std::pair<std::string, std::map<std::string, std::string>>, std::vector<Entry>> groups;
  for (const auto& m : measurements) {
    if (m.status != MeasurementStatus::ok) continue;
    for (const auto& metric : m.metrics) {
      const bool performance = metric.unit == "B/s" || metric.unit == "FLOP/s" || metric.unit == "s";
      const std::optional<int> device = metric.device ? metric.device : m.device;
      if (!performance || !device || !metric.value || !std::isfinite(*metric.value)) continue;
      groups[{metric.name, metric.labels}].push_back({&m, &metric});
    }
  }
  std::vector<Verdict> out;
  if (rule.margin <= 0) return out;
  for (const auto& [key, entries] : groups) {
    if (static_cast<int>(entries.size()) < rule.min_gpus) continue;
    std::vector<double> values;
    for (const auto& e : entries) values.push_back(*e.metric->value);
    const double med = median(values);
    if (med <= 0) continue;
    for (const auto& e : entries) {
      const double x = *e.metric->value;
      const bool lower_better = e.metric->unit == "s";
      const double worse = lower_better ? (x - med) / med : (med - x) / med;
      if (worse <= rule.margin) continue;
      Verdict v;
      v.check_id = e.m->check_id;
      v.metric = e.metric->name;
      v.labels = e.metric->labels;
      v.device = e.metric->device ? e.metric->device : e.m->device;
      v.rule = "sibling_outlier";
      v.reference = med;
      v.observed = x;
      v.ratio = x / med;
      v.warn_ratio = lower_better ? 1.0 + rule.margin : 1.0 - rule.margin;
      v.unit = e.metric->unit;
      v.outcome = Outcome::warn;
      v.required = false;
      char buf[256];
      std::snprintf(buf, sizeof buf, "GPU %d is %.1f%% %s the median of the node's %zu GPUs (margin %.1f%%)",
                    *v.device, worse * 100, lower_better ? "above" : "below", entries.size(), rule.margin * 100);
      v.source = "in-node sibling rule: median of the node's GPUs";
      v.message = std::string(buf) + "; re-run the check on it, compare with its siblings' cooling and links, " +
                  "RMA by serial if it repeats";
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace tranche
