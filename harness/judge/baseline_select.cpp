// select_baseline: explicit choice or detection, overrides layered on top, and the operator's notes.
#include "harness/judge/baseline_select.h"

#include "harness/core/errors.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/overrides.h"

namespace tranche {

std::vector<SkuProbe> sku_probes_from_inventory(const nlohmann::json& inventory, const std::string& where) {
  std::vector<SkuProbe> out;
  if (!inventory.is_object() || !inventory.contains("gpus")) return out;
  const auto& gpus = inventory.at("gpus");
  if (!gpus.is_array()) throw InputError(where + ": inventory.gpus must be an array");
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const auto& g = gpus[i];
    const std::string w = where + ": inventory.gpus[" + std::to_string(i) + "]";
    if (!g.is_object() || (g.contains("name") && !g.at("name").is_string() && !g.at("name").is_null())) {
      throw InputError(w + ": 'name' must be a string or null");
    }
    SkuProbe p;
    p.index = g.contains("index") && g.at("index").is_number_integer() ? g.at("index").get<int>() : static_cast<int>(i);
    if (g.contains("name") && g.at("name").is_string()) p.name = g.at("name").get<std::string>();
    if (g.contains("memory_bytes") && g.at("memory_bytes").is_number_unsigned()) {
      p.memory_bytes = g.at("memory_bytes").get<std::uint64_t>();
    }
    if (auto it = g.find("pci_device_id"); it != g.end()) {
      if (it->is_number_unsigned()) {
        p.pci_device_id = it->get<std::uint32_t>();
      } else if (it->is_string()) {
        try {
          p.pci_device_id = static_cast<std::uint32_t>(std::stoul(it->get<std::string>(), nullptr, 16));
        } catch (const std::logic_error&) {
          throw InputError(w + ": pci_device_id '" + it->get<std::string>() + "' is not hexadecimal");
        }
      }
      // NVML and the inventory write (device << 16) | vendor (0x233010DE); SKU rules name the device (0x2330).
      if (p.pci_device_id && *p.pci_device_id > 0xFFFF) p.pci_device_id = *p.pci_device_id >> 16;
    }
    out.push_back(std::move(p));
  }
  return out;
}

BaselineSelection select_baseline(const std::vector<SkuProbe>& gpus, const std::string& sku_or_file,
                                  const std::string& overrides_file, const std::vector<Baseline>* known_in) {
  BaselineSelection sel;
  std::vector<Baseline> shipped;
  auto known = [&]() -> const std::vector<Baseline>& {
    if (known_in) return *known_in;
    if (shipped.empty()) shipped = load_baselines_in();
    return shipped;
  };
  if (!sku_or_file.empty()) {
    // A baseline FILE must work where the shipped set is missing or broken (a custom install): the shipped set is
    // then only used, when it loads, to spot a mixed node or a mismatch with the GPUs.
    sel.baseline =
        is_baseline_path(sku_or_file) ? load_baseline_file(sku_or_file) : resolve_baseline(sku_or_file, known());
    if (!gpus.empty()) {
      std::vector<Baseline> pool;
      try {
        pool = known();
      } catch (const InputError&) {
        pool.clear();
      }
      bool listed = false;
      for (const auto& b : pool) listed |= b.id == sel.baseline->id;
      if (!listed) pool.push_back(*sel.baseline);
      const SkuDetection d = detect_sku(gpus, pool);
      if (d.status == SkuStatus::mixed) {
        sel.sku_verdict = sku_verdict(d);
        sel.notes.push_back(d.message);
      } else if (d.status == SkuStatus::matched && d.baseline->id != sel.baseline->id) {
        sel.notes.push_back("note: the GPUs look like " + d.baseline->id + " but --baseline " + sku_or_file + " (" +
                            sel.baseline->id + ") was given; judging against " + sel.baseline->id);
      }
    }
  } else if (!gpus.empty()) {
    const auto& pool = known();
    const SkuDetection d = detect_sku(gpus, pool);
    if (d.status == SkuStatus::matched) {
      sel.baseline = *d.baseline;
    } else {
      sel.sku_verdict = sku_verdict(d);
      sel.notes.push_back(d.message);
    }
  }
  if (!overrides_file.empty()) {
    const SiteOverrides s = load_site_overrides(overrides_file);
    if (sel.baseline) {
      sel.baseline = apply_site_overrides(*sel.baseline, s);
    } else {
      sel.notes.push_back("note: site overrides " + overrides_file +
                          " not applied: there is no baseline to layer them on");
    }
  }
  return sel;
}

}  // namespace tranche
