// Compare two reports of the same kind (node, rack or tranche): matched subjects, metric deltas, regressions.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "reports/node_report.h"

namespace tranche {

inline constexpr const char* kCompareReportSchema = "tranche/compare-report/v1";

struct CompareOptions {
  double tolerance = 0.05;  // a figure worse than before by more than this fraction is a regression
};

// Reads both files (node reports with the fast reader, rack and tranche reports whole) and compares them:
// - node: GPUs matched by serial, then UUID; a matched GPU on another host or index is `moved`; figures of each
//   matched GPU (and the node-level figures) compared; GPU outcome changes; unmatched GPUs added or missing.
// - rack: nodes matched by host (acceptance changes, added, missing); per SKU and metric the node median.
// - tranche: racks matched by name (acceptance changes, added, missing); per SKU and metric the rack median.
// Throws InputError naming the file on an unreadable report, or when the two are of different kinds.
nlohmann::json compare_reports(const std::string& before, const std::string& after, const CompareOptions& options,
                               const ToolInfo& tool);

// Whether a compare report found a regression or something missing (tranche compare exits 1 then).
bool compare_found_problem(const nlohmann::json& compare_report);

}  // namespace tranche
