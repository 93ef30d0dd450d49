// NCCL collectives on real GPUs: every op at n=1 (and n=all when there are several) runs a small sweep, in float
// and bf16, out of place and in place, and verifies with zero mismatches; busbw follows the factor; NCCL's TUNING
// log gives each collective's algorithm; the multi-node entry point (a world slice, sendrecv with a shift) runs and
// verifies within one process.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <iostream>

#include "benches/nccl/nccl_core.h"
#include "benches/nccl/nccl_tuning_capture.h"
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
  nccl::TuningCapture::process();  // before NCCL's first use in this process, as the checks do
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
    // NCCL's own account of its choice, where it gives one (collectives, with the log tranche turned on).
    const nlohmann::json& algo = m.details["algorithm"];
    if (!nccl::tuning_function_name(op).empty() && nccl::TuningCapture::process().plan().capture) {
      EXPECT_FALSE(algo["chosen"].empty()) << id << " " << algo.dump();
      EXPECT_FALSE(m.details["table"].back()["nccl_choice"].is_null()) << id;
    } else {
      EXPECT_TRUE(algo["reason"].is_string()) << id << " " << algo.dump();
    }
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

// The multi-node path in one process: this process's GPUs are the whole world, with an id it made itself.
TEST(NcclGpu, WorldSliceRunsAndSendRecvWithAShiftVerifies) {
  TRANCHE_REQUIRE_GPU();
  std::string why;
  if (!try_nccl(&why)) GTEST_SKIP() << "no NCCL: " << why;
  const int n = tranche_test_gpu_count();
  std::vector<int> gpus;
  for (int i = 0; i < n; ++i) gpus.push_back(i);
  const SystemInfo sys = probe_system();
  for (nccl::CollectiveOp op : {nccl::CollectiveOp::all_reduce, nccl::CollectiveOp::sendrecv}) {
    const std::string id = "nccl." + std::string(nccl::op_name(op));
    NcclWorld world;
    ASSERT_EQ(nccl_api().ncclGetUniqueId(&world.id), nccl_abi::kSuccess);
    world.nranks = n;
    world.first_rank = 0;
    RunContext ctx(sys, std::nullopt, gpus, small_params(CheckRegistry::global().find(id)->info), far_deadline());
    const int shift = n % 2 == 0 ? n / 2 : 1;  // node pairs' exchange when it exists, the ring otherwise
    const Measurement m = nccl::run_collective_in_world(ctx, op, world, shift);
    ASSERT_EQ(m.status, MeasurementStatus::ok) << id;
    for (const Metric& metric : m.metrics) {
      if (metric.name == id + "/mismatches") {
        EXPECT_EQ(metric.value, 0.0) << id;
      }
    }
    EXPECT_EQ(m.details["ranks"].size(), static_cast<std::size_t>(n));
  }
}

}  // namespace
}  // namespace tranche
