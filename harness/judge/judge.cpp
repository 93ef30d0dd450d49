// The rules of the judge.
#include "harness/judge/judge.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "harness/core/partial_errors.h"
#include "harness/judge/burnin_expectations.h"
#include "harness/judge/pair_blame.h"
#include "harness/judge/preflight_expectations.h"
#include "harness/judge/sibling_rule.h"

namespace tranche {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::higher_is_better: return "higher_is_better";
    case Direction::lower_is_better: return "lower_is_better";
    case Direction::equal: return "equal";
  }
  return "equal";
}

std::optional<Direction> direction_from_string(std::string_view s) {
  for (auto d : {Direction::higher_is_better, Direction::lower_is_better, Direction::equal}) {
    if (to_string(d) == s) return d;
  }
  return std::nullopt;
}

namespace {

Verdict base_verdict(const Measurement& m) {
  Verdict v;
  v.check_id = m.check_id;
  v.device = m.device;
  v.required = m.required;
  return v;
}

bool labels_match(const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& have) {
  for (const auto& [k, val] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != val) return false;
  }
  return true;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Verdict mismatch_verdict(const Measurement& m, const Metric& metric) {
  Verdict v = base_verdict(m);
  v.metric = metric.name;
  v.labels = metric.labels;
  v.device = metric.device ? metric.device : m.device;
  v.rule = "zero_mismatches";
  v.reference = 0.0;
  v.observed = metric.value;
  v.unit = metric.unit;
  v.source = "built-in rule: every verified result must have zero wrong elements";
  const bool clean = metric.value && *metric.value == 0.0;
  v.outcome = clean ? Outcome::pass : Outcome::fail;
  if (!clean) v.error_id = "E_DATA_MISMATCH";
  v.message = clean ? "no wrong elements"
                    : (metric.value ? std::to_string(static_cast<long long>(*metric.value)) : std::string("unknown")) +
                          " wrong elements";
  return v;
}

std::string fmt_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string s;
  for (const auto& [k, val] : labels) s += (s.empty() ? "" : ",") + k + "=" + val;
  return "{" + s + "}";
}

// A measured figure no expectation (and no built-in rule) judged: its own outcome, never a pass.
Verdict unjudged_verdict(const Measurement& m, const Metric& metric, const std::string& baseline_id) {
  Verdict v = base_verdict(m);
  v.metric = metric.name;
  v.labels = metric.labels;
  v.device = metric.device ? metric.device : m.device;
  v.rule = "no_expectation";
  v.observed = metric.value && std::isfinite(*metric.value) ? metric.value : std::nullopt;
  v.unit = metric.unit;
  v.outcome = Outcome::unjudged;
  v.message = "measured; no expectation for " + metric.name +
              (metric.labels.empty() ? std::string() : " " + labels_text(metric.labels)) + " in " +
              (baseline_id.empty() ? std::string("any baseline (none selected)") : "baseline " + baseline_id) +
              ", so it is not judged";
  return v;
}

// A required check whose headline figure nothing judged: the node cannot be accepted on it.
Verdict headline_unjudged_verdict(const Measurement& m, const std::string& headline, const std::string& baseline_id) {
  Verdict v = base_verdict(m);
  v.metric = headline;
  v.rule = "headline_judged";
  v.outcome = Outcome::error;
  v.error_id = "E_NO_EXPECTATION";
  v.message = "required check " + m.check_id + " measured " + headline + " but " +
              (baseline_id.empty() ? std::string("no baseline was selected") : "baseline " + baseline_id +
                                                                                   " has no expectation for it") +
              " at the measured labels; derive a baseline from healthy nodes (tranche baseline derive), or mark " +
              m.check_id + " \"required\": false in the profile";
  return v;
}

}  // namespace

