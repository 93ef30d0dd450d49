// NCCL across nodes under `tranche run --multinode`: after every rank's node run, the ranks run each selected
// collective as one NCCL world over all their GPUs, then nccl.pairwise round by round, each in worker processes
// (`tranche __worker cross`) started in lockstep; MPI carries only GPU counts and NCCL ids (docs/multinode.md).
#pragma once
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/cli/node_run.h"

namespace tranche::cli {

// What this rank brings: its host, the GPUs its node run used, and the NCCL checks it planned with their
// effective parameters ([{"check", "params"}], from its node report). ok false: its node run failed.
struct CrossNodeInput {
  std::string host;
  std::vector<int> gpus;
  nlohmann::json checks = nlohmann::json::array();
  bool ok = false;
};
CrossNodeInput cross_node_input(const std::string& host, const NodeRunResult* run);

struct CrossNodeContext {
  int rank = 0;
  int size = 1;
  // Collective over every rank: each rank's string, in rank order (MpiSession::all_gather).
  std::function<std::vector<std::string>(const std::string&)> all_gather;
  std::string worker_exe;
  const std::atomic<bool>* cancel = nullptr;
  double grace_s = 5.0;      // a worker still running this long after its job's deadline is killed (E_TIMEOUT)
  double id_timeout_s = 60;  // a root worker that names no NCCL id within this long is killed
};

// Runs on every rank, in lockstep (the same all_gather calls in the same order on every rank, whatever fails
// locally). Returns this rank's part for rank 0: {"jobs": [{"job": "nccl.<op>" | "pair", "round", "a", "b",
// "measurement"}]} plus, on every rank, the inputs all ranks agreed on ("layout"). Never throws for a failed job.
nlohmann::json run_cross_node(const CrossNodeContext& ctx, const CrossNodeInput& mine);
// Rank 0 turns every rank's result into the file's "cross_node" section with nccl::cross_node_section.

}  // namespace tranche::cli
