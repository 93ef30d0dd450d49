// NodeReport JSON, layout v2: summary first, keys in a fixed order, each expectation recorded once and referred
// to by index, figures keeping value/statistic/n/min/max/cv and raw samples only where they help diagnosis.
// docs/report-format.md describes the layout; tests/data/golden/node_report.json pins it.
#include "reports/node_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "harness/core/atomic_file.h"
#include "harness/core/json_guard.h"
#include "harness/core/errors.h"
#include "harness/core/model_json.h"
#include "reports/compact_json.h"
#include "reports/figure_index.h"
#include "reports/gpu_summary.h"
#include "reports/report_samples.h"

namespace tranche {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// Significant digits kept: spread (min, max) and ratios to 7 and 6, cv to 4 — far finer than what they measure.
constexpr int kSpreadDigits = 7;
constexpr int kCvDigits = 4;
constexpr int kRatioDigits = 6;

ojson string_or_null(const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); }
ojson positive_or_null(int v) { return v > 0 ? ojson(v) : ojson(nullptr); }
ojson number_or_null(const std::optional<double>& v) { return v && std::isfinite(*v) ? ojson(*v) : ojson(nullptr); }
ojson int_or_null(const std::optional<int>& v) { return v ? ojson(*v) : ojson(nullptr); }

std::string optional_string(const json& j, const char* key, const std::string& where) {
  const auto& v = json_at(j, key, where);
  if (v.is_null()) return "";
  if (!v.is_string()) throw InputError(where + ": '" + key + "' must be a string or null");
  return v.get<std::string>();
}

int optional_positive_int(const json& j, const char* key, const std::string& where) {
  return json_optional_int(j, key, where).value_or(0);
}

