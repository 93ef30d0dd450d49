// SKU detection: PCI id first, then name and memory; unknown, mixed and ambiguous nodes are reported clearly; and
// select_baseline, the choice tranche run and tranche judge make from it.
#include <gtest/gtest.h>

#include "harness/judge/baseline_file.h"
#include "harness/judge/baseline_select.h"
#include "harness/judge/sku_match.h"

namespace tranche {
namespace {

const std::vector<Baseline>& shipped() {
  static const auto all = load_baselines_in(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus");
  return all;
}

SkuProbe probe(int index, const std::string& name, std::uint64_t memory, std::optional<std::uint32_t> id = {}) {
  return SkuProbe{index, name, id, memory};
}

std::string detect_one(const SkuProbe& p) {
  const auto d = detect_sku({p}, shipped());
  return d.status == SkuStatus::matched ? d.baseline->id : "<" + d.message + ">";
}

struct NameCase {
  const char* name;
  std::uint64_t memory;
  const char* sku;
};

TEST(SkuMatch, DeviceNamesAsTheDriverReportsThem) {
  const NameCase cases[] = {
      {"NVIDIA H100 80GB HBM3", 85520809984ull, "h100-sxm5-80gb"},
      {"NVIDIA H100 PCIe", 85520809984ull, "h100-pcie-80gb"},
      {"NVIDIA H100 NVL", 100485038080ull, "h100-nvl"},
      {"NVIDIA H200", 150754820096ull, "h200-sxm-141gb"},
      {"NVIDIA H200 NVL", 150754820096ull, "h200-nvl"},
      {"NVIDIA B200", 191503138816ull, "b200"},
      {"NVIDIA GB200", 199715979264ull, "gb200"},
      {"NVIDIA A100-SXM4-80GB", 85899345920ull, "a100-sxm4-80gb"},
      {"NVIDIA A100 80GB PCIe", 85899345920ull, "a100-pcie-80gb"},
      {"NVIDIA L40S", 48305799168ull, "l40s"},
      {"NVIDIA L4", 24152899584ull, "l4"},
  };
  for (const auto& c : cases) EXPECT_EQ(detect_one(probe(0, c.name, c.memory)), c.sku) << c.name;
}

TEST(SkuMatch, EveryShippedPciIdSelectsItsBaselineWhateverTheName) {
  for (const auto& b : shipped()) {
    for (auto id : b.match.pci_device_ids) EXPECT_EQ(detect_one(probe(0, "renamed by a VBIOS", 1, id)), b.id) << id;
  }
}

TEST(SkuMatch, PciIdBeatsTheName) {
  // An H100 PCIe id on a GPU whose name looks like SXM: the id decides, no ambiguity.
  EXPECT_EQ(detect_one(probe(0, "NVIDIA H100 80GB HBM3", 85520809984ull, 0x2331)), "h100-pcie-80gb");
}

TEST(SkuMatch, MemoryBelowTheRangeDoesNotMatchByName) {
  EXPECT_NE(detect_one(probe(0, "NVIDIA H100 80GB HBM3", 40000000000ull)), "h100-sxm5-80gb");
}

TEST(SkuMatch, UnknownGpuNamesTheGpuKnownSkusAndTheFix) {
  const auto d = detect_sku({probe(0, "NVIDIA H100 80GB HBM3", 85520809984ull),
                             probe(1, "NVIDIA RTX 6000 Ada Generation", 51527024640ull, 0x26b1)},
                            shipped());
  EXPECT_EQ(d.status, SkuStatus::unknown);
  EXPECT_EQ(d.baseline, nullptr);
  EXPECT_NE(d.message.find("GPU 1 (NVIDIA RTX 6000 Ada Generation, PCI id 0x26b1"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("l40s"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("--baseline FILE"), std::string::npos) << d.message;
  EXPECT_EQ(d.gpu_skus, (std::vector<std::string>{"h100-sxm5-80gb", ""}));
  const auto v = sku_verdict(d);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::error);
  EXPECT_EQ(v->error_id, "E_UNKNOWN_SKU");
}

TEST(SkuMatch, MixedNodeNamesEachGpuAndItsSku) {
  const auto d = detect_sku(
      {probe(0, "NVIDIA H100 80GB HBM3", 85520809984ull), probe(1, "NVIDIA H100 PCIe", 85520809984ull)}, shipped());
  EXPECT_EQ(d.status, SkuStatus::mixed);
  EXPECT_NE(d.message.find("GPU 0 (NVIDIA H100 80GB HBM3"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("is h100-sxm5-80gb"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("GPU 1 (NVIDIA H100 PCIe"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("is h100-pcie-80gb"), std::string::npos) << d.message;
  const auto v = sku_verdict(d);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::fail);
  EXPECT_EQ(v->error_id, "E_MIXED_SKU");
  EXPECT_EQ(v->check_id, "preflight.sku");
}

TEST(SkuMatch, TwoBaselinesClaimingOneGpuIsAmbiguous) {
  std::vector<Baseline> two(2);
  two[0].id = "a";
  two[1].id = "b";
  two[0].match.name_pattern = "NVIDIA X.*";
  two[1].match.name_pattern = ".*X1";
  const auto d = detect_sku({probe(0, "NVIDIA X1", 1)}, two);
  EXPECT_EQ(d.status, SkuStatus::ambiguous);
  EXPECT_NE(d.message.find("a, b"), std::string::npos) << d.message;
  EXPECT_EQ(sku_verdict(d)->error_id, "E_UNKNOWN_SKU");
}

TEST(SkuMatch, NoGpusIsNotAnSkuVerdict) {
  const auto d = detect_sku({}, shipped());
  EXPECT_EQ(d.status, SkuStatus::no_gpus);
  EXPECT_FALSE(sku_verdict(d).has_value());
}

TEST(SkuMatch, ShippedBaselinesNeverOverlapOnPciIds) {
  std::map<std::uint32_t, std::string> seen;
  for (const auto& b : shipped()) {
    for (auto id : b.match.pci_device_ids) EXPECT_TRUE(seen.emplace(id, b.id).second) << id << " in " << b.id;
  }
}

// select_baseline: the choice `tranche run` and `tranche judge` make.

TEST(SelectBaseline, DetectsExplicitAndReportsMixedEvenWithAnExplicitChoice) {
  const auto h100 = probe(0, "NVIDIA H100 80GB HBM3", 85520809984ull);
  const auto pcie = probe(1, "NVIDIA H100 PCIe", 85520809984ull);
  const auto detected = select_baseline({h100}, "", "", &shipped());
  ASSERT_TRUE(detected.baseline);
  EXPECT_EQ(detected.baseline->id, "h100-sxm5-80gb");
  EXPECT_FALSE(detected.sku_verdict);

  const auto explicit_one = select_baseline({h100}, "l4", "", &shipped());
  EXPECT_EQ(explicit_one.baseline->id, "l4");
  ASSERT_EQ(explicit_one.notes.size(), 1u);
  EXPECT_NE(explicit_one.notes[0].find("look like h100-sxm5-80gb"), std::string::npos);

  const auto mixed = select_baseline({h100, pcie}, "h100-sxm5-80gb", "", &shipped());
  ASSERT_TRUE(mixed.sku_verdict);
  EXPECT_EQ(mixed.sku_verdict->error_id, "E_MIXED_SKU");
}

TEST(SelectBaseline, UnknownSkuLeavesNoBaselineAndOverridesUnapplied) {
  const auto sel =
      select_baseline({probe(0, "NVIDIA RTX 6000 Ada Generation", 51527024640ull)}, "",
                      std::string(TRANCHE_TEST_DATA) + "/baselines/overrides/stricter-h100.json", &shipped());
  EXPECT_FALSE(sel.baseline);
  ASSERT_TRUE(sel.sku_verdict);
  EXPECT_EQ(sel.sku_verdict->outcome, Outcome::error);
  ASSERT_EQ(sel.notes.size(), 2u);
  EXPECT_NE(sel.notes[1].find("not applied"), std::string::npos);
}

TEST(SelectBaseline, NoGpusAndNoChoiceIsNothing) {
  const auto sel = select_baseline({}, "", "", &shipped());
  EXPECT_FALSE(sel.baseline);
  EXPECT_FALSE(sel.sku_verdict);
  EXPECT_TRUE(sel.notes.empty());
}

TEST(SelectBaseline, ProbesFromAReportInventory) {
  const nlohmann::json inv = {{"gpus",
                               {{{"index", 3}, {"name", "NVIDIA H200"}, {"memory_bytes", 150754820096ull}},
                                {{"index", 4}, {"name", "NVIDIA H200"}, {"pci_device_id", "0x2335"}}}}};
  const auto probes = sku_probes_from_inventory(inv, "r.json");
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].index, 3);
  EXPECT_EQ(probes[0].memory_bytes, 150754820096ull);
  EXPECT_FALSE(probes[0].pci_device_id);
  EXPECT_EQ(probes[1].pci_device_id, 0x2335u);
  EXPECT_EQ(detect_sku(probes, shipped()).baseline->id, "h200-sxm-141gb");
}

}  // namespace
}  // namespace tranche
