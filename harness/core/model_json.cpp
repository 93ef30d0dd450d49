// JSON writers and strict readers for the core model.
#include "harness/core/model_json.h"

#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace tranche {

using nlohmann::json;

namespace {

std::map<std::string, std::string> labels_from(const json& j, const char* key, const std::string& where) {
  std::map<std::string, std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_object()) throw InputError(where + ": '" + key + "' must be an object of strings");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) throw InputError(where + ": " + key + "." + k + " must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}
}  // namespace

const json& json_at(const json& j, const char* key, const std::string& where) {
  if (!j.is_object()) throw InputError(where + ": expected a JSON object");
  auto it = j.find(key);
  if (it == j.end()) throw InputError(where + ": missing key '" + key + "'");
  return *it;
}

std::string json_string(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (!v.is_string()) throw InputError(where + ": '" + key + "' must be a string");
  return v.get<std::string>();
}

double json_number(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (!v.is_number()) throw InputError(where + ": '" + key + "' must be a number");
  return v.get<double>();
}

long long json_integer(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (!v.is_number_integer()) throw InputError(where + ": '" + key + "' must be an integer");
  return v.get<long long>();
}

bool json_bool(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (!v.is_boolean()) throw InputError(where + ": '" + key + "' must be true or false");
  return v.get<bool>();
}

std::optional<double> json_optional_number(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) throw InputError(where + ": '" + key + "' must be a number or null");
  return v.get<double>();
}

std::optional<int> json_optional_int(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_integer()) throw InputError(where + ": '" + key + "' must be an integer or null");
  return v.get<int>();
}

std::string to_iso8601(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0') << (ms % 1000) << 'Z';
  return os.str();
}

std::chrono::system_clock::time_point from_iso8601(const std::string& s, const std::string& where) {
  std::tm tm{};
  std::istringstream is(s);
  is >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (is.fail()) throw InputError(where + ": '" + s + "' is not a UTC ISO-8601 time (2026-11-24T05:15:49.123Z)");
  int ms = 0;
  if (is.peek() == '.') {
    is.get();
    std::string digits;
    while (std::isdigit(is.peek())) digits += static_cast<char>(is.get());
    digits = (digits + "000").substr(0, 3);
    ms = std::stoi(digits);
  }
  if (is.get() != 'Z') throw InputError(where + ": time '" + s + "' must end in Z (UTC)");
  const std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::milliseconds(ms);
}

json to_json(const ErrorInfo& e) {
  return json{{"id", e.id},       {"message", e.message}, {"api", e.api},     {"code", e.code},
              {"code_name", e.code_name}, {"expr", e.expr}, {"where", e.where}, {"gpu", json_or_null(e.gpu)},
              {"sticky", e.sticky}};
}

ErrorInfo error_info_from_json(const json& j, const std::string& where) {
  ErrorInfo e;
  e.id = json_string(j, "id", where);
  e.message = json_string(j, "message", where);
  e.api = json_string(j, "api", where);
  e.code = json_integer(j, "code", where);
  e.code_name = json_string(j, "code_name", where);
  e.expr = json_string(j, "expr", where);
  e.where = json_string(j, "where", where);
  e.gpu = json_optional_int(j, "gpu", where);
  e.sticky = json_bool(j, "sticky", where);
  return e;
}

json to_json(const Metric& m) {
  json samples = json::array();
  for (double s : m.samples) samples.push_back(std::isfinite(s) ? json(s) : json(nullptr));
  return json{{"name", m.name},   {"value", json_or_null(m.value)}, {"unit", m.unit},       {"statistic", m.statistic},
              {"n_samples", m.n_samples}, {"cv", json_or_null(m.cv)}, {"min", json_or_null(m.min)}, {"max", json_or_null(m.max)},
              {"labels", m.labels}, {"device", json_or_null(m.device)}, {"samples", samples}};
}

Metric metric_from_json(const json& j, const std::string& where) {
  Metric m;
  m.name = json_string(j, "name", where);
  const std::string w = where + " (" + m.name + ")";
  m.value = json_optional_number(j, "value", w);
  m.unit = json_string(j, "unit", w);
  m.statistic = json_string(j, "statistic", w);
  m.n_samples = static_cast<int>(json_integer(j, "n_samples", w));
  m.cv = json_optional_number(j, "cv", w);
  m.min = json_optional_number(j, "min", w);
  m.max = json_optional_number(j, "max", w);
  m.labels = labels_from(j, "labels", w);
  m.device = json_optional_int(j, "device", w);
  if (auto it = j.find("samples"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      if (s.is_number()) m.samples.push_back(s.get<double>());
    }
  }
  return m;
}

json to_json(const Measurement& m) {
  json metrics = json::array();
  for (const auto& x : m.metrics) metrics.push_back(to_json(x));
  return json{{"check_id", m.check_id},
              {"status", to_string(m.status)},
              {"reason", m.reason},
              {"error", m.error ? to_json(*m.error) : json(nullptr)},
              {"device", json_or_null(m.device)},
              {"required", m.required},
              {"params", m.params},
              {"details", m.details},
              {"started_at", to_iso8601(m.started_at)},
              {"duration_s", m.duration_s},
              {"metrics", metrics}};
}

