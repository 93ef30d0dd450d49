// The judge: measurements + baseline -> verdicts. Pure; never touches a GPU, so old reports re-judge anywhere.
#pragma once
#include <map>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/verdict.h"
#include "harness/judge/baseline.h"

namespace tranche {

// Verdict of one observed value against one expectation (tests/unit/judge_rules_test.cpp exercises every edge):
// higher_is_better: ratio = observed/reference; ratio >= warn_ratio pass, >= fail_ratio warn, else fail.
// lower_is_better: ratio = observed/reference; ratio <= warn_ratio pass, <= fail_ratio warn, else fail.
// equal: pass when observed == reference, else fail.
// A null or non-finite observation could not be measured: error E_METRIC_MISSING when the expectation is
// required, else a non-required skip. A unit different from the expectation's is error E_BAD_INPUT (never
// converted silently). The verdict carries rule, reference, observed, ratio, margins, unit and source; a warn or
// fail message ends with the expectation's next step.
Verdict judge_value(const Metric& metric, const Expectation& expectation);

// Judges every measurement against `baseline` (null: no SKU matched, only the built-in rules apply).
// - skipped -> one skip verdict (required as the measurement says); error -> one error verdict with its id.
// - ok: every "*/mismatches" metric must be 0 (rule zero_mismatches) with or without a baseline; each metric
//   gets one verdict per matching expectation (names equal, the expectation's labels a subset of the metric's).
//   A metric no expectation or built-in rule matches (e.g. a GEMM at a size the baseline has no reference for)
//   gets one `unjudged` verdict (rule no_expectation): measured, not judged, never counted as a pass. Metrics
//   kept only for the record (is_record_only_metric: CUDA versions, */algorithm_id, ...) get no verdict.
// - headline: a required ok measurement whose check is in options.headline_metrics and that reported its headline
//   metric, none of whose values an expectation judged, also gets an error verdict E_NO_EXPECTATION (rule
//   headline_judged): the node is incomplete until a baseline covers it or the profile marks the check optional.
// - metric_present: a required expectation is an error (E_METRIC_MISSING) only when its check ran ok and
//   reported no metric of that name at all. A check that was not selected, or that reported the metric with
//   other labels (another size, another phase), is not an error: nothing was missed, the run chose otherwise.
// - an ok measurement that reported no metric at all gets one unjudged verdict (nothing to call a pass); one
//   that reported only record-only metrics gets one status pass (its status is the verdict).
// - GPU pairs (p2p.*): attribute_pair_blame (pair_blame.h) names both GPUs and blames the GPU that fails with
//   several partners, or else the link between the two.
// Verdict sources are "<baseline id>: <provenance>: <expectation source>" (site override notes included).
std::vector<Verdict> judge(const std::vector<Measurement>& measurements, const Baseline* baseline,
                           const JudgeOptions& options = {});

// Fail-closed acceptance of each GPU over the verdicts that name it (node-level verdicts excluded): rejected if
// one failed; incomplete if one errored or a required one was skipped; accepted otherwise.
std::map<int, Acceptance> gpu_acceptance(const std::vector<Verdict>& verdicts);

}  // namespace tranche
