// tranche judge: re-judge a node report's raw measurements against a baseline, without a GPU.
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/help_format.h"
#include "harness/cli/report_output.h"
#include "harness/core/model_json.h"
#include "harness/core/outcome.h"
#include "harness/core/registry.h"
#include "harness/judge/baseline_select.h"
#include "harness/judge/judge.h"
#include "reports/node_report.h"
#include "reports/terminal_summary.h"

namespace tranche::cli {
namespace {

struct JudgeArgs {
  std::string report, baseline, overrides, out;
  bool exclusive = false;
  bool pretty = false;
  bool json = false;
  double sibling_margin = JudgeOptions{}.sibling_margin;
};

void setup_judge(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<JudgeArgs>();
  auto* cmd = app.add_subcommand(
      "judge", "Re-judge a node report's measurements against a baseline (no GPU needed); exit code as for run");
  cmd->footer(kAcceptanceExitCodes);
  cmd->add_option("REPORT", a->report, "A node report written by tranche run")->required();
  cmd->add_option("--baseline", a->baseline,
                  "A SKU id (tranche baseline list) or a baseline FILE; default: the SKU detected from the report's "
                  "inventory");
  cmd->add_option("--overrides", a->overrides, "Site overrides FILE layered over the baseline");
  cmd->add_flag("--exclusive", a->exclusive, "Judge foreign compute processes on a GPU as a failure");
  cmd->add_option("--sibling-margin", a->sibling_margin,
                  "Warn when a GPU trails the median of the node's GPUs by more than this fraction (0: off)")
      ->default_val(a->sibling_margin)
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("-o,--out", a->out, "Write the re-judged report here (atomically); default: print the summary only");
  cmd->add_flag("--pretty", a->pretty, "Indent the written report for people (default: compact)");
  cmd->add_flag("--json", a->json, "Print the summary as JSON on stdout instead of the table");
  cmd->callback([a, &exit_code, cmd] {
    NodeReport r = load_node_report(a->report);
    if (!r.read_note.empty()) std::cerr << "tranche: note: " << r.read_note << "\n";
    const BaselineSelection sel =
        select_baseline(sku_probes_from_inventory(r.inventory, a->report), a->baseline, a->overrides);
    for (const auto& n : sel.notes) std::cerr << "tranche: " << n << "\n";
    JudgeOptions opts;
    opts.exclusive = a->exclusive;
    opts.headline_metrics = CheckRegistry::global().headline_metrics();
    opts.cuda_runtime_version = r.environment.cuda_runtime_version;  // the build that measured this report
    opts.sibling_margin = a->sibling_margin;
    const Baseline* b = sel.baseline ? &*sel.baseline : nullptr;
    r.verdicts = judge(r.measurements, b, opts);
    if (sel.sku_verdict) r.verdicts.insert(r.verdicts.begin(), *sel.sku_verdict);
    r.summary = summarize(r.verdicts);
    r.baseline = b ? BaselineRef{b->id, b->file, b->sha256, b->overrides_file, b->overrides_sha256} : BaselineRef{};
    std::vector<std::string> line{"tranche", "judge"};
    for (const auto& x : cmd->remaining()) line.push_back(x);
    r.options["rejudged"] = {
        {"from", a->report},
        {"baseline", a->baseline.empty() ? nlohmann::json(nullptr) : nlohmann::json(a->baseline)},
        {"site_overrides", a->overrides.empty() ? nlohmann::json(nullptr) : nlohmann::json(a->overrides)},
        {"exclusive", a->exclusive},
        {"sibling_margin", a->sibling_margin},
        {"at", to_iso8601(std::chrono::system_clock::now())}};
    if (!a->out.empty()) save_node_report(r, a->out, a->pretty);
    if (a->json) {
      std::cout << summary_json_text(r, a->out.empty() ? a->report : a->out) << "\n";
    } else {
      std::cout << render_terminal_summary(r, stdout_table_style());
      print_gpu_lines(r, std::cout, stdout_table_style());
      if (!a->out.empty()) std::cout << "Report: " << a->out << "\n";
    }
    exit_code = exit_code_for(r.summary.acceptance);
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(60, setup_judge)

}  // namespace tranche::cli
