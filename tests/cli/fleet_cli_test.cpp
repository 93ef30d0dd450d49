// tranche rack, tranche and compare on generated node reports: exit codes, schema-valid outputs, bad inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/core/atomic_file.h"
#include "tests/cli/run_cli.h"
#include "tests/unit/multinode_fixture.h"

namespace tranche::test {
namespace {

namespace fs = std::filesystem;
const std::string kSchemas = std::string(TRANCHE_SOURCE_DIR) + "/reports/schema/";

// Two racks of six nodes, written once for the suite by the benchmark's generator.
class FleetCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = make_temp_dir();
    const auto r = run_shell(std::string(TRANCHE_MAKE_REPORTS) + " " + root_ + "/nodes 12 6 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string rack_dir(int i) { return root_ + "/nodes/rack-00" + std::to_string(i); }
  static void expect_valid(const std::string& schema, const std::string& doc) {
    const auto v = run_shell(std::string(TRANCHE_PYTHON) + " " + TRANCHE_SOURCE_DIR + "/tests/tools/validate_json.py " +
                             kSchemas + schema + " " + doc);
    EXPECT_EQ(v.exit_code, 0) << doc << ": " << v.err;
  }
  static std::string root_;
};
std::string FleetCli::root_;

TEST_F(FleetCli, RackTrancheAndCompareProduceSchemaValidReports) {
  const std::string out = make_temp_dir();
  const auto r1 = run_cli({"rack", rack_dir(1), "-o", out + "/rack-1.json", "--expect-hosts", "gpu[00001-00006]"});
  EXPECT_EQ(r1.exit_code, 0) << r1.out << r1.err;
  EXPECT_NE(r1.out.find("accepted: 6/6 nodes accepted"), std::string::npos) << r1.out;
  expect_valid("rack-report.schema.json", out + "/rack-1.json");
  const auto r2 = run_cli({"rack", rack_dir(2), "-o", out + "/rack-2.json", "--outlier-percent", "2"});
  EXPECT_EQ(r2.exit_code, 0) << r2.err;
  expect_valid("rack-report.schema.json", out + "/rack-2.json");

  const auto t = run_cli({"tranche", out + "/rack-1.json", out + "/rack-2.json", "-o", out + "/t.json"});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("12/12 nodes accepted in 2 racks"), std::string::npos) << t.out;
  expect_valid("tranche-report.schema.json", out + "/t.json");

