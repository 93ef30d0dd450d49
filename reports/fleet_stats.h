// Robust fleet statistics: distributions (n, min, p05, median, p95, max, MAD) and the outlier rule.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

namespace tranche {

struct Distribution {
  int n = 0;
  double min = 0, p05 = 0, median = 0, p95 = 0, max = 0, mad = 0;
};
// Throws std::invalid_argument on an empty input.
Distribution distribution_of(std::span<const double> values);
nlohmann::json to_json(const Distribution& d);
Distribution distribution_from_json(const nlohmann::json& j, const std::string& where);

// The fleet-relative outlier rule (docs/methodology/fleet.md). A value is an outlier when it lies on the worse
// side of the median by both more than `z_threshold` in modified z-score (0.6745 (x - median) / MAD, Iglewicz
// and Hoaglin) and more than `min_percent` percent of the median. With MAD = 0 the z-test is taken as passed
// (peers identical), so only the percentage decides.
struct OutlierRule {
  double z_threshold = 3.5;
  double min_percent = 1.5;
  int min_peers = 5;  // fewer values than this: no outlier is called (too few peers to be robust)
};

struct OutlierScore {
  double z = 0;                // modified z-score, signed (negative: below the median); 0 when MAD is 0
  double percent_from_median;  // (x - median) / median * 100, signed
  bool outlier = false;
};

// `lower_is_better`: for latencies, the worse side is above the median.
OutlierScore score_against(double value, const Distribution& peers, bool lower_is_better, const OutlierRule& rule);

}  // namespace tranche
