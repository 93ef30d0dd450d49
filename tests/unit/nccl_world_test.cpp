// NCCL across processes, the pure part: world layout from the ranks' GPU counts, node pairs of nccl.pairwise,
// per-process tables merged (slowest time, summed mismatches), the headline figures, the pairwise section with
// host names, and rank 0's cross_node section from every rank's part.
#include <gtest/gtest.h>

#include "benches/nccl/nccl_world.h"

namespace tranche::nccl {
namespace {

using nlohmann::json;

TEST(NcclWorld, LayoutGivesEachRankItsWorldRanksAndLeavesGpulessRanksOut) {
  const WorldLayout w = layout_world({8, 0, 8, 4});
  EXPECT_EQ(w.nranks, 20);
  ASSERT_EQ(w.members.size(), 3u);
  EXPECT_EQ(w.members[0].mpi_rank, 0);
  EXPECT_EQ(w.members[0].first_rank, 0);
  EXPECT_EQ(w.members[1].mpi_rank, 2);
  EXPECT_EQ(w.members[1].first_rank, 8);
  EXPECT_EQ(w.members[2].first_rank, 16);
  EXPECT_EQ(w.excluded, std::vector<int>{1});
  EXPECT_EQ(w.member(1), nullptr);
  ASSERT_NE(w.member(3), nullptr);
  EXPECT_EQ(w.member(3)->gpus, 4);
  EXPECT_EQ(layout_world({}).nranks, 0);
}

TEST(NcclWorld, PairWorldsPairGpusOneToOneAcrossTheTwoNodes) {
  const WorldLayout w = layout_world({8, 8, 0, 8, 4});
  const auto pairs = pair_worlds(w, round_robin_rounds(static_cast<int>(w.members.size())));
  ASSERT_EQ(pairs.size(), 6u);  // 4 members: 3 rounds of 2 pairs
  int problems = 0;
  for (const PairWorld& p : pairs) {
    EXPECT_LT(p.a, p.b);
    EXPECT_EQ(p.root_mpi, w.members[static_cast<std::size_t>(p.a)].mpi_rank);
    EXPECT_EQ(p.other_mpi, w.members[static_cast<std::size_t>(p.b)].mpi_rank);
    EXPECT_EQ(p.shift, w.members[static_cast<std::size_t>(p.a)].gpus);
    if (!p.problem.empty()) {
      ++problems;
      EXPECT_EQ(p.other_mpi, 4) << p.problem;  // the 4-GPU node cannot pair one to one with an 8-GPU node
    } else {
      EXPECT_EQ(p.nranks, 16);
      // Every GPU's partner is its counterpart on the other node.
      for (int r = 0; r < p.nranks; ++r) EXPECT_EQ(sendrecv_peers(r, p.nranks, p.shift).to, (r + 8) % 16);
    }
  }
  EXPECT_EQ(problems, 3);
}

json row(const char* dtype, std::uint64_t size, double t, std::uint64_t mism, json choice = nullptr) {
  return {{"dtype", dtype}, {"placement", "out_of_place"}, {"size_bytes", size}, {"count", size / 4},
          {"time_s", t},     {"algbw_Bps", 0.0},           {"busbw_Bps", 0.0},   {"mismatches", mism},
          {"nccl_choice", choice}};
}

TEST(NcclWorld, MergedTableTakesTheSlowestProcessAndEveryMismatch) {
  const json choice = {{"algorithm", "RING"}, {"protocol", "SIMPLE"}, {"channels", 16}, {"calls", 26}};
  const json rank0 = json::array({row("float", 1 << 20, 1e-3, 0, choice), row("float", 2 << 20, 2e-3, 0, choice)});
  const json rank1 = json::array({row("float", 1 << 20, 4e-3, 2), row("float", 2 << 20, 1e-3, 0)});
  const json rank2 = json::array({row("float", 1 << 20, 2e-3, 1)});  // failed before the second size
  const json merged = merge_world_tables(CollectiveOp::all_reduce, 16, {rank0, rank1, rank2});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_DOUBLE_EQ(merged[0]["time_s"].get<double>(), 4e-3);
  EXPECT_EQ(merged[0]["mismatches"], 3);
  EXPECT_DOUBLE_EQ(merged[0]["algbw_Bps"].get<double>(), (1 << 20) / 4e-3);
  EXPECT_DOUBLE_EQ(merged[0]["busbw_Bps"].get<double>(), (1 << 20) / 4e-3 * 2 * 15 / 16);
  EXPECT_EQ(merged[0]["nccl_choice"], choice);
  EXPECT_EQ(merge_world_tables(CollectiveOp::all_reduce, 16, {rank0, rank1}).size(), 2u);
  EXPECT_TRUE(merge_world_tables(CollectiveOp::all_reduce, 16, {}).empty());
}

TEST(NcclWorld, FiguresAreThePlateauMeanTheLargestSizeAndTheMismatches) {
  json table = json::array({row("float", 1 << 20, 1e-3, 0), row("float", 2 << 20, 1e-3, 0), row("bf16", 1 << 20, 2e-3, 1)});
  for (json& r : table) r["busbw_Bps"] = r["size_bytes"].get<double>() / r["time_s"].get<double>();
  const json f = world_figures(CollectiveOp::sendrecv, table, 2 << 20);
  // float: plateau (one size), largest, mismatches; bf16: no plateau, largest, mismatches.
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0]["labels"]["sizes"], "plateau");
  EXPECT_DOUBLE_EQ(f[0]["value"].get<double>(), (2 << 20) / 1e-3);
  EXPECT_EQ(f[1]["labels"]["size_bytes"], std::to_string(2 << 20));
  EXPECT_EQ(f[1]["metric"], "nccl.sendrecv/bus_bandwidth");
  EXPECT_EQ(f[2]["metric"], "nccl.sendrecv/mismatches");
  EXPECT_EQ(f[2]["value"], 0.0);
  EXPECT_EQ(f[3]["labels"]["dtype"], "bf16");
  EXPECT_EQ(f[4]["value"], 1.0);
}

