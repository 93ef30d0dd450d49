// The pipeline behind `tranche run`: probe, plan, run, judge, write the report. The CLI file only parses options.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "harness/core/plan.h"
#include "reports/node_report.h"

namespace tranche::cli {

struct NodeRunOptions {
  std::string profile;                    // name or file; "" = kDefaultProfile
  PlanOptions plan;
  std::string out_dir = "tranche-out";
  std::vector<std::string> command_line;
};

struct NodeRunResult {
  NodeReport report;
  std::string report_path;
  std::string events_path;
};

// Throws InputError (exit 64) before anything runs for an unwritable out_dir, an unknown profile or check,
// or a bad --set/--gpus; after that it always writes a report, even when every check errors.
NodeRunResult run_node(const NodeRunOptions& options, const std::atomic<bool>* cancel);

}  // namespace tranche::cli
