// compare: GPUs matched by serial then UUID; exactly the planted regression, missing GPU and moved GPUs.
#include "reports/compare_reports.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "fleet_fixture.h"
#include "harness/core/errors.h"
#include "reports/rack_inputs.h"
#include "reports/tranche_report.h"

namespace tranche {
namespace {

const ToolInfo kTool{"tranche", "test", "test"};

std::string write_node(const std::string& name, const std::function<void(SyntheticNodeSpec&)>& plant,
                       const std::function<void(nlohmann::ordered_json&)>& edit = {}) {
  SyntheticNodeSpec spec;
  spec.host = "gpu001";
  spec.samples = 5;
  if (plant) plant(spec);
  const std::string path = test::temp_path(name);
  auto j = to_json(make_synthetic_node_report(spec, test::h100_inventory(), test::h100_baseline()));
  if (edit) edit(j);
  std::ofstream(path) << j.dump();
  return path;
}

TEST(Compare, NodeReportsFindExactlyThePlantedChanges) {
  const std::string before = write_node("before.json", {});
  const std::string after = write_node(
      "after.json", [](SyntheticNodeSpec& s) { s.gpu_scale[1] = 0.9; },
      [](nlohmann::ordered_json& j) {
        auto& gpus = j["inventory"]["gpus"];
        std::swap(gpus[2]["serial"], gpus[3]["serial"]);  // GPUs 2 and 3 swapped slots
        std::swap(gpus[2]["uuid"], gpus[3]["uuid"]);
        gpus.erase(7);  // GPU 7 is gone
      });
  const auto c = compare_reports(before, after, CompareOptions{}, kTool);
  EXPECT_EQ(c["kind"], "node");
  std::set<int> regressed;
  for (const auto& ch : c["changes"]) {
    if (ch["regression"].get<bool>()) regressed.insert(ch["subject"]["gpu"].get<int>());
  }
  EXPECT_EQ(regressed, std::set<int>{1});
  EXPECT_GT(c["regressions"].get<int>(), 40);  // every figure of GPU 1
  ASSERT_EQ(c["missing"].size(), 1u);
  EXPECT_EQ(c["missing"][0]["serial"], synthetic_serial(0, 7));
  ASSERT_EQ(c["moved"].size(), 2u);
  EXPECT_EQ(c["moved"][0]["before"]["gpu"], 2);
  EXPECT_EQ(c["moved"][0]["after"]["gpu"], 3);
  EXPECT_TRUE(c["added"].empty());
  for (const auto& o : c["outcome_changes"]) EXPECT_EQ(o["subject"]["gpu"], 1) << o.dump();
  EXPECT_TRUE(compare_found_problem(c));
}

TEST(Compare, SameReportIsCleanAndTolerancesApply) {
  const std::string before = write_node("same-a.json", {});
  const std::string after = write_node("same-b.json", [](SyntheticNodeSpec& s) { s.node_scale = 0.97; });
  const auto same = compare_reports(before, before, CompareOptions{}, kTool);
  EXPECT_EQ(same["regressions"], 0);
  EXPECT_FALSE(compare_found_problem(same));
  EXPECT_EQ(compare_reports(before, after, CompareOptions{0.05}, kTool)["regressions"], 0);
  EXPECT_GT(compare_reports(before, after, CompareOptions{0.02}, kTool)["regressions"].get<int>(), 0);
}

TEST(Compare, RackReportsMatchNodesByHost) {
  const auto files = test::write_fleet(test::temp_path("cmp-rack"), 6);
  RackOptions o;
  o.tool = kTool;
  const std::string a = test::temp_path("rack-a.json"), b = test::temp_path("rack-b.json");
  std::ofstream(a) << aggregate_rack(files, o, 1).dump();
  std::ofstream(b) << aggregate_rack({files.begin(), files.end() - 1}, o, 1).dump();
  const auto c = compare_reports(a, b, CompareOptions{}, kTool);
  EXPECT_EQ(c["kind"], "rack");
  ASSERT_EQ(c["missing"].size(), 1u);
  EXPECT_EQ(c["missing"][0]["host"], "gpu006");
  EXPECT_TRUE(compare_found_problem(c));
  EXPECT_THROW(compare_reports(a, files[0], CompareOptions{}, kTool), InputError);
}

TEST(Tranche, RollsUpRacksAndCarriesTheRmaList) {
  RackOptions o;
  o.tool = kTool;
  o.name = "rack-a";
  const auto good = aggregate_rack(test::write_fleet(test::temp_path("tr-a"), 6), o, 1);
  o.name = "rack-b";
  const auto bad = aggregate_rack(test::write_fleet(test::temp_path("tr-b"), 6, [](SyntheticNodeSpec& s) {
                                    s.node_index += 100;
                                    s.host = "b" + s.host;
                                    if (s.node_index == 102) s.failing_gpu = 1;
                                  }),
                                  o, 1);
  const auto t = aggregate_tranche({{"a.json", std::string(64, '0'), good}, {"b.json", std::string(64, '1'), bad}},
                                   "t1", kTool);
  EXPECT_EQ(t["acceptance"], "rejected");
  EXPECT_EQ(t["counts"]["nodes"], 12);
  EXPECT_EQ(t["counts"]["accepted_nodes"], 11);
  ASSERT_EQ(t["rma"].size(), 1u);
  EXPECT_EQ(t["rma"][0]["rack"], "rack-b");
  EXPECT_EQ(t["rma"][0]["serial"], synthetic_serial(102, 1));
  ASSERT_EQ(t["racks"].size(), 2u);
  EXPECT_EQ(t["racks"][0]["acceptance"], "accepted");
  for (const auto& m : t["skus"][0]["metrics"]) EXPECT_EQ(m["racks"]["n"], 2);
  EXPECT_THROW(aggregate_tranche({{"a.json", "", good}, {"a2.json", "", good}}, "t", kTool), InputError);
}

}  // namespace
}  // namespace tranche
