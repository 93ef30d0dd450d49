// tranche show: the terminal summary of a node report file; exits with the report's acceptance code.
#include <iostream>

#include "harness/cli/command.h"
#include "reports/node_report.h"
#include "reports/terminal_summary.h"

namespace tranche::cli {
namespace {

void setup_show(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("show", "Print a node report's verdict as a terminal summary");
  cmd->add_option("REPORT", *path, "A node report written by tranche run")->required();
  cmd->callback([path, &exit_code] {
    const NodeReport report = load_node_report(*path);
    std::cout << render_terminal_summary(report);
    exit_code = exit_code_for(report.summary.acceptance);
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(40, setup_show)

}  // namespace tranche::cli
