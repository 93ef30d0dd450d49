// NodeReport: everything one `tranche run` on one node produced, as written to its JSON report.
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"

namespace tranche {

// The layout written today (docs/report-format.md lists what changed from v1).
inline constexpr const char* kNodeReportSchema = "tranche/node-report/v2";
// The first layout: still read (with NodeReport::read_note saying so), never written.
inline constexpr const char* kNodeReportSchemaV1 = "tranche/node-report/v1";

struct ToolInfo {
  std::string name = "tranche";
  std::string version;
  std::string git_sha;
};

// Versions of what the run used. In memory "" and 0 mean unknown (e.g. no driver); the report writes null.
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

// The baseline the verdicts were judged against. In memory "" means none; the report writes null.
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
  // Set by the reader, never written: a line for the operator when the file was an older layout (v1).
  std::string read_note;
};

// The report as JSON in the current layout (kNodeReportSchema): summary first, keys in a fixed meaningful
// order, each expectation recorded once in baseline.expectations and referred to by its verdicts.
nlohmann::ordered_json to_json(const NodeReport& r);
// The file's text: compact (one line) by default, indented with `pretty`; ends with a newline.
std::string node_report_text(const NodeReport& r, bool pretty = false);

// Strict: throws InputError naming `where` and the key when a required key is missing, mistyped, or the
// schema string is neither v2 nor v1. A v1 report is read whole and gets read_note.
NodeReport node_report_from_json(const nlohmann::json& j, const std::string& where);
// The v1 reader (node_report_v1.cpp); precondition: j["schema"] is kNodeReportSchemaV1.
NodeReport node_report_from_v1_json(const nlohmann::json& j, const std::string& where);

// Reads and parses a report file; throws InputError "<path>: ..." on a missing, unparsable or invalid file.
NodeReport load_node_report(const std::string& path);
// Writes the report atomically (temp file, fsync, rename). Throws InputError on an unwritable path.
void save_node_report(const NodeReport& r, const std::string& path, bool pretty = false);

}  // namespace tranche
