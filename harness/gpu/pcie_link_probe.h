// The PCIe link a GPU trained to (generation, width), read from NVML (sysfs for what NVML does not answer) while
// a transfer runs.
#pragma once
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace tranche {

struct PcieLinkState {
  std::optional<int> generation;      // current, 1..6
  std::optional<int> width;           // current lanes
  std::optional<int> max_generation;  // what the device advertises (max_link_speed)
  std::optional<int> max_width;
  std::string source;  // "nvml" or "sysfs": where the current generation and width came from
  std::string note;    // why a value is missing; empty when all were read
};

// "32.0 GT/s PCIe" -> 5, "16.0 GT/s" -> 4, "8 GT/s" -> 3, "5.0 GT/s" -> 2, "2.5 GT/s" -> 1, "64.0 GT/s" -> 6;
// nullopt for "Unknown" or anything else. Pure.
std::optional<int> pcie_generation_from_speed(std::string_view sysfs_speed);
// A sysfs link width ("16\n") -> 16; nullopt for a non-number or 0. Pure.
std::optional<int> pcie_width_from_sysfs(std::string_view text);
// The CUDA bus id "00000000:18:00.0" as sysfs names the device: "0000:18:00.0" (lowercase, 4-digit domain when
// it fits). nullopt when the id is malformed. Pure.
std::optional<std::string> sysfs_pci_address(std::string_view cuda_bus_id);

// Reads nvmlDeviceGet{Curr,Max}PcieLink{Generation,Width} for the device at pci_bus_id, then
// <sysfs_root>/<address>/{current,max}_link_{speed,width} for any value NVML did not give. Never throws; values
// that neither answers are nullopt, with a note.
PcieLinkState read_pcie_link(int cuda_ordinal, const std::string& pci_bus_id,
                             const std::string& sysfs_root = "/sys/bus/pci/devices");
// The host NUMA node sysfs reports for the device (<sysfs_root>/<address>/numa_node); nullopt when unknown (-1).
std::optional<int> read_pci_numa_node(const std::string& pci_bus_id,
                                      const std::string& sysfs_root = "/sys/bus/pci/devices");

// Polls read_pcie_link on its own thread every period_ms from construction until stop(), keeping the highest
// generation and width seen: links may drop speed when idle, so the reading that counts is the one under load.
class PcieLinkSampler {
 public:
  PcieLinkSampler(int cuda_ordinal, std::string pci_bus_id, int period_ms = 2,
                  std::string sysfs_root = "/sys/bus/pci/devices");
  ~PcieLinkSampler();
  PcieLinkSampler(const PcieLinkSampler&) = delete;
  PcieLinkSampler& operator=(const PcieLinkSampler&) = delete;
  // Stops polling (idempotent) and returns the maxima; note from the last reading.
  PcieLinkState stop();

 private:
  void sample();
  int ordinal_;
  std::string bus_id_;
  int period_ms_;
  std::string sysfs_root_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  PcieLinkState best_;
  std::thread thread_;
};

}  // namespace tranche