Verdict judge_value(const Metric& metric, const Expectation& e) {
  Verdict v;
  v.check_id = metric_check_id(metric.name);
  v.metric = metric.name;
  v.labels = metric.labels;
  v.device = metric.device;
  v.rule = std::string(to_string(e.direction));
  v.reference = e.reference;
  v.warn_ratio = e.warn_ratio;
  v.fail_ratio = e.fail_ratio;
  v.unit = e.unit;
  v.required = e.required;
  v.source = e.source;
  v.observed = metric.value;
  if (!metric.value || !std::isfinite(*metric.value)) {
    v.observed = std::nullopt;
    if (e.required) {
      v.outcome = Outcome::error;
      v.error_id = "E_METRIC_MISSING";
      v.message =
          metric.name + " has no value (" + (metric.value ? "not finite" : "null") + "); the baseline requires it";
    } else {
      v.outcome = Outcome::skip;
      v.message = metric.name + " has no value; the expectation is not required";
    }
    return v;
  }
  if (metric.unit != e.unit) {
    v.outcome = Outcome::error;
    v.error_id = "E_BAD_INPUT";
    v.message = metric.name + " is in " + metric.unit + " but the baseline expects " + e.unit;
    return v;
  }
  const double obs = *metric.value;
  if (e.direction == Direction::equal) {
    const bool listed = std::find(e.also_equal.begin(), e.also_equal.end(), obs) != e.also_equal.end();
    v.outcome = obs == e.reference || listed ? Outcome::pass : Outcome::fail;
    if (e.reference != 0) v.ratio = obs / e.reference;
  } else if (!(e.reference > 0)) {
    v.outcome = Outcome::error;
    v.error_id = "E_BAD_INPUT";
    v.message = "baseline reference for " + metric.name + " is not positive: a ratio cannot be formed";
    return v;
  } else {
    const double r = obs / e.reference;
    v.ratio = r;
    if (e.direction == Direction::higher_is_better) {
      v.outcome = r >= e.warn_ratio ? Outcome::pass : r >= e.fail_ratio ? Outcome::warn : Outcome::fail;
    } else {
      v.outcome = r <= e.warn_ratio ? Outcome::pass : r <= e.fail_ratio ? Outcome::warn : Outcome::fail;
    }
  }
  char buf[200];
  if (e.direction == Direction::equal && !e.also_equal.empty()) {
    std::string allowed;
    for (double x : e.also_equal) allowed += fmt_number(x) + ", ";
    std::snprintf(buf, sizeof buf, "observed %.6g %s, expected one of %s%.6g", obs, e.unit.c_str(), allowed.c_str(),
                  e.reference);
  } else if (e.direction == Direction::equal) {
    std::snprintf(buf, sizeof buf, "observed %.6g %s, expected exactly %.6g", obs, e.unit.c_str(), e.reference);
  } else {
    std::snprintf(buf, sizeof buf, "observed %.6g %s vs reference %.6g (ratio %.3f; warn %.3f, fail %.3f)", obs,
                  e.unit.c_str(), e.reference, *v.ratio, e.warn_ratio, e.fail_ratio);
  }
  v.message = buf;
  if ((v.outcome == Outcome::fail || v.outcome == Outcome::warn) && !e.next_step.empty()) {
    v.message += "; next: " + e.next_step;
  }
  return v;
}

