// Pure planning and merging for NCCL across processes (tranche run --multinode): which MPI ranks form the NCCL
// world and which world ranks each owns, the node pairs of nccl.pairwise, and the processes' tables merged into
// one (docs/multinode.md "Across nodes").
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "benches/nccl/nccl_math.h"
#include "benches/nccl/nccl_pairwise.h"

namespace tranche::nccl {

// One MPI rank's part of the world: its GPUs are world ranks first_rank .. first_rank + gpus - 1.
struct WorldMember {
  int mpi_rank = 0;
  int first_rank = 0;
  int gpus = 0;
};
struct WorldLayout {
  std::vector<WorldMember> members;  // MPI ranks with at least one GPU, in MPI rank order
  std::vector<int> excluded;         // MPI ranks without a GPU: they take part in no communicator
  int nranks = 0;                    // world size: every member's GPUs
  // The member entry of `mpi_rank`; nullptr when it is excluded.
  const WorldMember* member(int mpi_rank) const;
};
// gpus_per_rank[r] = GPUs MPI rank r drives (0: none usable).
WorldLayout layout_world(const std::vector<int>& gpus_per_rank);

// One pair of nccl.pairwise: members[a] and members[b] (indices into WorldLayout::members, a < b) in a world of
// their GPUs, a's first; sendrecv shift = a's GPU count, so every GPU exchanges with its counterpart on the other
// node and all traffic crosses the network. `problem` is set (and the pair does not run) when the two nodes have
// different GPU counts.
struct PairWorld {
  int round = 0;
  int a = 0, b = 0;           // member indices
  int root_mpi = 0, other_mpi = 0;
  int nranks = 0;
  int shift = 0;
  std::string problem;
};
// Every pair of every round, round by round, in round order.
std::vector<PairWorld> pair_worlds(const WorldLayout& layout, const std::vector<Round>& rounds);

// Merges the processes' result tables (Measurement.details.table of run_collective_in_world) of one collective:
// rows keyed by (dtype, placement, size_bytes); time = the slowest process's, mismatches = the sum, algbw and busbw
// recomputed for `nranks`; nccl_choice from the process that has one (world rank 0's). A row some process lacks
// is left out (its process failed before that size). Rows in the first table's order.
nlohmann::json merge_world_tables(CollectiveOp op, int nranks, const std::vector<nlohmann::json>& tables);

// The headline figures of a merged table, as the multi-node file lists them: per (dtype, placement)
// {"metric": "nccl.<op>/bus_bandwidth", "labels": {dtype, placement, sizes: plateau|largest[, size_bytes]},
// "value", "unit": "B/s"} and {"metric": "nccl.<op>/mismatches", ..., "unit": "count"}.
nlohmann::json world_figures(CollectiveOp op, const nlohmann::json& merged_table, std::uint64_t plateau_bytes);

// One pair's outcome: its busbw (largest size) and mismatches, or the error that ended it.
struct PairResult {
  PairWorld pair;
  std::optional<double> bus_bandwidth;
  std::optional<double> mismatches;
  std::string error_id, error_message;
};
// The nccl.pairwise section of the multi-node file: every pair with host names, the node scores, the
// reference, and the slow nodes (with their slow pairs) and slow links localise() finds at `margin`. A pair with
// mismatches > 0 keeps its figure but is listed in "bad_data".
nlohmann::json pairwise_section(const WorldLayout& layout, const std::vector<std::string>& host_of_mpi_rank,
                                const std::vector<PairResult>& results, double margin);

// Rank 0's "cross_node" section of the multi-node file from every rank's part, in MPI rank order, as
// harness/cli/cross_node_run.cpp run_cross_node returns it ({"layout": {"hosts", "gpus", "collectives",
// "pairwise", "not_run"?}, "jobs": [{"job", "measurement", "round"?, "a"?, "b"?}]}): the world (members,
// excluded ranks), per collective the merged table, figures, NCCL's algorithm choice and every rank's error, and
// the pairwise section. A rank's part that is not an object counts as a rank that reported nothing. Pure.
nlohmann::json cross_node_section(const std::vector<nlohmann::json>& per_rank);

}  // namespace tranche::nccl
