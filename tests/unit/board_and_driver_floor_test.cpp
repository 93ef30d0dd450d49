// Board variants (HGX 4- and 8-GPU counts, NVL bridges) and the driver floor taken from the build's CUDA runtime.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/inventory.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/judge.h"
#include "harness/judge/preflight_expectations.h"

namespace tranche {
namespace {

const Baseline& shipped(const std::string& id) {
  static const auto all = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
  for (const auto& b : all) {
    if (b.id == id) return b;
  }
  throw std::runtime_error("no shipped baseline " + id);
}

Measurement node_metric(const char* check, const char* quantity, double value, const char* unit = "count") {
  Measurement m;
  m.check_id = check;
  m.add_metric(quantity, value, unit);
  return m;
}

Outcome outcome_of(const std::vector<Verdict>& vs, const std::string& metric) {
  for (const auto& v : vs) {
    if (v.metric == metric) return v.outcome;
  }
  ADD_FAILURE() << "no verdict for " << metric;
  return Outcome::error;
}

TEST(BoardVariants, HgxBaselinesAcceptFourAndEightGpusAndNothingElse) {
  for (const char* id : {"h100-sxm5-80gb", "h200-sxm-141gb", "a100-sxm4-80gb"}) {
    const Baseline& b = shipped(id);
    EXPECT_EQ(b.node.gpus_per_node, (std::vector<int>{4, 8})) << id;
    for (int n : {4, 8}) {
      EXPECT_EQ(outcome_of(judge({node_metric("preflight.inventory", "gpu_count", n)}, &b), "preflight.inventory/gpu_count"),
                Outcome::pass)
          << id << " with " << n << " GPUs";
    }
    for (int n : {3, 6, 7}) {
      const auto vs = judge({node_metric("preflight.inventory", "gpu_count", n)}, &b);
      EXPECT_EQ(outcome_of(vs, "preflight.inventory/gpu_count"), Outcome::fail) << id << " with " << n << " GPUs";
      EXPECT_NE(vs[0].message.find("expected one of 4, 8"), std::string::npos) << vs[0].message;
    }
  }
  EXPECT_EQ(shipped("b200").node.gpus_per_node, std::vector<int>{8});
  EXPECT_EQ(shipped("gb200").node.gpus_per_node, std::vector<int>{4});
}

TEST(BoardVariants, GpuCountsParseAsOneCountOrAnAscendingList) {
  EXPECT_EQ(gpu_counts_from_json(nlohmann::json(8), "f.json", "$.node.gpus_per_node"), std::vector<int>{8});
  EXPECT_EQ(gpu_counts_from_json(nlohmann::json::parse("[4, 8]"), "f.json", "$.node.gpus_per_node"),
            (std::vector<int>{4, 8}));
  for (const char* bad : {"[8, 4]", "[4, 4]", "[]", "0", "[4, \"8\"]", "73"}) {
    try {
      gpu_counts_from_json(nlohmann::json::parse(bad), "f.json", "$.node.gpus_per_node");
      ADD_FAILURE() << bad << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("f.json: $.node.gpus_per_node: ", 0), 0u) << e.what();
    }
  }
}

TEST(BoardVariants, NvlBaselinesExpectTheirBridgeSoADeadBridgeFails) {
  for (const auto& [id, links] : {std::pair<const char*, int>{"h100-nvl", 12}, {"h200-nvl", 18}}) {
    const Baseline& b = shipped(id);
    ASSERT_TRUE(b.node.nvlinks_per_gpu.has_value()) << id;
    EXPECT_EQ(*b.node.nvlinks_per_gpu, links) << id;
    Measurement dead = node_metric("preflight.nvlink", "links_active", 0);
    dead.metrics[0].device = 1;
    EXPECT_EQ(outcome_of(judge({dead}, &b), "preflight.nvlink/links_active"), Outcome::fail) << id;
  }
}

TEST(DriverFloor, TheLargerOfTheSkuFloorAndTheBuildsRuntimeFloor) {
  EXPECT_EQ(minimum_driver("", 12080).version, "525.60.13");  // CUDA 12: minor-version compatibility floor
  EXPECT_TRUE(minimum_driver("", 12080).from_runtime);
  const DriverFloor cuda13 = minimum_driver("570.133.20", 13000);
  EXPECT_EQ(cuda13.version, "580.65.06");
  EXPECT_TRUE(cuda13.from_runtime);
  EXPECT_NE(cuda13.why.find("570.133.20"), std::string::npos) << cuda13.why;  // both sources named
  EXPECT_NE(cuda13.why.find("CUDA 13.x"), std::string::npos) << cuda13.why;
  const DriverFloor cuda12 = minimum_driver("570.133.20", 12080);
  EXPECT_EQ(cuda12.version, "570.133.20");  // the SKU's floor binds: B200 needs R570 whatever the build
  EXPECT_FALSE(cuda12.from_runtime);
  EXPECT_TRUE(minimum_driver("", 0).version.empty());  // nothing known: no rule
  EXPECT_THROW(minimum_driver("r570", 13000), InputError);
}

Verdict driver_verdict(const Baseline& b, const char* driver, int runtime) {
  JudgeOptions o;
  o.cuda_runtime_version = runtime;
  const auto vs = judge({node_metric("preflight.inventory", "driver_version", *driver_version_number(driver))}, &b, o);
  for (const auto& v : vs) {
    if (v.metric == "preflight.inventory/driver_version") return v;
  }
  ADD_FAILURE() << "no driver verdict";
  return {};
}

TEST(DriverFloor, ACuda12BuildAcceptsHealthyR535ToR570Nodes) {
  const Baseline& h100 = shipped("h100-sxm5-80gb");
  for (const char* d : {"535.104.05", "550.54.15", "570.133.20"}) {
    EXPECT_EQ(driver_verdict(h100, d, 12080).outcome, Outcome::pass) << d;
  }
}

TEST(DriverFloor, ACuda13BuildExplainsAnOldDriver) {
  const Verdict v = driver_verdict(shipped("h100-sxm5-80gb"), "570.133.20", 13000);
  EXPECT_EQ(v.outcome, Outcome::fail);
  EXPECT_NE(v.source.find("CUDA 13.x runtime tranche was built with, 580.65.06"), std::string::npos) << v.source;
  EXPECT_NE(v.message.find("needs NVIDIA driver R580 or later; upgrade the driver"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("cuda-compat-13-0"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("(580.65.06)"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("older CUDA"), std::string::npos) << v.message;
  EXPECT_EQ(driver_verdict(shipped("h100-sxm5-80gb"), "580.95.05", 13000).outcome, Outcome::pass);
}

TEST(DriverFloor, TheSkuFloorStillBindsOnACuda12Build) {
  EXPECT_EQ(driver_verdict(shipped("b200"), "565.57.01", 12080).outcome, Outcome::fail);
  EXPECT_EQ(driver_verdict(shipped("b200"), "570.133.20", 12080).outcome, Outcome::pass);
}

}  // namespace
}  // namespace tranche