std::vector<Verdict> judge(const std::vector<Measurement>& measurements, const Baseline* baseline,
                           const JudgeOptions& options) {
  std::vector<Expectation> expectations;
  if (baseline) expectations = baseline->expectations;
  // Burn-in rules: the documented defaults for every metric the baseline does not judge itself.
  expectations = with_burnin_defaults(expectations);
  // The node's preflight rules join the baseline's: SKU-independent ones always, SKU-specific ones from its node part.
  const auto pre = preflight_expectations(baseline ? baseline->node : NodeExpectations{}, options);
  expectations.insert(expectations.end(), pre.begin(), pre.end());
  // What each expectation's verdicts cite: "<baseline id>: <provenance>: <source>" for the baseline's own.
  const std::string source_prefix = baseline ? baseline->id + ": " : std::string();
  std::vector<std::string> sources;
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const Expectation& e = expectations[i];
    const bool from_baseline = baseline && i < baseline->expectations.size();
    sources.push_back(source_prefix + (from_baseline ? std::string(to_string(e.provenance)) + ": " : "") + e.source);
  }

  std::vector<Verdict> out;
  for (const auto& m : measurements) {
    if (m.status == MeasurementStatus::skipped) {
      Verdict v = base_verdict(m);
      v.rule = "status";
      v.outcome = Outcome::skip;
      v.message = m.reason;
      out.push_back(v);
      continue;
    }
    if (m.status == MeasurementStatus::error) {
      Verdict v = base_verdict(m);
      v.rule = "status";
      v.outcome = Outcome::error;
      v.error_id = m.error ? m.error->id : "E_INTERNAL";
      v.message = m.error ? m.error->message : m.reason;
      out.push_back(v);
      continue;
    }
    const size_t before = out.size();
    const std::string baseline_id = baseline ? baseline->id : std::string();
    const auto headline = options.headline_metrics.find(m.check_id);
    bool headline_measured = false, headline_judged = false;
    std::set<std::string> names;
    for (const auto& metric : m.metrics) {
      names.insert(metric.name);
      bool judged = false;
      if (ends_with(metric.name, "/mismatches")) {
        out.push_back(mismatch_verdict(m, metric));
        judged = true;
      }
      for (std::size_t i = 0; i < expectations.size(); ++i) {
        const Expectation& e = expectations[i];
        if (e.metric == metric.name && labels_match(e.labels, metric.labels)) {
          Verdict v = judge_value(metric, e);
          v.check_id = m.check_id;
          if (!v.device) v.device = m.device;
          v.source = sources[i];
          out.push_back(v);
          judged = true;
        }
      }
      if (!judged && !is_record_only_metric(metric.name)) out.push_back(unjudged_verdict(m, metric, baseline_id));
      if (headline != options.headline_metrics.end() && metric.name == headline->second) {
        headline_measured = true;
        headline_judged |= judged;
      }
    }
    if (m.required && headline_measured && !headline_judged) {
      out.push_back(headline_unjudged_verdict(m, headline->second, baseline_id));
    }
    // A node-scoped check that measured most GPUs or pairs: each failed GPU or pair is an error of that GPU.
    for (const ErrorInfo& e : partial_errors(m)) {
      Verdict v = base_verdict(m);
      v.device = e.gpu;
      v.rule = "status";
      v.outcome = Outcome::error;
      v.error_id = e.id;
      v.message = e.message;
      out.push_back(v);
    }
    std::set<std::string> reported_missing;
    for (std::size_t i = 0; i < expectations.size(); ++i) {
      const Expectation& e = expectations[i];
      if (!e.required || metric_check_id(e.metric) != m.check_id || names.count(e.metric)) continue;
      if (!reported_missing.insert(e.metric).second) continue;
      Verdict v = base_verdict(m);
      v.metric = e.metric;
      v.labels = e.labels;
      v.rule = "metric_present";
      v.reference = e.reference;
      v.unit = e.unit;
      v.outcome = Outcome::error;
      v.error_id = "E_METRIC_MISSING";
      v.source = sources[i];
      v.message = "the check ran but did not report " + e.metric + ", which the baseline requires";
      out.push_back(v);
    }
    if (out.size() == before) {
      // Only record-keeping figures (preflight.driver: a driver and devices were found): the status is the verdict.
      // No figures at all: there is nothing to call a pass.
      const bool record_only = !m.metrics.empty() && std::all_of(m.metrics.begin(), m.metrics.end(), [](const Metric& x) {
        return is_record_only_metric(x.name);
      });
      Verdict v = base_verdict(m);
      v.rule = "status";
      v.outcome = record_only ? Outcome::pass : Outcome::unjudged;
      v.message = record_only ? "ran ok; its figures are kept for the record, not judged"
                              : "measured; reported no figures, so nothing was judged";
      out.push_back(v);
    }
  }
  attribute_pair_blame(out);
  for (auto& v : sibling_verdicts(measurements, SiblingRule{options.sibling_margin})) out.push_back(std::move(v));
  return out;
}

std::map<int, Acceptance> gpu_acceptance(const std::vector<Verdict>& verdicts) {
  std::map<int, int> state;  // 0 accepted, 1 incomplete, 2 rejected
  for (const auto& v : verdicts) {
    if (!v.device) continue;
    int s = 0;
    if (v.outcome == Outcome::fail)
      s = 2;
    else if (v.outcome == Outcome::error || (v.outcome == Outcome::skip && v.required))
      s = 1;
    auto [it, fresh] = state.emplace(*v.device, s);
    if (!fresh && s > it->second) it->second = s;
  }
  std::map<int, Acceptance> out;
  for (const auto& [g, s] : state) {
    out[g] = s == 2 ? Acceptance::rejected : s == 1 ? Acceptance::incomplete : Acceptance::accepted;
  }
  return out;
}

}  // namespace tranche
