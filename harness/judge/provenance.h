// The margins a reference's provenance earns (docs/methodology/baselines.md, "Provenance"), in one place.
#pragma once
#include "harness/judge/baseline.h"

namespace tranche {

struct Margins {
  double warn_ratio = 1.0;
  double fail_ratio = 1.0;
};

// Default margins of a provenance for a direction: higher_is_better derived 0.95/0.90, measured 0.92/0.85,
// datasheet 0.85/0.70 (warn-only down to the low floor 0.70); lower_is_better mirrors them (1.05/1.10,
// 1.08/1.15, 1.15/1.30); equal has no margin (1/1).
Margins default_margins(Provenance p, Direction d);

// The margins a shipped expectation must carry: the provenance default, unless an anchor floor is stricter; then
// the fail ratio is the floor's (rounded up to 0.001) and the warn ratio at least 0.02 above it.
Margins required_margins(const Expectation& e);

}  // namespace tranche
