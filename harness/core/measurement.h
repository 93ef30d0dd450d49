// Measurement: what one run of one check on one GPU (or the node) produced, before any judgement.
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/metric.h"

namespace tranche {

// ok: the check measured (its figures may still be bad: that is the judge's call). skipped: it does not apply
// (reason says why). error: it could not measure (error says why).
enum class MeasurementStatus { ok, skipped, error };
std::string_view to_string(MeasurementStatus s);
std::optional<MeasurementStatus> measurement_status_from_string(std::string_view s);

struct Measurement {
  std::string check_id;
  MeasurementStatus status = MeasurementStatus::ok;
  std::string reason;              // for skipped (and a short note for error)
  std::optional<ErrorInfo> error;  // set when status == error
  std::vector<Metric> metrics;
  nlohmann::json params = nlohmann::json::object();   // effective parameters the check ran with
  nlohmann::json details = nlohmann::json::object();  // structured context: algorithm ids, link state, matrices
  std::optional<int> device;                          // GPU index; nullopt for node-scoped checks
  bool required = true;  // false for a check that does not apply to this hardware (its skip is not a gap)
  std::chrono::system_clock::time_point started_at{};
  double duration_s = 0.0;

  // Appends a metric named "<check_id>/<quantity>" for this measurement's device and returns it for labels.
  Metric& add_metric(const std::string& quantity, std::optional<double> value, const std::string& unit);
  // Appends the median of `samples` with min, max, cv and n; keeps the samples. Precondition: samples non-empty.
  Metric& add_median_metric(const std::string& quantity, std::span<const double> samples, const std::string& unit);
};

}  // namespace tranche
