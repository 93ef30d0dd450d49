// tranche slurm healthcheck: Slurm's HealthCheckProgram: cheap checks in a time budget, drain on failure.
#include <iostream>

#include "harness/cli/budgeted_run.h"
#include "harness/cli/command.h"
#include "harness/cli/exit_style_option.h"
#include "harness/cli/help_format.h"
#include "harness/cli/slurm_control.h"
#include "harness/core/drain_reason.h"
#include "harness/core/errors.h"
#include "harness/core/outcome.h"
#include "harness/core/prune_reports.h"
#include "harness/core/run_lock.h"
#include "harness/core/slurm_node_action.h"

namespace tranche::cli {
namespace {

// Slurm kills a HealthCheckProgram after 60 s and starts the next one regardless (docs/operations.md).
constexpr double kDefaultBudgetS = 20.0;
constexpr double kMaxBudgetS = 45.0;  // + about 3.5 s to stop the worker: well inside 60 s

struct HealthcheckArgs {
  NodeRunOptions run;
  std::string checks;
  double budget_s = kDefaultBudgetS;
  std::string lock_file = "/run/lock/tranche-healthcheck.lock";
  std::string node;
  bool resume = false;
  bool dry_run = false;
  std::string exit_style = "tranche";
  unsigned keep = 100;
};

// Runs the command, or with --dry-run prints it; says what it did on stdout either way.
void run_or_print(const std::vector<std::string>& argv, bool dry_run) {
  if (dry_run) {
    std::cout << "dry-run: " << shell_line(argv) << "\n";
    return;
  }
  run_command(argv);
  std::cout << "ran: " << shell_line(argv) << "\n";
}

// Drains, resumes or leaves the node as slurm_node_action decides (a person's drain is never touched).
void update_node(const HealthcheckArgs& a, const NodeRunResult& result) {
  const std::string reason = current_reason(a.node);
  switch (slurm_node_action(result.report.summary.acceptance, reason, a.resume)) {
    case SlurmNodeAction::drain:
      run_or_print(drain_command(a.node, drain_reason(result.report.verdicts, result.report_path)), a.dry_run);
      break;
    case SlurmNodeAction::resume:
      run_or_print(resume_command(a.node), a.dry_run);
      break;
    case SlurmNodeAction::leave_foreign:
      std::cout << a.node << " keeps its reason (not tranche's, left alone): " << reason << "\n";
      break;
    case SlurmNodeAction::none:
      break;
  }
}

int healthcheck(HealthcheckArgs& a) {
  const ExitStyle style = parse_exit_style(a.exit_style);
  if (a.node.empty()) a.node = slurm_node_name();
  if (!a.checks.empty()) a.run.plan.checks = a.checks;
  const auto lock = RunLock::try_acquire(a.lock_file);
  if (!lock) {
    std::cout << "tranche slurm healthcheck: another health check holds " << a.lock_file << "; not starting\n";
    return kExitAccepted;  // the running check will drain if it must; overlapping would only double the load
  }
  const NodeRunResult result = run_within_budget(a.run, a.budget_s);
  prune_reports(a.run.out_dir, result.report.host, a.keep);
  const int code = exit_code_for(result.report.summary.acceptance);
  const bool warned = accepted_with_warnings(result.report);
  std::cout << status_line(code, warned, style, a.node + ": " + monitor_text(result.report, style)) << "\n";
  try {
    update_node(a, result);
  } catch (const std::runtime_error& e) {
    std::cerr << "tranche slurm healthcheck: " << e.what() << "\n";
    return map_exit_code(kExitInternal, false, style);
  }
  return map_exit_code(code, warned, style);
}

void setup_slurm(CLI::App& app, int& exit_code) {
  auto* slurm = app.add_subcommand("slurm", "Slurm integration: HealthCheckProgram, Prolog and Epilog "
                                            "(docs/operations.md)");
  slurm->require_subcommand(1);
  auto a = std::make_shared<HealthcheckArgs>();
  a->run.profile = kHealthProfile;
  a->run.out_dir = "/var/lib/tranche/health";
  auto* cmd = slurm->add_subcommand(
      "healthcheck",
      "For HealthCheckProgram: the cheap checks within a time budget; on failure drain this node with a reason "
      "starting 'tranche:' (never overwriting another reason); --resume undrains it when it passes again");
  cmd->footer(std::string(kAcceptanceExitCodes) + "\nSlurm ignores a health check's exit code: the drain is the "
              "result. A run that finds another holding --lock-file exits 0 at once.");
  cmd->add_option("--out", a->run.out_dir, "Directory for the reports")->capture_default_str();
  cmd->add_option("--profile", a->run.profile, "Profile name or file")->capture_default_str();
  cmd->add_option("--checks", a->checks, "Run only these checks: ids or family prefixes");
  cmd->add_option("--budget", a->budget_s,
                  "Seconds before unfinished checks are abandoned (Slurm kills a health check at 60 s)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, kMaxBudgetS));
  cmd->add_option("--keep", a->keep, "Keep this host's newest N reports in --out, delete older ones (0: keep all)")
      ->capture_default_str();
  cmd->add_option("--lock-file", a->lock_file, "Lock held while checking; a second run exits at once")
      ->capture_default_str();
  cmd->add_option("--node", a->node, "Slurm node name (default: $SLURMD_NODENAME, else the short host name)");
  cmd->add_flag("--resume", a->resume,
                "When the node passes and its drain reason starts with 'tranche:', return it to service");
  cmd->add_flag("--dry-run", a->dry_run, "Print the scontrol command instead of running it");
  add_exit_style_option(cmd, a->exit_style);
  cmd->callback([a, &exit_code] {
    a->run.command_line = invocation();
    exit_code = healthcheck(*a);
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(80, setup_slurm)

}  // namespace tranche::cli
