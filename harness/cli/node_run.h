// The pipeline behind `tranche run`: probe, plan, run, judge, write the report. The CLI file only parses options.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "harness/core/plan.h"
#include "harness/judge/baseline.h"
#include "reports/node_report.h"

namespace tranche::cli {

struct NodeRunOptions {
  std::string profile;                    // name or file; "" = kDefaultProfile
  PlanOptions plan;
  std::string out_dir = "tranche-out";
  std::string baseline;                   // --baseline SKU|FILE; "" = detect the SKU from the GPUs
  std::string overrides;                  // --overrides FILE: site overrides layered over the baseline
  JudgeOptions judge;                     // --exclusive
  std::vector<std::string> command_line;
};

struct NodeRunResult {
  NodeReport report;
  std::string report_path;
  std::string events_path;
  std::vector<std::string> notes;  // for the operator's terminal (stderr): unknown or mixed SKU and the fix
};

// Throws InputError (exit 64) before anything runs for an unwritable out_dir, an unknown profile or check,
// a bad --set/--gpus, or an unknown or invalid --baseline/--overrides; after that it always writes a report,
// even when every check errors, and when the runner, the judge or the save throws (the report then carries a
// tranche.run E_INTERNAL verdict and the exception is rethrown). A node whose GPUs match no baseline (or several) is still measured: the report
// carries a preflight.sku verdict (E_UNKNOWN_SKU: incomplete; E_MIXED_SKU: rejected) and notes say the fix.
NodeRunResult run_node(const NodeRunOptions& options, const std::atomic<bool>* cancel);

}  // namespace tranche::cli
