// tranche compare: two node, rack or tranche reports side by side; exit 1 on a regression or a missing GPU.
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/fleet_options.h"
#include "harness/cli/report_output.h"
#include "harness/core/atomic_file.h"
#include "reports/compare_reports.h"
#include "reports/fleet_tables.h"

namespace tranche::cli {
namespace {

struct CompareArgs {
  std::string before, after, out;
  CompareOptions options;
};

void setup_compare(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand(
      "compare", "Compare two node, rack or tranche reports (GPUs matched by serial, then UUID); exit 0 no "
                 "regression, 1 a regression beyond the tolerance or something missing, 64 bad input");
  cmd->add_option("BEFORE", a->before, "The earlier report (e.g. the vendor's factory report)")->required();
  cmd->add_option("AFTER", a->after, "The later report (e.g. the site's acceptance report)")->required();
  cmd->add_option("--tolerance", a->options.tolerance, "Fraction a figure may worsen before it is a regression")
      ->default_val(a->options.tolerance)
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("-o,--out", a->out, "Write the compare report (JSON) here (atomically)");
  cmd->callback([a, &exit_code] {
    const auto report = compare_reports(a->before, a->after, a->options, tool_info());
    std::cout << render_compare_summary(report, stdout_table_style());
    if (!a->out.empty()) {
      write_file_atomic(a->out, report.dump(1) + "\n");
      std::cout << "Report: " << a->out << "\n";
    }
    exit_code = compare_found_problem(report) ? 1 : 0;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(72, setup_compare)

}  // namespace tranche::cli
