// The CUDA last-error state on a real GPU: a poll that saw cudaErrorNotReady, or a failed allocation, leaves
// nothing behind for the next launch; and checks run back to back on one thread (--sequential) and concurrently
// all succeed (issue #17 item 1).
#include <gtest/gtest.h>

#include <chrono>

#include "harness/core/registry.h"
#include "harness/core/runner.h"
#include "harness/gpu/cuda_launch.h"
#include "harness/gpu/cuda_poll.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/stream.h"
#include "harness/gpu/system_probe.h"
#include "kernels/transfer.cuh"
#include "tests/gpu/gpu_test_util.h"

namespace tranche {
namespace {

auto far_deadline() { return std::chrono::steady_clock::now() + std::chrono::seconds(60); }

// A one-thread kernel spinning ~50 ms on a flag nobody sets: the poll sees cudaErrorNotReady many times.
TEST(LastErrorGpu, PollLeavesNoNotReadyForTheNextLaunch) {
  TRANCHE_REQUIRE_GPU();
  set_device(0);
  Stream s;
  DeviceBuffer<unsigned> flag(1), timed_out(1);
  TRANCHE_CUDA(cudaMemsetAsync(flag.data(), 0, sizeof(unsigned), s.get()));
  TRANCHE_LAUNCH(kernels::spin_until_flag(flag.data(), 50'000'000ull, timed_out.data(), s.get()));
  ASSERT_EQ(cudaStreamQuery(s.get()), cudaErrorNotReady);  // the runtime records it as the last error too
  EXPECT_EQ(cudaPeekAtLastError(), cudaErrorNotReady);
  (void)cudaGetLastError();
  wait_stream(s.get(), far_deadline(), "spin");
  EXPECT_EQ(cudaPeekAtLastError(), cudaSuccess);
  DeviceBuffer<std::uint64_t> words(1024);
  EXPECT_NO_THROW(TRANCHE_LAUNCH(kernels::pattern_fill(words.data(), words.size(), 7, s.get())));
  wait_stream(s.get(), far_deadline(), "fill");
}

// A launch after a stale non-sticky error (here a failed allocation the caller handled) is not blamed for it.
TEST(LastErrorGpu, FailedAllocationDoesNotFailTheNextLaunch) {
  TRANCHE_REQUIRE_GPU();
  set_device(0);
  void* p = nullptr;
  ASSERT_EQ(cudaMalloc(&p, std::size_t{1} << 62), cudaErrorMemoryAllocation);
  Stream s;
  DeviceBuffer<std::uint64_t> words(1024);
  EXPECT_NO_THROW(TRANCHE_LAUNCH(kernels::pattern_fill(words.data(), words.size(), 7, s.get())));
  EXPECT_EQ(cudaPeekAtLastError(), cudaSuccess);
  wait_stream(s.get(), far_deadline(), "fill");
}

// membw, gemm and pcie checks one after another on one thread, then the same concurrently on every GPU: every
// measurement succeeds (before the fix, the first launch after any wait reported cudaErrorNotReady).
std::vector<Measurement> run_ids(const std::vector<std::string>& ids, bool sequential) {
  static const SystemInfo sys = probe_system();
  Plan plan;
  plan.sequential = sequential;
  for (const auto& g : sys.gpus) plan.gpus.push_back(g.index);
  for (const std::string& id : ids) {
    PlanItem item;
    item.entry = CheckRegistry::global().find(id);
    EXPECT_NE(item.entry, nullptr) << id;
    if (!item.entry) continue;
    for (const auto& p : item.entry->info.params) item.params[p.name] = p.default_value;
    item.timeout_s = 120;
    plan.items.push_back(std::move(item));
  }
  // Small, quick figures: the subject is the error state between checks, not the numbers.
  for (PlanItem& item : plan.items) {
    const std::string& id = item.entry->info.id;
    if (id.rfind("membw.", 0) == 0) item.params["array_bytes"] = std::int64_t{256} << 20;
    if (id.rfind("gemm.", 0) == 0) {
      item.params["m"] = nlohmann::json::array({2048, 1024});  // two shapes: the second follows a wait
      item.params["n"] = nlohmann::json::array({2048, 1024});
      item.params["k"] = nlohmann::json::array({2048, 1024});
      item.params["samples"] = 3;
      item.params["min_duration_s"] = 0.0;
    }
    if (id.rfind("pcie.", 0) == 0) item.params["size_bytes"] = std::int64_t{32} << 20;
  }
  return run_plan(plan, sys, {});
}

void expect_all_ok(const std::vector<Measurement>& ms) {
  ASSERT_FALSE(ms.empty());
  for (const Measurement& m : ms) {
    EXPECT_EQ(m.status, MeasurementStatus::ok)
        << m.check_id << " gpu " << m.device.value_or(-1) << ": " << (m.error ? m.error->message : m.reason);
    EXPECT_FALSE(m.details.contains("errors")) << m.check_id << ": " << m.details.dump(2);
  }
}

TEST(LastErrorGpu, ChecksBackToBackOnOneThreadSequential) {
  TRANCHE_REQUIRE_GPU();
  expect_all_ok(run_ids({"membw.copy", "membw.read", "gemm.bf16", "pcie.h2d", "pcie.d2h", "membw.triad"}, true));
}

TEST(LastErrorGpu, ChecksBackToBackConcurrent) {
  TRANCHE_REQUIRE_GPU();
  expect_all_ok(run_ids({"membw.copy", "gemm.bf16", "pcie.bidir", "membw.scale"}, false));
}

}  // namespace
}  // namespace tranche
