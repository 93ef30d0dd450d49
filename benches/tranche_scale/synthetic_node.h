// Synthetic but realistic node reports for the tranche-scale benchmark and the fleet tests: every registered
// check's metrics, as the checks emit them, with samples, judged by the real judge against a shipped baseline.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "harness/core/inventory.h"
#include "harness/judge/baseline.h"
#include "reports/node_report.h"

namespace tranche {

// What to plant in one node. Figures are the baseline reference x 1.03 (a healthy node clears its baseline),
// x node_scale, x the GPU's scale, x a per-GPU-per-metric spread of gpu_spread_cv; each figure is the median
// of `samples` samples spread by sample_cv. Deterministic in (seed, node_index).
struct SyntheticNodeSpec {
  std::string host;
  int node_index = 0;
  unsigned seed = 1;
  int samples = 30;
  double gpu_spread_cv = 0.002;  // GPU-to-GPU spread: 1.5% (the default outlier floor) is then 7 sd away
  double sample_cv = 0.005;
  double node_scale = 1.0;
  std::map<int, double> gpu_scale;               // GPU index -> multiplier on all its performance figures
  std::optional<int> slow_link_gpu, slow_link_peer;  // p2p bandwidths from this GPU to that peer x link_scale
  double link_scale = 0.8;
  std::optional<int> failing_gpu;  // its gemm.bf16 figure at 50% of the reference: fails the baseline
};

// `inventory_template`: a recorded 8-GPU inventory (tests/data/inventory/healthy_hgx_h100.json); serials, UUIDs
// and the hostname are rewritten per node. Measurements cover every check in CheckRegistry::global() (a check
// of a family the generator does not know gets its declared metrics per GPU, unit from the baseline or count).
NodeReport make_synthetic_node_report(const SyntheticNodeSpec& spec, const Inventory& inventory_template,
                                      const Baseline& baseline);

// The GPU serial the generator gives GPU `gpu` of node `node_index` (tests look planted GPUs up by it).
std::string synthetic_serial(int node_index, int gpu);

}  // namespace tranche
