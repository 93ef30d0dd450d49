// The terminal summary of a node report: the run's identity, a table of GPU x check (observed, reference, ratio,
// outcome, why), then the acceptance headline.
#pragma once
#include <string>

#include "reports/node_report.h"
#include "reports/terminal_table.h"

namespace tranche {

// Ends in a newline; the last line is "Verdict: <headline>". GPUs are named by the index nvidia-smi shows (the
// CUDA ordinal where the inventory has no NVML index); node-level rows show "node". One row per (GPU, check): its
// worst verdict, preferring one with a reference among equals; a check without a verdict shows its headline
// figure. Fits style.width; colour only when style.colour.
std::string render_terminal_summary(const NodeReport& report, const TableStyle& style = {});

}  // namespace tranche
