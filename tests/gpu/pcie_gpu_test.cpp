// PCIe transfers on a real GPU: each direction runs and verifies, the check emits its metrics for both phases.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "benches/pcie/pcie_core.h"
#include "harness/core/registry.h"
#include "harness/gpu/cuda_event.h"
#include "harness/gpu/device_buffer.h"
#include "harness/gpu/host_numa.h"
#include "harness/gpu/stream.h"
#include "harness/gpu/system_probe.h"
#include "kernels/transfer.cuh"
#include "tests/gpu/gpu_test_util.h"

namespace tranche {
namespace {

auto far_deadline() { return std::chrono::steady_clock::now() + std::chrono::seconds(120); }

nlohmann::json defaults(const CheckInfo& info) {
  nlohmann::json p = nlohmann::json::object();
  for (const auto& spec : info.params) p[spec.name] = spec.default_value;
  return p;
}

TEST(PcieGpu, EachDirectionRunsAndVerifies) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  pcie::TransferOptions opt;
  opt.size_bytes = (4ull << 20) + 24;  // not a power of two
  opt.samples = 3;
  opt.warmup = 1;
  for (auto dir : {pcie::Direction::h2d, pcie::Direction::d2h, pcie::Direction::bidir}) {
    const auto run = pcie::measure_transfer(0, sys.gpus[0].pci_bus_id, dir, opt, far_deadline());
    EXPECT_EQ(run.mismatches, 0u) << pcie::to_string(dir);
    ASSERT_EQ(run.seconds.size(), 3u);
    for (double t : run.seconds) EXPECT_GT(t, 0.0);
    // Every sample gives a figure; bidir may lack one only when no whole copy of a direction fit the overlap.
    EXPECT_EQ(run.bandwidth_Bps.size() + static_cast<std::size_t>(run.samples_without_overlap), 3u);
    EXPECT_FALSE(run.bandwidth_Bps.empty()) << pcie::to_string(dir);
    for (double bw : run.bandwidth_Bps) EXPECT_GT(bw, 0.0);
    for (double share : run.overlap_share) {
      EXPECT_GT(share, 0.0);
      EXPECT_LE(share, 1.0);
    }
    if (dir == pcie::Direction::bidir) {
      // For the GPU session log: how much of each sample both directions shared.
      std::cout << "bidir overlap shares:";
      for (double share : run.overlap_share) std::cout << " " << share;
      std::cout << "\n";
    }
    EXPECT_EQ(run.bytes_per_sample, pcie::transfer_bytes(dir, opt.size_bytes));
    EXPECT_TRUE(run.host_memory == "mbind+cudaHostRegister" || run.host_memory == "cudaHostAlloc");
  }
}

// The NUMA node a host page lives on, read back from the kernel (get_mempolicy with MPOL_F_NODE | MPOL_F_ADDR,
// values from linux/mempolicy.h); nullopt when the kernel does not say.
std::optional<int> page_node(void* addr) {
  constexpr unsigned long kMpolFNode = 1, kMpolFAddr = 2;
  int node = -1;
  if (syscall(SYS_get_mempolicy, &node, nullptr, 0ul, addr, kMpolFNode | kMpolFAddr) != 0) return std::nullopt;
  return node;
}

TEST(PcieGpu, NumaPinnedBufferIsPinnedAndOnTheGpusNode) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  const int node = pcie::host_numa_node(0, sys.gpus[0].pci_bus_id);
  NumaPinnedBuffer buf(1 << 20, node);
  ASSERT_NE(buf.data(), nullptr);
  // Pinned: CUDA knows the whole range as page-locked host memory (registered or cudaHostAlloc'd).
  for (char* p : {static_cast<char*>(buf.data()), static_cast<char*>(buf.data()) + buf.bytes() - 1}) {
    cudaPointerAttributes attr{};
    ASSERT_EQ(cudaPointerGetAttributes(&attr, p), cudaSuccess);
    EXPECT_EQ(attr.type, cudaMemoryTypeHost) << buf.method() << " " << buf.note();
  }
  std::memset(buf.data(), 0x5A, buf.bytes());
  EXPECT_EQ(static_cast<unsigned char*>(buf.data())[buf.bytes() - 1], 0x5A);
  if (node < 0 || !buf.on_node()) {  // no node for this GPU, or mbind refused: default placement, and why
    EXPECT_EQ(buf.method(), "cudaHostAlloc");
    EXPECT_FALSE(buf.note().empty());
    return;
  }
  // Where: every page sampled lies on the GPU's node, as the buffer claims.
  EXPECT_EQ(buf.method(), "mbind+cudaHostRegister");
  for (std::size_t off = 0; off < buf.bytes(); off += 256 << 10) {
    const auto where = page_node(static_cast<char*>(buf.data()) + off);
    ASSERT_TRUE(where.has_value()) << "get_mempolicy failed at offset " << off;
    EXPECT_EQ(*where, node) << "offset " << off;
  }
}

