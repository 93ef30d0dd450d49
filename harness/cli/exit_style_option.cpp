// --exit-style: the option and the monitor line derived from a report.
#include "harness/cli/exit_style_option.h"

#include "harness/core/drain_reason.h"

namespace tranche::cli {

void add_exit_style_option(CLI::App* cmd, std::string& style) {
  cmd->add_option("--exit-style", style, kExitStyleHelp)->capture_default_str();
}

bool accepted_with_warnings(const NodeReport& report) {
  return report.summary.acceptance == Acceptance::accepted && report.summary.worst == Outcome::warn;
}

std::string monitor_text(const NodeReport& report, ExitStyle style) {
  if (style == ExitStyle::npd && report.summary.acceptance != Acceptance::accepted) {
    return drain_reason(report.verdicts, "");
  }
  return report.summary.headline;
}

}  // namespace tranche::cli
