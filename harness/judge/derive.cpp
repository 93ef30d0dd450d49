// derive_baseline: robust statistics over the pooled per-GPU values of several reports.
#include "harness/judge/derive.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>

#include "harness/core/errors.h"

namespace tranche {

namespace {

constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution is 0.6745 sigma

using GroupKey = std::pair<std::string, std::map<std::string, std::string>>;

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string s;
  for (const auto& [k, v] : labels) s += (s.empty() ? "" : ",") + k + "=" + v;
  return "{" + s + "}";
}

std::string regex_escape(const std::string& s) {
  static const std::string kSpecial = R"(\^$.|?*+()[]{})";  // '-' is special only inside [...]
  std::string out;
  for (char c : s) {
    if (kSpecial.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double mad_of(const std::vector<double>& values) {
  const double med = median_of(values);
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double x : values) dev.push_back(std::fabs(x - med));
  return median_of(dev);
}

DeriveResult derive_baseline(const std::vector<DeriveInput>& inputs, const DeriveOptions& o) {
  if (inputs.size() < 2) {
    throw InputError("baseline derive needs at least 2 reports (got " + std::to_string(inputs.size()) +
                     "): a spread cannot be judged from one node");
  }
  DeriveResult result;
  std::map<GroupKey, std::vector<double>> groups;
  std::map<GroupKey, std::string> units;
  std::map<std::string, std::string> skipped;
  for (const auto& in : inputs) {
    for (const auto& m : in.measurements) {
      if (m.status != MeasurementStatus::ok) continue;
      for (const auto& metric : m.metrics) {
        if (ends_with(metric.name, "/mismatches") || ends_with(metric.name, "/algorithm_id")) {
          skipped.emplace(metric.name, "judged by a built-in rule or not a figure");
          continue;
        }
        if (metric.unit != "FLOP/s" && metric.unit != "B/s" && metric.unit != "s") {
          skipped.emplace(metric.name, "unit " + metric.unit + " is not a throughput or a time");
          continue;
        }
        if (!metric.value || !std::isfinite(*metric.value)) continue;
        const GroupKey key{metric.name, metric.labels};
        auto [it, fresh] = units.emplace(key, metric.unit);
        if (!fresh && it->second != metric.unit) {
          throw InputError(in.name + ": " + metric.name + " " + labels_text(metric.labels) + " is in " + metric.unit +
                           " but another report has it in " + it->second);
        }
        groups[key].push_back(*metric.value);
      }
    }
  }
  if (groups.empty())
    throw InputError("baseline derive: the reports hold no ok measurement with a FLOP/s, B/s or s figure");

  std::string names;
  for (const auto& in : inputs) names += (names.empty() ? "" : ", ") + in.name;
  const std::string origin = "derived from " + std::to_string(inputs.size()) + " reports: " + names;

  Baseline& b = result.baseline;
  b.id = o.id;
  if (o.base) {
    b.name = o.base->name + " (derived)";
    b.match = o.base->match;
    b.datasheet = o.base->datasheet;
    b.node = o.base->node;
  } else {
    std::string gpu;
    for (const auto& in : inputs) {
      for (const auto& n : in.gpu_names) {
        if (gpu.empty()) gpu = n;
        if (n != gpu) {
          throw InputError(in.name + ": GPU '" + n + "' differs from '" + gpu +
                           "' in the other reports; derive a baseline per SKU");
        }
      }
    }
    if (gpu.empty()) {
      throw InputError("baseline derive: --sku " + o.id +
                       " is not a shipped baseline and the reports name no GPU; "
                       "derive from reports with an inventory");
    }
    b.name = gpu + " (derived)";
    b.match.name_pattern = regex_escape(gpu);
  }
  b.description = origin +
                  "; reference = median, margins from the median absolute deviation "
                  "(docs/methodology/baselines.md)";

  for (const auto& [key, values] : groups) {
    const auto& [metric, labels] = key;
    if (static_cast<int>(values.size()) < o.min_samples) {
      throw InputError("baseline derive: " + metric + " " + labels_text(labels) + " has " +
                       std::to_string(values.size()) + " values across the reports; at least " +
                       std::to_string(o.min_samples) + " are needed (add reports or lower --min-samples)");
    }
    const double med = median_of(values), mad = mad_of(values);
    if (!(med > 0)) {
      skipped.emplace(metric, "median is not positive");
      continue;
    }
    const double spread = kMadToSigma * mad / med;
    Expectation e;
    e.metric = metric;
    e.labels = labels;
    e.reference = med;
    e.unit = units[key];
    e.required = true;
    e.provenance = Provenance::derived;
    const double warn_margin = std::clamp(o.k_warn * spread, o.min_warn_margin, o.max_warn_margin);
    const double fail_margin =
        std::clamp(o.k_fail * spread, std::max(o.min_fail_margin, warn_margin), o.max_fail_margin);
    if (e.unit == "s") {
      e.direction = Direction::lower_is_better;
      e.warn_ratio = 1.0 + warn_margin;
      e.fail_ratio = 1.0 + fail_margin;
    } else {
      e.direction = Direction::higher_is_better;
      e.warn_ratio = 1.0 - warn_margin;
      e.fail_ratio = 1.0 - fail_margin;
    }
    char stats[200];
    std::snprintf(stats, sizeof stats,
                  "; median of %zu values (per-GPU values pooled), MAD %.6g (%.2f%% of median); "
                  "warn at %g, fail at %g robust sigmas",
                  values.size(), mad, 100.0 * mad / med, o.k_warn, o.k_fail);
    e.source = origin + stats;
    if (o.base) {
      for (const auto& be : o.base->expectations) {
        if (be.metric == metric && !be.next_step.empty()) e.next_step = be.next_step;
      }
    }
    b.expectations.push_back(std::move(e));
  }
  for (const auto& [name, why] : skipped) result.skipped.push_back(name + ": " + why);
  if (b.expectations.empty()) throw InputError("baseline derive: no metric could be derived from the reports");
  return result;
}

}  // namespace tranche
