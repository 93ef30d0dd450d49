// The inventory probe: CUDA's device list, enriched field by field from NVML and the kernel's /proc and /sys.
#include "harness/gpu/inventory_probe.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>

#include "harness/core/gpu_selection.h"
#include "harness/gpu/nvml_api.h"

namespace tranche {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNotSupported = "not supported";

std::optional<std::string> read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return line;
}

std::optional<std::string> cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto pos = line.find(':');
      if (pos != std::string::npos) return line.substr(line.find_first_not_of(" \t", pos + 1));
    }
  }
  return std::nullopt;
}

std::optional<int> numa_node_count() {
  std::error_code ec;
  int n = 0;
  const std::regex node_re("node[0-9]+");
  for (const auto& e : fs::directory_iterator("/sys/devices/system/node", ec)) {
    if (std::regex_match(e.path().filename().string(), node_re)) ++n;
  }
  return n > 0 ? std::optional<int>(n) : std::nullopt;
}

// Calls one optional NVML entry point; on failure records why under `key` and returns false.
struct Soft {
  const nvml::Api& api;
  std::map<std::string, std::string>& unavailable;
  template <class Fn, class... A>
  bool operator()(const char* key, Fn fn, A... args) {
    if (!fn) {
      unavailable[key] = "not supported by this driver (NVML symbol missing)";
      return false;
    }
    const nvml::Return r = fn(args...);
    if (r == nvml::kSuccess) return true;
    unavailable[key] = r == nvml::kErrorNotSupported ? kNotSupported : api.error_name(r);
    return false;
  }
};

std::string arch_name(unsigned a) {
  switch (a) {
    case 2:
      return "kepler";
    case 3:
      return "maxwell";
    case 4:
      return "pascal";
    case 5:
      return "volta";
    case 6:
      return "turing";
    case 7:
      return "ampere";
    case 8:
      return "ada";
    case 9:
      return "hopper";
    case 10:
      return "blackwell";
    case 13:
      return "rubin";
    default:
      return "arch_" + std::to_string(a);
  }
}

std::string compute_mode_name(int m) {
  switch (m) {
    case 0:
      return "default";
    case 1:
      return "exclusive_thread";
    case 2:
      return "prohibited";
    case 3:
      return "exclusive_process";
    default:
      return "mode_" + std::to_string(m);
  }
}

std::string link_type_name(int t) {
  switch (t) {
    case 0:
      return "gpu";
    case 1:
      return "ibmnpu";
    case 2:
      return "switch";
    default:
      return "unknown";
  }
}

void probe_nvlinks(Soft& soft, const nvml::Api& api, nvml::Device dev, GpuInventory& g) {
  std::map<std::string, std::string> scratch;  // per-link misses are not worth one key each
  Soft quiet{api, scratch};
  for (unsigned link = 0; link < nvml::kNvLinkMaxLinks; ++link) {
    int state = 0;
    if (!(link == 0 ? soft("nvlinks", api.device_get_nvlink_state, dev, link, &state)
                    : quiet("nvlinks", api.device_get_nvlink_state, dev, link, &state))) {
      if (link == 0) return;  // no NVLink on this GPU (or not reported): `unavailable` says which
      continue;
    }
    NvLinkState l;
    l.link = static_cast<int>(link);
    l.active = state == 1;
    unsigned version = 0;
    if (quiet("v", api.device_get_nvlink_version, dev, link, &version)) l.version = nvml::nvlink_generation(version);
    nvml::PciInfo pci{};
    if (quiet("r", api.device_get_nvlink_remote_pci_info, dev, link, &pci)) l.remote_bus_id = pci.bus_id;
    int type = 0;
    if (quiet("t", api.device_get_nvlink_remote_device_type, dev, link, &type)) l.remote_type = link_type_name(type);
    unsigned long long c = 0;
    if (quiet("e", api.device_get_nvlink_error_counter, dev, link, nvml::kNvLinkErrorReplay, &c)) l.replay_errors = c;
    if (quiet("e", api.device_get_nvlink_error_counter, dev, link, nvml::kNvLinkErrorRecovery, &c)) {
      l.recovery_errors = c;
    }
    if (quiet("e", api.device_get_nvlink_error_counter, dev, link, nvml::kNvLinkErrorCrcFlit, &c)) {
      l.crc_flit_errors = c;
    }
    if (quiet("e", api.device_get_nvlink_error_counter, dev, link, nvml::kNvLinkErrorCrcData, &c)) {
      l.crc_data_errors = c;
    }
    g.nvlinks.push_back(l);
  }
}

