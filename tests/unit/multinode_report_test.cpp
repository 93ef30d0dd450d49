// tranche/nccl-multinode/v2: round trip with the cross_node section, hosts and summary derived, v1 still read,
// strict reader errors name the key.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "reports/multinode_report.h"

namespace tranche {
namespace {

MultinodeReport two_ranks() {
  MultinodeReport r;
  r.tool_version = "0.1.0";
  r.launcher = "srun";
  r.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(1800000000));
  r.world_size = 2;
  RankResult a;
  a.rank = 0;
  a.host = "node-a";
  a.gpus = 8;
  a.status = "measured";
  a.acceptance = "accepted";
  a.node_report = "out/rank-0/node-a.json";
  a.nccl_version = "2.28.9";
  a.figures.push_back({"nccl.all_reduce/bus_bandwidth", {{"dtype", "float"}, {"sizes", "plateau"}}, 4.75e11, "B/s"});
  RankResult b = a;
  b.rank = 1;
  b.host = "node-b";
  b.gpus = 0;
  b.status = "no_device";
  b.error_id = "E_NO_DEVICE";
  b.acceptance = "incomplete";
  b.figures.clear();
  r.ranks = {a, b};
  r.cross_node = {{"world", {{"nranks", 8}}}, {"collectives", nlohmann::json::array()}, {"pairwise", nullptr}};
  return r;
}

TEST(MultinodeReport, RoundTripsAndSummarises) {
  const nlohmann::json j = to_json(two_ranks());
  EXPECT_EQ(j["schema"], "tranche/nccl-multinode/v2");
  EXPECT_EQ(j["cross_node"]["world"]["nranks"], 8);
  EXPECT_EQ(j["hosts"], nlohmann::json::array({"node-a", "node-b"}));
  EXPECT_EQ(j["summary"]["measured"], 1);
  EXPECT_EQ(j["summary"]["no_device"], 1);
  EXPECT_EQ(j["summary"]["error"], 0);
  const MultinodeReport back = multinode_report_from_json(j, "t");
  ASSERT_EQ(back.ranks.size(), 2u);
  EXPECT_EQ(back.ranks[0].figures.at(0).value, 4.75e11);
  EXPECT_EQ(back.ranks[1].error_id, "E_NO_DEVICE");
  EXPECT_EQ(back.cross_node, j["cross_node"]);
  EXPECT_EQ(to_json(back), j);
}

TEST(MultinodeReport, VersionOneIsStillReadAndStaysVersionOne) {
  nlohmann::json v1 = to_json(two_ranks());
  v1["schema"] = "tranche/nccl-multinode/v1";
  v1.erase("cross_node");
  const MultinodeReport back = multinode_report_from_json(v1, "v1.json");
  EXPECT_TRUE(back.cross_node.is_null());
  EXPECT_EQ(to_json(back), v1);  // no cross_node key added to a v1 file
}

TEST(MultinodeReport, StrictReaderNamesTheProblem) {
  nlohmann::json j = to_json(two_ranks());
  auto message = [](const nlohmann::json& bad) {
    try {
      multinode_report_from_json(bad, "m.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  nlohmann::json wrong_schema = j;
  wrong_schema["schema"] = "tranche/node-report/v1";
  EXPECT_NE(message(wrong_schema).find("expected 'tranche/nccl-multinode/v2'"), std::string::npos);
  nlohmann::json no_cross = j;
  no_cross.erase("cross_node");
  EXPECT_NE(message(no_cross).find("cross_node"), std::string::npos);
  nlohmann::json bad_cross = j;
  bad_cross["cross_node"] = "none";
  EXPECT_NE(message(bad_cross).find("cross_node must be"), std::string::npos);
  nlohmann::json short_ranks = j;
  short_ranks["world_size"] = 3;
  EXPECT_NE(message(short_ranks).find("world_size is 3"), std::string::npos);
  nlohmann::json no_host = j;
  no_host["ranks"][1].erase("host");
  EXPECT_NE(message(no_host).find("ranks[1]"), std::string::npos);
  nlohmann::json bad_status = j;
  bad_status["ranks"][0]["status"] = "fine";
  EXPECT_NE(message(bad_status).find("status must be"), std::string::npos);
}

}  // namespace
}  // namespace tranche
