// tranche rack with multi-node NCCL result files among its inputs: counts, ranks not accepted, slow ranks named,
// the rack's acceptance, and a bad file left out with its one-line error.
#include "reports/rack_multinode.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fleet_fixture.h"
#include "harness/core/errors.h"
#include "multinode_fixture.h"
#include "reports/fast_node_reader.h"
#include "reports/rack_inputs.h"

namespace tranche {
namespace {

std::set<std::string> hosts_1_to(int n) {
  std::set<std::string> out;
  for (int i = 0; i < n; ++i) out.insert(test::fleet_host(i));
  return out;
}

TEST(RackMultinode, CountsRanksAndNamesTheSlowRankOfARealisticRun) {
  test::MultinodePlan plan;  // 16 ranks
  plan.slow = {5};
  plan.no_device = {9};
  plan.rejected = {12};
  plan.pairwise_slow_node = 5;
  plan.pairwise_slow_link = {1, 8};
  const MultinodeSummary s =
      summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode(plan)}, OutlierRule{}, hosts_1_to(15));
  const auto& e = s.entry;
  EXPECT_EQ(e["ranks_by_status"], (nlohmann::json{{"measured", 15}, {"no_device", 1}, {"error", 0}}));
  EXPECT_EQ(e["ranks_by_acceptance"],
            (nlohmann::json{{"accepted", 14}, {"rejected", 1}, {"incomplete", 1}, {"none", 0}}));
  ASSERT_EQ(e["ranks_not_accepted"].size(), 2u);
  EXPECT_EQ(e["ranks_not_accepted"][0]["host"], "gpu010");
  EXPECT_EQ(e["ranks_not_accepted"][0]["error_id"], "E_NO_DEVICE");
  EXPECT_EQ(e["ranks_not_accepted"][1]["host"], "gpu013");
  EXPECT_EQ(e["ranks_not_accepted"][1]["acceptance"], "rejected");
  // 28 figures per rank (all_reduce, all_gather, reduce_scatter: 2 dtypes x 2 placements x 2 sizes; alltoall
  // out of place only), every one of the slow rank's, and nobody else's.
  ASSERT_EQ(e["slow_ranks"].size(), 28u);
  for (const auto& x : e["slow_ranks"]) {
    EXPECT_EQ(x["host"], "gpu006");
    EXPECT_EQ(x["rank"], 5);
    EXPECT_NEAR(x["percent_from_median"].get<double>(), -12.0, 1.5);
    EXPECT_EQ(x["peers"], 15);
  }
  EXPECT_EQ(s.slow_ranks, 1);
  // What nccl.pairwise named across nodes, shown as the file says it.
  const auto& cn = e["cross_node"];
  EXPECT_EQ(cn["collectives_by_status"], (nlohmann::json{{"measured", 2}, {"error", 0}, {"not_run", 0}}));
  ASSERT_EQ(cn["pairwise"]["slow_nodes"].size(), 1u);
  EXPECT_EQ(cn["pairwise"]["slow_nodes"][0]["host"], "gpu006");
  ASSERT_EQ(cn["pairwise"]["slow_links"].size(), 1u);
  EXPECT_EQ(cn["pairwise"]["slow_links"][0]["a"], "gpu002");
  EXPECT_EQ(cn["pairwise"]["slow_links"][0]["b"], "gpu009");
  EXPECT_EQ(s.named_slow, 2);
  EXPECT_EQ(e["hosts_without_node_report"], nlohmann::json::array({"gpu016"}));
  EXPECT_EQ(s.acceptance, Acceptance::rejected);
  EXPECT_EQ(e["acceptance"], "rejected");
  EXPECT_EQ(e["world_size"], 16);
  EXPECT_EQ(e["hosts"].size(), 16u);
}

TEST(RackMultinode, UniformRunNamesNobody) {
  const MultinodeSummary s = summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode({})},
                                                 OutlierRule{}, hosts_1_to(16));
  EXPECT_TRUE(s.entry["slow_ranks"].empty());
  EXPECT_TRUE(s.entry["ranks_not_accepted"].empty());
  EXPECT_TRUE(s.entry["hosts_without_node_report"].empty());
  EXPECT_EQ(s.acceptance, Acceptance::accepted);
}

TEST(RackMultinode, CrossNodeErrorsAndBadDataDecide) {
  test::MultinodePlan plan;
  plan.cross_collective_error = true;
  MultinodeSummary s = summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode(plan)},
                                           OutlierRule{}, hosts_1_to(16));
  EXPECT_EQ(s.acceptance, Acceptance::incomplete);
  ASSERT_EQ(s.entry["cross_node"]["collectives_not_measured"].size(), 1u);
  EXPECT_EQ(s.entry["cross_node"]["collectives_not_measured"][0]["check"], "nccl.all_gather");
  EXPECT_EQ(s.entry["cross_node"]["collectives_not_measured"][0]["errors"][0]["error_id"], "E_NCCL_TIMEOUT");
  test::MultinodePlan corrupt;
  corrupt.pairwise_bad_data = {2, 3};
  s = summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode(corrupt)}, OutlierRule{},
                          hosts_1_to(16));
  EXPECT_EQ(s.acceptance, Acceptance::rejected);
  EXPECT_EQ(s.entry["cross_node"]["pairwise"]["bad_data"][0]["a"], "gpu003");
  test::MultinodePlan old;
  old.v1 = true;
  s = summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode(old)}, OutlierRule{},
                          hosts_1_to(16));
  EXPECT_TRUE(s.entry["cross_node"].is_null());
  EXPECT_EQ(s.entry["schema"], "tranche/nccl-multinode/v1");
  EXPECT_EQ(s.acceptance, Acceptance::accepted);
}