void probe_processes(Soft& soft, const nvml::Api& api, nvml::Device dev, GpuInventory& g) {
  std::vector<nvml::ProcessInfo> infos(16);
  for (int attempt = 0; attempt < 3; ++attempt) {
    unsigned count = static_cast<unsigned>(infos.size());
    const nvml::Return r = api.device_get_compute_running_processes
                               ? api.device_get_compute_running_processes(dev, &count, infos.data())
                               : nvml::kErrorFunctionNotFound;
    if (r == nvml::kErrorInsufficientSize) {
      infos.resize(count + 16);  // processes can start between the two calls
      continue;
    }
    if (r != nvml::kSuccess) {
      soft("processes", api.device_get_compute_running_processes, dev, &count, infos.data());
      return;
    }
    g.processes.emplace();
    for (unsigned i = 0; i < count; ++i) {
      GpuProcess p;
      p.pid = infos[i].pid;
      if (infos[i].used_gpu_memory != ~0ULL) p.used_memory_bytes = infos[i].used_gpu_memory;
      char name[256] = {};
      if (api.system_get_process_name && api.system_get_process_name(infos[i].pid, name, sizeof name) == 0) {
        p.name = name;
      } else {
        p.name = read_first_line("/proc/" + std::to_string(infos[i].pid) + "/comm").value_or("");
      }
      g.processes->push_back(p);
    }
    return;
  }
  g.unavailable["processes"] = "the process list kept growing while it was read";
}

