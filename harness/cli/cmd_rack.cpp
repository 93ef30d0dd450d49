// tranche rack: aggregate the node reports of one rack into a rack report (exit code as for a node).
#include <filesystem>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/fleet_options.h"
#include "harness/cli/render_output.h"
#include "harness/cli/report_output.h"
#include "harness/core/atomic_file.h"
#include "reports/fleet_tables.h"
#include "reports/hostlist.h"
#include "reports/rack_inputs.h"

namespace tranche::cli {
namespace {

struct RackArgs {
  std::vector<std::string> inputs;
  std::string out, expect_hosts, name;
  int threads = 0;
  RackOptions options;
  RenderTargets renderings;  // --html FILE, --junit FILE, ...
};

void setup_rack(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<RackArgs>();
  auto* cmd = app.add_subcommand(
      "rack", "Aggregate node reports into a rack report: acceptance, distributions, fleet outliers, RMA list; "
              "exit 0 accepted, 1 rejected, 2 incomplete, 64 bad input");
  cmd->add_option("REPORT_OR_DIR", a->inputs, "Node report files, or directories of them (*.json)")->required();
  cmd->add_option("-o,--out", a->out, "Write the rack report here (atomically)")->required();
  cmd->add_option("--expect-hosts", a->expect_hosts,
                  "The hosts the rack must have: a Slurm hostlist (gpu[001-080]) or a FILE of them, one per line");
  cmd->add_option("--name", a->name, "The rack's name in the report (default: the output file's name)");
  cmd->add_option("--threads", a->threads, "Reader threads (default: all cores)")->check(CLI::NonNegativeNumber);
  add_fleet_options(*cmd, a->options.fleet);
  add_render_shortcuts(*cmd, a->renderings);
  cmd->callback([a, &exit_code] {
    check_render_targets(a->renderings);
    RackOptions o = a->options;
    o.tool = tool_info();
    o.name = a->name.empty() ? std::filesystem::path(a->out).stem().string() : a->name;
    if (!a->expect_hosts.empty()) o.expected_hosts = expected_hosts_from_argument(a->expect_hosts);
    const auto report = aggregate_rack(report_files(a->inputs), o, a->threads);
    write_file_atomic(a->out, report.dump(1) + "\n");
    std::cout << render_rack_summary(report, stdout_table_style()) << "Report: " << a->out << "\n";
    write_renderings(a->out, a->renderings, std::cout);
    exit_code = exit_code_for(*acceptance_from_string(report["acceptance"].get<std::string>()));
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(70, setup_rack)

}  // namespace tranche::cli
