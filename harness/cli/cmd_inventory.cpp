// tranche inventory: what is in this node (identity, configuration, health counters, topology), as a table or JSON.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/cli/command.h"
#include "harness/core/atomic_file.h"
#include "harness/core/error_catalog.h"
#include "harness/core/outcome.h"
#include "harness/core/supervisor.h"
#include "harness/core/worker_process.h"

namespace tranche::cli {
namespace {

template <class T>
std::string or_dash(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, std::string>) {
    return *v;
  } else {
    return std::to_string(*v);
  }
}

std::string yes_no(const std::optional<bool>& v) { return v ? (*v ? "on" : "off") : "-"; }

void print_table(const Inventory& inv) {
  const NodeInventory& n = inv.node;
  std::printf("node %s\n", n.hostname.c_str());
  std::printf("  kernel          %s\n", or_dash(n.kernel).c_str());
  std::printf("  cpu             %s (%s NUMA nodes)\n", or_dash(n.cpu_model).c_str(), or_dash(n.numa_nodes).c_str());
  std::printf("  driver          %s   NVML %s   CUDA driver %d   CUDA runtime %d\n", or_dash(n.driver_version).c_str(),
              or_dash(n.nvml_version).c_str(), n.cuda_driver_version, n.cuda_runtime_version);
  if (inv.gpus.empty()) {
    std::printf("  gpus            none found\n");
    return;
  }
  std::printf("\n%-3s %-26s %-14s %-16s %8s %-9s %-9s %-4s %-6s %-7s %-7s %-5s %s\n", "gpu", "name", "serial", "bus id",
              "mem GiB", "pcie max", "pcie now", "ecc", "remap", "persist", "nvlink", "procs", "numa/cpus");
  for (const auto& g : inv.gpus) {
    char mem[32] = "-";
    if (g.memory_bytes) std::snprintf(mem, sizeof mem, "%.1f", *g.memory_bytes / 1073741824.0);
    auto link = [](const std::optional<int>& gen, const std::optional<int>& width) {
      return (gen ? "Gen" + std::to_string(*gen) : std::string("?")) + " x" + (width ? std::to_string(*width) : "?");
    };
    std::string remap = g.row_remap.failure.value_or(false)       ? "FAILED"
                        : g.row_remap.pending.value_or(false)     ? "pending"
                        : g.row_remap.pending                     ? "ok"
                        : g.retired_pages.pending.value_or(false) ? "pending"
                                                                  : "-";
    int active = 0;
    for (const auto& l : g.nvlinks) active += l.active.value_or(false) ? 1 : 0;
    const std::string nvlink =
        g.nvlinks.empty() ? "-" : std::to_string(active) + "/" + std::to_string(g.nvlinks.size());
    const std::string procs = g.processes ? std::to_string(g.processes->size()) : "-";
    std::printf("%-3d %-26s %-14s %-16s %8s %-9s %-9s %-4s %-6s %-7s %-7s %-5s %s/%s\n", g.index,
                or_dash(g.name).substr(0, 26).c_str(), or_dash(g.serial).c_str(), or_dash(g.pci_bus_id).c_str(), mem,
                link(g.pcie.max_generation, g.pcie.max_width).c_str(),
                link(g.pcie.current_generation, g.pcie.current_width).c_str(), yes_no(g.ecc.enabled).c_str(),
                remap.c_str(), yes_no(g.persistence_mode).c_str(), nvlink.c_str(), procs.c_str(),
                or_dash(g.numa_node).c_str(), or_dash(g.cpu_affinity).c_str());
  }
  const auto& t = inv.topology;
  if (t.gpus.size() > 1) {
    std::printf("\ntopology (as nvidia-smi topo -m)\n%-6s", "");
    for (int g : t.gpus) std::printf(" %-6s", ("GPU" + std::to_string(g)).c_str());
    std::printf("\n");
    for (size_t i = 0; i < t.gpus.size(); ++i) {
      std::printf("%-6s", ("GPU" + std::to_string(t.gpus[i])).c_str());
      for (const auto& c : t.cells[i]) std::printf(" %-6s", c.empty() ? "?" : c.c_str());
      std::printf("\n");
    }
  }
}

void setup_inventory(CLI::App& app, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto from = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("inventory",
                                 "Show this node's GPUs: identity, PCIe/NVLink state, ECC and "
                                 "row-remap health, processes, topology (no benchmark runs)");
  cmd->footer(
      "Exit codes: 0 the inventory is complete; 2 incomplete (no CUDA device: E_NO_DEVICE, no NVML: E_NO_NVML, or "
      "the probe hung or died: E_PROBE_TIMEOUT, E_WORKER_DIED; "
      "what could be read is still printed); 64 unreadable or invalid --from file.");
  cmd->add_flag("--json", *as_json, "Print the full inventory as JSON (schema reports/schema/inventory.schema.json)");
  cmd->add_option("--from", *from, "Show a recorded inventory JSON file instead of probing this node");
  cmd->callback([as_json, from, &exit_code] {
    Inventory inv;
    if (from->empty()) {
      // In a worker, as `tranche run` probes: an nvmlInit or cudaGetDeviceCount that hangs on a sick GPU ends as
      // E_PROBE_TIMEOUT (TRANCHE_PROBE_TIMEOUT_S) instead of hanging the command.
      SupervisorOptions sup;
      sup.worker_exe = self_executable();
      inv = probe_system_supervised(sup).inventory;
    } else {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(read_file(*from));
      } catch (const nlohmann::json::parse_error& e) {
        throw InputError(*from + ": not valid JSON (" + e.what() + ")");
      }
      inv = inventory_from_json(j, *from);
    }
    if (*as_json) {
      std::cout << to_json(inv).dump(2) << "\n";
    } else {
      print_table(inv);
    }
    exit_code = kExitAccepted;
    // No device or no NVML: the inventory is incomplete. Say so on stderr, one line each, with the fix.
    for (const auto* e : {inv.node.device_error ? &*inv.node.device_error : nullptr,
                          inv.node.nvml_error ? &*inv.node.nvml_error : nullptr}) {
      if (!e) continue;
      std::cerr << "tranche: " << e->id << ": " << e->message << ". Next: " << error_entry(e->id).next_step << "\n";
      exit_code = kExitIncomplete;
    }
  });
}

}  // namespace

TRANCHE_REGISTER_COMMAND(30, setup_inventory)

}  // namespace tranche::cli
