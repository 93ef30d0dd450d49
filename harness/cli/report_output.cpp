// print_gpu_lines, print_report_notes, summary_json_text.
#include "harness/cli/report_output.h"

#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "reports/gpu_summary.h"

namespace tranche::cli {

TableStyle stdout_table_style() {
  TableStyle style;
  style.colour = colour_wanted(isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"));
  style.wrap_prose = isatty(STDOUT_FILENO) == 1;
  return style;
}

void print_gpu_lines(const NodeReport& report, std::ostream& out, const TableStyle& style) {
  for (const auto& g : summarize_gpus(report)) {
    const Tone tone = tone_of_acceptance(g.acceptance);
    out << wrap_line(gpu_summary_line(g), prose_width(style), 4, tone, style.colour);
  }
}

void print_report_notes(const NodeReport& report, const std::string& path, std::ostream& err) {
  if (!report.read_note.empty()) err << "tranche: note: " << report.read_note << "\n";
  if (report.baseline.id.empty()) {
    err << "tranche: note: " << path << " was judged against no baseline, so no GPU is accepted; re-judge it with "
        << "`tranche judge " << path << " --baseline SKU` (SKUs: tranche baseline list)\n";
  }
}

std::string summary_json_text(const NodeReport& report, const std::string& path) {
  nlohmann::ordered_json j{{"report", path}, {"host", report.host}, {"summary", to_json(report)["summary"]}};
  return j.dump();
}

}  // namespace tranche::cli