Measurement measurement_from_json(const json& j, const std::string& where) {
  Measurement m;
  m.check_id = json_string(j, "check_id", where);
  const std::string w = where + " (" + m.check_id + ")";
  const std::string status = json_string(j, "status", w);
  auto st = measurement_status_from_string(status);
  if (!st) throw InputError(w + ": status '" + status + "' is not one of ok, skipped, error");
  m.status = *st;
  m.reason = json_string(j, "reason", w);
  if (const auto& e = json_at(j, "error", w); !e.is_null()) m.error = error_info_from_json(e, w + ".error");
  m.device = json_optional_int(j, "device", w);
  m.required = json_bool(j, "required", w);
  m.params = json_at(j, "params", w);
  m.details = json_at(j, "details", w);
  m.started_at = from_iso8601(json_string(j, "started_at", w), w + ".started_at");
  m.duration_s = json_number(j, "duration_s", w);
  const auto& metrics = json_at(j, "metrics", w);
  if (!metrics.is_array()) throw InputError(w + ": 'metrics' must be an array");
  for (size_t i = 0; i < metrics.size(); ++i) {
    m.metrics.push_back(metric_from_json(metrics[i], w + ".metrics[" + std::to_string(i) + "]"));
  }
  return m;
}

json to_json(const Verdict& v) {
  return json{{"check_id", v.check_id},   {"metric", v.metric},       {"labels", v.labels},
              {"device", json_or_null(v.device)},  {"rule", v.rule},           {"reference", json_or_null(v.reference)},
              {"observed", json_or_null(v.observed)}, {"ratio", json_or_null(v.ratio)}, {"warn_ratio", json_or_null(v.warn_ratio)},
              {"fail_ratio", json_or_null(v.fail_ratio)}, {"unit", v.unit},    {"outcome", to_string(v.outcome)},
              {"required", v.required},   {"source", v.source},       {"message", v.message},
              {"error_id", v.error_id}};
}

Verdict verdict_from_json(const json& j, const std::string& where) {
  Verdict v;
  v.check_id = json_string(j, "check_id", where);
  v.metric = json_string(j, "metric", where);
  v.labels = labels_from(j, "labels", where);
  v.device = json_optional_int(j, "device", where);
  v.rule = json_string(j, "rule", where);
  v.reference = json_optional_number(j, "reference", where);
  v.observed = json_optional_number(j, "observed", where);
  v.ratio = json_optional_number(j, "ratio", where);
  v.warn_ratio = json_optional_number(j, "warn_ratio", where);
  v.fail_ratio = json_optional_number(j, "fail_ratio", where);
  v.unit = json_string(j, "unit", where);
  const std::string outcome = json_string(j, "outcome", where);
  auto o = outcome_from_string(outcome);
  if (!o) throw InputError(where + ": outcome '" + outcome + "' is not one of pass, warn, fail, skip, error");
  v.outcome = *o;
  v.required = json_bool(j, "required", where);
  v.source = json_string(j, "source", where);
  v.message = json_string(j, "message", where);
  v.error_id = json_string(j, "error_id", where);
  return v;
}

json to_json(const Summary& s) {
  json gpus = json::object();
  for (const auto& [g, o] : s.gpu_outcomes) gpus[std::to_string(g)] = to_string(o);
  return json{{"acceptance", to_string(s.acceptance)}, {"worst", to_string(s.worst)}, {"counts", s.counts},
              {"error_ids", s.error_ids},             {"gpu_outcomes", gpus},         {"headline", s.headline},
              {"unjudged_metrics", s.unjudged_metrics}};
}

json to_json(const GpuInfo& g) {
  return json{{"index", g.index},         {"name", g.name},         {"uuid", g.uuid},
              {"pci_bus_id", g.pci_bus_id}, {"compute_capability", std::to_string(g.cc_major) + "." + std::to_string(g.cc_minor)},
              {"sm_count", g.sm_count},   {"memory_bytes", g.memory_bytes}, {"l2_bytes", g.l2_bytes},
              {"numa_node", g.numa_node}};
}

Summary summary_from_json(const json& j, const std::string& where) {
  Summary s;
  const std::string acc = json_string(j, "acceptance", where);
  auto a = acceptance_from_string(acc);
  if (!a) throw InputError(where + ": acceptance '" + acc + "' is not one of accepted, rejected, incomplete");
  s.acceptance = *a;
  const std::string worst_s = json_string(j, "worst", where);
  auto w = outcome_from_string(worst_s);
  if (!w) throw InputError(where + ": worst '" + worst_s + "' is not an outcome");
  s.worst = *w;
  const auto& counts = json_at(j, "counts", where);
  if (!counts.is_object()) throw InputError(where + ": 'counts' must be an object");
  for (const auto& [k, v] : counts.items()) {
    if (!v.is_number_integer()) throw InputError(where + ": counts." + k + " must be an integer");
    s.counts[k] = v.get<int>();
  }
  const auto& ids = json_at(j, "error_ids", where);
  if (!ids.is_array()) throw InputError(where + ": 'error_ids' must be an array");
  for (const auto& id : ids) s.error_ids.push_back(id.get<std::string>());
  const auto& gpus = json_at(j, "gpu_outcomes", where);
  if (!gpus.is_object()) throw InputError(where + ": 'gpu_outcomes' must be an object");
  for (const auto& [k, v] : gpus.items()) {
    auto o = v.is_string() ? outcome_from_string(v.get<std::string>()) : std::nullopt;
    if (!o) throw InputError(where + ": gpu_outcomes." + k + " is not an outcome");
    s.gpu_outcomes[std::stoi(k)] = *o;
  }
  s.headline = json_string(j, "headline", where);
  if (j.contains("unjudged_metrics")) {  // absent in reports written before the unjudged outcome existed
    const auto& u = j.at("unjudged_metrics");
    if (!u.is_array()) throw InputError(where + ": 'unjudged_metrics' must be an array of metric names");
    for (const auto& name : u) {
      if (!name.is_string()) throw InputError(where + ": 'unjudged_metrics' must be an array of metric names");
      s.unjudged_metrics.push_back(name.get<std::string>());
    }
  }
  return s;
}

}  // namespace tranche
