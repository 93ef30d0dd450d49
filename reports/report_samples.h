// Which raw samples a node report keeps, and how compactly (docs/report-format.md, "samples").
#pragma once
#include <optional>
#include <vector>

#include "harness/core/measurement.h"

namespace tranche {

// A figure whose spread is above this coefficient of variation keeps its samples: its median alone would hide
// the variation an operator needs to see (throttling, a noisy link, an outlier run).
inline constexpr double kKeepSamplesAboveCv = 0.05;

// Per metric of `m`: true when its samples are written. Kept: the headline figure of a per-GPU measurement (its
// first metric that is not a mismatch counter) and any figure with cv above kKeepSamplesAboveCv. Every
// figure keeps value, statistic, n, min, max and cv regardless, which is all re-judging and `baseline derive` use.
std::vector<bool> samples_kept(const Measurement& m);

// A sample rounded to 5 significant digits (a spread of 0.1% still shows); nullopt for a non-finite one.
std::optional<double> compact_sample(double v);

}  // namespace tranche