TEST(NcclWorld, PairwiseSectionNamesTheSlowNodeByHost) {
  const int n = 8;
  const WorldLayout w = layout_world(std::vector<int>(n, 8));
  std::vector<std::string> hosts;
  for (int i = 0; i < n; ++i) hosts.push_back("gpu-a0" + std::to_string(i));
  std::vector<PairResult> results;
  for (const PairWorld& p : pair_worlds(w, round_robin_rounds(n))) {
    PairResult r;
    r.pair = p;
    r.bus_bandwidth = (p.a == 5 || p.b == 5) ? 20e9 : 45e9;  // node 5's NIC path is slow
    r.mismatches = 0;
    results.push_back(r);
  }
  results[0].bus_bandwidth.reset();
  results[0].error_id = "E_NCCL_TIMEOUT";
  results[1].mismatches = 3;
  const json s = pairwise_section(w, hosts, results, 0.1);
  ASSERT_EQ(s["slow_nodes"].size(), 1u);
  EXPECT_EQ(s["slow_nodes"][0]["host"], "gpu-a05");
  EXPECT_EQ(s["slow_nodes"][0]["slow_pairs"].size(), 7u);
  EXPECT_TRUE(s["slow_links"].empty());
  EXPECT_EQ(s["pairs"].size(), 28u);
  EXPECT_EQ(s["pairs"][0]["error_id"], "E_NCCL_TIMEOUT");
  EXPECT_TRUE(s["pairs"][0]["bus_bandwidth"].is_null());
  ASSERT_EQ(s["bad_data"].size(), 1u);
  EXPECT_DOUBLE_EQ(s["reference"].get<double>(), 45e9);
  EXPECT_EQ(s["scores"].size(), 8u);
}

// A rank's part as run_cross_node returns it.
json part(const json& layout, const json& jobs) {
  json p = json::object();
  p["layout"] = layout;
  p["jobs"] = jobs;
  return p;
}

json measured(const char* check, const json& table, const json& algorithm = nullptr) {
  json m = json::object();
  m["check_id"] = check;
  m["status"] = "ok";
  m["error"] = nullptr;
  m["metrics"] = json::array();
  m["details"] = json::object();
  m["details"]["table"] = table;
  m["details"]["algorithm"] = algorithm;
  return m;
}

json failed(const char* check, const char* id, const char* message) {
  json m = json::object();
  m["check_id"] = check;
  m["status"] = "error";
  m["error"] = {{"id", id}, {"message", message}};
  m["metrics"] = json::array();
  m["details"] = json::object();
  return m;
}