TEST(PcieGpu, CheckEmitsBothPhasesOnOneGpu) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  const auto* entry = CheckRegistry::global().find("pcie.h2d");
  ASSERT_NE(entry, nullptr);
  nlohmann::json params = defaults(entry->info);
  params["size_bytes"] = 8 << 20;
  params["samples"] = 3;
  RunContext ctx(sys, std::nullopt, {0}, params, far_deadline());
  const Measurement m = entry->make()->run(ctx);
  ASSERT_EQ(m.status, MeasurementStatus::ok);
  int alone = 0, together = 0, aggregate = 0, mismatches = 0;
  for (const auto& x : m.metrics) {
    if (x.name == "pcie.h2d/bandwidth" && x.labels.at("phase") == "alone") ++alone;
    if (x.name == "pcie.h2d/bandwidth" && x.labels.at("phase") == "all_gpus") ++together;
    if (x.name == "pcie.h2d/aggregate_bandwidth") ++aggregate;
    if (x.name == "pcie.h2d/mismatches") {
      ++mismatches;
      EXPECT_EQ(x.value, 0.0);
    }
  }
  EXPECT_EQ(alone, 1);
  EXPECT_EQ(together, 1);
  EXPECT_EQ(aggregate, 1);
  EXPECT_EQ(mismatches, 1);
  EXPECT_EQ(m.details.at("per_gpu").size(), 1u);
}

// The all-GPU start on the GPU clock: copies queued behind the spin kernel run once the counter is raised, and
// a counter never raised makes the spin run out: E_TIMEOUT for this GPU, not a silent solo start.
TEST(PcieGpu, SamplesStartWhenTheCounterReachesThem) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  pcie::TransferOptions opt;
  opt.size_bytes = 4ull << 20;
  opt.samples = 3;
  opt.warmup = 1;
  ASSERT_EQ(cudaSetDevice(0), cudaSuccess);
  PinnedBuffer<unsigned> flag(1, cudaHostAllocMapped | cudaHostAllocPortable);
  *static_cast<volatile unsigned*>(flag.data()) = 0;
  CudaEvent ready(cudaEventDisableTiming);
  pcie::GpuClockStart start;
  start.host_flag = flag.data();
  start.max_spin_ns = 10'000'000'000ull;
  start.ready = ready.get();
  std::vector<unsigned> recorded, released;
  start.ready_recorded = [&](unsigned sample) { recorded.push_back(sample); };
  start.enqueued = [&](unsigned sample) {
    released.push_back(sample);
    *static_cast<volatile unsigned*>(flag.data()) = sample;
  };
  const auto run =
      pcie::measure_transfer(0, sys.gpus[0].pci_bus_id, pcie::Direction::bidir, opt, far_deadline(), &start);
  EXPECT_EQ(run.mismatches, 0u);
  EXPECT_EQ(recorded, (std::vector<unsigned>{1, 2, 3}));
  EXPECT_EQ(released, (std::vector<unsigned>{1, 2, 3}));
  for (double t : run.seconds) EXPECT_GT(t, 0.0);

  *static_cast<volatile unsigned*>(flag.data()) = 0;
  start.max_spin_ns = 50'000'000ull;  // 50 ms
  start.enqueued = [](unsigned) {};   // never released
  bool left = false;
  start.leave = [&] { left = true; };
  try {
    pcie::measure_transfer(0, sys.gpus[0].pci_bus_id, pcie::Direction::h2d, opt, far_deadline(), &start);
    FAIL() << "a spin that ran out was not reported";
  } catch (const GpuError& e) {
    EXPECT_EQ(e.info().id, "E_TIMEOUT");
    EXPECT_EQ(e.info().gpu, 0);
  }
  EXPECT_FALSE(left) << "the spin ran out after the loop: nothing to leave";
}

