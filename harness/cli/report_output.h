// What run, show and judge print about a report besides the table: the per-GPU lines, notes for the operator,
// and the summary as JSON for --json. One place, so the three commands print the same thing.
#pragma once
#include <iosfwd>
#include <string>

#include "reports/node_report.h"
#include "reports/terminal_table.h"

namespace tranche::cli {

// One line per GPU ("GPU 3 SN... 0000:5D:00.0 rejected: ..."), in ordinal order, wrapped to style.width.
void print_gpu_lines(const NodeReport& report, std::ostream& out, const TableStyle& style);
// Operator notes on stderr: an older report layout, or a report judged against no baseline (with the fix).
void print_report_notes(const NodeReport& report, const std::string& path, std::ostream& err);
// Tables on stdout: colour when stdout is a terminal, NO_COLOR is unset or empty and TERM is not dumb; 100 columns;
// prose lines wrapped only on a terminal.
TableStyle stdout_table_style();

// {"report": path, "host": ..., "summary": <the report's summary block>} as printed by --json.
std::string summary_json_text(const NodeReport& report, const std::string& path);

}  // namespace tranche::cli