  const auto same = run_cli({"compare", out + "/rack-1.json", out + "/rack-1.json", "-o", out + "/c.json"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  expect_valid("compare-report.schema.json", out + "/c.json");
  const auto tt = run_cli({"compare", out + "/t.json", out + "/t.json", "-o", out + "/ct.json"});
  EXPECT_EQ(tt.exit_code, 0) << tt.err;
  expect_valid("compare-report.schema.json", out + "/ct.json");
}

TEST_F(FleetCli, MissingExpectedHostMakesTheRackIncomplete) {
  const std::string out = make_temp_dir();
  const auto r = run_cli({"rack", rack_dir(1), "-o", out + "/r.json", "--expect-hosts", "gpu[00001-00007],spare1"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const auto j = nlohmann::json::parse(read_file(out + "/r.json"));
  EXPECT_EQ(j["expected_hosts"]["missing"], nlohmann::json({"gpu00007", "spare1"}));
  const auto bad = run_cli({"rack", rack_dir(1), "-o", out + "/x.json", "--expect-hosts", "gpu[9-1]"});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("hostlist 'gpu[9-1]'"), std::string::npos) << bad.err;
}

TEST_F(FleetCli, TruncatedReportIsLeftOutOrStopsUnderStrict) {
  const std::string dir = make_temp_dir(), out = make_temp_dir();
  for (const auto& e : fs::directory_iterator(rack_dir(1))) fs::copy(e.path(), dir + "/" + e.path().filename().string());
  const std::string victim = dir + "/gpu00003.json";
  const std::string text = read_file(victim);
  std::ofstream(victim, std::ios::trunc) << text.substr(0, text.size() / 3);
  const auto r = run_cli({"rack", dir, "-o", out + "/r.json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const auto j = nlohmann::json::parse(read_file(out + "/r.json"));
  ASSERT_EQ(j["excluded"].size(), 1u);
  EXPECT_EQ(j["excluded"][0]["file"], victim);
  expect_valid("rack-report.schema.json", out + "/r.json");

  const auto s = run_cli({"rack", dir, "-o", out + "/strict.json", "--strict"});
  EXPECT_EQ(s.exit_code, 64);
  EXPECT_NE(s.err.find(victim + ": not valid JSON"), std::string::npos) << s.err;
  EXPECT_EQ(std::count(s.err.begin(), s.err.end(), '\n'), 1) << s.err;
  EXPECT_FALSE(fs::exists(out + "/strict.json"));
}

TEST_F(FleetCli, CompareExitsOneOnARegressionOrAMissingGpu) {
  const std::string out = make_temp_dir();
  const std::string before = rack_dir(1) + "/gpu00001.json";
  auto j = nlohmann::json::parse(read_file(before));
  j["inventory"]["gpus"].erase(5);
  std::ofstream(out + "/missing.json") << j.dump();
  const auto m = run_cli({"compare", before, out + "/missing.json", "-o", out + "/c.json"});
  EXPECT_EQ(m.exit_code, 1) << m.out << m.err;
  EXPECT_NE(m.out.find("missing:"), std::string::npos) << m.out;
  expect_valid("compare-report.schema.json", out + "/c.json");

  auto k = nlohmann::json::parse(read_file(before));
  for (auto& meas : k["measurements"]) {  // v2: figures name their quantity under the measurement's check and GPU
    if (meas["check_id"] != "membw.triad" || meas["gpu"] != 4) continue;
    for (auto& metric : meas["metrics"]) {
      if (metric.value("quantity", "") == "bandwidth") metric["value"] = metric["value"].get<double>() * 0.8;
    }
  }
  std::ofstream(out + "/slow.json") << k.dump();
  const auto s = run_cli({"compare", before, out + "/slow.json"});
  EXPECT_EQ(s.exit_code, 1) << s.out;
  EXPECT_NE(s.out.find("1 regressions"), std::string::npos) << s.out;
  EXPECT_EQ(run_cli({"compare", before, before}).exit_code, 0);
}

// A multi-node NCCL file (as rank 0 of `tranche run --multinode` writes it) given with the node reports.
TEST_F(FleetCli, RackReadsAMultinodeFileAmongItsInputs) {
  const std::string out = make_temp_dir();
  MultinodePlan plan;
  plan.ranks = 7;  // gpu00001..gpu00007: the rack holds six of them
  plan.host_prefix = "gpu00";
  plan.slow = {3};
  plan.no_device = {6};
  plan.pairwise_slow_node = 2;
  plan.pairwise_slow_link = {0, 5};
  save_multinode_report(planned_multinode(plan), out + "/multinode.json");
  expect_valid("nccl-multinode.schema.json", out + "/multinode.json");  // the fixture is a file tranche writes
  const auto r = run_cli({"rack", rack_dir(1), out + "/multinode.json", "-o", out + "/r.json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;  // rank 6 found no GPU: the multi-node run is incomplete
  EXPECT_NE(r.out.find("1 multi-node NCCL files (1 slow ranks, 2 slow nodes or links named)"), std::string::npos) << r.out;
  expect_valid("rack-report.schema.json", out + "/r.json");
  const auto j = nlohmann::json::parse(read_file(out + "/r.json"));
  ASSERT_EQ(j["multinode"].size(), 1u);
  const auto& m = j["multinode"][0];
  EXPECT_EQ(m["ranks_by_status"]["no_device"], 1);
  EXPECT_EQ(m["ranks_not_accepted"][0]["host"], "gpu00007");
  EXPECT_EQ(m["hosts_without_node_report"], nlohmann::json::array({"gpu00007"}));
  ASSERT_FALSE(m["slow_ranks"].empty());
  EXPECT_EQ(m["slow_ranks"][0]["host"], "gpu00004");
  EXPECT_EQ(m["cross_node"]["pairwise"]["slow_nodes"][0]["host"], "gpu00003");
  EXPECT_EQ(m["cross_node"]["pairwise"]["slow_links"][0]["a"], "gpu00001");
  EXPECT_EQ(m["cross_node"]["pairwise"]["slow_links"][0]["b"], "gpu00006");
  EXPECT_TRUE(j["excluded"].empty());
}

TEST_F(FleetCli, BadInputsExit64WithOneLine) {
  const std::string out = make_temp_dir();
  const auto none = run_cli({"rack", out + "/nope", "-o", out + "/r.json"});
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_NE(none.err.find(out + "/nope: no such file or directory"), std::string::npos) << none.err;
  ASSERT_EQ(run_cli({"rack", rack_dir(1), "-o", out + "/r.json"}).exit_code, 0);
  const auto mixed = run_cli({"compare", out + "/r.json", rack_dir(1) + "/gpu00001.json"});
  EXPECT_EQ(mixed.exit_code, 64);
  EXPECT_NE(mixed.err.find("give two reports of the same kind"), std::string::npos) << mixed.err;
  const auto node_as_rack = run_cli({"tranche", rack_dir(1) + "/gpu00001.json", "-o", out + "/t.json"});
  EXPECT_EQ(node_as_rack.exit_code, 64);
  EXPECT_NE(node_as_rack.err.find("is not tranche/rack-report/v1"), std::string::npos) << node_as_rack.err;
  EXPECT_EQ(run_cli({"compare", out + "/r.json", out + "/r.json", "--tolerance", "2"}).exit_code, 64);
}

}  // namespace
}  // namespace tranche::test
