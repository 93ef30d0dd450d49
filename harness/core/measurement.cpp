// Measurement helpers: status names and metric construction.
#include "harness/core/measurement.h"

#include "harness/core/statistics.h"

namespace tranche {

std::string metric_check_id(const std::string& name) {
  auto pos = name.rfind('/');
  return pos == std::string::npos ? name : name.substr(0, pos);
}

std::string_view to_string(MeasurementStatus s) {
  switch (s) {
    case MeasurementStatus::ok: return "ok";
    case MeasurementStatus::skipped: return "skipped";
    case MeasurementStatus::error: return "error";
  }
  return "error";
}

std::optional<MeasurementStatus> measurement_status_from_string(std::string_view s) {
  for (auto v : {MeasurementStatus::ok, MeasurementStatus::skipped, MeasurementStatus::error}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

Metric& Measurement::add_metric(const std::string& quantity, std::optional<double> value, const std::string& unit) {
  Metric m;
  m.name = check_id + "/" + quantity;
  m.value = value;
  m.unit = unit;
  m.device = device;
  metrics.push_back(std::move(m));
  return metrics.back();
}

Metric& Measurement::add_median_metric(const std::string& quantity, std::span<const double> samples,
                                       const std::string& unit) {
  const SampleSummary s = summarize_samples(samples);
  Metric& m = add_metric(quantity, s.median, unit);
  m.statistic = "median";
  m.n_samples = s.n;
  m.cv = s.cv;
  m.min = s.min;
  m.max = s.max;
  m.samples.assign(samples.begin(), samples.end());
  return m;
}

}  // namespace tranche
