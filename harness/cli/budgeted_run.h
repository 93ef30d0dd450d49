// A node run with a wall-clock budget: the cheap checks Slurm's health check, prolog and epilog call.
#pragma once
#include <string>

#include "harness/cli/node_run.h"

namespace tranche::cli {

// The profile of checks cheap enough for a health check or a prolog (baselines/profiles/health.json).
inline constexpr const char* kHealthProfile = "health";

// Runs `options` like `tranche run`, but cancels the run `budget_s` seconds after it starts: the supervisor then
// stops the worker, and the report records the checks that did not finish as not run, so the node is incomplete
// rather than waiting. Progress events are discarded (Slurm keeps no terminal). Throws what run_node throws.
NodeRunResult run_within_budget(NodeRunOptions options, double budget_s);

}  // namespace tranche::cli
