// NodeReport JSON: explicit keys in a fixed order; golden-file tests pin the layout.
#include "reports/node_report.h"

#include "harness/core/atomic_file.h"
#include "harness/core/json_guard.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"

namespace tranche {

using nlohmann::json;

json to_json(const NodeReport& r) {
  json measurements = json::array(), verdicts = json::array();
  for (const auto& m : r.measurements) measurements.push_back(to_json(m));
  for (const auto& v : r.verdicts) verdicts.push_back(to_json(v));
  const auto& e = r.environment;
  return json{
      {"schema", r.schema},
      {"tool", {{"name", r.tool.name}, {"version", r.tool.version}, {"git_sha", r.tool.git_sha}}},
      {"host", r.host},
      {"started_at", to_iso8601(r.started_at)},
      {"finished_at", to_iso8601(r.finished_at)},
      {"command_line", r.command_line},
      {"environment",
       {{"driver_version", e.driver_version},
        {"cuda_driver_version", e.cuda_driver_version},
        {"cuda_runtime_version", e.cuda_runtime_version},
        {"cublas_version", e.cublas_version},
        {"nccl_version", e.nccl_version},
        {"nvml_version", e.nvml_version},
        {"kernel", e.kernel},
        {"os", e.os}}},
      {"inventory", r.inventory},
      {"baseline",
       {{"id", r.baseline.id},
        {"file", r.baseline.file},
        {"sha256", r.baseline.sha256},
        {"overrides_file", r.baseline.overrides_file},
        {"overrides_sha256", r.baseline.overrides_sha256}}},
      {"profile", {{"name", r.profile.name}, {"source", r.profile.source}}},
      {"options", r.options},
      {"measurements", measurements},
      {"verdicts", verdicts},
      {"summary", to_json(r.summary)},
  };
}

NodeReport node_report_from_json(const json& j, const std::string& where) {
  NodeReport r;
  r.schema = json_string(j, "schema", where);
  if (r.schema != kNodeReportSchema) {
    throw InputError(where + ": schema '" + r.schema + "' is not " + kNodeReportSchema +
                     " (a report from another tranche version, or not a node report)");
  }
  const auto& tool = json_at(j, "tool", where);
  r.tool.name = json_string(tool, "name", where + ".tool");
  r.tool.version = json_string(tool, "version", where + ".tool");
  r.tool.git_sha = json_string(tool, "git_sha", where + ".tool");
  r.host = json_string(j, "host", where);
  r.started_at = from_iso8601(json_string(j, "started_at", where), where + ".started_at");
  r.finished_at = from_iso8601(json_string(j, "finished_at", where), where + ".finished_at");
  const auto& cmd = json_at(j, "command_line", where);
  if (!cmd.is_array()) throw InputError(where + ": 'command_line' must be an array of strings");
  for (const auto& a : cmd) {
    if (!a.is_string()) throw InputError(where + ": 'command_line' must be an array of strings");
    r.command_line.push_back(a.get<std::string>());
  }
  const auto& env = json_at(j, "environment", where);
  const std::string we = where + ".environment";
  r.environment.driver_version = json_string(env, "driver_version", we);
  r.environment.cuda_driver_version = static_cast<int>(json_integer(env, "cuda_driver_version", we));
  r.environment.cuda_runtime_version = static_cast<int>(json_integer(env, "cuda_runtime_version", we));
  r.environment.cublas_version = json_string(env, "cublas_version", we);
  r.environment.nccl_version = json_string(env, "nccl_version", we);
  r.environment.nvml_version = json_string(env, "nvml_version", we);
  r.environment.kernel = json_string(env, "kernel", we);
  r.environment.os = json_string(env, "os", we);
  r.inventory = json_at(j, "inventory", where);
  if (!r.inventory.is_object()) throw InputError(where + ": 'inventory' must be an object");
  const auto& b = json_at(j, "baseline", where);
  const std::string wb = where + ".baseline";
  r.baseline.id = json_string(b, "id", wb);
  r.baseline.file = json_string(b, "file", wb);
  r.baseline.sha256 = json_string(b, "sha256", wb);
  r.baseline.overrides_file = json_string(b, "overrides_file", wb);
  r.baseline.overrides_sha256 = json_string(b, "overrides_sha256", wb);
  const auto& p = json_at(j, "profile", where);
  r.profile.name = json_string(p, "name", where + ".profile");
  r.profile.source = json_string(p, "source", where + ".profile");
  r.options = json_at(j, "options", where);
  const auto& ms = json_at(j, "measurements", where);
  if (!ms.is_array()) throw InputError(where + ": 'measurements' must be an array");
  for (size_t i = 0; i < ms.size(); ++i) {
    r.measurements.push_back(measurement_from_json(ms[i], where + ": measurements[" + std::to_string(i) + "]"));
  }
  const auto& vs = json_at(j, "verdicts", where);
  if (!vs.is_array()) throw InputError(where + ": 'verdicts' must be an array");
  for (size_t i = 0; i < vs.size(); ++i) {
    r.verdicts.push_back(verdict_from_json(vs[i], where + ": verdicts[" + std::to_string(i) + "]"));
  }
  r.summary = summary_from_json(json_at(j, "summary", where), where + ": summary");
  return r;
}

NodeReport load_node_report(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text, duplicate_key_guard(path));
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON (byte " + std::to_string(e.byte) +
                     "); the report is corrupt or truncated — re-run tranche run or use the event log");
  } catch (const json::exception& e) {  // a number out of range (1e999) is not a parse_error
    throw InputError(path + ": not valid JSON (" + e.what() + "); the report is corrupt — re-run tranche run");
  }
  return node_report_from_json(j, path);
}

void save_node_report(const NodeReport& r, const std::string& path) {
  write_file_atomic(path, to_json(r).dump(2) + "\n");
}

}  // namespace tranche
