// tranche k8s label: the kubectl commands that put a node report's verdict on its Kubernetes node.
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/help_format.h"
#include "harness/core/k8s_label.h"
#include "reports/node_report.h"

namespace tranche::cli {
namespace {

struct LabelArgs {
  std::string report;
  std::string node;
  bool taint = false;
};

void setup_k8s(CLI::App& app, int& exit_code) {
  auto* k8s = app.add_subcommand("k8s", "Kubernetes integration: node labels and taints from a report "
                                        "(deploy/k8s, docs/operations.md)");
  k8s->require_subcommand(1);
  auto a = std::make_shared<LabelArgs>();
  auto* cmd = k8s->add_subcommand(
      "label",
      "Print the kubectl commands that set tranche.io/verdict=PASS|WARN|FAIL and tranche.io/checked-at on the "
      "node (and with --taint add or remove tranche.io/unhealthy=true:NoSchedule); pipe them to sh where kubectl "
      "may patch nodes");
  cmd->footer(std::string(kPlainExitCodes) + "\nFAIL also stands for incomplete (fail-closed). Taints go through "
              "kubectl, which reads and rewrites the node's taint list; a raw PATCH would replace other owners' "
              "taints.");
  cmd->add_option("REPORT", a->report, "Node report (tranche run's JSON)")->required();
  cmd->add_option("--node", a->node, "Kubernetes node name (default: the report's host)");
  cmd->add_flag("--taint", a->taint,
                "Also taint a FAIL node tranche.io/unhealthy=true:NoSchedule, and remove that taint otherwise");
  cmd->callback([a, &exit_code] {
    const NodeReport report = load_node_report(a->report);
    const std::string node = a->node.empty() ? report.host : a->node;
    const auto at = report.finished_at.time_since_epoch().count() != 0 ? report.finished_at : report.started_at;
    for (const auto& line : kubectl_label_commands(node, report.summary, at, a->taint)) std::cout << line << "\n";
    exit_code = 0;
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(82, setup_k8s)

}  // namespace tranche::cli
