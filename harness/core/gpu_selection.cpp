// select_gpus: one item at a time; every item must name at least one GPU of this node.
#include "harness/core/gpu_selection.h"

#include <algorithm>
#include <cctype>
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

std::vector<int> select_gpus(const std::string& spec, const std::vector<SelectableGpu>& gpus) {
  std::set<int> ordinals;
  for (const auto& g : gpus) ordinals.insert(g.gpu);
  const std::string have = gpus.empty() ? std::string("this node has no GPU")
                                        : "this node has GPUs " + std::to_string(*ordinals.begin()) + "-" +
                                              std::to_string(*ordinals.rbegin());
  auto fail = [&](const std::string& item, const std::string& why) {
    return InputError("--gpus " + spec + ": '" + item + "' " + why + " (" + have +
                      "; give indices, ranges such as 0-3, all, UUIDs or serials: see tranche inventory)");
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
      chosen.insert(ordinals.begin(), ordinals.end());
      continue;
    }
    if (auto n = parse_ordinal(item)) {
      if (!ordinals.count(*n)) throw fail(item, "names no GPU");
      chosen.insert(*n);
      continue;
    }
    const auto dash = item.find('-');
    if (dash != std::string::npos && dash > 0) {
      const auto lo = parse_ordinal(item.substr(0, dash)), hi = parse_ordinal(item.substr(dash + 1));
      if (lo && hi) {
        if (*lo > *hi) throw fail(item, "is a range that runs backwards");
        for (int g = *lo; g <= *hi; ++g) {
          if (!ordinals.count(g)) throw fail(item, "includes GPU " + std::to_string(g) + ", which does not exist");
          chosen.insert(g);
        }
        continue;
      }
    }
    bool found = false;
    for (const auto& g : gpus) {
      if ((g.uuid && lower(*g.uuid) == lower(item)) || (g.serial && *g.serial == item)) {
        chosen.insert(g.gpu);
        found = true;
      }
    }
    if (!found) throw fail(item, "is not a GPU index, range, UUID or serial of this node");
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace tranche
