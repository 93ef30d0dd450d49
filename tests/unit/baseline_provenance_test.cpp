// Every shipped reference states its provenance, carries the margins its provenance earns, and is never looser
// than the public anchors' floors (Azure HPC health checks, DCGM per-SKU floors).
#include <gtest/gtest.h>

#include <cmath>

#include "harness/core/errors.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/provenance.h"

namespace tranche {
namespace {

std::vector<Baseline> shipped() { return load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus"); }

TEST(Provenance, DefaultMarginsPerKind) {
  const auto hi = Direction::higher_is_better;
  EXPECT_DOUBLE_EQ(default_margins(Provenance::derived, hi).warn_ratio, 0.95);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::derived, hi).fail_ratio, 0.90);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::measured, hi).warn_ratio, 0.92);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::measured, hi).fail_ratio, 0.85);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::datasheet, hi).warn_ratio, 0.85);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::datasheet, hi).fail_ratio, 0.70);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::measured, Direction::lower_is_better).fail_ratio, 1.15);
  EXPECT_DOUBLE_EQ(default_margins(Provenance::datasheet, Direction::equal).fail_ratio, 1.0);
}

TEST(Provenance, AnAnchorStricterThanTheDefaultSetsTheFailLine) {
  Expectation e;
  e.reference = 250e9;
  e.direction = Direction::higher_is_better;
  e.provenance = Provenance::measured;
  e.floor = AnchorFloor{238e9, "Azure A100 P2P floor"};
  const Margins m = required_margins(e);
  EXPECT_DOUBLE_EQ(m.fail_ratio, 0.952);  // 238/250, not the default 0.85 (212.5 GB/s)
  EXPECT_DOUBLE_EQ(m.warn_ratio, 0.972);
  e.floor = AnchorFloor{48e9, "Azure Gen5 floor"};
  e.reference = 55.43e9;
  EXPECT_DOUBLE_EQ(required_margins(e).fail_ratio, 0.866);
  e.floor = AnchorFloor{10e9, "a floor the default already clears"};
  EXPECT_DOUBLE_EQ(required_margins(e).fail_ratio, 0.85);
}

TEST(ShippedBaselines, EveryMarginFollowsItsProvenance) {
  const auto all = shipped();
  ASSERT_GE(all.size(), 12u);
  for (const auto& b : all) {
    for (const auto& e : b.expectations) {
      const Margins m = required_margins(e);
      EXPECT_NEAR(e.warn_ratio, m.warn_ratio, 1e-9) << b.id << " " << e.metric << " (" << to_string(e.provenance) << ")";
      EXPECT_NEAR(e.fail_ratio, m.fail_ratio, 1e-9) << b.id << " " << e.metric << " (" << to_string(e.provenance) << ")";
      EXPECT_FALSE(e.source.empty()) << b.id << " " << e.metric;
    }
  }
}

// The public anchors, restated here so a baseline that drops its floor (or loosens under it) fails this test.
struct Anchor {
  const char* sku;
  const char* metric;
  std::map<std::string, std::string> labels;
  double floor;
};
const Anchor kAnchors[] = {
    // Azure/azurehpc-health-checks conf/*.conf check_gpu_bw H2D/D2H and device_to_device_memcpy_read_ce floors.
    {"h100-sxm5-80gb", "p2p.unidir/bandwidth", {{"method", "ce"}}, 335e9},
    {"h200-sxm-141gb", "p2p.unidir/bandwidth", {{"method", "ce"}}, 335e9},
    {"a100-sxm4-80gb", "p2p.unidir/bandwidth", {{"method", "ce"}}, 238e9},
    {"h100-sxm5-80gb", "pcie.h2d/bandwidth", {{"phase", "alone"}}, 48e9},
    {"h100-sxm5-80gb", "pcie.d2h/bandwidth", {{"phase", "alone"}}, 48e9},
    {"h200-sxm-141gb", "pcie.h2d/bandwidth", {{"phase", "alone"}}, 48e9},
    {"h200-sxm-141gb", "pcie.d2h/bandwidth", {{"phase", "alone"}}, 48e9},
    {"h100-nvl", "pcie.h2d/bandwidth", {{"phase", "alone"}}, 48e9},
    {"a100-sxm4-80gb", "pcie.h2d/bandwidth", {{"phase", "alone"}}, 21e9},
    {"a100-sxm4-80gb", "pcie.d2h/bandwidth", {{"phase", "alone"}}, 21e9},
    {"a100-pcie-80gb", "pcie.h2d/bandwidth", {{"phase", "alone"}}, 21e9},
    // NVIDIA/DCGM diag-skus.yaml.in: memory_bandwidth.minimum_bandwidth (MB/s, read as MiB/s) and 0.95 x the
    // targeted_stress GEMM target.
    {"h100-sxm5-80gb", "membw.triad/bandwidth", {}, 1905000 * 1048576.0},
    {"b200", "membw.triad/bandwidth", {}, 4072500 * 1048576.0},
    {"a100-sxm4-80gb", "gemm.fp64/flops", {{"m", "8192"}, {"n", "8192"}, {"k", "8192"}}, 0.95 * 6975e9},
    {"a100-pcie-80gb", "gemm.fp64/flops", {{"m", "8192"}, {"n", "8192"}, {"k", "8192"}}, 0.95 * 13425e9},
    {"h100-nvl", "gemm.fp32/flops", {{"m", "8192"}, {"n", "8192"}, {"k", "8192"}}, 0.95 * 25575e9},
};

TEST(ShippedBaselines, NeverLooserThanAPublicAnchor) {
  const auto all = shipped();
  for (const auto& a : kAnchors) {
    const Baseline* b = nullptr;
    for (const auto& x : all) b = x.id == a.sku ? &x : b;
    ASSERT_NE(b, nullptr) << a.sku;
    bool found = false;
    for (const auto& e : b->expectations) {
      if (e.metric != a.metric || e.labels != a.labels) continue;
      found = true;
      EXPECT_GE(e.reference * e.fail_ratio, a.floor * (1 - 1e-9)) << a.sku << " " << a.metric;
      ASSERT_TRUE(e.floor.has_value()) << a.sku << " " << a.metric << " must cite its anchor floor";
      EXPECT_GE(e.floor->value, a.floor * (1 - 1e-9)) << a.sku << " " << a.metric;
    }
    EXPECT_TRUE(found) << a.sku << " has no " << a.metric;
  }
}

TEST(ShippedBaselines, B200BoardsAreSplitByPciIdSoMemoryCannotPassForTheOther) {
  const auto all = shipped();
  const Baseline *b180 = nullptr, *b168 = nullptr;
  for (const auto& b : all) {
    if (b.id == "b200") b180 = &b;
    if (b.id == "b200-168gb") b168 = &b;
  }
  ASSERT_TRUE(b180 && b168);
  EXPECT_EQ(b180->match.pci_device_ids, std::vector<std::uint32_t>{0x2901});
  EXPECT_EQ(b168->match.pci_device_ids, std::vector<std::uint32_t>{0x2909});
  // A 0x2901 board reports 183,359 MiB: its floor is above anything a 168 GB board has.
  EXPECT_GT(*b180->node.memory_bytes_min, 180e9);
  EXPECT_LT(*b168->node.memory_bytes_min, 168e9);
}

}  // namespace
}  // namespace tranche
