// SKU matching over probes: PCI device id first, then name pattern and memory range.
#include "harness/judge/sku_match.h"

#include <cstdio>
#include <regex>

#include "harness/judge/baseline_file.h"

namespace tranche {

namespace {

bool id_listed(const MatchRule& rule, const SkuProbe& gpu) {
  if (!gpu.pci_device_id) return false;
  for (auto id : rule.pci_device_ids) {
    if (id == *gpu.pci_device_id) return true;
  }
  return false;
}

bool name_and_memory_match(const MatchRule& rule, const SkuProbe& gpu) {
  if (rule.name_pattern.empty()) return false;
  const std::regex re(rule.name_pattern, std::regex::ECMAScript | std::regex::icase);
  if (!std::regex_match(gpu.name, re)) return false;
  if (rule.memory_bytes_min && gpu.memory_bytes < *rule.memory_bytes_min) return false;
  if (rule.memory_bytes_max && gpu.memory_bytes > *rule.memory_bytes_max) return false;
  return true;
}

std::string describe(const SkuProbe& g) {
  char buf[64] = "";
  if (g.pci_device_id) std::snprintf(buf, sizeof buf, ", PCI id 0x%04x", *g.pci_device_id);
  char mem[48];
  std::snprintf(mem, sizeof mem, ", %.1f GiB", static_cast<double>(g.memory_bytes) / (1024.0 * 1024 * 1024));
  return "GPU " + std::to_string(g.index) + " (" + g.name + buf + mem + ")";
}

}  // namespace

bool sku_matches(const MatchRule& rule, const SkuProbe& gpu) {
  return id_listed(rule, gpu) || name_and_memory_match(rule, gpu);
}

SkuDetection detect_sku(const std::vector<SkuProbe>& gpus, const std::vector<Baseline>& known) {
  SkuDetection d;
  if (gpus.empty()) {
    d.message = "no GPU to detect a SKU from";
    return d;
  }
  std::vector<const Baseline*> per_gpu;
  std::string unknown, ambiguous;
  for (const auto& g : gpus) {
    std::vector<const Baseline*> hits;
    for (const auto& b : known) {
      if (id_listed(b.match, g)) hits.push_back(&b);
    }
    if (hits.empty()) {
      for (const auto& b : known) {
        if (name_and_memory_match(b.match, g)) hits.push_back(&b);
      }
    }
    if (hits.size() > 1) {
      std::string ids;
      for (const auto* b : hits) ids += (ids.empty() ? "" : ", ") + b->id;
      ambiguous += (ambiguous.empty() ? "" : "; ") + describe(g) + " matches " + ids;
    }
    if (hits.empty()) unknown += (unknown.empty() ? "" : "; ") + describe(g);
    per_gpu.push_back(hits.size() == 1 ? hits.front() : nullptr);
    d.gpu_skus.push_back(hits.size() == 1 ? hits.front()->id : "");
  }
  const std::string fix = "known SKUs: " + known_ids(known) +
                          " (tranche baseline list); pass --baseline SKU or --baseline FILE to judge against one";
  if (!ambiguous.empty()) {
    d.status = SkuStatus::ambiguous;
    d.message = "more than one baseline matches: " + ambiguous + "; fix the baselines' match rules, or " + fix;
    return d;
  }
  if (!unknown.empty()) {
    d.status = SkuStatus::unknown;
    d.message = "no baseline matches " + unknown + "; " + fix;
    return d;
  }
  for (const auto* b : per_gpu) {
    if (b != per_gpu.front()) {
      d.status = SkuStatus::mixed;
      std::string list;
      for (std::size_t i = 0; i < gpus.size(); ++i) {
        list += (list.empty() ? "" : "; ") + describe(gpus[i]) + " is " + per_gpu[i]->id;
      }
      d.message = "mixed SKUs on one node: " + list + "; a node must carry one SKU (check the delivery note)";
      return d;
    }
  }
  d.status = SkuStatus::matched;
  d.baseline = per_gpu.front();
  return d;
}

std::optional<Verdict> sku_verdict(const SkuDetection& d) {
  if (d.status == SkuStatus::matched || d.status == SkuStatus::no_gpus) return std::nullopt;
  Verdict v;
  v.check_id = "preflight.sku";
  v.rule = "sku_detection";
  v.required = true;
  v.message = d.message;
  v.source = "tranche SKU detection over baselines/skus";
  if (d.status == SkuStatus::mixed) {
    v.outcome = Outcome::fail;
    v.error_id = "E_MIXED_SKU";
  } else {
    v.outcome = Outcome::error;
    v.error_id = "E_UNKNOWN_SKU";
  }
  return v;
}

}  // namespace tranche
