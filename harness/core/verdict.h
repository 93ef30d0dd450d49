// Verdict: the judge's decision on one metric (or one measurement's status), with everything behind it.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/outcome.h"

namespace tranche {

struct Verdict {
  std::string check_id;
  std::string metric;                          // metric name; empty when judging the measurement's status
  std::map<std::string, std::string> labels;   // the metric's labels
  std::optional<int> device;                   // GPU index; nullopt for node-level
  std::string rule;            // "higher_is_better", "lower_is_better", "equal", "zero_mismatches", "status", ...
  std::optional<double> reference;
  std::optional<double> observed;
  std::optional<double> ratio;  // observed / reference (direction-adjusted where the rule says so)
  std::optional<double> warn_ratio;
  std::optional<double> fail_ratio;
  std::string unit;
  Outcome outcome = Outcome::pass;
  bool required = true;         // a required check that is skipped or errors makes the node incomplete
  std::string source;           // where the reference comes from (baseline file and its source text)
  std::string message;          // one line for the operator
  std::string error_id;         // catalog id when outcome is error (or fail with a catalogued cause)
};

// Node summary: acceptance, counts per outcome, and each GPU's worst outcome.
struct Summary {
  Acceptance acceptance = Acceptance::incomplete;
  Outcome worst = Outcome::skip;
  std::map<std::string, int> counts;        // "pass" -> n, ... over verdicts ("unjudged" included)
  std::vector<std::string> error_ids;       // distinct catalog ids seen, in first-seen order
  std::map<int, Outcome> gpu_outcomes;      // worst outcome per GPU index
  std::vector<std::string> unjudged_metrics;  // distinct metric names with an unjudged verdict, first-seen order
  std::string headline;                     // one line: "incomplete: E_NO_DEVICE — no usable CUDA device ..."
};

// Fail-closed acceptance over verdicts: rejected if any verdict failed; otherwise incomplete if any errored, a
// required verdict was skipped, or no verdict passed or warned (nothing was proven: an empty list, or only
// unjudged figures and skips); otherwise accepted. Unjudged verdicts are counted apart from passes, and their
// metrics are named in unjudged_metrics and in the headline.
Summary summarize(const std::vector<Verdict>& verdicts);

}  // namespace tranche
