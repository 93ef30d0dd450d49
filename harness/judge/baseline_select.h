// Choosing the baseline a run or a re-judge uses: --baseline SKU|FILE, else SKU detection; then site overrides.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/system_info.h"
#include "harness/core/verdict.h"
#include "harness/judge/baseline.h"
#include "harness/judge/sku_match.h"

namespace tranche {

struct BaselineSelection {
  std::optional<Baseline> baseline;    // with site overrides applied; nullopt: judge with built-in rules only
  std::optional<Verdict> sku_verdict;  // preflight.sku: E_UNKNOWN_SKU (error) or E_MIXED_SKU (fail)
  std::vector<std::string> notes;      // lines for the operator: what was detected, what to pass instead
};

// Probes from an inventory object (a live run's or an old report's): gpus[].index, name (null = unknown),
// memory_bytes and, when present, pci_device_id (a number or a hex string; NVML's 0x233010DE form is reduced to
// the device id 0x2330). Throws InputError naming `where` on a malformed entry.
std::vector<SkuProbe> sku_probes_from_inventory(const nlohmann::json& inventory, const std::string& where);

// sku_or_file non-empty: that baseline (InputError when unknown or invalid, listing the known SKUs); the GPUs are
// still checked for a mixed node, and a note says when they look like another SKU. Empty: detect_sku over the
// shipped baselines; unknown/ambiguous/mixed leave no baseline and set sku_verdict and a note with the fix. No
// GPUs and no --baseline: nothing. overrides_file non-empty: loaded, validated and applied (InputError on a bad
// file or a loosening margin); with no baseline it is only validated and a note says it was not applied.
// `known` = the baselines to detect from; null = the shipped set (baselines_dir()/skus).
BaselineSelection select_baseline(const std::vector<SkuProbe>& gpus, const std::string& sku_or_file,
                                  const std::string& overrides_file, const std::vector<Baseline>* known = nullptr);

}  // namespace tranche
