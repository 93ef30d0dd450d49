// Tranche aggregation: rack reports in, one tranche report (tranche/tranche-report/v1) out.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/node_report.h"

namespace tranche {

inline constexpr const char* kTrancheReportSchema = "tranche/tranche-report/v1";

// Reads and checks a rack report; throws InputError "<path>: ..." on an unreadable file, invalid JSON or
// another schema.
nlohmann::json load_rack_report(const std::string& path);

// Aggregates rack reports (each as load_rack_report returns it, with its file name and SHA-256): per-rack
// acceptance, per-SKU distributions of the racks' node medians, the whole RMA list, outliers and missing hosts
// with their rack. Acceptance is fail-closed: rejected if a rack is, incomplete if a rack is or no rack given.
struct RackInput {
  std::string file, sha256;
  nlohmann::json report;
};
nlohmann::json aggregate_tranche(const std::vector<RackInput>& racks, const std::string& name, const ToolInfo& tool);

}  // namespace tranche