void probe_gpu(const nvml::Api& api, nvml::Device dev, GpuInventory& g) {
  Soft soft{api, g.unavailable};
  char buf[256];
  auto text = [&](const char* key, auto fn, std::optional<std::string>& out) {
    buf[0] = '\0';
    if (soft(key, fn, dev, buf, static_cast<unsigned>(sizeof buf))) {
      out = std::string(buf);
    } else if (out) {
      g.unavailable.erase(key);  // CUDA already gave it
    }
  };
  text("name", api.device_get_name, g.name);
  text("uuid", api.device_get_uuid, g.uuid);
  text("serial", api.device_get_serial, g.serial);
  text("board_part_number", api.device_get_board_part_number, g.board_part_number);
  text("vbios", api.device_get_vbios_version, g.vbios);
  nvml::PciInfo pci{};
  if (soft("pci_device_id", api.device_get_pci_info, dev, &pci)) {
    if (!g.pci_bus_id) g.pci_bus_id = std::string(pci.bus_id);
    g.pci_device_id = pci.pci_device_id;
    g.pci_subsystem_id = pci.pci_subsystem_id;
  } else {
    g.unavailable["pci_subsystem_id"] = g.unavailable["pci_device_id"];
  }
  unsigned u = 0, v = 0, w = 0, x = 0;
  if (soft("architecture", api.device_get_architecture, dev, &u)) g.architecture = arch_name(u);
  nvml::Memory mem{};
  if (soft("memory_bytes", api.device_get_memory_info, dev, &mem)) {
    g.memory_bytes = mem.total;  // NVML's total (what nvidia-smi shows); CUDA's is slightly smaller
  } else if (g.memory_bytes) {
    g.unavailable.erase("memory_bytes");
  }
  if (soft("pcie.max_generation", api.device_get_max_pcie_link_generation, dev, &u)) g.pcie.max_generation = u;
  if (soft("pcie.max_width", api.device_get_max_pcie_link_width, dev, &u)) g.pcie.max_width = u;
  if (soft("pcie.current_generation", api.device_get_curr_pcie_link_generation, dev, &u)) {
    g.pcie.current_generation = u;
  }
  if (soft("pcie.current_width", api.device_get_curr_pcie_link_width, dev, &u)) g.pcie.current_width = u;
  if (soft("power.limit_w", api.device_get_power_management_limit, dev, &u)) g.power_limit_w = u / 1000.0;
  if (soft("power.default_limit_w", api.device_get_power_management_default_limit, dev, &u)) {
    g.default_power_limit_w = u / 1000.0;
  }
  if (soft("power.enforced_limit_w", api.device_get_enforced_power_limit, dev, &u))
    g.enforced_power_limit_w = u / 1000.0;
  if (soft("clocks.max_sm_hz", api.device_get_max_clock_info, dev, nvml::kClockSm, &u)) g.max_sm_clock_hz = u * 1e6;
  if (soft("clocks.max_memory_hz", api.device_get_max_clock_info, dev, nvml::kClockMem, &u)) {
    g.max_memory_clock_hz = u * 1e6;
  }
  int cur = 0, pend = 0;
  if (soft("ecc.enabled", api.device_get_ecc_mode, dev, &cur, &pend)) {
    g.ecc.enabled = cur == 1;
    g.ecc.pending_enabled = pend == 1;
  }
  unsigned long long n = 0;
  using nvml::kAggregateEcc, nvml::kMemoryErrorCorrected, nvml::kMemoryErrorUncorrected, nvml::kVolatileEcc;
  if (soft("ecc.volatile_corrected", api.device_get_total_ecc_errors, dev, kMemoryErrorCorrected, kVolatileEcc, &n)) {
    g.ecc.volatile_corrected = n;
  }
  if (soft("ecc.volatile_uncorrected", api.device_get_total_ecc_errors, dev, kMemoryErrorUncorrected, kVolatileEcc,
           &n)) {
    g.ecc.volatile_uncorrected = n;
  }
  if (soft("ecc.aggregate_corrected", api.device_get_total_ecc_errors, dev, kMemoryErrorCorrected, kAggregateEcc, &n)) {
    g.ecc.aggregate_corrected = n;
  }
  if (soft("ecc.aggregate_uncorrected", api.device_get_total_ecc_errors, dev, kMemoryErrorUncorrected, kAggregateEcc,
           &n)) {
    g.ecc.aggregate_uncorrected = n;
  }
  // Page retirement (pre-Ampere): a count query; INSUFFICIENT_SIZE still returns the count.
  for (int cause : {nvml::kRetireMultipleSbe, nvml::kRetireDbe}) {
    const char* key = cause == nvml::kRetireDbe ? "retired_pages.double_bit" : "retired_pages.single_bit";
    unsigned count = 0;
    unsigned long long dummy = 0;
    const nvml::Return r = api.device_get_retired_pages ? api.device_get_retired_pages(dev, cause, &count, &dummy)
                                                        : nvml::kErrorFunctionNotFound;
    if (r == nvml::kSuccess || r == nvml::kErrorInsufficientSize) {
      (cause == nvml::kRetireDbe ? g.retired_pages.double_bit : g.retired_pages.single_bit) = count;
    } else {
      soft(key, api.device_get_retired_pages, dev, cause, &count, &dummy);
    }
  }
  if (soft("retired_pages.pending", api.device_get_retired_pages_pending_status, dev, &cur)) {
    g.retired_pages.pending = cur == 1;
  }
  if (soft("row_remap", api.device_get_remapped_rows, dev, &u, &v, &w, &x)) {
    g.row_remap = RowRemap{u, v, w != 0, x != 0};
  }
  if (soft("persistence_mode", api.device_get_persistence_mode, dev, &cur)) g.persistence_mode = cur == 1;
  if (soft("compute_mode", api.device_get_compute_mode, dev, &cur)) g.compute_mode = compute_mode_name(cur);
  if (soft("mig", api.device_get_mig_mode, dev, &u, &v)) {
    g.mig_enabled = u == 1;
    g.mig_pending_enabled = v == 1;
  }
  if (soft("throttle", api.device_get_clocks_event_reasons, dev, &n)) g.throttle_reasons = n;
  nvml::TemperatureV1 t{nvml::kTemperatureV1Version, nvml::kTemperatureGpu, 0};
  if (api.device_get_temperature_v && api.device_get_temperature_v(dev, &t) == nvml::kSuccess) {
    g.temperature_c = t.temperature;
  } else if (soft("temperature.gpu_c", api.device_get_temperature, dev, nvml::kTemperatureGpu, &u)) {
    g.temperature_c = u;  // drivers before nvmlDeviceGetTemperatureV, or one that rejects its struct version
  }
  if (soft("temperature.slowdown_c", api.device_get_temperature_threshold, dev, nvml::kTempThresholdSlowdown, &u)) {
    g.slowdown_temperature_c = u;
  }
  if (soft("temperature.shutdown_c", api.device_get_temperature_threshold, dev, nvml::kTempThresholdShutdown, &u)) {
    g.shutdown_temperature_c = u;
  }
  probe_nvlinks(soft, api, dev, g);
  probe_processes(soft, api, dev, g);
  std::vector<unsigned long> mask(64);  // 4096 CPUs
  if (soft("cpu_affinity", api.device_get_cpu_affinity, dev, static_cast<unsigned>(mask.size()), mask.data())) {
    std::vector<bool> cpus(mask.size() * 64);
    for (size_t i = 0; i < cpus.size(); ++i) cpus[i] = (mask[i / 64] >> (i % 64)) & 1UL;
    g.cpu_affinity = cpu_list_string(cpus);
    g.unavailable.erase("cpu_affinity");
  }
}

