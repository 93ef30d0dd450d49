// Blame for GPU-pair verdicts: the GPU that fails with several partners, otherwise the link between two GPUs.
#include "harness/judge/pair_blame.h"

#include <map>
#include <set>
#include <string>

namespace tranche {

namespace {

bool is_pair_verdict(const Verdict& v) {
  return v.check_id.rfind("p2p.", 0) == 0 && v.device && v.labels.count("peer");
}

std::optional<int> peer_of(const Verdict& v) {
  try {
    return std::stoi(v.labels.at("peer"));
  } catch (const std::exception&) {
    return std::nullopt;  // a malformed label in an old report: leave the verdict as it is
  }
}

std::string gpu_list(const std::set<int>& gpus) {
  std::string s;
  for (int g : gpus) s += (s.empty() ? "" : ", ") + std::to_string(g);
  return s;
}

}  // namespace

void attribute_pair_blame(std::vector<Verdict>& verdicts) {
  std::map<int, std::set<int>> failed_partners;
  for (const auto& v : verdicts) {
    if (!is_pair_verdict(v) || v.outcome != Outcome::fail) continue;
    if (auto peer = peer_of(v)) {
      failed_partners[*v.device].insert(*peer);
      failed_partners[*peer].insert(*v.device);
    }
  }
  auto blamed = [&](int g) {
    auto it = failed_partners.find(g);
    return it != failed_partners.end() && it->second.size() >= 2;
  };
  for (auto& v : verdicts) {
    if (!is_pair_verdict(v)) continue;
    const auto peer = peer_of(v);
    if (!peer) continue;
    const int a = *v.device, b = *peer;
    v.message = "GPU " + std::to_string(a) + " -> GPU " + std::to_string(b) + ": " + v.message;
    if (v.outcome != Outcome::fail) continue;
    v.labels["gpu"] = std::to_string(a);
    if (blamed(a) || blamed(b)) {
      const int culprit = blamed(a) ? a : b;
      v.device = culprit;
      v.message += "; blamed on GPU " + std::to_string(culprit) + ": its pairs fail with GPUs " +
                   gpu_list(failed_partners[culprit]);
      if (blamed(a) && blamed(b)) v.message += " (GPU " + std::to_string(b == culprit ? a : b) + " is blamed too)";
    } else {
      v.device = std::nullopt;
      v.message += "; the link between GPU " + std::to_string(a) + " and GPU " + std::to_string(b) +
                   " (each passes with its other partners): check that link (nvidia-smi nvlink -s, the bridge or "
                   "NVSwitch tray, or the PCIe path), not the GPUs";
    }
  }
}

}  // namespace tranche
