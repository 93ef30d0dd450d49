// The preflight metrics: what each preflight check reports, computed from the Inventory alone.
#include "benches/preflight/preflight_metrics.h"

#include <functional>
#include <map>

namespace tranche {

namespace {

using Getter = std::function<std::optional<double>(const GpuInventory&)>;

std::optional<double> b(const std::optional<bool>& v) {
  return v ? std::optional<double>(*v ? 1.0 : 0.0) : std::nullopt;
}

template <class T>
std::optional<double> d(const std::optional<T>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

Measurement start(const Inventory& inv, const char* check_id) {
  Measurement m;
  m.check_id = check_id;
  if (inv.node.nvml_error) {
    m.status = MeasurementStatus::error;
    m.error = inv.node.nvml_error;
    m.reason = inv.node.nvml_error->message;
  }
  return m;
}

// Why GPU g has no value for `key`: its unavailable entry for the key or its group ("ecc.enabled" -> "ecc").
std::string why(const GpuInventory& g, const std::string& key) {
  for (std::string k = key;;) {
    if (auto it = g.unavailable.find(k); it != g.unavailable.end()) return it->second;
    const auto dot = k.rfind('.');
    if (dot == std::string::npos) break;
    k = k.substr(0, dot);
  }
  if (auto it = g.unavailable.find("nvml"); it != g.unavailable.end()) return it->second;
  return "not reported";
}

Metric& label_gpu(Metric& metric, const GpuInventory& g) {
  metric.device = g.index;
  metric.labels["serial"] = g.serial.value_or("unknown");
  metric.labels["bus_id"] = g.pci_bus_id.value_or("unknown");
  return metric;
}

// One metric per GPU (see the header for the null/absent policy). `key` names the inventory field for reasons.
void per_gpu(Measurement& m, const Inventory& inv, const std::string& quantity, const std::string& unit,
             const std::string& key, const Getter& get) {
  bool any = false;
  for (const auto& g : inv.gpus) any |= get(g).has_value();
  for (const auto& g : inv.gpus) {
    const auto value = get(g);
    if (!value) m.details["unavailable"][m.check_id + "/" + quantity][std::to_string(g.index)] = why(g, key);
    if (any) label_gpu(m.add_metric(quantity, value, unit), g);
  }
}

// A check with nothing to report (every field unsupported) is a skip that is no gap in the node's evidence.
Measurement finish(Measurement m) {
  if (m.status == MeasurementStatus::ok && m.metrics.empty()) {
    m.status = MeasurementStatus::skipped;
    m.required = false;
    m.reason = "no GPU reports these fields: " + m.details.value("unavailable", nlohmann::json::object()).dump();
  }
  return m;
}

}  // namespace

Measurement preflight_inventory_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.inventory");
  if (m.status != MeasurementStatus::ok) return m;
  m.add_metric("gpu_count", static_cast<double>(inv.gpus.size()), "count");
  std::map<std::string, int> skus;
  for (const auto& g : inv.gpus) ++skus[g.sku()];
  m.add_metric("distinct_skus", static_cast<double>(skus.size()), "count");
  // The node's SKU is the most common one; a tie goes to the SKU of the lowest GPU index.
  std::string majority;
  int best = 0;
  for (const auto& g : inv.gpus) {
    if (skus[g.sku()] > best) {
      best = skus[g.sku()];
      majority = g.sku();
    }
  }
  for (const auto& g : inv.gpus) {
    Metric& x = label_gpu(m.add_metric("sku_mismatch", g.sku() == majority ? 0.0 : 1.0, "bool"), g);
    x.labels["sku"] = g.sku();
    x.labels["node_sku"] = majority;
  }
  per_gpu(m, inv, "memory_bytes", "B", "memory_bytes", [](const GpuInventory& g) { return d(g.memory_bytes); });
  if (inv.node.driver_version) {
    if (auto v = driver_version_number(*inv.node.driver_version)) {
      m.add_metric("driver_version", *v, "count").labels["version"] = *inv.node.driver_version;
    }
  }
  return m;
}

Measurement preflight_pcie_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.pcie");
  if (m.status != MeasurementStatus::ok) return m;
  per_gpu(m, inv, "max_link_generation", "count", "pcie.max_generation",
          [](const GpuInventory& g) { return d(g.pcie.max_generation); });
  per_gpu(m, inv, "max_link_width", "count", "pcie.max_width",
          [](const GpuInventory& g) { return d(g.pcie.max_width); });
  per_gpu(m, inv, "link_width", "count", "pcie.current_width",
          [](const GpuInventory& g) { return d(g.pcie.current_width); });
  per_gpu(m, inv, "link_generation", "count", "pcie.current_generation",
          [](const GpuInventory& g) { return d(g.pcie.current_generation); });
  return finish(std::move(m));
}

