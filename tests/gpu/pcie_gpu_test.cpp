// PCIe transfers on a real GPU: each direction runs and verifies, the check emits its metrics for both phases.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "benches/pcie/pcie_core.h"
#include "harness/core/registry.h"
#include "harness/gpu/host_numa.h"
#include "harness/gpu/system_probe.h"
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

}  // namespace
}  // namespace tranche