// NUMA node and CPU list from /sys (NVML-independent, so they are known even without NVML).
void probe_sysfs(GpuInventory& g) {
  if (!g.pci_bus_id) return;
  const std::string dir = "/sys/bus/pci/devices/" + sysfs_pci_name(*g.pci_bus_id);
  if (auto numa = read_first_line(dir + "/numa_node")) {
    try {
      const int node = std::stoi(*numa);
      if (node >= 0) {
        g.numa_node = node;
        g.unavailable.erase("numa_node");
      }
    } catch (const std::exception&) {
    }
  }
  if (!g.cpu_affinity) {
    if (auto cpus = read_first_line(dir + "/local_cpulist")) {
      g.cpu_affinity = *cpus;
      g.unavailable.erase("cpu_affinity");
    }
  }
}

}  // namespace

std::string sysfs_pci_name(const std::string& bus_id) { return canonical_pci_bus_id(bus_id); }

bool same_bus_id(const std::string& a, const std::string& b) { return sysfs_pci_name(a) == sysfs_pci_name(b); }

std::string topology_level_name(int level) {
  switch (level) {
    case 0:
      return "BOARD";
    case 10:
      return "PIX";
    case 20:
      return "PXB";
    case 30:
      return "PHB";
    case 40:
      return "NODE";
    case 50:
      return "SYS";
    default:
      return "";
  }
}

std::vector<std::vector<int>> nvlink_count_matrix(const std::vector<GpuInventory>& gpus) {
  const size_t k = gpus.size();
  std::vector<std::vector<int>> out(k, std::vector<int>(k, 0));
  std::vector<int> switch_links(k, 0);
  for (size_t i = 0; i < k; ++i) {
    for (const auto& l : gpus[i].nvlinks) {
      if (l.active.value_or(false) && l.remote_type.value_or("") == "switch") ++switch_links[i];
    }
  }
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) {
      if (i == j) continue;
      int direct = 0;
      for (const auto& l : gpus[i].nvlinks) {
        if (l.active.value_or(false) && l.remote_bus_id && gpus[j].pci_bus_id &&
            l.remote_type.value_or("gpu") == "gpu" && same_bus_id(*l.remote_bus_id, *gpus[j].pci_bus_id)) {
          ++direct;
        }
      }
      out[i][j] = direct > 0 ? direct : std::min(switch_links[i], switch_links[j]);
    }
  }
  return out;
}

