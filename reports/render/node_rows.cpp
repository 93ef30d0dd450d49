// Shared rows of the node renderings (see node_rows.h).
#include "reports/render/node_rows.h"

#include <algorithm>
#include <tuple>

namespace tranche::render {

std::vector<CheckRow> check_rows(const NodeReport& report) {
  std::map<std::pair<std::string, int>, CheckRow> rows;  // key gpu -1 for node-level: sorts first
  for (const Verdict& v : report.verdicts) {
    const int key = v.device.value_or(-1);
    CheckRow& row = rows[{v.check_id, key}];
    if (row.verdicts.empty()) {
      row.check_id = v.check_id;
      row.gpu = v.device;
      row.outcome = v.outcome;
    } else {
      row.outcome = worst(row.outcome, v.outcome);
    }
    row.verdicts.push_back(&v);
  }
  for (const Measurement& m : report.measurements) {
    const auto it = rows.find({m.check_id, m.device.value_or(-1)});
    if (it != rows.end()) it->second.duration_s = m.duration_s;
    if (m.device) continue;
    // A node-scoped measurement (pcie, p2p, nccl) times every GPU's rows at once.
    for (auto& [key, row] : rows) {
      if (key.first == m.check_id && row.duration_s == 0.0) row.duration_s = m.duration_s;
    }
  }
  std::vector<CheckRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) {
    if (row.outcome != Outcome::pass) {
      for (const Verdict* v : row.verdicts) {
        if (v->outcome == row.outcome) {
          row.reason = verdict_reason(*v);
          row.message = v->message;
          break;
        }
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::map<int, GpuSummary> gpus_by_ordinal(const NodeReport& report) {
  std::map<int, GpuSummary> out;
  for (auto& g : summarize_gpus(report)) out[g.gpu] = std::move(g);
  return out;
}

std::string gpu_name(std::optional<int> gpu, const std::map<int, GpuSummary>& gpus, bool with_identity) {
  if (!gpu) return "node";
  std::string name = "GPU " + std::to_string(*gpu);
  if (!with_identity) return name;
  const auto it = gpus.find(*gpu);
  if (it == gpus.end()) return name;
  if (it->second.serial) name += " " + *it->second.serial;
  if (it->second.pci_bus_id) name += " " + *it->second.pci_bus_id;
  return name;
}

std::string reason_with_message(const CheckRow& row) {
  if (row.message.empty() || row.reason.find(row.message) != std::string::npos) return row.reason;
  return row.reason + " — " + row.message;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

}  // namespace tranche::render
