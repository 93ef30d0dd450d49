// `tranche run --multinode`: every MPI rank runs its node's checks and writes its own node report; rank 0
// gathers one entry per rank, and the NCCL checks run again across nodes, into the tranche/nccl-multinode/v2
// file (docs/multinode.md).
#pragma once
#include <atomic>
#include <string>

#include "harness/cli/node_run.h"
#include "reports/multinode_report.h"

namespace tranche::cli {

// What one rank's node run amounts to in the multi-node file (pure: no MPI, no GPU).
RankResult rank_result_from_run(int rank, const NodeRunResult& run);

// Runs under MPI (one process per node or per GPU, started by srun or mpirun). Each rank writes its node report
// under <out>/rank-<R>/; rank 0 also writes <out>/multinode.json. A rank whose node run fails (bad input) still
// takes part in the cross-node phase (cross_node_run.h) and the gather, as status "error", so no rank waits
// forever. Returns this rank's exit code (rank 0:
// the worst over all ranks). Throws InputError when tranche was built without MPI.
int run_multinode(const NodeRunOptions& options, const std::atomic<bool>* cancel);

}  // namespace tranche::cli