void probe_inventory(SystemInfo& sys) {
  Inventory inv;
  NodeInventory& node = inv.node;
  node.hostname = sys.hostname;
  utsname u{};
  if (uname(&u) == 0) node.kernel = std::string(u.sysname) + " " + u.release;
  node.cpu_model = cpu_model();
  node.numa_nodes = numa_node_count();
  node.cuda_driver_version = sys.cuda_driver_version;
  node.cuda_runtime_version = sys.cuda_runtime_version;
  node.tranche_pid = static_cast<std::int64_t>(getpid());
  node.device_error = sys.device_error;

  for (const auto& c : sys.gpus) {
    GpuInventory g;
    g.index = c.index;
    g.cuda_visible = true;
    g.name = c.name;
    g.uuid = c.uuid;
    g.pci_bus_id = c.pci_bus_id;
    g.memory_bytes = c.memory_bytes;
    g.sm_count = c.sm_count;
    g.compute_capability = std::to_string(c.cc_major) + "." + std::to_string(c.cc_minor);
    if (c.numa_node >= 0) g.numa_node = c.numa_node;
    inv.gpus.push_back(g);
  }

  ErrorInfo nvml_error;
  const nvml::Api* api = nvml::load(&nvml_error);
  if (!api) {
    node.nvml_error = nvml_error;
    node.unavailable["nvml"] = nvml_error.message;
    for (auto& g : inv.gpus) g.unavailable["nvml"] = "NVML not loaded (E_NO_NVML): only CUDA-side fields are known";
  } else {
    char buf[96] = {};
    Soft soft{*api, node.unavailable};
    if (soft("driver_version", api->system_get_driver_version, buf, static_cast<unsigned>(sizeof buf))) {
      node.driver_version = std::string(buf);
    }
    if (soft("nvml_version", api->system_get_nvml_version, buf, static_cast<unsigned>(sizeof buf))) {
      node.nvml_version = std::string(buf);
    }
    int cuda_version = 0;  // the CUDA version the driver supports, even when the CUDA runtime cannot start
    if (node.cuda_driver_version == 0 &&
        soft("cuda_driver_version", api->system_get_cuda_driver_version, &cuda_version)) {
      node.cuda_driver_version = cuda_version;
    }
    unsigned count = 0;
    if (soft("gpus", api->device_get_count, &count)) {
      int next_index = 0;  // NVML-only GPUs (CUDA sees none) take NVML's numbering
      for (unsigned i = 0; i < count; ++i) {
        nvml::Device dev = nullptr;
        nvml::PciInfo pci{};
        if (api->device_get_handle_by_index(i, &dev) != nvml::kSuccess) continue;
        const bool has_pci = api->device_get_pci_info && api->device_get_pci_info(dev, &pci) == nvml::kSuccess;
        GpuInventory* g = nullptr;
        for (auto& cand : inv.gpus) {
          if (has_pci && cand.pci_bus_id && same_bus_id(*cand.pci_bus_id, pci.bus_id)) g = &cand;
        }
        if (!g) {
          if (!sys.gpus.empty()) continue;  // hidden from this process (CUDA_VISIBLE_DEVICES): not ours to test
          GpuInventory fresh;
          fresh.index = next_index++;
          fresh.unavailable["sm_count"] = "not visible to CUDA in this process";
          fresh.unavailable["compute_capability"] = "not visible to CUDA in this process";
          inv.gpus.push_back(fresh);
          g = &inv.gpus.back();
        }
        g->nvml_index = static_cast<int>(i);
        probe_gpu(*api, dev, *g);
      }
      // Topology: NVLink counts first, the PCIe relationship where there is no NVLink.
      inv.topology.nvlinks = nvlink_count_matrix(inv.gpus);
    }
  }
  for (auto& g : inv.gpus) probe_sysfs(g);
  std::sort(inv.gpus.begin(), inv.gpus.end(), [](const auto& a, const auto& b) { return a.index < b.index; });

  const size_t k = inv.gpus.size();
  if (inv.topology.nvlinks.size() != k) inv.topology.nvlinks = nvlink_count_matrix(inv.gpus);
  inv.topology.cells.assign(k, std::vector<std::string>(k, ""));
  for (size_t i = 0; i < k; ++i) {
    inv.topology.gpus.push_back(inv.gpus[i].index);
    for (size_t j = 0; j < k; ++j) {
      std::string& cell = inv.topology.cells[i][j];
      if (i == j) {
        cell = "X";
      } else if (inv.topology.nvlinks[i][j] > 0) {
        cell = "NV" + std::to_string(inv.topology.nvlinks[i][j]);
      } else if (api && api->device_get_topology_common_ancestor && inv.gpus[i].nvml_index && inv.gpus[j].nvml_index) {
        nvml::Device a = nullptr, b = nullptr;
        int level = -1;
        if (api->device_get_handle_by_index(static_cast<unsigned>(*inv.gpus[i].nvml_index), &a) == nvml::kSuccess &&
            api->device_get_handle_by_index(static_cast<unsigned>(*inv.gpus[j].nvml_index), &b) == nvml::kSuccess &&
            api->device_get_topology_common_ancestor(a, b, &level) == nvml::kSuccess) {
          cell = topology_level_name(level);
        }
      }
    }
  }
  sys.inventory = std::move(inv);
}

}  // namespace tranche
