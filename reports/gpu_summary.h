// Per-GPU summary of a node report: each GPU as operators name it (nvidia-smi index, serial, bus id) with its
// acceptance and the reasons, so a rejected GPU can be pulled by serial without reading the verdicts.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "harness/core/outcome.h"

namespace tranche {

struct NodeReport;

struct GpuSummary {
  int gpu = 0;                      // CUDA ordinal: the number measurements and verdicts use ("gpu")
  int index = 0;                    // the index nvidia-smi shows: NVML's, else bus order (nvidia_smi_indices)
  std::optional<int> nvml_index;    // NVML's index as the inventory recorded it; nullopt without NVML
  std::optional<std::string> serial;
  std::optional<std::string> uuid;
  std::optional<std::string> pci_bus_id;
  std::optional<Outcome> outcome;   // worst verdict outcome on this GPU; nullopt when no verdict names it
  // "accepted", "rejected", "incomplete" or "not_judged". Fail-closed like the node: rejected if a verdict
  // failed; incomplete if one errored or a required one was skipped; not_judged when the report has no
  // baseline or no verdict on this GPU passed or warned against an expectation (a GPU with no verdict, or only
  // unjudged figures); accepted otherwise (its unjudged figures, if any, are among the reasons).
  std::string acceptance;
  std::vector<std::string> reasons; // one line per fail, error, warn, unjudged figure or required skip, worst first
};

// The GPUs of the report: those the run selected (options.gpus) and those any verdict names, in ordinal order,
// with identity from the inventory (null where the inventory does not know it).
std::vector<GpuSummary> summarize_gpus(const NodeReport& report);

// "GPU 5 (CUDA 3) SN1654223041183 0000:5D:00.0 rejected: pcie.h2d/bandwidth 27.1 GB/s = 0.49 x 55.4 GB/s": named by
// nvidia-smi's index, with the CUDA ordinal when it differs (unknown identity parts are left out; "; N more" when
// there are several reasons).
std::string gpu_summary_line(const GpuSummary& g);

// One line on a verdict for the operator: "gemm.bf16/flops 380.1 TFLOP/s = 0.48 x 790.0 TFLOP/s" for a fail or warn
// with figures, "<outcome> <metric>: <error id> <message>" otherwise ("fail" is left out).
struct Verdict;
std::string verdict_reason(const Verdict& v);

}  // namespace tranche
