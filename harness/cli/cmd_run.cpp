// tranche run: measure this node with a profile, judge it, write the report, exit with the acceptance code.
#include <csignal>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/exit_style_option.h"
#include "harness/cli/multinode_run.h"
#include "harness/cli/help_format.h"
#include "harness/cli/node_run.h"
#include "harness/cli/render_output.h"
#include "harness/cli/report_output.h"
#include "harness/cli/run_progress.h"
#include "harness/core/duration_text.h"
#include "harness/core/outcome.h"
#include "harness/core/worker_process.h"
#include "reports/terminal_summary.h"
#include "tranche/version.h"

namespace tranche::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int) {
  if (g_cancel.exchange(true)) {  // a second signal leaves at once (the event log is flushed per event)
    kill_current_worker();
    std::_Exit(130);
  }
}

struct RunArgs {
  NodeRunOptions options;
  std::string checks;
  std::vector<std::string> sets;
  bool multinode = false;
  std::string duration;
  bool json = false;
  std::string exit_style = "tranche";
  RenderTargets renderings;  // --html FILE, --junit FILE, ...
};

void setup_run(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run the checks of a profile on this node's GPUs and write the node report");
  cmd->footer(kAcceptanceExitCodes);
  cmd->add_option("--profile", args->options.profile,
                  "Profile name (baselines/profiles/NAME.json) or file; default: acceptance");
  cmd->add_option("--checks", args->checks, "Run only these checks: ids or family prefixes, e.g. gemm.,membw.triad");
  cmd->add_option("--gpus", args->options.gpus,
                  "GPUs to test: indices as nvidia-smi shows them, ranges, all, UUIDs, serials or PCI bus ids, e.g. --gpus "
                  "0-3,6; default: all");
  cmd->add_option("--set", args->sets,
                  "Override a check parameter: CHECK.PARAM=VALUE (CHECK may be a prefix), e.g. --set gemm.bf16.m=4096");
  auto* duration = cmd->add_option("--duration", args->duration,
                  "Burn-in length (90s, 30m, 12h, 2d; 1 minute to 30 days): duration_s of every check that has one");
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
  cmd->add_flag("--multinode", args->multinode,
                "Run under srun/mpirun (one rank per node or per GPU): each rank writes its node report in "
                "OUT/rank-R/, rank 0 gathers them into OUT/multinode.json (docs/multinode.md)");
  cmd->add_flag("--allow-test-params", args->options.plan.allow_test_params,
                "Accept TEST-ONLY parameters such as gemm.bf16.plant_error (proves a check can fail); never for "
                "acceptance");
  cmd->add_flag("--pretty", args->options.pretty, "Indent the report for people (default: compact)");
  cmd->add_flag("--json", args->json, "Print the summary as JSON on stdout instead of the table");
  cmd->add_option("--sibling-margin", args->options.judge.sibling_margin,
                  "Warn when a GPU trails the median of the node's GPUs by more than this fraction (0: off)")
      ->default_val(args->options.judge.sibling_margin)
      ->check(CLI::Range(0.0, 1.0));
  add_exit_style_option(cmd, args->exit_style);
  add_render_shortcuts(*cmd, args->renderings);
  cmd->callback([args, duration, &exit_code] {
    const ExitStyle style = parse_exit_style(args->exit_style);  // a bad value is exit 64 before anything runs
    auto& o = args->options;
    check_render_targets(args->renderings);  // before an hour of measuring, not after
    if (!args->checks.empty()) o.plan.checks = args->checks;
    if (duration->count() > 0) o.plan.duration_s = parse_duration(args->duration, "--duration");
    for (const auto& s : args->sets) {
      const auto eq = s.find('=');
      if (eq == std::string::npos) throw InputError("--set " + s + ": expected CHECK.PARAM=VALUE");
      o.plan.overrides[s.substr(0, eq)] = s.substr(eq + 1);
    }
    o.command_line = invocation();
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    // Progress on stderr (stdout keeps the table, or the JSON summary with --json); on a terminal, a live status line.
    auto progress = std::make_shared<RunProgress>(RunProgress::stderr_is_live());
    o.on_event = [progress](const nlohmann::json& e) { progress->on_event(e); };
    struct FinishProgress {
      std::shared_ptr<RunProgress> p;
      ~FinishProgress() { p->finish(); }  // the status line is gone before anything else prints, even on a throw
    } finish_progress{progress};
    if (args->multinode) {
      if (!args->renderings.empty()) {
        throw InputError("--html/--md/--junit/--prom/--csv render single-node runs; render a multinode report with "
                         "tranche render REPORT --format ...");
      }
      exit_code = map_exit_code(run_multinode(o, &g_cancel), false, style);
      return;
    }
    const NodeRunResult result = run_node(o, &g_cancel);
    progress->finish();
    for (const auto& n : result.notes) std::cerr << "tranche: " << n << "\n";
    const int code = exit_code_for(result.report.summary.acceptance);
    const bool warned = accepted_with_warnings(result.report);
    // A monitor reads the first line (node-problem-detector keeps only it): the status line comes first, and
    // for npd alone.
    if (style != ExitStyle::tranche) {
      std::cout << status_line(code, warned, style, monitor_text(result.report, style)) << "\n";
    }
    const bool full_output = style != ExitStyle::npd;
    if (full_output && args->json) {
      std::cout << summary_json_text(result.report, result.report_path) << "\n";
    } else if (full_output) {
      std::cout << render_terminal_summary(result.report, stdout_table_style());
      print_gpu_lines(result.report, std::cout, stdout_table_style());
      std::cout << "Report: " << result.report_path << "\nEvents: " << result.events_path << "\n";
    }
    write_renderings(result.report_path, args->renderings, full_output && !args->json ? std::cout : std::cerr);
    exit_code = map_exit_code(code, warned, style);
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(10, setup_run)

}  // namespace tranche::cli
