// Rack aggregation on synthetic fleets: exactly the planted outliers, none in a uniform fleet, the RMA list,
// expected hosts, and each validation case (duplicate host, copied or moved GPU, mixed SKU, other baseline).
#include "reports/rack_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <tuple>

#include "fleet_fixture.h"
#include "harness/core/errors.h"
#include "reports/fast_node_reader.h"
#include "reports/rack_inputs.h"

namespace tranche {
namespace {

using Flag = std::tuple<std::string, std::string, int>;  // scope, host, gpu (-1 for a node)

std::set<Flag> flags(const nlohmann::json& rack) {
  std::set<Flag> out;
  for (const auto& o : rack["outliers"]) {
    out.insert({o["scope"], o["host"], o["gpu"].is_null() ? -1 : o["gpu"].get<int>()});
  }
  return out;
}

RackOptions options(const std::string& name) {
  RackOptions o;
  o.name = name;
  o.tool = {"tranche", "test", "test"};
  return o;
}

constexpr int kNodes = 24;

TEST(RackReport, UniformFleetHasNoOutliersAndIsAccepted) {
  const auto files = test::write_fleet(test::temp_path("uniform"), kNodes);
  const auto rack = aggregate_rack(files, options("uniform"), 2);
  EXPECT_TRUE(rack["outliers"].empty()) << rack["outliers"].dump(1);
  EXPECT_TRUE(rack["rma"].empty());
  EXPECT_EQ(rack["acceptance"], "accepted") << rack["headline"];
  EXPECT_EQ(rack["counts"]["nodes"], kNodes);
  EXPECT_EQ(rack["nodes"].size(), static_cast<size_t>(kNodes));
  ASSERT_EQ(rack["skus"].size(), 1u);
  for (const auto& m : rack["skus"][0]["metrics"]) EXPECT_EQ(m["nodes"]["n"], kNodes) << m["metric"];
}

TEST(RackReport, FindsExactlyThePlantedOutliers) {
  const auto files = test::write_fleet(test::temp_path("planted"), kNodes, [](SyntheticNodeSpec& s) {
    if (s.node_index == 5) s.gpu_scale[3] = 0.96;  // one GPU 4% slow
    if (s.node_index == 12) {  // one NVLink 7% slow (GPU 2 -> GPU 5), still above the baseline's warn margin
      s.slow_link_gpu = 2;
      s.slow_link_peer = 5;
      s.link_scale = 0.93;
    }
    if (s.node_index == 20) s.node_scale = 0.98;  // a whole node 2% slow
  });
  const auto rack = aggregate_rack(files, options("planted"), 2);
  EXPECT_EQ(flags(rack), (std::set<Flag>{{"gpu", "gpu006", 3}, {"gpu", "gpu013", 2}, {"node", "gpu021", -1}}));
  for (const auto& o : rack["outliers"]) {
    EXPECT_EQ(o["outcome"], "warn");
    if (o["host"] == "gpu013") {
      EXPECT_NE(o["metric"].get<std::string>().find("peer=5"), std::string::npos) << o["metric"];
      EXPECT_NEAR(o["percent_from_median"].get<double>(), -7.0, 0.8) << o.dump();
    }
    if (o["host"] == "gpu006") {
      EXPECT_NEAR(std::fabs(o["percent_from_median"].get<double>()), 4.0, 0.8) << o.dump();  // latency: +4%
      EXPECT_EQ(o["serial"], synthetic_serial(5, 3));
    }
  }
  // Every GPU clears the baseline: the rack stays accepted, the outliers warn.
  EXPECT_EQ(rack["acceptance"], "accepted");
  EXPECT_EQ(rack["worst"], "warn");
  EXPECT_TRUE(rack["rma"].empty());

  RackOptions fail = options("planted");
  fail.fleet.outliers_fail = true;
  const auto strict = aggregate_rack(files, fail, 1);
  EXPECT_EQ(strict["acceptance"], "rejected");
  std::set<std::string> serials;
  for (const auto& r : strict["rma"]) serials.insert(r["serial"]);
  EXPECT_EQ(serials, (std::set<std::string>{synthetic_serial(5, 3), synthetic_serial(12, 2)}));
}

TEST(RackReport, FailingGpuIsOnTheRmaListWithItsIdentity) {
  const auto files = test::write_fleet(test::temp_path("rma"), 8, [](SyntheticNodeSpec& s) {
    if (s.node_index == 3) s.failing_gpu = 6;
  });
  auto o = options("rma");
  o.expected_hosts = std::vector<std::string>{"gpu001", "gpu002", "gpu003", "gpu004", "gpu005", "gpu006", "gpu007",
                                              "gpu009"};
  const auto rack = aggregate_rack(files, o, 2);
  EXPECT_EQ(rack["acceptance"], "rejected");
  ASSERT_EQ(rack["rma"].size(), 1u) << rack["rma"].dump(1);
  const auto& r = rack["rma"][0];
  EXPECT_EQ(r["host"], "gpu004");
  EXPECT_EQ(r["gpu"], 6);
  EXPECT_EQ(r["serial"], synthetic_serial(3, 6));
  EXPECT_FALSE(r["uuid"].get<std::string>().empty());
  EXPECT_FALSE(r["pci_bus_id"].get<std::string>().empty());
  EXPECT_EQ(r["failures"][0]["check_id"], "gemm.bf16");
  EXPECT_FALSE(r["next_step"].get<std::string>().empty());
  EXPECT_EQ(rack["expected_hosts"]["missing"], nlohmann::json({"gpu009"}));
  EXPECT_EQ(rack["expected_hosts"]["unexpected"], nlohmann::json({"gpu008"}));
  for (const auto& n : rack["nodes"]) {
    if (n["host"] == "gpu004") {
      EXPECT_EQ(n["failing_checks"], nlohmann::json({"gemm.bf16"}));
    }
  }
}

class RackValidation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { files_ = test::write_fleet(test::temp_path("validation"), 3); }
  static NodeDigest digest(int i) { return FastNodeReader().read(files_[static_cast<size_t>(i)]); }
  static std::vector<std::string> files_;
};
std::vector<std::string> RackValidation::files_;

TEST_F(RackValidation, DuplicateHostIsLeftOutNamingBothFiles) {
  RackAggregator agg(options("r"));
  agg.add(digest(0));
  NodeDigest again = digest(1);
  again.host = "gpu001";
  again.file = "copy.json";
  agg.add(again);
  const auto rack = agg.finish();
  ASSERT_EQ(rack["excluded"].size(), 1u);
  const std::string reason = rack["excluded"][0]["reason"];
  EXPECT_NE(reason.find("host 'gpu001' is also in " + files_[0]), std::string::npos) << reason;
  EXPECT_EQ(rack["counts"]["nodes"], 1);
  EXPECT_EQ(rack["acceptance"], "incomplete");
}

TEST_F(RackValidation, SameSerialOrUuidOnTwoNodesIsLeftOutLoudly) {
  RackAggregator agg(options("r"));
  agg.add(digest(0));
  NodeDigest moved = digest(1);
  moved.gpus[4].serial = digest(0).gpus[2].serial;
  agg.add(moved);
  NodeDigest copied_uuid = digest(2);
  copied_uuid.gpus[0].uuid = digest(0).gpus[0].uuid;
  agg.add(copied_uuid);
  const auto rack = agg.finish();
  ASSERT_EQ(rack["excluded"].size(), 2u);
  EXPECT_NE(rack["excluded"][0]["reason"].get<std::string>().find("serial " + synthetic_serial(0, 2)),
            std::string::npos);
  EXPECT_NE(rack["excluded"][0]["reason"].get<std::string>().find("moved between nodes"), std::string::npos);
  EXPECT_NE(rack["excluded"][1]["reason"].get<std::string>().find("UUID"), std::string::npos);
}

TEST_F(RackValidation, MixedSkuGroupedApartAndOtherBaselineFlagged) {
  RackAggregator agg(options("r"));
  agg.add(digest(0));
  NodeDigest mixed = digest(1);
  mixed.gpus[7].name = "NVIDIA H200";
  agg.add(mixed);
  NodeDigest other = digest(2);
  other.baseline_sha256 = std::string(64, 'b');
  agg.add(other);
  const auto rack = agg.finish();
  ASSERT_EQ(rack["skus"].size(), 2u);
  std::set<std::string> kinds;
  for (const auto& n : rack["notes"]) kinds.insert(n["kind"]);
  EXPECT_EQ(kinds, (std::set<std::string>{"mixed_sku", "baseline_differs"}));
  EXPECT_TRUE(rack["excluded"].empty());
}

TEST_F(RackValidation, StrictStopsAtTheFirstProblem) {
  RackOptions o = options("r");
  o.fleet.strict = true;
  RackAggregator agg(o);
  agg.add(digest(0));
  NodeDigest again = digest(0);
  EXPECT_THROW(agg.add(again), InputError);
  EXPECT_THROW(agg.exclude("x.json", "x.json: not valid JSON"), InputError);
}

TEST_F(RackValidation, UnreadableReportIsListedAndTheRestAggregated) {
  const std::string bad = test::temp_path("truncated.json");
  std::ofstream(bad) << read_file(files_[1]).substr(0, 1000);
  const auto rack = aggregate_rack({files_[0], bad, files_[2]}, options("r"), 2);
  ASSERT_EQ(rack["excluded"].size(), 1u);
  EXPECT_EQ(rack["excluded"][0]["file"], bad);
  EXPECT_NE(rack["excluded"][0]["reason"].get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(rack["counts"]["nodes"], 2);
}

}  // namespace
}  // namespace tranche
