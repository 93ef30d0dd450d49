// SKU detection: which baseline describes the GPUs of this node, from their names, PCI device ids and memory.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/verdict.h"
#include "harness/judge/baseline.h"

namespace tranche {

// What the matcher needs to know about one GPU; built from SystemInfo (name, memory) and NVML (PCI device id,
// the upper 16 bits of nvmlPciInfo_t.pciDeviceId; nullopt when NVML is absent).
struct SkuProbe {
  int index = 0;                               // CUDA ordinal, for messages
  std::string name;                            // "NVIDIA H100 80GB HBM3"
  std::optional<std::uint32_t> pci_device_id;  // 0x2330
  std::uint64_t memory_bytes = 0;
};

// True when the rule describes the GPU: its PCI device id is listed; or (no listed id matched) the whole name
// matches name_pattern case-insensitively and memory_bytes lies in [memory_bytes_min, memory_bytes_max].
bool sku_matches(const MatchRule& rule, const SkuProbe& gpu);

enum class SkuStatus { matched, no_gpus, unknown, mixed, ambiguous };

struct SkuDetection {
  SkuStatus status = SkuStatus::no_gpus;
  const Baseline* baseline = nullptr;  // set when matched (points into the `known` vector passed in)
  std::vector<std::string> gpu_skus;   // per probe: baseline id, or "" when none matched
  std::string message;                 // one line: what was found and the fix (empty when matched)
};

// Detects the node's SKU. matched: every GPU matches the same single baseline. unknown: some GPU matches none
// (message names each such GPU, the known SKUs and "--baseline FILE"). mixed: GPUs match different baselines
// (message names each GPU and its SKU). ambiguous: one GPU matches several baselines (a baseline bug; message
// names them). Preference: a PCI-id match beats a name match, so two files never compete for one GPU.
SkuDetection detect_sku(const std::vector<SkuProbe>& gpus, const std::vector<Baseline>& known);

// The node-level verdict for a detection that did not match: check_id "preflight.sku", rule "sku_detection";
// unknown and ambiguous -> error E_UNKNOWN_SKU (incomplete: nothing to judge against), mixed -> fail
// E_MIXED_SKU (a node must be one SKU). nullopt for matched and no_gpus (E_NO_DEVICE comes from preflight).
std::optional<Verdict> sku_verdict(const SkuDetection& detection);

}  // namespace tranche
