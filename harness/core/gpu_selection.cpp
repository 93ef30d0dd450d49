// select_gpus: one item at a time; every item must name at least one GPU of this node. Numbers are nvidia-smi's.
#include "harness/core/gpu_selection.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "harness/core/errors.h"

namespace tranche {

namespace {

std::optional<int> parse_ordinal(const std::string& s) {
  if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoi(s);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string canonical_pci_bus_id(const std::string& bus_id) {
  static const std::regex re("([0-9A-Fa-f]{4,8}):([0-9A-Fa-f]{2}):([0-9A-Fa-f]{2})\\.([0-7])");
  std::smatch m;
  if (!std::regex_match(bus_id, m, re)) return bus_id;
  const std::string domain = m[1].str();
  return lower(domain.substr(domain.size() - 4) + ":" + m[2].str() + ":" + m[3].str() + "." + m[4].str());
}

std::map<int, int> nvidia_smi_indices(const std::vector<SelectableGpu>& gpus) {
  // One numbering for all GPUs, so two can never share a number: NVML's, else bus order, else CUDA's.
  std::map<int, int> out;
  const bool all_nvml = std::all_of(gpus.begin(), gpus.end(), [](const auto& g) { return g.nvml_index.has_value(); });
  const bool all_bus = std::all_of(gpus.begin(), gpus.end(), [](const auto& g) { return g.pci_bus_id.has_value(); });
  if (all_nvml) {
    for (const auto& g : gpus) out[g.gpu] = *g.nvml_index;
  } else if (all_bus) {
    std::vector<std::pair<std::string, int>> by_bus;
    for (const auto& g : gpus) by_bus.emplace_back(canonical_pci_bus_id(*g.pci_bus_id), g.gpu);
    std::sort(by_bus.begin(), by_bus.end());
    for (std::size_t i = 0; i < by_bus.size(); ++i) out[by_bus[i].second] = static_cast<int>(i);
  } else {
    for (const auto& g : gpus) out[g.gpu] = g.gpu;
  }
  return out;
}

std::vector<int> select_gpus(const std::string& spec, const std::vector<SelectableGpu>& gpus) {
  const std::map<int, int> smi = nvidia_smi_indices(gpus);
  std::map<int, int> ordinal_of;  // nvidia-smi index -> CUDA ordinal
  for (const auto& [ordinal, index] : smi) ordinal_of[index] = ordinal;
  const std::string have = gpus.empty() ? std::string("this node has no GPU")
                                        : "this node has GPUs " + std::to_string(ordinal_of.begin()->first) + "-" +
                                              std::to_string(ordinal_of.rbegin()->first) + " as nvidia-smi numbers them";
  auto fail = [&](const std::string& item, const std::string& why) {
    return InputError("--gpus " + spec + ": '" + item + "' " + why + " (" + have +
                      "; give nvidia-smi indices, ranges such as 0-3, all, UUIDs, serials or PCI bus ids: see "
                      "tranche inventory)");
  };
  std::set<int> chosen;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    const std::string item = spec.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) throw fail(item, "is empty");
    if (item == "all") {
      if (gpus.empty()) throw fail(item, "selects nothing");
      for (const auto& [index, ordinal] : ordinal_of) chosen.insert(ordinal);
      continue;
    }
    if (auto n = parse_ordinal(item)) {
      if (!ordinal_of.count(*n)) throw fail(item, "names no GPU");
      chosen.insert(ordinal_of.at(*n));
      continue;
    }
    const auto dash = item.find('-');
    if (dash != std::string::npos && dash > 0) {
      const auto lo = parse_ordinal(item.substr(0, dash)), hi = parse_ordinal(item.substr(dash + 1));
      if (lo && hi) {
        if (*lo > *hi) throw fail(item, "is a range that runs backwards");
        for (int g = *lo; g <= *hi; ++g) {
          if (!ordinal_of.count(g)) throw fail(item, "includes GPU " + std::to_string(g) + ", which does not exist");
          chosen.insert(ordinal_of.at(g));
        }
        continue;
      }
    }
    bool found = false;
    for (const auto& g : gpus) {
      if ((g.uuid && lower(*g.uuid) == lower(item)) || (g.serial && *g.serial == item) ||
          (g.pci_bus_id && canonical_pci_bus_id(*g.pci_bus_id) == canonical_pci_bus_id(item))) {
        chosen.insert(g.gpu);
        found = true;
      }
    }
    if (!found) throw fail(item, "is not a GPU index, range, UUID, serial or bus id of this node");
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace tranche