// The cross-device wait holds a GPU's copies until every other GPU's spin kernel has exited: here "another GPU" is
// a second stream spinning on its own flag, released 300 ms after this GPU's counter. One sample cannot finish
// before that release, however early this GPU's own spin kernel exits.
TEST(PcieGpu, CopiesWaitForEveryOtherGpusReadyEvent) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  pcie::TransferOptions opt;
  opt.size_bytes = 4ull << 20;
  opt.samples = 1;
  opt.warmup = 1;
  ASSERT_EQ(cudaSetDevice(0), cudaSuccess);
  PinnedBuffer<unsigned> flag(1, cudaHostAllocMapped | cudaHostAllocPortable),
      other_flag(1, cudaHostAllocMapped | cudaHostAllocPortable);
  *static_cast<volatile unsigned*>(flag.data()) = 0;
  *static_cast<volatile unsigned*>(other_flag.data()) = 0;
  DeviceBuffer<unsigned> other_timed_out(1);
  ASSERT_EQ(cudaMemset(other_timed_out.data(), 0, sizeof(unsigned)), cudaSuccess);
  unsigned* other_dev_flag = nullptr;
  ASSERT_EQ(cudaHostGetDevicePointer(reinterpret_cast<void**>(&other_dev_flag), other_flag.data(), 0), cudaSuccess);
  Stream other;
  CudaEvent ready(cudaEventDisableTiming), other_ready(cudaEventDisableTiming);
  ASSERT_EQ(kernels::spin_until_flag_reaches(other_dev_flag, 1, 10'000'000'000ull, other_timed_out.data(), other.get()),
            cudaSuccess);
  ASSERT_EQ(cudaEventRecord(other_ready.get(), other.get()), cudaSuccess);

  pcie::GpuClockStart start;
  start.host_flag = flag.data();
  start.max_spin_ns = 10'000'000'000ull;
  start.ready = ready.get();
  start.others_ready = {other_ready.get()};
  start.ready_recorded = [](unsigned) {};
  std::chrono::steady_clock::time_point released_other{};
  std::thread releaser;
  start.enqueued = [&](unsigned sample) {
    *static_cast<volatile unsigned*>(flag.data()) = sample;  // this GPU's spin exits now
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      released_other = std::chrono::steady_clock::now();
      *static_cast<volatile unsigned*>(other_flag.data()) = 1;
    });
  };
  const auto run = pcie::measure_transfer(0, sys.gpus[0].pci_bus_id, pcie::Direction::h2d, opt, far_deadline(), &start);
  const auto returned = std::chrono::steady_clock::now();
  releaser.join();
  EXPECT_EQ(run.mismatches, 0u);
  EXPECT_GE(returned, released_other) << "the sample finished before the other GPU's spin kernel exited";
  ASSERT_EQ(run.seconds.size(), 1u);
  EXPECT_LT(run.seconds[0], 0.25) << "the timed interval must start after the wait, not include it";
  unsigned timed_out = 1;
  ASSERT_EQ(cudaMemcpy(&timed_out, other_timed_out.data(), sizeof timed_out, cudaMemcpyDeviceToHost), cudaSuccess);
  EXPECT_EQ(timed_out, 0u);
}

TEST(PcieGpu, AllGpusPhaseRunsOnTheGpuClockWithoutErrors) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  const auto* entry = CheckRegistry::global().find("pcie.bidir");
  ASSERT_NE(entry, nullptr);
  nlohmann::json params = defaults(entry->info);
  params["size_bytes"] = std::int64_t{16} << 20;
  params["samples"] = 3;
  std::vector<int> gpus;
  for (const auto& g : sys.gpus) gpus.push_back(g.index);
  RunContext ctx(sys, std::nullopt, gpus, params, far_deadline());
  const Measurement m = entry->make()->run(ctx);
  EXPECT_EQ(m.status, MeasurementStatus::ok);
  EXPECT_FALSE(m.details.contains("errors")) << m.details.dump(2);
  EXPECT_TRUE(m.details.contains("all_gpus_start"));
  int together = 0;
  for (const auto& x : m.metrics) together += x.name == "pcie.bidir/bandwidth" && x.labels.at("phase") == "all_gpus";
  EXPECT_EQ(together, static_cast<int>(gpus.size()));
}

}  // namespace
}  // namespace tranche
