// The --exit-style option shared by run and the Slurm subcommands: tranche's codes, or Nagios/npd conventions.
#pragma once
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "harness/core/exit_style.h"
#include "reports/node_report.h"

namespace tranche::cli {

inline constexpr const char* kExitStyleHelp =
    "Exit codes for the caller: tranche (0 accepted, 1 rejected, 2 incomplete, 64 usage, 70 internal), nagios "
    "(0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; first line TRANCHE <STATE> - ...) or npd (node-problem-detector: "
    "0 OK, 1 problem, 2 unknown; one line of at most 80 bytes)";

// Adds --exit-style to `cmd`, storing the text in `style` (validated when the command runs).
void add_exit_style_option(CLI::App* cmd, std::string& style);

// The monitor's line for a report: its headline ("rejected: ..."), or for npd the drain-style story
// ("tranche: pcie_link gpu1 ...") that fits in 80 bytes.
std::string monitor_text(const NodeReport& report, ExitStyle style);

// True when the node was accepted with at least one warn verdict (nagios WARNING).
bool accepted_with_warnings(const NodeReport& report);

}  // namespace tranche::cli
