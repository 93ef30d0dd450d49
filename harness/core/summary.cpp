// Fail-closed roll-up of verdicts into a node summary.
#include <algorithm>

#include "harness/core/error_catalog.h"
#include "harness/core/verdict.h"

namespace tranche {

namespace {

void add_distinct(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

Summary summarize(const std::vector<Verdict>& verdicts) {
  Summary s;
  for (auto o : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
    s.counts[std::string(to_string(o))] = 0;
  }
  bool failed = false, errored = false, required_skip = false, proven = false;
  for (const auto& v : verdicts) {
    s.counts[std::string(to_string(v.outcome))]++;
    s.worst = worst(s.worst, v.outcome);
    if (v.device) {
      auto it = s.gpu_outcomes.find(*v.device);
      s.gpu_outcomes[*v.device] = it == s.gpu_outcomes.end() ? v.outcome : worst(it->second, v.outcome);
    }
    if (!v.error_id.empty()) add_distinct(s.error_ids, v.error_id);
    if (v.outcome == Outcome::unjudged) add_distinct(s.unjudged_metrics, v.metric.empty() ? v.check_id : v.metric);
    failed |= v.outcome == Outcome::fail;
    errored |= v.outcome == Outcome::error;
    required_skip |= v.outcome == Outcome::skip && v.required;
    proven |= v.outcome == Outcome::pass || v.outcome == Outcome::warn;
  }
  if (failed) {
    s.acceptance = Acceptance::rejected;
  } else if (errored || required_skip || !proven) {
    s.acceptance = Acceptance::incomplete;
  } else {
    s.acceptance = Acceptance::accepted;
  }

  std::string head(to_string(s.acceptance));
  if (verdicts.empty()) {
    head += ": no check produced a verdict";
  } else if (!s.error_ids.empty()) {
    const auto& e = error_entry(s.error_ids.front());
    head += ": " + std::string(e.id) + " - " + std::string(e.summary) + "; next: " + std::string(e.next_step);
  } else if (!proven && !failed) {
    head += ": nothing was judged against an expectation; derive a baseline (tranche baseline derive) or pass "
            "--baseline";
  } else {
    head += ": " + std::to_string(s.counts["pass"]) + " pass, " + std::to_string(s.counts["warn"]) + " warn, " +
            std::to_string(s.counts["fail"]) + " fail, " + std::to_string(s.counts["skip"]) + " skip";
  }
  if (!s.unjudged_metrics.empty()) {
    head += "; not judged: " + s.unjudged_metrics.front();
    if (s.unjudged_metrics.size() > 1) head += " and " + std::to_string(s.unjudged_metrics.size() - 1) + " more";
  }
  s.headline = head;
  return s;
}

}  // namespace tranche
