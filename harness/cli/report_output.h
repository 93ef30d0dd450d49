// What run, show and judge print about a report besides the table: the per-GPU lines, notes for the operator,
// and the summary as JSON for --json. One place, so the three commands print the same thing.
#pragma once
#include <iosfwd>
#include <string>

#include "reports/node_report.h"

namespace tranche::cli {

// One line per GPU ("GPU 3 SN... 0000:5D:00.0 rejected: ..."), in ordinal order.
void print_gpu_lines(const NodeReport& report, std::ostream& out);
// Operator notes on stderr: an older report layout, or a report judged against no baseline (with the fix).
void print_report_notes(const NodeReport& report, const std::string& path, std::ostream& err);
// {"report": path, "host": ..., "summary": <the report's summary block>} as printed by --json.
std::string summary_json_text(const NodeReport& report, const std::string& path);

}  // namespace tranche::cli
