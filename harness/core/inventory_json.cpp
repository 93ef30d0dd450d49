// JSON writer and strict reader for the Inventory, plus the small formatting helpers it needs.
#include <cmath>
#include <cstdio>
#include <set>

#include "harness/core/inventory.h"
#include "harness/core/model_json.h"

namespace tranche {

using nlohmann::json;

namespace {

json hex32(const std::optional<std::uint32_t>& v) {
  if (!v) return nullptr;
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", *v);
  return buf;
}

const json& obj_at(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (!v.is_object()) throw InputError(w + ": '" + key + "' must be an object");
  return v;
}

std::optional<std::string> opt_str(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) throw InputError(w + ": '" + key + "' must be a string or null");
  return v.get<std::string>();
}

std::optional<bool> opt_bool(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (v.is_null()) return std::nullopt;
  if (!v.is_boolean()) throw InputError(w + ": '" + key + "' must be true, false or null");
  return v.get<bool>();
}

std::optional<std::uint64_t> opt_u64(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0)) {
    throw InputError(w + ": '" + key + "' must be a non-negative integer or null");
  }
  return v.get<std::uint64_t>();
}

std::optional<std::int64_t> opt_i64(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_integer()) throw InputError(w + ": '" + key + "' must be an integer or null");
  return v.get<std::int64_t>();
}

std::optional<std::uint32_t> opt_hex32(const json& j, const char* key, const std::string& w) {
  auto s = opt_str(j, key, w);
  if (!s) return std::nullopt;
  unsigned value = 0;
  int used = 0;
  if (std::sscanf(s->c_str(), "0x%x%n", &value, &used) != 1 || used != static_cast<int>(s->size())) {
    throw InputError(w + ": '" + key + "' must be a hex string like \"0x233010DE\", not \"" + *s + "\"");
  }
  return value;
}

