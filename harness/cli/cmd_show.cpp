// tranche show: the terminal summary of one node report, or one line per node for several; exits with the worst
// acceptance code among them.
#include <cstdio>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/help_format.h"
#include "harness/cli/report_output.h"
#include "harness/core/outcome.h"
#include "reports/gpu_summary.h"
#include "reports/node_report.h"
#include "reports/terminal_summary.h"

namespace tranche::cli {
namespace {

struct ShowArgs {
  std::vector<std::string> paths;
  bool json = false;
};

// "node-a01  rejected  8 GPUs: 7 accepted, 1 rejected  <headline>"
std::string node_line(const NodeReport& r) {
  std::map<std::string, int> by_acceptance;
  const auto gpus = summarize_gpus(r);
  for (const auto& g : gpus) by_acceptance[g.acceptance]++;
  std::string counts;
  for (const auto& [a, n] : by_acceptance) {
    counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + (a == "not_judged" ? "not judged" : a);
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %-10s %zu GPUs%s%s  ", r.host.c_str(),
                std::string(to_string(r.summary.acceptance)).c_str(), gpus.size(), counts.empty() ? "" : ": ",
                counts.c_str());
  return line + r.summary.headline;
}

int worse_exit(int a, int b) {
  auto rank = [](int c) { return c == kExitRejected ? 2 : c == kExitIncomplete ? 1 : 0; };
  return rank(b) > rank(a) ? b : a;
}

void setup_show(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand("show", "Print node reports' verdicts: the full summary of one report, or one line "
                                         "per node for several; exit code: the worst among them");
  cmd->footer(kAcceptanceExitCodes);
  cmd->add_option("REPORT", a->paths, "Node reports written by tranche run (one or more)")->required();
  cmd->add_flag("--json", a->json, "Print each report's summary as JSON (one line per report) instead");
  cmd->callback([a, &exit_code] {
    std::vector<NodeReport> reports;
    for (const auto& p : a->paths) reports.push_back(load_node_report(p));  // all read before anything prints
    int code = kExitAccepted;
    for (size_t i = 0; i < reports.size(); ++i) {
      const NodeReport& r = reports[i];
      print_report_notes(r, a->paths[i], std::cerr);
      if (a->json) {
        std::cout << summary_json_text(r, a->paths[i]) << "\n";
      } else if (reports.size() == 1) {
        std::cout << render_terminal_summary(r, stdout_table_style());
        print_gpu_lines(r, std::cout, stdout_table_style());
        std::cout << "Report: " << a->paths[i] << "\n";
      } else {
        std::cout << node_line(r) << "\n";
      }
      code = worse_exit(code, exit_code_for(r.summary.acceptance));
    }
    exit_code = code;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(40, setup_show)

}  // namespace tranche::cli
