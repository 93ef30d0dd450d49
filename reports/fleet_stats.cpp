// Distributions over fleet values and the modified z-score outlier rule.
#include "reports/fleet_stats.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "harness/core/statistics.h"

namespace tranche {

Distribution distribution_of(std::span<const double> values) {
  if (values.empty()) throw std::invalid_argument("distribution_of: no values");
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());
  Distribution d;
  d.n = static_cast<int>(v.size());
  d.min = v.front();
  d.max = v.back();
  d.p05 = percentile(v, 5);
  d.median = percentile(v, 50);
  d.p95 = percentile(v, 95);
  d.mad = mad(v);
  return d;
}

nlohmann::json to_json(const Distribution& d) {
  return {{"n", d.n}, {"min", d.min}, {"p05", d.p05}, {"median", d.median},
          {"p95", d.p95}, {"max", d.max}, {"mad", d.mad}};
}

Distribution distribution_from_json(const nlohmann::json& j, const std::string& where) {
  Distribution d;
  d.n = static_cast<int>(json_integer(j, "n", where));
  d.min = json_number(j, "min", where);
  d.p05 = json_number(j, "p05", where);
  d.median = json_number(j, "median", where);
  d.p95 = json_number(j, "p95", where);
  d.max = json_number(j, "max", where);
  d.mad = json_number(j, "mad", where);
  return d;
}

OutlierScore score_against(double value, const Distribution& peers, bool lower_is_better, const OutlierRule& rule) {
  OutlierScore s;
  s.z = peers.mad > 0 ? 0.6745 * (value - peers.median) / peers.mad : 0.0;
  s.percent_from_median = peers.median != 0 ? (value - peers.median) / std::fabs(peers.median) * 100.0 : 0.0;
  if (peers.n < rule.min_peers || peers.median == 0) return s;
  const double worse_z = lower_is_better ? s.z : -s.z;
  const double worse_pct = lower_is_better ? s.percent_from_median : -s.percent_from_median;
  const bool z_beyond = peers.mad > 0 ? worse_z > rule.z_threshold : true;
  s.outlier = z_beyond && worse_pct > rule.min_percent;
  return s;
}

}  // namespace tranche