std::map<std::string, std::string> string_map(const json& j, const char* key, const std::string& w) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : obj_at(j, key, w).items()) {
    if (!v.is_string()) throw InputError(w + ": " + key + "." + k + " must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

const json& array_at(const json& j, const char* key, const std::string& w) {
  const json& v = json_at(j, key, w);
  if (!v.is_array()) throw InputError(w + ": '" + key + "' must be an array");
  return v;
}

json to_json(const NvLinkState& l) {
  return json{{"link", l.link},
              {"active", json_or_null(l.active)},
              {"version", json_or_null(l.version)},
              {"remote_bus_id", json_or_null(l.remote_bus_id)},
              {"remote_type", json_or_null(l.remote_type)},
              {"replay_errors", json_or_null(l.replay_errors)},
              {"recovery_errors", json_or_null(l.recovery_errors)},
              {"crc_flit_errors", json_or_null(l.crc_flit_errors)},
              {"crc_data_errors", json_or_null(l.crc_data_errors)}};
}

NvLinkState nvlink_from_json(const json& j, const std::string& w) {
  NvLinkState l;
  l.link = static_cast<int>(json_integer(j, "link", w));
  l.active = opt_bool(j, "active", w);
  l.version = json_optional_int(j, "version", w);
  l.remote_bus_id = opt_str(j, "remote_bus_id", w);
  l.remote_type = opt_str(j, "remote_type", w);
  l.replay_errors = opt_u64(j, "replay_errors", w);
  l.recovery_errors = opt_u64(j, "recovery_errors", w);
  l.crc_flit_errors = opt_u64(j, "crc_flit_errors", w);
  l.crc_data_errors = opt_u64(j, "crc_data_errors", w);
  return l;
}

json to_json(const GpuInventory& g) {
  json links = json::array();
  for (const auto& l : g.nvlinks) links.push_back(to_json(l));
  json procs = nullptr;
  if (g.processes) {
    procs = json::array();
    for (const auto& p : *g.processes) {
      procs.push_back({{"pid", p.pid}, {"used_memory_bytes", json_or_null(p.used_memory_bytes)}, {"name", p.name}});
    }
  }
  json throttle = nullptr;
  if (g.throttle_reasons)
    throttle = {{"mask", *g.throttle_reasons}, {"reasons", throttle_reason_names(*g.throttle_reasons)}};
  return json{{"index", g.index},
              {"nvml_index", json_or_null(g.nvml_index)},
              {"cuda_visible", g.cuda_visible},
              {"name", json_or_null(g.name)},
              {"uuid", json_or_null(g.uuid)},
              {"serial", json_or_null(g.serial)},
              {"board_part_number", json_or_null(g.board_part_number)},
              {"pci_bus_id", json_or_null(g.pci_bus_id)},
              {"pci_device_id", hex32(g.pci_device_id)},
              {"pci_subsystem_id", hex32(g.pci_subsystem_id)},
              {"vbios", json_or_null(g.vbios)},
              {"architecture", json_or_null(g.architecture)},
              {"memory_bytes", json_or_null(g.memory_bytes)},
              {"sm_count", json_or_null(g.sm_count)},
              {"compute_capability", json_or_null(g.compute_capability)},
              {"pcie",
               {{"max_generation", json_or_null(g.pcie.max_generation)},
                {"max_width", json_or_null(g.pcie.max_width)},
                {"current_generation", json_or_null(g.pcie.current_generation)},
                {"current_width", json_or_null(g.pcie.current_width)}}},
              {"power",
               {{"limit_w", json_or_null(g.power_limit_w)},
                {"default_limit_w", json_or_null(g.default_power_limit_w)},
                {"enforced_limit_w", json_or_null(g.enforced_power_limit_w)}}},
              {"clocks", {{"max_sm_hz", json_or_null(g.max_sm_clock_hz)}, {"max_memory_hz", json_or_null(g.max_memory_clock_hz)}}},
              {"ecc",
               {{"enabled", json_or_null(g.ecc.enabled)},
                {"pending_enabled", json_or_null(g.ecc.pending_enabled)},
                {"volatile_corrected", json_or_null(g.ecc.volatile_corrected)},
                {"volatile_uncorrected", json_or_null(g.ecc.volatile_uncorrected)},
                {"aggregate_corrected", json_or_null(g.ecc.aggregate_corrected)},
                {"aggregate_uncorrected", json_or_null(g.ecc.aggregate_uncorrected)}}},
              {"retired_pages",
               {{"single_bit", json_or_null(g.retired_pages.single_bit)},
                {"double_bit", json_or_null(g.retired_pages.double_bit)},
                {"pending", json_or_null(g.retired_pages.pending)}}},
              {"row_remap",
               {{"correctable", json_or_null(g.row_remap.correctable)},
                {"uncorrectable", json_or_null(g.row_remap.uncorrectable)},
                {"pending", json_or_null(g.row_remap.pending)},
                {"failure", json_or_null(g.row_remap.failure)}}},
              {"persistence_mode", json_or_null(g.persistence_mode)},
              {"compute_mode", json_or_null(g.compute_mode)},
              {"mig", {{"enabled", json_or_null(g.mig_enabled)}, {"pending_enabled", json_or_null(g.mig_pending_enabled)}}},
              {"throttle", throttle},
              {"temperature",
               {{"gpu_c", json_or_null(g.temperature_c)},
                {"slowdown_c", json_or_null(g.slowdown_temperature_c)},
                {"shutdown_c", json_or_null(g.shutdown_temperature_c)}}},
              {"nvlinks", links},
              {"processes", procs},
              {"numa_node", json_or_null(g.numa_node)},
              {"cpu_affinity", json_or_null(g.cpu_affinity)},
              {"unavailable", g.unavailable}};
}

GpuInventory gpu_from_json(const json& j, const std::string& w) {
  GpuInventory g;
  g.index = static_cast<int>(json_integer(j, "index", w));
  g.nvml_index = json_optional_int(j, "nvml_index", w);
  g.cuda_visible = json_bool(j, "cuda_visible", w);
  g.name = opt_str(j, "name", w);
  g.uuid = opt_str(j, "uuid", w);
  g.serial = opt_str(j, "serial", w);
  g.board_part_number = opt_str(j, "board_part_number", w);
  g.pci_bus_id = opt_str(j, "pci_bus_id", w);
  g.pci_device_id = opt_hex32(j, "pci_device_id", w);
  g.pci_subsystem_id = opt_hex32(j, "pci_subsystem_id", w);
  g.vbios = opt_str(j, "vbios", w);
  g.architecture = opt_str(j, "architecture", w);
  g.memory_bytes = opt_u64(j, "memory_bytes", w);
  g.sm_count = json_optional_int(j, "sm_count", w);
  g.compute_capability = opt_str(j, "compute_capability", w);
  const json& pcie = obj_at(j, "pcie", w);
  g.pcie.max_generation = json_optional_int(pcie, "max_generation", w + ".pcie");
  g.pcie.max_width = json_optional_int(pcie, "max_width", w + ".pcie");
  g.pcie.current_generation = json_optional_int(pcie, "current_generation", w + ".pcie");
  g.pcie.current_width = json_optional_int(pcie, "current_width", w + ".pcie");
  const json& power = obj_at(j, "power", w);
  g.power_limit_w = json_optional_number(power, "limit_w", w + ".power");
  g.default_power_limit_w = json_optional_number(power, "default_limit_w", w + ".power");
  g.enforced_power_limit_w = json_optional_number(power, "enforced_limit_w", w + ".power");
  const json& clocks = obj_at(j, "clocks", w);
  g.max_sm_clock_hz = json_optional_number(clocks, "max_sm_hz", w + ".clocks");
  g.max_memory_clock_hz = json_optional_number(clocks, "max_memory_hz", w + ".clocks");
  const json& ecc = obj_at(j, "ecc", w);
  const std::string we = w + ".ecc";
  g.ecc.enabled = opt_bool(ecc, "enabled", we);
  g.ecc.pending_enabled = opt_bool(ecc, "pending_enabled", we);
  g.ecc.volatile_corrected = opt_u64(ecc, "volatile_corrected", we);
  g.ecc.volatile_uncorrected = opt_u64(ecc, "volatile_uncorrected", we);
  g.ecc.aggregate_corrected = opt_u64(ecc, "aggregate_corrected", we);
  g.ecc.aggregate_uncorrected = opt_u64(ecc, "aggregate_uncorrected", we);
  const json& rp = obj_at(j, "retired_pages", w);
  g.retired_pages.single_bit = opt_u64(rp, "single_bit", w + ".retired_pages");
  g.retired_pages.double_bit = opt_u64(rp, "double_bit", w + ".retired_pages");
  g.retired_pages.pending = opt_bool(rp, "pending", w + ".retired_pages");
  const json& rr = obj_at(j, "row_remap", w);
  g.row_remap.correctable = opt_u64(rr, "correctable", w + ".row_remap");
  g.row_remap.uncorrectable = opt_u64(rr, "uncorrectable", w + ".row_remap");
  g.row_remap.pending = opt_bool(rr, "pending", w + ".row_remap");
  g.row_remap.failure = opt_bool(rr, "failure", w + ".row_remap");
  g.persistence_mode = opt_bool(j, "persistence_mode", w);
  g.compute_mode = opt_str(j, "compute_mode", w);
  const json& mig = obj_at(j, "mig", w);
  g.mig_enabled = opt_bool(mig, "enabled", w + ".mig");
  g.mig_pending_enabled = opt_bool(mig, "pending_enabled", w + ".mig");
  if (const json& t = json_at(j, "throttle", w); !t.is_null()) g.throttle_reasons = opt_u64(t, "mask", w + ".throttle");
  const json& temp = obj_at(j, "temperature", w);
  g.temperature_c = json_optional_number(temp, "gpu_c", w + ".temperature");
  g.slowdown_temperature_c = json_optional_number(temp, "slowdown_c", w + ".temperature");
  g.shutdown_temperature_c = json_optional_number(temp, "shutdown_c", w + ".temperature");
  const json& links = array_at(j, "nvlinks", w);
  for (size_t i = 0; i < links.size(); ++i) {
    g.nvlinks.push_back(nvlink_from_json(links[i], w + ".nvlinks[" + std::to_string(i) + "]"));
  }
  if (const json& procs = json_at(j, "processes", w); !procs.is_null()) {
    if (!procs.is_array()) throw InputError(w + ": 'processes' must be an array or null");
    g.processes.emplace();
    for (size_t i = 0; i < procs.size(); ++i) {
      const std::string wp = w + ".processes[" + std::to_string(i) + "]";
      GpuProcess p;
      p.pid = json_integer(procs[i], "pid", wp);
      p.used_memory_bytes = opt_u64(procs[i], "used_memory_bytes", wp);
      p.name = json_string(procs[i], "name", wp);
      g.processes->push_back(p);
    }
  }
  g.numa_node = json_optional_int(j, "numa_node", w);
  g.cpu_affinity = opt_str(j, "cpu_affinity", w);
  g.unavailable = string_map(j, "unavailable", w);
  return g;
}

}  // namespace

std::vector<std::string> throttle_reason_names(std::uint64_t mask) {
  static const std::pair<std::uint64_t, const char*> kNames[] = {{kThrottleGpuIdle, "gpu_idle"},
                                                                 {kThrottleAppClocks, "applications_clocks_setting"},
                                                                 {kThrottleSwPowerCap, "sw_power_cap"},
                                                                 {kThrottleHwSlowdown, "hw_slowdown"},
                                                                 {kThrottleSyncBoost, "sync_boost"},
                                                                 {kThrottleSwThermal, "sw_thermal_slowdown"},
                                                                 {kThrottleHwThermal, "hw_thermal_slowdown"},
                                                                 {kThrottleHwPowerBrake, "hw_power_brake_slowdown"},
                                                                 {kThrottleDisplayClocks, "display_clock_setting"}};
  std::vector<std::string> out;
  for (int bit = 0; bit < 64; ++bit) {
    const std::uint64_t b = std::uint64_t{1} << bit;
    if (!(mask & b)) continue;
    std::string name = "bit_" + std::to_string(bit);
    for (const auto& [v, n] : kNames) {
      if (v == b) name = n;
    }
    out.push_back(name);
  }
  return out;
}

std::string GpuInventory::sku() const {
  char id[16] = "?";
  if (pci_device_id) std::snprintf(id, sizeof id, "0x%04X", *pci_device_id >> 16);
  return name.value_or("unknown") + " (" + id + ")";
}

std::optional<double> driver_version_number(const std::string& version) {
  unsigned major = 0, minor = 0, patch = 0;
  int used = 0;
  if (std::sscanf(version.c_str(), "%u.%u%n", &major, &minor, &used) != 2) return std::nullopt;
  if (used < static_cast<int>(version.size())) {
    int used2 = 0;
    if (std::sscanf(version.c_str() + used, ".%u%n", &patch, &used2) != 1 ||
        used + used2 != static_cast<int>(version.size())) {
      return std::nullopt;
    }
  }
  return major * 1e6 + minor * 1e3 + patch;
}

std::string cpu_list_string(const std::vector<bool>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    if (!cpus[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1]) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(i);
    if (j > i) out += "-" + std::to_string(j);
    i = j + 1;
  }
  return out;
}

