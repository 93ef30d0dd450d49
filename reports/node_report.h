// NodeReport: everything one `tranche run` on one node produced, as written to its JSON report.
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"

namespace tranche {

inline constexpr const char* kNodeReportSchema = "tranche/node-report/v1";

struct ToolInfo {
  std::string name = "tranche";
  std::string version;
  std::string git_sha;
};

// Versions of what the run used; empty when unknown (e.g. no driver).
struct EnvironmentInfo {
  std::string driver_version;     // "580.159.04" (NVML)
  int cuda_driver_version = 0;    // 13000
  int cuda_runtime_version = 0;
  std::string cublas_version;
  std::string nccl_version;
  std::string nvml_version;
  std::string kernel;             // uname -r
  std::string os;                 // PRETTY_NAME from /etc/os-release
};

struct BaselineRef {
  std::string id;       // "" when no baseline matched
  std::string file;
  std::string sha256;
  std::string overrides_file;    // site override layered over the vendor baseline ("" when none)
  std::string overrides_sha256;
};

struct ProfileRef {
  std::string name;
  std::string source;
};

struct NodeReport {
  std::string schema = kNodeReportSchema;
  ToolInfo tool;
  std::string host;
  std::chrono::system_clock::time_point started_at{};
  std::chrono::system_clock::time_point finished_at{};
  std::vector<std::string> command_line;
  EnvironmentInfo environment;
  nlohmann::json inventory = nlohmann::json::object();  // GPUs and node as `tranche inventory --json` shows
  BaselineRef baseline;
  ProfileRef profile;
  nlohmann::json options = nlohmann::json::object();    // effective run options (gpus, sequential, overrides)
  std::vector<Measurement> measurements;
  std::vector<Verdict> verdicts;
  Summary summary;
};

nlohmann::json to_json(const NodeReport& r);
// Strict: throws InputError naming `where` and the key when a required key is missing, mistyped, or the
// schema string is not kNodeReportSchema.
NodeReport node_report_from_json(const nlohmann::json& j, const std::string& where);

// Reads and parses a report file; throws InputError "<path>: ..." on a missing, unparsable or invalid file.
NodeReport load_node_report(const std::string& path);
// Writes the report atomically (temp file, fsync, rename). Throws InputError on an unwritable path.
void save_node_report(const NodeReport& r, const std::string& path);

}  // namespace tranche
