// Deriving a baseline from a buyer's own reports: reference = median, margins from the median absolute deviation.
#pragma once
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/judge/baseline.h"

namespace tranche {

// One report's contribution: its name (for the source text), its measurements and its GPU names (inventory).
struct DeriveInput {
  std::string name;  // "node-a.json"
  std::vector<Measurement> measurements;
  std::vector<std::string> gpu_names;  // used for the match rule when no shipped baseline describes the SKU
};

struct DeriveOptions {
  std::string id;                  // --sku: the derived baseline's id
  const Baseline* base = nullptr;  // the shipped baseline with that id, if any: match, node, datasheet, next steps
  int min_samples = 5;             // per (metric, labels) group, per-GPU values pooled over all reports
  double k_warn = 3.0;             // warn beyond k_warn robust sigmas (1.4826 * MAD) from the median
  double k_fail = 5.0;             // fail beyond k_fail robust sigmas
  double min_warn_margin = 0.02;   // a spread of zero still leaves this margin: warn at 0.98 (or 1.02)
  double min_fail_margin = 0.05;   // and fail at 0.95 (or 1.05)
  // A wide spread never loosens a derived baseline past the derived defaults, 0.95/0.90 (or 1.05/1.10):
  // docs/methodology/baselines.md, "Provenance". Golden nodes that spread wider are not golden.
  double max_warn_margin = 0.05;
  double max_fail_margin = 0.10;
};

struct DeriveResult {
  Baseline baseline;
  std::vector<std::string> skipped;  // metric names left out, with why ("pcie.h2d/link_width: unit count")
};

// Median of values (the mean of the two middle ones for an even count). Precondition: values non-empty.
double median_of(std::vector<double> values);
// Median absolute deviation from the median. Precondition: values non-empty.
double mad_of(const std::vector<double>& values);

// Groups the ok measurements' metrics by (name, labels), per-GPU values pooled across reports, and makes one
// expectation per group: reference = median; direction higher_is_better for FLOP/s and B/s, lower_is_better for
// s (other units, */mismatches and */algorithm_id are skipped: they are judged by rule or are not figures);
// warn/fail ratios = 1 -/+ k * 1.4826 * MAD / median, clamped to the margins in options. The source names the
// reports and counts. Throws InputError when fewer than two inputs are given, when a group has fewer than
// min_samples values (naming the metric, its labels and the count), when nothing can be derived, or when no
// base is given and the reports' GPU names differ.
DeriveResult derive_baseline(const std::vector<DeriveInput>& inputs, const DeriveOptions& options);

}  // namespace tranche
