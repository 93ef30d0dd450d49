// The terminal summary of a node report: one row per check and GPU, then the acceptance headline.
#pragma once
#include <string>

#include "reports/node_report.h"

namespace tranche {

// Plain text (no colour), ending in a newline; the last line is "Verdict: <headline>".
std::string render_terminal_summary(const NodeReport& report);

}  // namespace tranche
