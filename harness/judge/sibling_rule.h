// The in-node sibling rule: a GPU whose figure trails the median of the node's GPUs by more than a margin warns,
// even when every GPU clears the baseline (docs/methodology/fleet.md).
#pragma once
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"

namespace tranche {

struct SiblingRule {
  double margin = 0.03;   // fraction below (above, for seconds) the node median that warns; <= 0 disables
  int min_gpus = 4;       // fewer GPUs reporting a figure: no sibling verdict (no robust median)
};

// For each performance figure (unit B/s, FLOP/s or s; same name and labels; one value per GPU) reported by at
// least min_gpus GPUs of ok measurements: one `warn` verdict (rule "sibling_outlier", not required) per GPU
// worse than the GPUs' median by more than the margin. reference is the median, ratio observed/median. Pure.
std::vector<Verdict> sibling_verdicts(const std::vector<Measurement>& measurements, const SiblingRule& rule);

}  // namespace tranche