Measurement preflight_ecc_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.ecc");
  if (m.status != MeasurementStatus::ok) return m;
  per_gpu(m, inv, "ecc_enabled", "bool", "ecc.enabled", [](const GpuInventory& g) { return b(g.ecc.enabled); });
  per_gpu(m, inv, "ecc_mode_change_pending", "bool", "ecc.pending_enabled", [](const GpuInventory& g) {
    if (!g.ecc.enabled || !g.ecc.pending_enabled) return std::optional<double>();
    return std::optional<double>(*g.ecc.enabled != *g.ecc.pending_enabled ? 1.0 : 0.0);
  });
  per_gpu(m, inv, "volatile_uncorrected", "count", "ecc.volatile_uncorrected",
          [](const GpuInventory& g) { return d(g.ecc.volatile_uncorrected); });
  per_gpu(m, inv, "aggregate_uncorrected", "count", "ecc.aggregate_uncorrected",
          [](const GpuInventory& g) { return d(g.ecc.aggregate_uncorrected); });
  per_gpu(m, inv, "retired_pages_pending", "bool", "retired_pages.pending",
          [](const GpuInventory& g) { return b(g.retired_pages.pending); });
  per_gpu(m, inv, "row_remap_pending", "bool", "row_remap.pending",
          [](const GpuInventory& g) { return b(g.row_remap.pending); });
  per_gpu(m, inv, "row_remap_failure", "bool", "row_remap.failure",
          [](const GpuInventory& g) { return b(g.row_remap.failure); });
  return finish(std::move(m));
}

Measurement preflight_nvlink_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.nvlink");
  if (m.status != MeasurementStatus::ok) return m;
  // With NVML loaded, a GPU that reports no link has 0 active links: that is a known value, not a missing one.
  auto known = [](const GpuInventory& g) { return g.nvml_index.has_value(); };
  per_gpu(m, inv, "links_active", "count", "nvlinks", [known](const GpuInventory& g) {
    if (!known(g)) return std::optional<double>();
    int n = 0;
    for (const auto& l : g.nvlinks) n += l.active.value_or(false) ? 1 : 0;
    return std::optional<double>(n);
  });
  per_gpu(m, inv, "links_reported", "count", "nvlinks", [known](const GpuInventory& g) {
    return known(g) ? std::optional<double>(static_cast<double>(g.nvlinks.size())) : std::nullopt;
  });
  return finish(std::move(m));
}

Measurement preflight_processes_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.processes");
  if (m.status != MeasurementStatus::ok) return m;
  const auto self = inv.node.tranche_pid;
  per_gpu(m, inv, "foreign_processes", "count", "processes", [self](const GpuInventory& g) {
    if (!g.processes) return std::optional<double>();
    int n = 0;
    for (const auto& p : *g.processes) n += self && p.pid == *self ? 0 : 1;
    return std::optional<double>(n);
  });
  for (const auto& g : inv.gpus) {
    if (!g.processes) continue;
    for (const auto& p : *g.processes) {
      if (self && p.pid == *self) continue;
      m.details["foreign"][std::to_string(g.index)].push_back(
          {{"pid", p.pid},
           {"name", p.name},
           {"used_memory_bytes",
            p.used_memory_bytes ? nlohmann::json(*p.used_memory_bytes) : nlohmann::json(nullptr)}});
    }
  }
  return finish(std::move(m));
}

Measurement preflight_persistence_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.persistence");
  if (m.status != MeasurementStatus::ok) return m;
  per_gpu(m, inv, "persistence_mode", "bool", "persistence_mode",
          [](const GpuInventory& g) { return b(g.persistence_mode); });
  return finish(std::move(m));
}

Measurement preflight_throttle_measurement(const Inventory& inv) {
  Measurement m = start(inv, "preflight.throttle");
  if (m.status != MeasurementStatus::ok) return m;
  auto bits = [](std::uint64_t mask) {
    return [mask](const GpuInventory& g) {
      return g.throttle_reasons ? std::optional<double>((*g.throttle_reasons & mask) ? 1.0 : 0.0) : std::nullopt;
    };
  };
  per_gpu(m, inv, "hw_slowdown", "bool", "throttle", bits(kThrottleHwSlowdown | kThrottleHwPowerBrake));
  per_gpu(m, inv, "thermal_slowdown", "bool", "throttle", bits(kThrottleSwThermal | kThrottleHwThermal));
  per_gpu(m, inv, "throttle_reasons", "count", "throttle", [](const GpuInventory& g) { return d(g.throttle_reasons); });
  for (auto& metric : m.metrics) {
    if (metric.name == "preflight.throttle/throttle_reasons" && metric.value) {
      std::string names;
      for (const auto& n : throttle_reason_names(static_cast<std::uint64_t>(*metric.value))) {
        names += (names.empty() ? "" : ",") + n;
      }
      metric.labels["reasons"] = names;
    }
  }
  return finish(std::move(m));
}

std::vector<Measurement> preflight_measurements(const Inventory& inv) {
  return {preflight_inventory_measurement(inv), preflight_pcie_measurement(inv),
          preflight_ecc_measurement(inv),       preflight_nvlink_measurement(inv),
          preflight_processes_measurement(inv), preflight_persistence_measurement(inv),
          preflight_throttle_measurement(inv)};
}

}  // namespace tranche
