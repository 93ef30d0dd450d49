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
};

// What a node of this SKU must look like before any benchmark runs (preflight). Unset = not checked.
struct NodeExpectations {
  std::optional<int> gpus_per_node;
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
  bool exclusive = false;  // --exclusive: a foreign compute process on a GPU fails preflight instead of warning
  double sibling_margin = 0.03;  // --sibling-margin: a GPU this far behind its node's median warns (0: off)
};

std::string_view to_string(Direction d);
std::optional<Direction> direction_from_string(std::string_view s);

}  // namespace tranche
