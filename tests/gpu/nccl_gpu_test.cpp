// NCCL collectives on real GPUs: every op at n=1 (and n=all when there are several) runs a small sweep, in float
// and bf16, out of place and in place, and verifies with zero mismatches; busbw follows the factor.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <iostream>

#include "benches/nccl/nccl_core.h"
#include "harness/core/registry.h"
#include "harness/gpu/nccl_api.h"
#include "harness/gpu/system_probe.h"
#include "tests/gpu/gpu_test_util.h"

namespace tranche {
namespace {

auto far_deadline() { return std::chrono::steady_clock::now() + std::chrono::seconds(300); }

nlohmann::json small_params(const CheckInfo& info) {
  nlohmann::json p = nlohmann::json::object();
  for (const auto& spec : info.params) p[spec.name] = spec.default_value;
  p["min_bytes"] = 8;
  p["max_bytes"] = 64 << 20;
  p["step_factor"] = 8;
  p["warmup"] = 1;
  p["iters"] = 3;
  p["plateau_bytes"] = 16 << 20;
  return p;
}

void run_every_op(const std::vector<int>& gpus) {
  const SystemInfo sys = probe_system();
  for (nccl::CollectiveOp op : nccl::all_ops()) {
    const std::string id = "nccl." + std::string(nccl::op_name(op));
    const auto* e = CheckRegistry::global().find(id);
    ASSERT_NE(e, nullptr) << id;
    RunContext ctx(sys, std::nullopt, gpus, small_params(e->info), far_deadline());
    const Measurement m = e->make()->run(ctx);
    ASSERT_EQ(m.status, MeasurementStatus::ok) << id;
    int mismatch_metrics = 0, largest = 0;
    for (const Metric& metric : m.metrics) {
      if (metric.name == id + "/mismatches") {
        ++mismatch_metrics;
        EXPECT_EQ(metric.value, 0.0) << id << " " << metric.labels.at("dtype") << " " << metric.labels.at("placement");
      }
      if (metric.name == id + "/bus_bandwidth" && metric.labels.at("sizes") == "largest") {
        ++largest;
        ASSERT_TRUE(metric.value);
        if (gpus.size() > 1 || nccl::bus_factor(op, 1) > 0) {
          EXPECT_GT(*metric.value, 0.0) << id;
        }
      }
    }
    EXPECT_EQ(mismatch_metrics, nccl::supports_in_place(op) ? 4 : 2) << id;
    EXPECT_EQ(largest, mismatch_metrics) << id;
    EXPECT_EQ(m.details["nranks"], static_cast<int>(gpus.size()));
    EXPECT_FALSE(m.details["table"].empty());
    std::cout << id << " n=" << gpus.size() << ": " << m.details["table"].back().dump() << "\n";
  }
}

TEST(NcclGpu, EveryOpOnOneGpuVerifies) {
  TRANCHE_REQUIRE_GPU();
  std::string why;
  if (!try_nccl(&why)) GTEST_SKIP() << "no NCCL: " << why;
  run_every_op({0});
}

TEST(NcclGpu, EveryOpOnAllGpusVerifies) {
  const int n = tranche_test_gpu_count();
  if (n < 2) GTEST_SKIP() << "needs at least 2 GPUs; " << n << " visible";
  std::string why;
  if (!try_nccl(&why)) GTEST_SKIP() << "no NCCL: " << why;
  std::vector<int> gpus;
  for (int i = 0; i < n; ++i) gpus.push_back(i);
  run_every_op(gpus);
}

}  // namespace
}  // namespace tranche
