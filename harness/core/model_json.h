// Explicit JSON conversion of the core model (Metric, Measurement, ErrorInfo, Verdict, Summary). Every key is
// written by hand; readers throw InputError naming the missing or mistyped key, so a corrupt report is a clear
// one-line error. Any key change here bumps the report schema version.
#pragma once
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>

#include "harness/core/measurement.h"
#include "harness/core/system_info.h"
#include "harness/core/verdict.h"

namespace tranche {

nlohmann::json to_json(const ErrorInfo& e);
nlohmann::json to_json(const Metric& m);
nlohmann::json to_json(const Measurement& m);
nlohmann::json to_json(const Verdict& v);
nlohmann::json to_json(const Summary& s);
// The CUDA-side view of the GPUs (index, name, uuid, bus id, compute capability, SMs, memory, L2, NUMA node).
nlohmann::json to_json(const GpuInfo& g);

// `where` prefixes error messages ("report.json: measurements[3]").
ErrorInfo error_info_from_json(const nlohmann::json& j, const std::string& where);
Metric metric_from_json(const nlohmann::json& j, const std::string& where);
Measurement measurement_from_json(const nlohmann::json& j, const std::string& where);
Verdict verdict_from_json(const nlohmann::json& j, const std::string& where);
Summary summary_from_json(const nlohmann::json& j, const std::string& where);

// UTC ISO-8601 with milliseconds: "2026-11-24T05:15:49.123Z".
std::string to_iso8601(std::chrono::system_clock::time_point t);
// Parses the form to_iso8601 writes (milliseconds optional). Throws InputError naming `where`.
std::chrono::system_clock::time_point from_iso8601(const std::string& s, const std::string& where);

// How every optional field is written: the value, or null when absent (or, for floating point, not finite).
template <class T>
nlohmann::json json_or_null(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(*v)) return nullptr;
  }
  return nlohmann::json(*v);
}

// Required-key helpers shared by every reader: throw InputError "<where>: missing key 'k'" / "... must be a T".
const nlohmann::json& json_at(const nlohmann::json& j, const char* key, const std::string& where);
std::string json_string(const nlohmann::json& j, const char* key, const std::string& where);
double json_number(const nlohmann::json& j, const char* key, const std::string& where);
long long json_integer(const nlohmann::json& j, const char* key, const std::string& where);
bool json_bool(const nlohmann::json& j, const char* key, const std::string& where);
std::optional<double> json_optional_number(const nlohmann::json& j, const char* key, const std::string& where);
std::optional<int> json_optional_int(const nlohmann::json& j, const char* key, const std::string& where);

}  // namespace tranche
