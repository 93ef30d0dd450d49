// tranche run: measure this node with a profile, judge it, write the report, exit with the acceptance code.
#include <csignal>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/node_run.h"
#include "harness/core/outcome.h"
#include "reports/terminal_summary.h"

namespace tranche::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int) {
  if (g_cancel.exchange(true)) std::_Exit(130);  // a second Ctrl-C leaves at once
}

struct RunArgs {
  NodeRunOptions options;
  std::string checks;
  std::vector<int> gpus;
  std::vector<std::string> sets;
};

void setup_run(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run the checks of a profile on this node's GPUs and write the node report");
  cmd->add_option("--profile", args->options.profile,
                  "Profile name (baselines/profiles/NAME.json) or file; default: acceptance");
  cmd->add_option("--checks", args->checks, "Run only these checks: ids or family prefixes, e.g. gemm.,membw.triad");
  cmd->add_option("--gpus", args->gpus, "GPU indices to test (CUDA ordinals), e.g. --gpus 0,1; default: all")
      ->delimiter(',');
  cmd->add_option("--set", args->sets,
                  "Override a check parameter: CHECK.PARAM=VALUE (CHECK may be a prefix), e.g. --set gemm.bf16.m=4096");
  cmd->add_flag("--sequential", args->options.plan.sequential,
                "Test one GPU at a time (default: all GPUs together, under whole-node power and heat)");
  cmd->add_option("--out", args->options.out_dir, "Directory for the report and event log")
      ->capture_default_str();
  cmd->add_option("--baseline", args->options.baseline,
                  "Judge against this baseline: a SKU id (tranche baseline list) or a baseline FILE; default: the "
                  "SKU detected from the GPUs");
  cmd->add_option("--overrides", args->options.overrides,
                  "Site overrides FILE layered over the baseline (stricter margins, extra expectations); recorded "
                  "in the report");
  cmd->add_flag("--exclusive", args->options.judge.exclusive,
                "Fail preflight when another compute process uses a GPU (default: warn)");
  cmd->add_option("--sibling-margin", args->options.judge.sibling_margin,
                  "Warn when a GPU trails the median of the node's GPUs by more than this fraction (0: off)")
      ->default_val(args->options.judge.sibling_margin)
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([args, &exit_code] {
    auto& o = args->options;
    if (!args->checks.empty()) o.plan.checks = args->checks;
    if (!args->gpus.empty()) o.plan.gpus = args->gpus;
    for (const auto& s : args->sets) {
      const auto eq = s.find('=');
      if (eq == std::string::npos) throw InputError("--set " + s + ": expected CHECK.PARAM=VALUE");
      o.plan.overrides[s.substr(0, eq)] = s.substr(eq + 1);
    }
    o.command_line = invocation();
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const NodeRunResult result = run_node(o, &g_cancel);
    for (const auto& n : result.notes) std::cerr << "tranche: " << n << "\n";
    std::cout << render_terminal_summary(result.report);
    std::cout << "Report: " << result.report_path << "\nEvents: " << result.events_path << "\n";
    exit_code = exit_code_for(result.report.summary.acceptance);
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(10, setup_run)

}  // namespace tranche::cli
