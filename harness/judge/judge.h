// The judge: measurements + baseline -> verdicts. Pure; never touches a GPU, so old reports re-judge anywhere.
#pragma once
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"
#include "harness/judge/baseline.h"

namespace tranche {

// Verdict of one observed value against one expectation (the rule tables in tests/unit exercise every edge):
// higher_is_better: ratio = observed/reference; ratio >= warn_ratio pass, >= fail_ratio warn, else fail.
// lower_is_better: ratio = observed/reference; ratio <= warn_ratio pass, <= fail_ratio warn, else fail.
// equal: pass when observed == reference, else fail. A missing or non-finite observation fails.
Verdict judge_value(const Metric& metric, const Expectation& expectation);

// Judges every measurement. Status verdicts: skipped -> skip, error -> error (with its catalog id). For an ok
// measurement: every "*/mismatches" metric must be 0 (rule zero_mismatches) with or without a baseline; each
// metric with an expectation gets a verdict; a required expectation with no matching metric is an error
// verdict; an ok measurement with no verdict at all gets one status pass ("measured; no expectation").
// `baseline` may be null (no SKU matched): then only the built-in rules apply.
std::vector<Verdict> judge(const std::vector<Measurement>& measurements, const Baseline* baseline);

}  // namespace tranche
