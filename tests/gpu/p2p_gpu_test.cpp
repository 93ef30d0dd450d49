// Peer-to-peer on real GPUs: one GPU gives a skipped, not-required measurement; with two, every path verifies
// and the matrices are N x N.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include "benches/p2p/p2p_core.h"
#include "harness/core/registry.h"
#include "harness/gpu/system_probe.h"
#include "tests/gpu/gpu_test_util.h"

namespace tranche {
namespace {

auto far_deadline() { return std::chrono::steady_clock::now() + std::chrono::seconds(300); }

nlohmann::json small_params(const CheckInfo& info) {
  nlohmann::json p = nlohmann::json::object();
  for (const auto& spec : info.params) p[spec.name] = spec.default_value;
  p["size_bytes"] = (8 << 20) + 8;
  p["samples"] = 3;
  p["latency_steps"] = 2000;
  return p;
}

TEST(P2pGpu, OneGpuIsSkippedWithTheReason) {
  TRANCHE_REQUIRE_GPU();
  const SystemInfo sys = probe_system();
  for (const char* id : {"p2p.unidir", "p2p.bidir", "p2p.latency"}) {
    const auto* e = CheckRegistry::global().find(id);
    ASSERT_NE(e, nullptr);
    RunContext ctx(sys, std::nullopt, {0}, small_params(e->info), far_deadline());
    const Measurement m = e->make()->run(ctx);
    EXPECT_EQ(m.status, MeasurementStatus::skipped) << id;
    EXPECT_FALSE(m.required);
    EXPECT_NE(m.reason.find("needs at least 2 GPUs"), std::string::npos) << m.reason;
  }
}

TEST(P2pGpu, MatricesMatchTheGpuCountAndVerify) {
  TRANCHE_REQUIRE_GPUS(2);
  const int n = tranche_test_gpu_count();
  const SystemInfo sys = probe_system();
  std::vector<int> gpus;
  for (int i = 0; i < n; ++i) gpus.push_back(i);
  for (const char* id : {"p2p.unidir", "p2p.bidir", "p2p.latency"}) {
    const auto* e = CheckRegistry::global().find(id);
    ASSERT_NE(e, nullptr);
    RunContext ctx(sys, std::nullopt, gpus, small_params(e->info), far_deadline());
    const Measurement m = e->make()->run(ctx);
    ASSERT_EQ(m.status, MeasurementStatus::ok) << id;
    ASSERT_EQ(m.details.at("peer_access").size(), static_cast<std::size_t>(n));
    for (const auto& row : m.details.at("peer_access")) EXPECT_EQ(row.size(), static_cast<std::size_t>(n));
    for (const auto& x : m.metrics) {
      if (x.name.ends_with("/mismatches")) {
        EXPECT_EQ(x.value, 0.0) << id;
      }
    }
  }
}

TEST(P2pGpu, DirectPathsVerifyWhenPeerAccessExists) {
  TRANCHE_REQUIRE_GPUS(2);
  int can = 0;
  ASSERT_EQ(cudaDeviceCanAccessPeer(&can, 0, 1), cudaSuccess);
  if (!can) GTEST_SKIP() << "GPU 0 cannot access GPU 1";
  p2p::PeerAccessGuard guard(0, 1);
  p2p::P2pOptions opt;
  opt.size_bytes = (4 << 20) + 8;
  opt.samples = 2;
  opt.latency_steps = 1000;
  for (auto method : {p2p::CopyMethod::ce, p2p::CopyMethod::sm}) {
    EXPECT_EQ(p2p::measure_unidir(0, 1, method, opt, far_deadline()).mismatches, 0u);
    EXPECT_EQ(p2p::measure_bidir(0, 1, method, opt, far_deadline()).mismatches, 0u);
  }
  const auto lat = p2p::measure_latency(0, 1, opt, far_deadline());
  EXPECT_EQ(lat.mismatches, 0u);
  for (double t : lat.seconds) EXPECT_GT(t, 0.0);
}

}  // namespace
}  // namespace tranche
