// The membw, pcie and p2p checks are registered with the contract's ids, scopes, orders and metric names.
#include <gtest/gtest.h>

#include <algorithm>

#include "benches/p2p/p2p_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

bool declares(const CheckInfo& info, const std::string& metric) {
  return std::find(info.metrics.begin(), info.metrics.end(), metric) != info.metrics.end();
}

TEST(BandwidthChecks, MembwChecksAreGpuScopedWithBandwidthAndMismatches) {
  for (const char* k : {"copy", "scale", "add", "triad", "read", "write"}) {
    const std::string id = std::string("membw.") + k;
    const auto* e = CheckRegistry::global().find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->info.scope, Scope::gpu);
    EXPECT_EQ(e->info.order, 30);
    EXPECT_TRUE(declares(e->info, id + "/bandwidth"));
    EXPECT_TRUE(declares(e->info, id + "/mismatches"));
  }
}

TEST(BandwidthChecks, PcieChecksAreNodeScoped) {
  for (const char* d : {"h2d", "d2h", "bidir"}) {
    const std::string id = std::string("pcie.") + d;
    const auto* e = CheckRegistry::global().find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->info.scope, Scope::node);
    EXPECT_EQ(e->info.order, 40);
    for (const char* q : {"/bandwidth", "/aggregate_bandwidth", "/link_generation", "/link_width", "/mismatches"}) {
      EXPECT_TRUE(declares(e->info, id + q)) << id << q;
    }
    SystemInfo none;
    none.device_error = ErrorInfo{};
    none.device_error->id = "E_NO_DEVICE";
    none.device_error->message = "no driver";
    const auto why = e->make()->not_applicable(none, std::nullopt);
    ASSERT_TRUE(why.has_value());
    EXPECT_EQ(*why, "no GPU to run on (E_NO_DEVICE: no driver)");
    SystemInfo one;
    one.gpus.resize(1);
    EXPECT_FALSE(e->make()->not_applicable(one, std::nullopt).has_value());
  }
}

TEST(BandwidthChecks, P2pNeedsTwoGpus) {
  for (const char* t : {"unidir", "bidir", "latency"}) {
    const auto* e = CheckRegistry::global().find(std::string("p2p.") + t);
    ASSERT_NE(e, nullptr) << t;
    EXPECT_EQ(e->info.scope, Scope::node);
    EXPECT_EQ(e->info.order, 45);
    SystemInfo one;
    one.gpus.resize(1);
    const auto why = e->make()->not_applicable(one, std::nullopt);
    ASSERT_TRUE(why.has_value());
    EXPECT_EQ(*why, "needs at least 2 GPUs; this node has 1");
    SystemInfo two;
    two.gpus.resize(2);
    EXPECT_FALSE(e->make()->not_applicable(two, std::nullopt).has_value());
  }
  EXPECT_TRUE(declares(CheckRegistry::global().find("p2p.latency")->info, "p2p.latency/latency"));
}

}  // namespace
}  // namespace tranche