TEST(NcclWorld, CrossNodeSectionMergesTheRanksAndListsTheirErrors) {
  json layout = json::object();
  layout["hosts"] = json::array({"a", "b", "c"});
  layout["gpus"] = json::array({8, 8, 0});
  layout["collectives"] = json::array();
  layout["collectives"].push_back({{"check", "nccl.all_reduce"}, {"params", {{"plateau_bytes", 1 << 20}}}});
  layout["collectives"].push_back({{"check", "nccl.all_gather"}, {"params", json::object()}});
  layout["pairwise"] = nullptr;
  const json algo = {{"source", "NCCL_DEBUG_SUBSYS=TUNING log /tmp/x"}};
  const json t0 = json::array({row("float", 1 << 20, 1e-3, 0)});
  const json t1 = json::array({row("float", 1 << 20, 2e-3, 0)});
  auto job = [](const char* name, const json& m) { return json{{"job", name}, {"measurement", m}}; };
  const std::vector<json> parts = {
      part(layout, json::array({job("nccl.all_reduce", measured("nccl.all_reduce", t0, algo)),
                                job("nccl.all_gather", measured("nccl.all_gather", t0))})),
      part(layout, json::array({job("nccl.all_reduce", measured("nccl.all_reduce", t1)),
                                job("nccl.all_gather", failed("nccl.all_gather", "E_NCCL_TIMEOUT", "late"))})),
      part(layout, json::array())};
  const json s = cross_node_section(parts);
  EXPECT_EQ(s["world"]["nranks"], 16);
  ASSERT_EQ(s["world"]["excluded"].size(), 1u);
  EXPECT_EQ(s["world"]["excluded"][0]["host"], "c");
  EXPECT_TRUE(s["not_run_reason"].is_null());
  ASSERT_EQ(s["collectives"].size(), 2u);
  const json& ar = s["collectives"][0];
  EXPECT_EQ(ar["status"], "measured");
  EXPECT_EQ(ar["algorithm"], algo);  // world rank 0's
  ASSERT_EQ(ar["table"].size(), 1u);
  EXPECT_DOUBLE_EQ(ar["table"][0]["time_s"].get<double>(), 2e-3);
  EXPECT_EQ(ar["figures"][0]["labels"]["sizes"], "plateau");
  const json& ag = s["collectives"][1];
  EXPECT_EQ(ag["status"], "error");
  ASSERT_EQ(ag["errors"].size(), 1u);
  EXPECT_EQ(ag["errors"][0]["host"], "b");
  EXPECT_EQ(ag["errors"][0]["error_id"], "E_NCCL_TIMEOUT");
  EXPECT_TRUE(ag["figures"].empty());
  EXPECT_TRUE(s["pairwise"].is_null());
}

TEST(NcclWorld, CrossNodeSectionSaysWhyNothingRan) {
  json layout = json::object();
  layout["hosts"] = json::array({"a", "b"});
  layout["gpus"] = json::array({0, 0});
  layout["collectives"] = json::array();
  layout["collectives"].push_back({{"check", "nccl.all_reduce"}, {"params", json::object()}});
  layout["pairwise"] = {{"size_bytes", 1024}, {"margin", 0.2}};
  layout["not_run"] = "fewer than two ranks have a GPU (0 of 2)";
  const json s = cross_node_section({part(layout, json::array()), part(layout, json::array())});
  EXPECT_EQ(s["not_run_reason"], "fewer than two ranks have a GPU (0 of 2)");
  EXPECT_EQ(s["collectives"][0]["status"], "not_run");
  EXPECT_EQ(s["pairwise"]["status"], "not_run");
  EXPECT_EQ(s["pairwise"]["size_bytes"], 1024);
  EXPECT_TRUE(s["pairwise"]["pairs"].empty());
  EXPECT_EQ(s["world"]["excluded"].size(), 2u);
  // A rank that sent nothing readable does not break the section.
  EXPECT_NO_THROW(cross_node_section({json("garbage"), json(nullptr)}));
}

TEST(NcclWorld, CrossNodeSectionPairsTakeTheSlowerSideAndKeepErrors) {
  json layout = json::object();
  layout["hosts"] = json::array({"a", "b", "c", "d"});
  layout["gpus"] = json::array({1, 1, 1, 1});
  layout["collectives"] = json::array();
  layout["pairwise"] = {{"size_bytes", 1 << 30}, {"margin", 0.1}};
  auto pair_job = [](int round, int a, int b, double bw, const char* error = nullptr) {
    json m = failed("nccl.sendrecv", error ? error : "", "boom");
    if (!error) {
      m["status"] = "ok";
      m["error"] = nullptr;
      m["metrics"] = json::array();
      m["metrics"].push_back({{"name", "nccl.sendrecv/bus_bandwidth"}, {"value", bw}, {"labels", {{"sizes", "largest"}}}});
      m["metrics"].push_back({{"name", "nccl.sendrecv/mismatches"}, {"value", 0}, {"labels", json::object()}});
    }
    return json{{"job", "pair"}, {"round", round}, {"a", a}, {"b", b}, {"measurement", m}};
  };
  const std::vector<json> parts = {part(layout, json::array({pair_job(0, 0, 3, 40e9)})),
                                   part(layout, json::array({pair_job(0, 1, 2, 30e9, "E_NCCL_API")})),
                                   part(layout, json::array({pair_job(0, 1, 2, 30e9)})),
                                   part(layout, json::array({pair_job(0, 0, 3, 35e9)}))};
  const json s = cross_node_section(parts);
  const json& pairs = s["pairwise"]["pairs"];
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0]["a"], "a");
  EXPECT_EQ(pairs[0]["b"], "d");
  EXPECT_DOUBLE_EQ(pairs[0]["bus_bandwidth"].get<double>(), 35e9);
  EXPECT_EQ(pairs[0]["mismatches"], 0.0);
  EXPECT_EQ(pairs[1]["error_id"], "E_NCCL_API");
  EXPECT_TRUE(pairs[1]["bus_bandwidth"].is_null());
  EXPECT_NE(pairs[1]["error_message"].get<std::string>().find("b: boom"), std::string::npos);
}

}  // namespace
}  // namespace tranche::nccl
