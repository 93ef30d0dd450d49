// Baseline: what a SKU is expected to measure — references and margins kept apart, each with its source.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tranche {

enum class Direction { higher_is_better, lower_is_better, equal };

// Where a reference comes from; the default margins follow it (docs/methodology/baselines.md, "Provenance"):
// derived  = median of at least 5 golden nodes measured with tranche itself (tranche baseline derive);
// measured = a published run of another tool on this SKU or the same silicon, converted only by stated ratios
//            that were themselves measured;
// datasheet = an estimate: a fraction of a datasheet peak, or a ratio borrowed from another SKU (warn-only down
//            to a documented low floor).
enum class Provenance { derived, measured, datasheet };

// A public anchor's fail line (Azure HPC health checks, DCGM per-SKU floors) for the metric, in its unit. An
// expectation's fail line (reference x fail_ratio) may never be looser than it: checked at load.
struct AnchorFloor {
  double value = 0.0;
  std::string source;
};

// One expectation for one metric. The metric matches when names are equal and every label given here equals
// the metric's label (labels absent here match anything). GEMM expectations pin {"m","n","k"}: a GEMM measured at
// another size has no expectation and gets no verdict (docs/methodology/baselines.md, "sizes").
struct Expectation {
  std::string metric;                         // "gemm.bf16/flops"
  std::map<std::string, std::string> labels;  // e.g. {"m":"8192"}; empty = any
  double reference = 0.0;                     // in `unit`
  std::string unit;
  Direction direction = Direction::higher_is_better;
  double warn_ratio = 1.0;  // higher: observed/reference below this warns; lower: above this warns
  double fail_ratio = 1.0;  // higher: below this fails; lower: above this fails
  bool required = true;     // false: a missing or null metric is a non-required skip instead of an error
  std::string source;       // where the reference comes from
  std::string next_step;    // what the operator does when this fails ("reseat the GPU", "RMA if it repeats")
  Provenance provenance = Provenance::datasheet;  // built-in rules state node facts: datasheet
  std::optional<AnchorFloor> floor{};             // a public fail line this expectation must not be looser than
  std::vector<double> also_equal{};  // direction equal: other values that pass too (a board's other GPU counts)
};

// What a node of this SKU must look like before any benchmark runs (preflight). Unset = not checked.
struct NodeExpectations {
  std::vector<int> gpus_per_node;                 // the board's valid GPU counts (HGX: 4 or 8); empty = any
  std::optional<int> pcie_generation;             // the SKU's maximum link generation (judged at max, not idle)
  std::optional<int> pcie_width;                  // lanes
  std::optional<int> nvlinks_per_gpu;             // links that must be up; 0 for SKUs without NVLink
  std::optional<std::uint64_t> memory_bytes_min;  // device-reported total memory at least this
  std::string min_driver;                         // "550.54.15"; "" = any
  std::string source;                             // where these node facts come from
};

// How a GPU is recognised as this SKU (sku_match.h). A PCI device id match is decisive; without one (no NVML,
// or an id the file does not list) the name pattern and the memory range must all hold.
struct MatchRule {
  std::vector<std::uint32_t> pci_device_ids;      // 0x2330; empty = match by name and memory only
  std::string name_pattern;                       // ECMAScript regex over the CUDA device name, whole-name match
  std::optional<std::uint64_t> memory_bytes_min;  // device-reported bytes, inclusive
  std::optional<std::uint64_t> memory_bytes_max;
};

// One datasheet figure, kept for context and for documented fractions; the judge never reads it.
struct DatasheetFigure {
  std::optional<double> value;  // null when the vendor does not publish it
  std::string unit;             // SI: "FLOP/s", "B/s", "W", "degC"
  std::string source;
};

// Datasheet figures of the SKU. Keys of peak_flops: fp64, fp64_tc, fp32, tf32, fp16, bf16, fp8, int8 (dense).
// Bandwidths are one direction (NVLink per GPU, PCIe per link) unless the source says otherwise.
struct Datasheet {
  std::map<std::string, DatasheetFigure> peak_flops;
  std::optional<DatasheetFigure> hbm_bandwidth;
  std::optional<DatasheetFigure> nvlink_bandwidth;
  std::optional<DatasheetFigure> pcie_bandwidth;
  std::optional<DatasheetFigure> power_limit;
  std::optional<DatasheetFigure> slowdown_temperature;
};

struct Baseline {
  std::string id;      // "h100-sxm5-80gb"
  std::string name;    // "NVIDIA H100 SXM5 80GB"
  std::string file;    // path it was loaded from ("" when built in code)
  std::string sha256;  // of the file's bytes
  std::string description;
  MatchRule match;
  Datasheet datasheet;
  NodeExpectations node;
  std::vector<Expectation> expectations;
  std::string overrides_file;  // site override applied on top ("" when none), see overrides.h
  std::string overrides_sha256;
};

// Run-time policy the judge applies on top of the baseline.
struct JudgeOptions {
  // The CUDA runtime tranche was built with (cudaRuntimeGetVersion: 13000 = 13.0; 0 = unknown): its minimum
  // driver joins the SKU's (preflight_expectations.h). Passed down from the CLI, which knows the build.
  int cuda_runtime_version = 0;
  bool exclusive = false;  // --exclusive: a foreign compute process on a GPU fails preflight instead of warning
  // check id -> its headline metric (CheckRegistry::headline_metrics()): a required check's headline must be
  // judged by an expectation or the node is incomplete (E_NO_EXPECTATION). A check absent here is not held to it.
  std::map<std::string, std::string> headline_metrics;
  double sibling_margin = 0.03;  // --sibling-margin: a GPU this far behind its node's median warns (0: off)
};

std::string_view to_string(Direction d);
std::optional<Direction> direction_from_string(std::string_view s);
std::string_view to_string(Provenance p);
std::optional<Provenance> provenance_from_string(std::string_view s);

}  // namespace tranche
