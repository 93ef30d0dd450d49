// --gpus: which GPUs a run measures, named as operators name them (indices, ranges, all, UUIDs, serials).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tranche {

struct SelectableGpu {
  int gpu = 0;                     // CUDA ordinal (the number reports use)
  std::optional<std::string> uuid;  // "GPU-3b5c..."
  std::optional<std::string> serial;
};

// Resolves a comma-separated --gpus value against the node's GPUs: "all", an ordinal ("3"), a range ("0-3"),
// a UUID (full, case-insensitive) or a serial number. Returns the ordinals, sorted and without repeats.
// Throws InputError (exit 64) naming the item that selects no GPU, with what the node has and where to look.
std::vector<int> select_gpus(const std::string& spec, const std::vector<SelectableGpu>& gpus);

}  // namespace tranche
