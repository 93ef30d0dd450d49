// summarize_gpus: per-GPU acceptance and reasons from the verdicts, identity from the inventory.
#include "reports/gpu_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "harness/core/gpu_selection.h"
#include "reports/node_report.h"
#include "reports/units.h"

namespace tranche {

namespace {

std::optional<std::string> string_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<int> int_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

bool needs_reason(const Verdict& v) {
  return v.outcome == Outcome::fail || v.outcome == Outcome::warn || v.outcome == Outcome::error ||
         v.outcome == Outcome::unjudged || (v.outcome == Outcome::skip && v.required);
}

}  // namespace

std::string verdict_reason(const Verdict& v) {
  const std::string what = v.metric.empty() ? v.check_id : v.metric;
  if (v.outcome == Outcome::unjudged) return "not judged: " + what + " (no expectation)";
  std::string prefix = v.outcome == Outcome::fail ? "" : std::string(to_string(v.outcome)) + " ";
  if (v.observed && v.reference && v.ratio && (v.outcome == Outcome::fail || v.outcome == Outcome::warn)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " = %.2f x ", *v.ratio);
    return prefix + what + " " + format_value(v.observed, v.unit) + buf + format_value(v.reference, v.unit);
  }
  std::string msg = v.message;
  if (!v.error_id.empty()) msg = v.error_id + (msg.empty() ? "" : " " + msg);
  return prefix + what + (msg.empty() ? "" : ": " + msg);
}

std::vector<GpuSummary> summarize_gpus(const NodeReport& r) {
  std::set<int> ordinals;
  if (auto it = r.options.find("gpus"); it != r.options.end() && it->is_array()) {
    for (const auto& g : *it) {
      if (g.is_number_integer()) ordinals.insert(g.get<int>());
    }
  }
  for (const auto& v : r.verdicts) {
    if (v.device) ordinals.insert(*v.device);
  }
  std::map<int, bool> judged_against_expectation;
  std::map<int, std::vector<const Verdict*>> by_gpu;
  for (const auto& v : r.verdicts) {
    if (!v.device) continue;
    by_gpu[*v.device].push_back(&v);
    const bool proven = v.outcome == Outcome::pass || v.outcome == Outcome::warn;
    if (proven && v.reference) judged_against_expectation[*v.device] = true;
  }

  std::map<int, const nlohmann::json*> identity;
  if (auto it = r.inventory.find("gpus"); it != r.inventory.end() && it->is_array()) {
    for (const auto& g : *it) {
      if (auto idx = int_at(g, "index")) identity[*idx] = &g;
    }
  }

  std::vector<SelectableGpu> numbered;
  for (const auto& [ordinal, g] : identity) {
    // The inventory lists the GPUs of the run only (those CUDA_VISIBLE_DEVICES hid are left out by the probe).
    numbered.push_back({ordinal, std::nullopt, std::nullopt, int_at(*g, "nvml_index"), string_at(*g, "pci_bus_id")});
  }
  const std::map<int, int> smi = nvidia_smi_indices(numbered);

  std::vector<GpuSummary> out;
  for (int ordinal : ordinals) {
    GpuSummary s;
    s.gpu = ordinal;
    const auto number = smi.find(ordinal);
    s.index = number != smi.end() ? number->second : ordinal;
    if (auto it = identity.find(ordinal); it != identity.end()) {
      s.nvml_index = int_at(*it->second, "nvml_index");
      s.serial = string_at(*it->second, "serial");
      s.uuid = string_at(*it->second, "uuid");
      s.pci_bus_id = string_at(*it->second, "pci_bus_id");
    }
    bool failed = false, incomplete = false;
    std::vector<const Verdict*> bad;
    for (const Verdict* v : by_gpu[ordinal]) {
      s.outcome = s.outcome ? worst(*s.outcome, v->outcome) : v->outcome;
      failed |= v->outcome == Outcome::fail;
      incomplete |= v->outcome == Outcome::error || (v->outcome == Outcome::skip && v->required);
      if (needs_reason(*v)) bad.push_back(v);
    }
    std::stable_sort(bad.begin(), bad.end(),
                     [](const Verdict* a, const Verdict* b) { return severity(a->outcome) > severity(b->outcome); });
    for (const Verdict* v : bad) s.reasons.push_back(verdict_reason(*v));
    if (failed) {
      s.acceptance = "rejected";
    } else if (incomplete) {
      s.acceptance = "incomplete";
    } else if (r.baseline.id.empty() || !judged_against_expectation[ordinal]) {
      s.acceptance = "not_judged";
    } else {
      s.acceptance = "accepted";
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string gpu_summary_line(const GpuSummary& g) {
  std::string line = "GPU " + std::to_string(g.index);
  if (g.index != g.gpu) line += " (CUDA " + std::to_string(g.gpu) + ")";
  if (g.serial) line += " SN" + *g.serial;
  if (g.pci_bus_id) line += " " + *g.pci_bus_id;
  line += " " + (g.acceptance == "not_judged" ? std::string("not judged") : g.acceptance);
  if (!g.reasons.empty()) {
    line += ": " + g.reasons.front();
    if (g.reasons.size() > 1) line += "; " + std::to_string(g.reasons.size() - 1) + " more";
  } else if (g.acceptance == "not_judged") {
    line += ": no figure of this GPU was judged against a baseline expectation";
  }
  return line;
}

}  // namespace tranche
