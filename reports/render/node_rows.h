// The rows every node rendering shares: one per check per GPU (or per node-level check), with the worst outcome
// of its verdicts, its reason, and the GPU as operators name it. A view of the report, never a new judgement.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/gpu_summary.h"
#include "reports/node_report.h"

namespace tranche::render {

struct CheckRow {
  std::string check_id;
  std::optional<int> gpu;                // CUDA ordinal; nullopt for a node-level verdict
  Outcome outcome = Outcome::skip;       // the worst outcome among its verdicts (the report's roll-up order)
  std::string reason;                    // verdict_reason of the first verdict with that outcome; "" for a pass
  std::string message;                   // that verdict's own message (the judge's words, next step included)
  std::vector<const Verdict*> verdicts;  // in report order; point into the report (keep it alive)
  double duration_s = 0.0;               // of the measurement of this check on this GPU (or the node's), 0 if none
};

// Rows sorted by check id, node-level row before GPU 0, 1, ...
std::vector<CheckRow> check_rows(const NodeReport& report);

// The GPUs of the report by CUDA ordinal (summarize_gpus).
std::map<int, GpuSummary> gpus_by_ordinal(const NodeReport& report);

// "GPU 3" or "node"; with identity "GPU 3 SN1654223041183 0000:5D:00.0" where known.
std::string gpu_name(std::optional<int> gpu, const std::map<int, GpuSummary>& gpus, bool with_identity);

// "reason — message" (the message left out when empty or already the reason's text).
std::string reason_with_message(const CheckRow& row);

// A figure's labels as "k=v,k=v" (sorted by key), "" when none.
std::string labels_text(const std::map<std::string, std::string>& labels);

}  // namespace tranche::render
