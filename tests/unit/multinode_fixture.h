// Test helper: the tranche/nccl-multinode/v2 file (or v1) rank 0 writes after a one-rank-per-node run of the NCCL
// checks on 8-GPU H100 nodes, written by the real writer, with planted problems.
#pragma once
#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "reports/multinode_report.h"

namespace tranche::test {

struct MultinodePlan {
  int ranks = 16;
  std::set<int> slow;        // ranks whose every NCCL figure is 12% below the others
  std::set<int> no_device;   // ranks that found no GPU (E_NO_DEVICE, incomplete)
  std::set<int> rejected;    // ranks whose node run was rejected
  std::string host_prefix = "gpu";  // hosts gpu001.. (as write_fleet names them)
  bool v1 = false;                  // a tranche/nccl-multinode/v1 file (no cross_node section)
  // nccl.pairwise's findings in the cross_node section (v2): a slow node, a slow link, a pair whose data did
  // not verify (rank indices; -1: none), and a collective across nodes that ended in error.
  int pairwise_slow_node = -1;
  std::pair<int, int> pairwise_slow_link = {-1, -1};
  std::pair<int, int> pairwise_bad_data = {-1, -1};
  bool cross_collective_error = false;
};

// What each measured rank's node run reports for nccl.<op>/bus_bandwidth (benches/nccl/nccl_core.cpp: float and
// bf16, out-of-place and in-place, the plateau mean and the largest size), around the H100 8-GPU references of
// baselines/skus/h100-sxm5-80gb.json (all_reduce 478.9 GB/s, all_gather 350, reduce_scatter 360) with a spread
// of +-1% between ranks.
inline MultinodeReport planned_multinode(const MultinodePlan& plan) {
  MultinodeReport r;
  r.tool_version = "0.1.0";
  r.launcher = "srun";
  r.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(1796135400));  // 2026-12-01T14:30Z
  r.world_size = plan.ranks;
  const std::pair<const char*, double> ops[] = {
      {"all_reduce", 478.9e9}, {"all_gather", 350e9}, {"reduce_scatter", 360e9}, {"alltoall", 330e9}};
  for (int k = 0; k < plan.ranks; ++k) {
    RankResult rr;
    rr.rank = k;
    const std::string n = std::to_string(k + 1);
    rr.host = plan.host_prefix + std::string(3 - std::min<size_t>(3, n.size()), '0') + n;
    rr.node_report = "/shared/acceptance/4242/rank-" + std::to_string(k) + "/" + rr.host + "-20261201T143000Z.json";
    if (plan.no_device.count(k)) {
      rr.status = "no_device";
      rr.error_id = "E_NO_DEVICE";
      rr.error_message = "no CUDA device visible (cudaGetDeviceCount: no CUDA-capable device is detected)";
      rr.acceptance = "incomplete";
      r.ranks.push_back(rr);
      continue;
    }
    rr.status = "measured";
    rr.gpus = 8;
    rr.nccl_version = "2.21.5";
    rr.acceptance = plan.rejected.count(k) ? "rejected" : "accepted";
    const double spread = 1.0 + 0.01 * (((k * 7) % 5) - 2) / 2.0;  // -1% .. +1%, fixed per rank
    const double scale = spread * (plan.slow.count(k) ? 0.88 : 1.0);
    for (const auto& [op, ref] : ops) {
      for (const char* dtype : {"float", "bf16"}) {
        for (const char* placement : {"out_of_place", "in_place"}) {
          if (std::string(op) == "alltoall" && std::string(placement) == "in_place") continue;
          for (const char* sizes : {"plateau", "largest"}) {
            RankFigure f;
            f.metric = std::string("nccl.") + op + "/bus_bandwidth";
            f.labels = {{"dtype", dtype}, {"placement", placement}, {"sizes", sizes}};
            if (std::string(sizes) == "largest") f.labels["size_bytes"] = "8589934592";
            f.value = ref * 1.02 * scale * (std::string(sizes) == "plateau" ? 0.985 : 1.0);
            f.unit = "B/s";
            rr.figures.push_back(std::move(f));
          }
        }
      }
    }
    r.ranks.push_back(std::move(rr));
  }
  if (plan.v1) {
    r.schema = kMultinodeSchemaV1;
    return r;
  }
  // The cross-node section (docs/multinode.md "Across nodes"): every rank with GPUs in one NCCL world.
  nlohmann::json members = nlohmann::json::array(), excluded = nlohmann::json::array(), scores = nlohmann::json::array();
  int first = 0;
  for (const RankResult& rr : r.ranks) {
    if (rr.gpus == 0) {
      excluded.push_back({{"mpi_rank", rr.rank}, {"host", rr.host}, {"reason", "no GPU in its node run"}});
      continue;
    }
    members.push_back({{"mpi_rank", rr.rank}, {"host", rr.host}, {"first_rank", first}, {"gpus", rr.gpus}});
    first += rr.gpus;
    scores.push_back({{"host", rr.host}, {"mpi_rank", rr.rank}, {"score", rr.rank == plan.pairwise_slow_node ? 31e9 : 47e9},
                      {"pairs", plan.ranks - 1}});
  }
  auto host = [&](int k) { return r.ranks[static_cast<size_t>(k)].host; };
  nlohmann::json collectives = nlohmann::json::array();
  for (const char* op : {"all_reduce", "all_gather"}) {
    const bool error = plan.cross_collective_error && std::string(op) == "all_gather";
    nlohmann::json c{{"check", std::string("nccl.") + op}, {"status", error ? "error" : "measured"},
                     {"errors", nlohmann::json::array()}, {"figures", nlohmann::json::array()},
                     {"algorithm", nullptr}, {"table", nlohmann::json::array()}};
    if (error) {
      c["errors"].push_back({{"mpi_rank", 3}, {"host", host(3)}, {"error_id", "E_NCCL_TIMEOUT"},
                             {"message", "nccl.all_gather did not finish at 8589934592 B within 300 s"}});
    } else {
      c["figures"].push_back({{"metric", std::string("nccl.") + op + "/bus_bandwidth"},
                              {"labels", {{"dtype", "float"}, {"placement", "out_of_place"}, {"sizes", "largest"}}},
                              {"value", 46e9}, {"unit", "B/s"}});
    }
    collectives.push_back(std::move(c));
  }
  nlohmann::json slow_nodes = nlohmann::json::array(), slow_links = nlohmann::json::array(),
                 bad_data = nlohmann::json::array();
  if (plan.pairwise_slow_node >= 0) {
    slow_nodes.push_back({{"host", host(plan.pairwise_slow_node)}, {"score", 31e9},
                          {"slow_pairs", {{{"with", host((plan.pairwise_slow_node + 1) % plan.ranks)},
                                           {"bus_bandwidth", 30.5e9}}}}});
  }
  if (plan.pairwise_slow_link.first >= 0) {
    slow_links.push_back({{"a", host(plan.pairwise_slow_link.first)}, {"b", host(plan.pairwise_slow_link.second)},
                          {"bus_bandwidth", 33e9}});
  }
  if (plan.pairwise_bad_data.first >= 0) {
    bad_data.push_back({{"a", host(plan.pairwise_bad_data.first)}, {"b", host(plan.pairwise_bad_data.second)}});
  }
  r.cross_node = {{"world", {{"nranks", first}, {"members", members}, {"excluded", excluded}}},
                  {"not_run_reason", nullptr},
                  {"collectives", std::move(collectives)},
                  {"pairwise", {{"status", "measured"}, {"size_bytes", 1073741824}, {"margin", 0.1},
                                {"pairs", nlohmann::json::array()}, {"scores", std::move(scores)},
                                {"reference", 47e9}, {"pair_reference", 47e9}, {"slow_nodes", std::move(slow_nodes)},
                                {"slow_links", std::move(slow_links)}, {"bad_data", std::move(bad_data)}}}};
  return r;
}

}  // namespace tranche::test
