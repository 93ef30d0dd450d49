// Metric: one measured quantity, in SI base units, with the statistic it is and the spread behind it.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tranche {

// A figure a check measured. Name is "<check_id>/<quantity>" (e.g. "gemm.bf16/flops"); dimensions such as the
// matrix size go in labels, never in the name. value is in `unit`, an SI base unit ("B/s", "FLOP/s", "s", "W",
// "degC", "count", "bool"). A missing value is nullopt (null in JSON), never a sentinel.
struct Metric {
  std::string name;
  std::optional<double> value;
  std::string unit;
  std::string statistic = "value";  // "median", "min", "max", "mean", "sum", "count", "value"
  int n_samples = 1;
  std::optional<double> cv;   // coefficient of variation of the samples (stddev / mean), when n_samples > 1
  std::optional<double> min;  // of the samples
  std::optional<double> max;
  std::map<std::string, std::string> labels;  // dimensions: {"m":"8192"}, {"peer":"3"}, {"phase":"all_gpus"}
  std::optional<int> device;                  // GPU index; nullopt for node-level figures
  std::vector<double> samples;                // raw samples, kept when few enough to matter (may be empty)
};

// The metric's check id: the part of name before the last '/'.
std::string metric_check_id(const std::string& name);

}  // namespace tranche
