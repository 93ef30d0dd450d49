// --gpus: which GPUs a run measures, named as operators name them (nvidia-smi indices, ranges, all, UUIDs,
// serials, PCI bus ids), and the mapping between nvidia-smi's numbering and CUDA's.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tranche {

struct SelectableGpu {
  int gpu = 0;                           // CUDA ordinal in this process (the number measurements and verdicts use)
  std::optional<std::string> uuid;       // "GPU-3b5c..."
  std::optional<std::string> serial;
  std::optional<int> nvml_index;         // the index nvidia-smi shows; nullopt without NVML
  std::optional<std::string> pci_bus_id; // "0000:5D:00.0" (any domain width or case)
};

// "00000000:5D:00.0" (NVML) or "0000:5d:00.0" (CUDA, sysfs) -> "0000:5d:00.0"; unchanged when not a bus id.
std::string canonical_pci_bus_id(const std::string& bus_id);

// The index nvidia-smi shows for each GPU, keyed by CUDA ordinal. NVML's index where the inventory has it (NVML
// enumerates in PCI bus order, and CUDA does too only under CUDA_DEVICE_ORDER=PCI_BUS_ID: its default order is
// fastest first); where NVML is absent, the GPU's rank by PCI bus id among `gpus` (which is nvidia-smi's index when
// every GPU is visible), and the CUDA ordinal when a GPU has no bus id either.
std::map<int, int> nvidia_smi_indices(const std::vector<SelectableGpu>& gpus);

// Resolves a comma-separated --gpus value against the node's GPUs: "all", an nvidia-smi index ("3"), a range of
// them ("0-3"), a UUID (full, case-insensitive), a serial number or a PCI bus id. Returns the CUDA ordinals,
// sorted and without repeats. Throws InputError (exit 64) naming the item that selects no GPU, with what the node
// has and where to look.
std::vector<int> select_gpus(const std::string& spec, const std::vector<SelectableGpu>& gpus);

}  // namespace tranche