std::map<std::string, std::string> labels_at(const json& j, const std::string& where) {
  std::map<std::string, std::string> out;
  auto it = j.find("labels");
  if (it == j.end()) return out;
  if (!it->is_object()) throw InputError(where + ": 'labels' must be an object of strings");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) throw InputError(where + ": labels." + k + " must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

// One distinct rule applied by some verdict, recorded once in baseline.expectations.
struct ExpectationRow {
  std::string metric, rule, unit, source;
  std::optional<double> reference, warn_ratio, fail_ratio;
  bool required = true;
  auto key() const { return std::tie(metric, rule, unit, source, reference, warn_ratio, fail_ratio, required); }
  bool operator<(const ExpectationRow& o) const { return key() < o.key(); }
};

ExpectationRow row_of(const Verdict& v) {
  return {v.metric, v.rule, v.unit, v.source, v.reference, v.warn_ratio, v.fail_ratio, v.required};
}

ojson to_ojson(const ExpectationRow& e) {
  return ojson{{"metric", string_or_null(e.metric)}, {"rule", e.rule},
               {"reference", number_or_null(e.reference)}, {"unit", string_or_null(e.unit)},
               {"warn_ratio", number_or_null(e.warn_ratio)}, {"fail_ratio", number_or_null(e.fail_ratio)},
               {"required", e.required}, {"source", string_or_null(e.source)}};
}

ExpectationRow expectation_from_json(const json& j, const std::string& w) {
  ExpectationRow e;
  e.metric = optional_string(j, "metric", w);
  e.rule = json_string(j, "rule", w);
  e.reference = json_optional_number(j, "reference", w);
  e.unit = optional_string(j, "unit", w);
  e.warn_ratio = json_optional_number(j, "warn_ratio", w);
  e.fail_ratio = json_optional_number(j, "fail_ratio", w);
  e.required = json_bool(j, "required", w);
  e.source = optional_string(j, "source", w);
  return e;
}

// What a verdict says by its references alone; the writer stores only the fields that differ from this, and the
// reader starts from it. Both sides use this one function, so the round trip is exact.
Verdict derived_verdict(const std::vector<Measurement>& ms, std::optional<size_t> mi, std::optional<size_t> ki,
                        const ExpectationRow* e) {
  Verdict d;
  d.rule = "status";
  if (mi) {
    const Measurement& m = ms[*mi];
    d.check_id = m.check_id;
    d.device = m.device;
    d.required = m.required;
    if (ki) {
      const Metric& x = m.metrics[*ki];
      d.metric = x.name;
      d.labels = x.labels;
      d.device = FigureIndex::gpu_of(m, x);
      if (x.value && std::isfinite(*x.value)) d.observed = x.value;
    }
  }
  if (e) {
    if (!ki) d.metric = e->metric;
    d.rule = e->rule;
    d.reference = e->reference;
    d.warn_ratio = e->warn_ratio;
    d.fail_ratio = e->fail_ratio;
    d.unit = e->unit;
    d.required = e->required;
    d.source = e->source;
  }
  return d;
}

ojson error_to_ojson(const ErrorInfo& e) {
  return ojson{{"id", e.id},       {"message", e.message},         {"api", string_or_null(e.api)},
               {"code", e.code},   {"code_name", string_or_null(e.code_name)}, {"expr", string_or_null(e.expr)},
               {"where", string_or_null(e.where)}, {"gpu", int_or_null(e.gpu)}, {"sticky", e.sticky}};
}

ErrorInfo error_from_json(const json& j, const std::string& w) {
  ErrorInfo e;
  e.id = json_string(j, "id", w);
  e.message = json_string(j, "message", w);
  e.api = optional_string(j, "api", w);
  e.code = json_integer(j, "code", w);
  e.code_name = optional_string(j, "code_name", w);
  e.expr = optional_string(j, "expr", w);
  e.where = optional_string(j, "where", w);
  e.gpu = json_optional_int(j, "gpu", w);
  e.sticky = json_bool(j, "sticky", w);
  return e;
}

ojson metric_to_ojson(const Measurement& m, size_t k, bool keep_samples) {
  const Metric& x = m.metrics[k];
  const std::string prefix = m.check_id + "/";
  ojson j = x.name.rfind(prefix, 0) == 0 ? ojson{{"quantity", x.name.substr(prefix.size())}} : ojson{{"name", x.name}};
  if (x.device != m.device) j["gpu"] = int_or_null(x.device);
  if (!x.labels.empty()) j["labels"] = x.labels;
  j["value"] = number_or_null(x.value);
  j["unit"] = x.unit;
  if (x.statistic != "value") j["statistic"] = x.statistic;
  if (x.n_samples != 1) j["n"] = x.n_samples;
  if (x.min) j["min"] = number_or_null(round_significant(*x.min, kSpreadDigits));
  if (x.max) j["max"] = number_or_null(round_significant(*x.max, kSpreadDigits));
  if (x.cv) j["cv"] = number_or_null(round_significant(*x.cv, kCvDigits));
  if (keep_samples && !x.samples.empty()) {
    ojson s = ojson::array();
    for (double v : x.samples) s.push_back(number_or_null(compact_sample(v)));
    j["samples"] = std::move(s);
  }
  return j;
}

Metric metric_from_json_v2(const json& j, const Measurement& m, const std::string& where) {
  Metric x;
  x.name = j.contains("quantity") ? m.check_id + "/" + json_string(j, "quantity", where) : json_string(j, "name", where);
  const std::string w = where + " (" + x.name + ")";
  x.device = j.contains("gpu") ? json_optional_int(j, "gpu", w) : m.device;
  x.labels = labels_at(j, w);
  x.value = json_optional_number(j, "value", w);
  x.unit = json_string(j, "unit", w);
  if (j.contains("statistic")) x.statistic = json_string(j, "statistic", w);
  if (j.contains("n")) {
    const long long n = json_integer(j, "n", w);
    if (n < 0 || n > 1'000'000'000) throw InputError(w + ": n " + std::to_string(n) + " is out of range");
    x.n_samples = static_cast<int>(n);
  }
  if (j.contains("min")) x.min = json_optional_number(j, "min", w);
  if (j.contains("max")) x.max = json_optional_number(j, "max", w);
  if (j.contains("cv")) x.cv = json_optional_number(j, "cv", w);
  if (auto it = j.find("samples"); it != j.end()) {
    if (!it->is_array()) throw InputError(w + ": 'samples' must be an array of numbers");
    for (const auto& s : *it) {
      if (s.is_number()) x.samples.push_back(s.get<double>());
      else if (s.is_null()) x.samples.push_back(std::nan(""));
      else throw InputError(w + ": 'samples' must be an array of numbers");
    }
  }
  return x;
}

// `check_params`: the parameters of the check's first measurement, written once in check_params; a measurement
// with the same parameters leaves "params" out.
ojson measurement_to_ojson(const Measurement& m, const json& check_params) {
  ojson metrics = ojson::array();
  const auto kept = samples_kept(m);
  for (size_t k = 0; k < m.metrics.size(); ++k) metrics.push_back(metric_to_ojson(m, k, kept[k]));
  ojson j{{"check_id", m.check_id},
          {"gpu", int_or_null(m.device)},
          {"status", to_string(m.status)},
          {"required", m.required},
          {"reason", string_or_null(m.reason)},
          {"error", m.error ? error_to_ojson(*m.error) : ojson(nullptr)}};
  if (m.params != check_params) j["params"] = ojson(m.params);
  j["details"] = ojson(m.details);
  j["started_at"] = to_iso8601(m.started_at);
  j["duration_s"] = round_significant(m.duration_s, 6);
  j["metrics"] = std::move(metrics);
  return j;
}

Measurement measurement_from_json_v2(const json& j, const json& check_params, const std::string& where) {
  Measurement m;
  m.check_id = json_string(j, "check_id", where);
  const std::string w = where + " (" + m.check_id + ")";
  m.device = json_optional_int(j, "gpu", w);
  const std::string status = json_string(j, "status", w);
  auto st = measurement_status_from_string(status);
  if (!st) throw InputError(w + ": status '" + status + "' is not one of ok, skipped, error");
  m.status = *st;
  m.required = json_bool(j, "required", w);
  m.reason = optional_string(j, "reason", w);
  if (const auto& e = json_at(j, "error", w); !e.is_null()) m.error = error_from_json(e, w + ".error");
  if (j.contains("params")) {
    m.params = json_at(j, "params", w);
  } else if (auto it = check_params.find(m.check_id); it != check_params.end()) {
    m.params = *it;
  }
  m.details = json_at(j, "details", w);
  m.started_at = from_iso8601(json_string(j, "started_at", w), w + ".started_at");
  m.duration_s = json_number(j, "duration_s", w);
  const auto& metrics = json_at(j, "metrics", w);
  if (!metrics.is_array()) throw InputError(w + ": 'metrics' must be an array");
  for (size_t i = 0; i < metrics.size(); ++i) {
    m.metrics.push_back(metric_from_json_v2(metrics[i], m, w + ".metrics[" + std::to_string(i) + "]"));
  }
  return m;
}

// Fields of `v` that differ from what its references imply.
void put_differences(ojson& j, const Verdict& v, const Verdict& d) {
  if (v.check_id != d.check_id) j["check_id"] = v.check_id;
  if (v.device != d.device) j["gpu"] = int_or_null(v.device);
  if (v.metric != d.metric) j["name"] = v.metric;
  if (v.labels != d.labels) j["labels"] = v.labels;
  if (v.rule != d.rule) j["rule"] = v.rule;
  if (v.observed != d.observed) j["observed"] = number_or_null(v.observed);
  if (v.unit != d.unit) j["unit"] = v.unit;
  if (v.required != d.required) j["required"] = v.required;
  if (v.source != d.source) j["source"] = v.source;
  if (v.reference != d.reference) j["reference"] = number_or_null(v.reference);
  if (v.warn_ratio != d.warn_ratio) j["warn_ratio"] = number_or_null(v.warn_ratio);
  if (v.fail_ratio != d.fail_ratio) j["fail_ratio"] = number_or_null(v.fail_ratio);
}

void take_differences(const json& j, Verdict& v, const std::string& w) {
  if (j.contains("check_id")) v.check_id = json_string(j, "check_id", w);
  if (j.contains("gpu")) v.device = json_optional_int(j, "gpu", w);
  if (j.contains("name")) v.metric = json_string(j, "name", w);
  if (j.contains("labels")) v.labels = labels_at(j, w);
  if (j.contains("rule")) v.rule = json_string(j, "rule", w);
  if (j.contains("observed")) v.observed = json_optional_number(j, "observed", w);
  if (j.contains("unit")) v.unit = json_string(j, "unit", w);
  if (j.contains("required")) v.required = json_bool(j, "required", w);
  if (j.contains("source")) v.source = json_string(j, "source", w);
  if (j.contains("reference")) v.reference = json_optional_number(j, "reference", w);
  if (j.contains("warn_ratio")) v.warn_ratio = json_optional_number(j, "warn_ratio", w);
  if (j.contains("fail_ratio")) v.fail_ratio = json_optional_number(j, "fail_ratio", w);
}

ojson gpu_summary_to_ojson(const GpuSummary& g) {
  return ojson{{"gpu", g.gpu},
               {"nvml_index", int_or_null(g.nvml_index)},
               {"serial", g.serial ? ojson(*g.serial) : ojson(nullptr)},
               {"uuid", g.uuid ? ojson(*g.uuid) : ojson(nullptr)},
               {"pci_bus_id", g.pci_bus_id ? ojson(*g.pci_bus_id) : ojson(nullptr)},
               {"outcome", g.outcome ? ojson(to_string(*g.outcome)) : ojson(nullptr)},
               {"acceptance", g.acceptance},
               {"reasons", g.reasons}};
}

ojson summary_to_ojson(const NodeReport& r) {
  const Summary& s = r.summary;
  ojson counts = ojson::object();
  for (auto o : {Outcome::pass, Outcome::warn, Outcome::fail, Outcome::skip, Outcome::error, Outcome::unjudged}) {
    auto it = s.counts.find(std::string(to_string(o)));
    counts[std::string(to_string(o))] = it == s.counts.end() ? 0 : it->second;
  }
  ojson gpus = ojson::array();
  for (const auto& g : summarize_gpus(r)) gpus.push_back(gpu_summary_to_ojson(g));
  return ojson{{"acceptance", to_string(s.acceptance)},
               {"worst", to_string(s.worst)},
               {"headline", s.headline},
               {"counts", std::move(counts)},
               {"counts_of", "verdicts"},
               {"unjudged_metrics", s.unjudged_metrics},
               {"error_ids", s.error_ids},
               {"gpus", std::move(gpus)}};
}

Summary summary_from_json_v2(const json& j, const std::string& where) {
  Summary s;
  const std::string acc = json_string(j, "acceptance", where);
  auto a = acceptance_from_string(acc);
  if (!a) throw InputError(where + ": acceptance '" + acc + "' is not one of accepted, rejected, incomplete");
  s.acceptance = *a;
  const std::string worst_s = json_string(j, "worst", where);
  auto w = outcome_from_string(worst_s);
  if (!w) throw InputError(where + ": worst '" + worst_s + "' is not an outcome");
  s.worst = *w;
  s.headline = json_string(j, "headline", where);
  const auto& counts = json_at(j, "counts", where);
  if (!counts.is_object()) throw InputError(where + ": 'counts' must be an object");
  for (const auto& [k, v] : counts.items()) {
    if (!v.is_number_integer()) throw InputError(where + ": counts." + k + " must be an integer");
    s.counts[k] = v.get<int>();
  }
  const auto& unjudged = json_at(j, "unjudged_metrics", where);
  if (!unjudged.is_array()) throw InputError(where + ": 'unjudged_metrics' must be an array of metric names");
  for (const auto& name : unjudged) {
    if (!name.is_string()) throw InputError(where + ": 'unjudged_metrics' must be an array of metric names");
    s.unjudged_metrics.push_back(name.get<std::string>());
  }
  const auto& ids = json_at(j, "error_ids", where);
  if (!ids.is_array()) throw InputError(where + ": 'error_ids' must be an array");
  for (const auto& id : ids) {
    if (!id.is_string()) throw InputError(where + ": 'error_ids' must be an array of strings");
    s.error_ids.push_back(id.get<std::string>());
  }
  const auto& gpus = json_at(j, "gpus", where);
  if (!gpus.is_array()) throw InputError(where + ": 'gpus' must be an array");
  for (size_t i = 0; i < gpus.size(); ++i) {
    const std::string wg = where + ".gpus[" + std::to_string(i) + "]";
    const int g = static_cast<int>(json_integer(gpus[i], "gpu", wg));
    const auto& o = json_at(gpus[i], "outcome", wg);
    if (o.is_null()) continue;
    auto oc = o.is_string() ? outcome_from_string(o.get<std::string>()) : std::nullopt;
    if (!oc) throw InputError(wg + ": 'outcome' is not an outcome");
    s.gpu_outcomes[g] = *oc;
  }
  return s;
}

NodeReport from_v2_json(const json& j, const std::string& where) {
  NodeReport r;
  r.schema = kNodeReportSchema;
  r.summary = summary_from_json_v2(json_at(j, "summary", where), where + ": summary");
  r.host = json_string(j, "host", where);
  r.started_at = from_iso8601(json_string(j, "started_at", where), where + ".started_at");
  r.finished_at = from_iso8601(json_string(j, "finished_at", where), where + ".finished_at");
  const auto& tool = json_at(j, "tool", where);
  r.tool.name = json_string(tool, "name", where + ".tool");
  r.tool.version = json_string(tool, "version", where + ".tool");
  r.tool.git_sha = optional_string(tool, "git_sha", where + ".tool");
  const auto& v = json_at(j, "versions", where);
  const std::string wv = where + ".versions";
  r.environment.driver_version = optional_string(v, "driver", wv);
  r.environment.cuda_driver_version = optional_positive_int(v, "cuda_driver", wv);
  r.environment.cuda_runtime_version = optional_positive_int(v, "cuda_runtime", wv);
  r.environment.cublas_version = optional_string(v, "cublas", wv);
  r.environment.nccl_version = optional_string(v, "nccl", wv);
  r.environment.nvml_version = optional_string(v, "nvml", wv);
  r.environment.kernel = optional_string(v, "kernel", wv);
  r.environment.os = optional_string(v, "os", wv);
  const auto& cmd = json_at(j, "command_line", where);
  if (!cmd.is_array()) throw InputError(where + ": 'command_line' must be an array of strings");
  for (const auto& a : cmd) {
    if (!a.is_string()) throw InputError(where + ": 'command_line' must be an array of strings");
    r.command_line.push_back(a.get<std::string>());
  }
  const auto& p = json_at(j, "profile", where);
  r.profile.name = json_string(p, "name", where + ".profile");
  r.profile.source = json_string(p, "source", where + ".profile");
  r.options = json_at(j, "options", where);
  if (!r.options.is_object()) throw InputError(where + ": 'options' must be an object");
  const auto& b = json_at(j, "baseline", where);
  const std::string wb = where + ".baseline";
  r.baseline.id = optional_string(b, "id", wb);
  r.baseline.file = optional_string(b, "file", wb);
  r.baseline.sha256 = optional_string(b, "sha256", wb);
  r.baseline.overrides_file = optional_string(b, "overrides_file", wb);
  r.baseline.overrides_sha256 = optional_string(b, "overrides_sha256", wb);
  const auto& ex = json_at(b, "expectations", wb);
  if (!ex.is_array()) throw InputError(wb + ": 'expectations' must be an array");
  std::vector<ExpectationRow> expectations;
  for (size_t i = 0; i < ex.size(); ++i) {
    expectations.push_back(expectation_from_json(ex[i], wb + ".expectations[" + std::to_string(i) + "]"));
  }
  r.inventory = json_at(j, "inventory", where);
  if (!r.inventory.is_object()) throw InputError(where + ": 'inventory' must be an object");
  const auto& check_params = json_at(j, "check_params", where);
  if (!check_params.is_object()) throw InputError(where + ": 'check_params' must be an object");
  const auto& ms = json_at(j, "measurements", where);
  if (!ms.is_array()) throw InputError(where + ": 'measurements' must be an array");
  for (size_t i = 0; i < ms.size(); ++i) {
    r.measurements.push_back(
        measurement_from_json_v2(ms[i], check_params, where + ": measurements[" + std::to_string(i) + "]"));
  }
  const auto& vs = json_at(j, "verdicts", where);
  if (!vs.is_array()) throw InputError(where + ": 'verdicts' must be an array");
  for (size_t i = 0; i < vs.size(); ++i) {
    const std::string w = where + ": verdicts[" + std::to_string(i) + "]";
    const json& row = vs[i];
    if (!row.is_array() || row.size() < 5 || row.size() > 6) {
      throw InputError(w + ": a verdict is a row [measurement, metric, expectation, outcome, ratio(, more)]");
    }
    auto index_of = [&](size_t col, const char* what, size_t limit) -> std::optional<size_t> {
      const json& x = row[col];
      if (x.is_null()) return std::nullopt;
      if (!x.is_number_integer() || x.get<long long>() < 0 || static_cast<size_t>(x.get<long long>()) >= limit) {
        throw InputError(w + ": " + what + " index " + x.dump() + " is out of range (0.." + std::to_string(limit) +
                         ")");
      }
      return static_cast<size_t>(x.get<long long>());
    };
    const auto mi = index_of(0, "measurement", r.measurements.size());
    const auto ki = index_of(1, "metric", mi ? r.measurements[*mi].metrics.size() : 0);
    const auto ei = index_of(2, "expectation", expectations.size());
    Verdict verdict = derived_verdict(r.measurements, mi, ki, ei ? &expectations[*ei] : nullptr);
    const std::string outcome = row[3].is_string() ? row[3].get<std::string>() : row[3].dump();
    auto o = outcome_from_string(outcome);
    if (!o) throw InputError(w + ": outcome '" + outcome + "' is not one of pass, warn, fail, skip, error");
    verdict.outcome = *o;
    if (!row[4].is_null() && !row[4].is_number()) throw InputError(w + ": ratio must be a number or null");
    if (row[4].is_number()) verdict.ratio = row[4].get<double>();
    if (row.size() == 6) {
      const json& more = row[5];
      if (!more.is_object()) throw InputError(w + ": the sixth element must be an object");
      if (more.contains("message")) verdict.message = json_string(more, "message", w);
      if (more.contains("error_id")) verdict.error_id = json_string(more, "error_id", w);
      take_differences(more, verdict, w);
    }
    r.verdicts.push_back(std::move(verdict));
  }
  return r;
}

}  // namespace

ojson to_json(const NodeReport& r) {
  // Expectations first: each distinct rule once, in first-use order.
  std::map<ExpectationRow, size_t> expectation_ids;
  std::vector<const ExpectationRow*> expectation_order;
  std::vector<std::optional<size_t>> verdict_expectation;
  for (const auto& v : r.verdicts) {
    if (v.rule == "status" && !v.reference) {
      verdict_expectation.emplace_back();
      continue;
    }
    auto [it, fresh] = expectation_ids.emplace(row_of(v), expectation_ids.size());
    if (fresh) expectation_order.push_back(&it->first);
    verdict_expectation.emplace_back(it->second);
  }
  ojson expectations = ojson::array();
  for (const auto* e : expectation_order) expectations.push_back(to_ojson(*e));

  const FigureIndex index(r.measurements);
  ojson verdicts = ojson::array();
  for (size_t i = 0; i < r.verdicts.size(); ++i) {
    const Verdict& v = r.verdicts[i];
    std::optional<size_t> mi, ki;
    if (auto at = index.metric_of(v)) {
      mi = at->first;
      ki = at->second;
    } else {
      mi = index.measurement_of(v);
    }
    const auto ei = verdict_expectation[i];
    const ExpectationRow* e = ei ? expectation_order[*ei] : nullptr;
    // A row: [measurement, metric, expectation, outcome, ratio], then an object only for what is left to say.
    ojson j = ojson::array({mi ? ojson(*mi) : ojson(nullptr), ki ? ojson(*ki) : ojson(nullptr),
                            ei ? ojson(*ei) : ojson(nullptr), to_string(v.outcome),
                            v.ratio ? number_or_null(round_significant(*v.ratio, kRatioDigits)) : ojson(nullptr)});
    ojson more = ojson::object();
    // A pass against an expectation, or an unjudged figure, says nothing its numbers and rule do not: no message.
    const bool formulaic = (v.outcome == Outcome::pass && e && e->reference) || v.outcome == Outcome::unjudged;
    if (!v.message.empty() && !formulaic) more["message"] = v.message;
    if (!v.error_id.empty()) more["error_id"] = v.error_id;
    put_differences(more, v, derived_verdict(r.measurements, mi, ki, e));
    if (!more.empty()) j.push_back(std::move(more));
    verdicts.push_back(std::move(j));
  }

  json check_params = json::object();
  for (const auto& m : r.measurements) {
    if (!check_params.contains(m.check_id)) check_params[m.check_id] = m.params;
  }
  ojson measurements = ojson::array();
  for (const auto& m : r.measurements) measurements.push_back(measurement_to_ojson(m, check_params[m.check_id]));
  const auto& e = r.environment;
  return ojson{
      {"schema", kNodeReportSchema},
      {"summary", summary_to_ojson(r)},
      {"host", r.host},
      {"started_at", to_iso8601(r.started_at)},
      {"finished_at", to_iso8601(r.finished_at)},
      {"tool", {{"name", r.tool.name}, {"version", r.tool.version}, {"git_sha", string_or_null(r.tool.git_sha)}}},
      {"versions",
       {{"driver", string_or_null(e.driver_version)},
        {"cuda_driver", positive_or_null(e.cuda_driver_version)},
        {"cuda_runtime", positive_or_null(e.cuda_runtime_version)},
        {"cublas", string_or_null(e.cublas_version)},
        {"nccl", string_or_null(e.nccl_version)},
        {"nvml", string_or_null(e.nvml_version)},
        {"kernel", string_or_null(e.kernel)},
        {"os", string_or_null(e.os)}}},
      {"command_line", r.command_line},
      {"profile", {{"name", r.profile.name}, {"source", r.profile.source}}},
      {"options", ojson(r.options)},
      {"baseline",
       {{"id", string_or_null(r.baseline.id)},
        {"file", string_or_null(r.baseline.file)},
        {"sha256", string_or_null(r.baseline.sha256)},
        {"overrides_file", string_or_null(r.baseline.overrides_file)},
        {"overrides_sha256", string_or_null(r.baseline.overrides_sha256)},
        {"expectations", std::move(expectations)}}},
      {"inventory", ojson(r.inventory)},
      {"check_params", ojson(check_params)},
      {"measurements", std::move(measurements)},
      {"verdicts", std::move(verdicts)},
  };
}

std::string node_report_text(const NodeReport& r, bool pretty) {
  const ojson j = to_json(r);
  return (pretty ? j.dump(2) : dump_compact(j)) + "\n";
}

NodeReport node_report_from_json(const json& j, const std::string& where) {
  const std::string schema = json_string(j, "schema", where);
  if (schema == kNodeReportSchema) return from_v2_json(j, where);
  if (schema == kNodeReportSchemaV1) {
    NodeReport r = node_report_from_v1_json(j, where);
    r.read_note = where + " is a " + kNodeReportSchemaV1 + " report (read as written; " +
                  "`tranche judge " + where + " -o NEW.json` rewrites it as " + kNodeReportSchema + ")";
    return r;
  }
  throw InputError(where + ": schema '" + schema + "' is not " + kNodeReportSchema + " (nor " + kNodeReportSchemaV1 +
                   "): a report from another tranche version, or not a node report");
}

NodeReport load_node_report(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text, duplicate_key_guard(path));
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON (byte " + std::to_string(e.byte) +
                     "); the report is corrupt or truncated — re-run tranche run or use the event log");
  } catch (const json::exception& e) {  // a number out of range (1e999) is not a parse_error
    throw InputError(path + ": not valid JSON (" + e.what() + "); the report is corrupt — re-run tranche run");
  }
  return node_report_from_json(j, path);
}

void save_node_report(const NodeReport& r, const std::string& path, bool pretty) {
  write_file_atomic(path, node_report_text(r, pretty));
}

}  // namespace tranche
