// tranche slurm prolog|epilog: a short check before or after each job; no Slurm commands, non-zero on failure.
#include <syslog.h>

#include <cstdlib>
#include <iostream>

#include "harness/cli/budgeted_run.h"
#include "harness/cli/command.h"
#include "harness/cli/exit_style_option.h"
#include "harness/cli/help_format.h"
#include "harness/cli/slurm_control.h"
#include "harness/core/outcome.h"
#include "harness/core/prune_reports.h"

namespace tranche::cli {
namespace {

// A prolog delays every job it guards; about 10 s is what a job start can afford.
constexpr double kDefaultBudgetS = 10.0;

struct PrologArgs {
  NodeRunOptions run;
  std::string checks;
  double budget_s = kDefaultBudgetS;
  std::string exit_style = "tranche";
  unsigned keep = 100;
};

// One line for syslog (and stdout): which hook, job and node, the outcome, the report.
std::string hook_line(const std::string& hook, const NodeRunResult& result) {
  const char* job = std::getenv("SLURM_JOB_ID");
  return "tranche " + hook + " job=" + (job ? job : "none") + " node=" + slurm_node_name() + ": " +
         result.report.summary.headline + "; report=" + result.report_path;
}

int run_hook(const std::string& hook, PrologArgs& a) {
  const ExitStyle style = parse_exit_style(a.exit_style);
  if (!a.checks.empty()) a.run.plan.checks = a.checks;
  const NodeRunResult result = run_within_budget(a.run, a.budget_s);
  prune_reports(a.run.out_dir, result.report.host, a.keep);
  const int code = exit_code_for(result.report.summary.acceptance);
  const std::string line = hook_line(hook, result);
  ::openlog("tranche", LOG_PID, LOG_DAEMON);
  ::syslog(code == kExitAccepted ? LOG_INFO : LOG_ERR, "%s", line.c_str());
  ::closelog();
  const bool warned = accepted_with_warnings(result.report);
  std::cout << (style == ExitStyle::tranche ? line : status_line(code, warned, style, monitor_text(result.report, style)))
            << "\n";
  return map_exit_code(code, warned, style);
}

void add_hook(CLI::App* slurm, const std::string& hook, const std::string& when, int& exit_code) {
  auto a = std::make_shared<PrologArgs>();
  a->run.profile = kHealthProfile;
  a->run.out_dir = "/var/lib/tranche/" + hook;
  auto* cmd = slurm->add_subcommand(
      hook, "For " + std::string(hook == "prolog" ? "Prolog" : "Epilog") + ": the cheap checks " + when +
                " each job within about 10 s; exits non-zero on failure (Slurm then drains the node and requeues "
                "the job); runs no Slurm command; one line to syslog");
  cmd->footer(kAcceptanceExitCodes);
  cmd->add_option("--out", a->run.out_dir, "Directory for the reports")->capture_default_str();
  cmd->add_option("--profile", a->run.profile, "Profile name or file")->capture_default_str();
  cmd->add_option("--checks", a->checks, "Run only these checks: ids or family prefixes");
  cmd->add_option("--budget", a->budget_s, "Seconds before unfinished checks are abandoned")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 300.0));
  cmd->add_option("--keep", a->keep, "Keep this host's newest N reports in --out, delete older ones (0: keep all)")
      ->capture_default_str();
  add_exit_style_option(cmd, a->exit_style);
  cmd->callback([a, hook, &exit_code] {
    a->run.command_line = invocation();
    exit_code = run_hook(hook, *a);
  });
}

void setup_slurm_hooks(CLI::App& app, int& exit_code) {
  CLI::App* slurm = app.get_subcommand("slurm");
  add_hook(slurm, "prolog", "before", exit_code);
  add_hook(slurm, "epilog", "after", exit_code);
}

}  // namespace

TRANCHE_REGISTER_COMMAND(81, setup_slurm_hooks)

}  // namespace tranche::cli
