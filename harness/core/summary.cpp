// Fail-closed roll-up of verdicts into a node summary.
#include <algorithm>

#include "harness/core/error_catalog.h"
#include "harness/core/verdict.h"

namespace tranche {

Summary summarize(const std::vector<Verdict>& verdicts) {
  Summary s;
  for (auto o : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error}) {
    s.counts[std::string(to_string(o))] = 0;
  }
  bool failed = false, errored = false, required_skip = false;
  for (const auto& v : verdicts) {
    s.counts[std::string(to_string(v.outcome))]++;
    s.worst = worst(s.worst, v.outcome);
    if (v.device) {
      auto it = s.gpu_outcomes.find(*v.device);
      s.gpu_outcomes[*v.device] = it == s.gpu_outcomes.end() ? v.outcome : worst(it->second, v.outcome);
    }
    if (!v.error_id.empty() && std::find(s.error_ids.begin(), s.error_ids.end(), v.error_id) == s.error_ids.end()) {
      s.error_ids.push_back(v.error_id);
    }
    failed |= v.outcome == Outcome::fail;
    errored |= v.outcome == Outcome::error;
    required_skip |= v.outcome == Outcome::skip && v.required;
  }
  if (failed) {
    s.acceptance = Acceptance::rejected;
  } else if (errored || required_skip || verdicts.empty()) {
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
  } else {
    head += ": " + std::to_string(s.counts["pass"]) + " pass, " + std::to_string(s.counts["warn"]) + " warn, " +
            std::to_string(s.counts["fail"]) + " fail, " + std::to_string(s.counts["skip"]) + " skip";
  }
  s.headline = head;
  return s;
}

}  // namespace tranche