json to_json(const Inventory& inv) {
  const NodeInventory& n = inv.node;
  json node{{"hostname", n.hostname},
            {"kernel", json_or_null(n.kernel)},
            {"cpu_model", json_or_null(n.cpu_model)},
            {"numa_nodes", json_or_null(n.numa_nodes)},
            {"driver_version", json_or_null(n.driver_version)},
            {"nvml_version", json_or_null(n.nvml_version)},
            {"cuda_driver_version", n.cuda_driver_version},
            {"cuda_runtime_version", n.cuda_runtime_version},
            {"tranche_pid", json_or_null(n.tranche_pid)},
            {"nvml_error", n.nvml_error ? to_json(*n.nvml_error) : json(nullptr)},
            {"device_error", n.device_error ? to_json(*n.device_error) : json(nullptr)},
            {"unavailable", n.unavailable}};
  json gpus = json::array();
  for (const auto& g : inv.gpus) gpus.push_back(to_json(g));
  json topo{{"gpus", inv.topology.gpus}, {"cells", inv.topology.cells}, {"nvlinks", inv.topology.nvlinks}};
  return json{{"schema", kInventorySchema}, {"node", node}, {"gpus", gpus}, {"topology", topo}};
}

Inventory inventory_from_json(const json& j, const std::string& where) {
  Inventory inv;
  const std::string schema = json_string(j, "schema", where);
  if (schema != kInventorySchema) {
    throw InputError(where + ": schema '" + schema + "' is not " + kInventorySchema);
  }
  const std::string wn = where + ".node";
  const json& n = obj_at(j, "node", where);
  inv.node.hostname = json_string(n, "hostname", wn);
  inv.node.kernel = opt_str(n, "kernel", wn);
  inv.node.cpu_model = opt_str(n, "cpu_model", wn);
  inv.node.numa_nodes = json_optional_int(n, "numa_nodes", wn);
  inv.node.driver_version = opt_str(n, "driver_version", wn);
  inv.node.nvml_version = opt_str(n, "nvml_version", wn);
  inv.node.cuda_driver_version = static_cast<int>(json_integer(n, "cuda_driver_version", wn));
  inv.node.cuda_runtime_version = static_cast<int>(json_integer(n, "cuda_runtime_version", wn));
  inv.node.tranche_pid = opt_i64(n, "tranche_pid", wn);
  if (const json& e = json_at(n, "nvml_error", wn); !e.is_null()) {
    inv.node.nvml_error = error_info_from_json(e, wn + ".nvml_error");
  }
  if (const json& e = json_at(n, "device_error", wn); !e.is_null()) {
    inv.node.device_error = error_info_from_json(e, wn + ".device_error");
  }
  inv.node.unavailable = string_map(n, "unavailable", wn);
  const json& gpus = array_at(j, "gpus", where);
  std::set<int> seen;
  for (size_t i = 0; i < gpus.size(); ++i) {
    inv.gpus.push_back(gpu_from_json(gpus[i], where + ".gpus[" + std::to_string(i) + "]"));
    if (!seen.insert(inv.gpus.back().index).second) {
      throw InputError(where + ".gpus[" + std::to_string(i) + "]: index " + std::to_string(inv.gpus.back().index) +
                       " appears twice");
    }
  }
  const std::string wt = where + ".topology";
  const json& t = obj_at(j, "topology", where);
  const json& tg = array_at(t, "gpus", wt);
  const json& cells = array_at(t, "cells", wt);
  const json& links = array_at(t, "nvlinks", wt);
  try {
    inv.topology.gpus = tg.get<std::vector<int>>();
    inv.topology.cells = cells.get<std::vector<std::vector<std::string>>>();
    inv.topology.nvlinks = links.get<std::vector<std::vector<int>>>();
  } catch (const json::exception&) {
    throw InputError(wt + ": gpus must be integers, cells a matrix of strings, nvlinks a matrix of integers");
  }
  const size_t k = inv.topology.gpus.size();
  auto square = [k](const auto& m) {
    for (const auto& row : m) {
      if (row.size() != k) return false;
    }
    return m.size() == k;
  };
  if (!square(inv.topology.cells) || !square(inv.topology.nvlinks)) {
    throw InputError(wt + ": cells and nvlinks must be " + std::to_string(k) + "x" + std::to_string(k) +
                     " matrices (one row and column per entry of gpus)");
  }
  return inv;
}

}  // namespace tranche