TEST(RackMultinode, TooFewRanksToCallASlowOne) {
  test::MultinodePlan plan;
  plan.ranks = 4;  // below OutlierRule::min_peers (5)
  plan.slow = {1};
  const MultinodeSummary s =
      summarize_multinode({"mn.json", std::string(64, 'a'), test::planned_multinode(plan)}, OutlierRule{}, {});
  EXPECT_TRUE(s.entry["slow_ranks"].empty());
  EXPECT_EQ(s.entry["hosts_without_node_report"].size(), 4u);
}

class RackWithMultinode : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::temp_path("rack-multinode");
    files_ = test::write_fleet(dir_, 8);
  }
  std::string write_multinode(const test::MultinodePlan& plan, const std::string& name = "multinode.json") {
    const std::string path = dir_ + "/" + name;
    save_multinode_report(test::planned_multinode(plan), path);
    return path;
  }
  RackOptions options() const {
    RackOptions o;
    o.name = "r1";
    return o;
  }
  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(RackWithMultinode, TheFileIsReadFromTheInputsAndItsSlowRankShown) {
  test::MultinodePlan plan;
  plan.ranks = 8;
  plan.slow = {2};
  write_multinode(plan);
  const auto rack = aggregate_rack(report_files({dir_}), options(), 2);
  EXPECT_TRUE(rack["excluded"].empty()) << rack["excluded"].dump();
  EXPECT_EQ(rack["counts"]["nodes"], 8);
  ASSERT_EQ(rack["multinode"].size(), 1u);
  const auto& m = rack["multinode"][0];
  EXPECT_EQ(m["file"], dir_ + "/multinode.json");
  EXPECT_EQ(m["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(m["hosts_without_node_report"].empty());
  ASSERT_FALSE(m["slow_ranks"].empty());
  for (const auto& x : m["slow_ranks"]) EXPECT_EQ(x["host"], "gpu003");
  EXPECT_EQ(rack["acceptance"], "accepted");  // a slow rank warns; the nodes' own verdicts decide acceptance
  EXPECT_EQ(rack["worst"], "warn");
  EXPECT_NE(rack["headline"].get<std::string>().find("1 multi-node NCCL files (1 slow ranks, 0 slow nodes or links named)"), std::string::npos)
      << rack["headline"];
}

TEST_F(RackWithMultinode, ARejectedOrMissingRankDecidesTheRack) {
  test::MultinodePlan plan;
  plan.ranks = 8;
  plan.rejected = {4};
  write_multinode(plan);
  EXPECT_EQ(aggregate_rack(report_files({dir_}), options(), 1)["acceptance"], "rejected");
  test::MultinodePlan lost;
  lost.ranks = 8;
  lost.no_device = {7};
  write_multinode(lost);
  EXPECT_EQ(aggregate_rack(report_files({dir_}), options(), 1)["acceptance"], "incomplete");
  test::MultinodePlan old;  // a v1 file is still read
  old.ranks = 8;
  old.v1 = true;
  write_multinode(old);
  const auto v1 = aggregate_rack(report_files({dir_}), options(), 1);
  ASSERT_EQ(v1["multinode"].size(), 1u);
  EXPECT_EQ(v1["multinode"][0]["schema"], "tranche/nccl-multinode/v1");
  EXPECT_EQ(v1["acceptance"], "accepted");
  const auto none = aggregate_rack(files_, options(), 1);  // the same nodes without the file
  EXPECT_EQ(none["acceptance"], "accepted");
  EXPECT_TRUE(none["multinode"].empty());
}

TEST_F(RackWithMultinode, ABadFileIsLeftOutWithItsOneLineError) {
  test::MultinodePlan plan;
  plan.ranks = 8;
  const std::string path = write_multinode(plan);
  auto j = nlohmann::json::parse(read_file(path));
  j["world_size"] = 9;  // ranks has 8 entries
  std::ofstream(path) << j.dump(2);
  const auto rack = aggregate_rack(report_files({dir_}), options(), 2);
  ASSERT_EQ(rack["excluded"].size(), 1u);
  const std::string reason = rack["excluded"][0]["reason"];
  EXPECT_NE(reason.find(path + ": ranks has 8 entries but world_size is 9"), std::string::npos) << reason;
  EXPECT_EQ(reason.find('\n'), std::string::npos);
  EXPECT_EQ(rack["acceptance"], "incomplete");
  std::ofstream(path) << j.dump(2).substr(0, 300);  // truncated
  const auto again = aggregate_rack(report_files({dir_}), options(), 1);
  ASSERT_EQ(again["excluded"].size(), 1u);
  EXPECT_NE(again["excluded"][0]["reason"].get<std::string>().find("not valid JSON"), std::string::npos);
  RackOptions strict = options();
  strict.fleet.strict = true;
  EXPECT_THROW(aggregate_rack(report_files({dir_}), strict, 1), InputError);
}

TEST_F(RackWithMultinode, TheNodeReaderStillRejectsAMultinodeFile) {
  test::MultinodePlan plan;
  plan.ranks = 8;
  const std::string path = write_multinode(plan);
  try {
    FastNodeReader().read(path);
    FAIL() << "accepted a multi-node file as a node report";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tranche/nccl-multinode/v2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tranche
