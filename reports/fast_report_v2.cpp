// Strict on-demand walk of a v2 node report into a NodeDigest. Every value is visited and checked as
// node_report.cpp's from_v2_json checks it (types, ranges, required keys, indices, duplicate keys, number
// syntax); anything else (an unknown key, keys out of the writer's order) defers to the full reader.
#include "reports/fast_report_v2.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/measurement.h"
#include "harness/core/model_json.h"

namespace tranche::fast_v2 {

namespace od = simdjson::ondemand;

namespace {

struct Defer {};  // this walk cannot vouch for the document: the full reader decides

// The keys one object may have, in a fixed table: a bit per key seen, so a repeated key (the full reader
// rejects it) or an unknown one (it might accept it) defers.
template <size_t N>
class Keys {
 public:
  explicit Keys(const std::array<std::string_view, N>& names) : names_(names) {}
  // Tables list keys in the order tranche writes them, so the search starts after the last key seen.
  size_t see(std::string_view k) {
    for (size_t step = 0; step < N; ++step) {
      const size_t i = (next_ + step) % N;
      if (names_[i] != k) continue;
      if (seen_ >> i & 1) throw Defer{};
      seen_ |= 1ull << i;
      next_ = i + 1;
      return i;
    }
    throw Defer{};
  }
  bool has(size_t i) const { return seen_ >> i & 1; }
  void require(uint64_t mask) const {
    if ((seen_ & mask) != mask) throw Defer{};
  }
  // Every key among the table's first `count` must have been seen.
  void require_first(size_t count) const {
    if ((seen_ & ((1ull << count) - 1)) != (1ull << count) - 1) throw Defer{};
  }

 private:
  const std::array<std::string_view, N>& names_;
  uint64_t seen_ = 0;
  size_t next_ = 0;
};

bool take_null(od::value& v) { return bool(v.is_null()); }  // consumes a null; an error on "nul" or "nulll"
std::string_view string(od::value v) { return v.get_string(); }
std::string optional_string(od::value v) { return take_null(v) ? std::string() : std::string(string(v)); }
bool boolean(od::value v) { return v.get_bool(); }
double number(od::value v) { return v.get_double(); }  // any JSON number, fully parsed (syntax and range)
std::optional<double> optional_number(od::value v) {
  if (take_null(v)) return std::nullopt;
  return number(v);
}

// An integer as the full reader takes one (nlohmann's is_number_integer: no fraction or exponent, within 64
// bits), converted as it converts it.
long long integer(od::value v) {
  switch (od::number_type(v.get_number_type())) {
    case od::number_type::signed_integer: return int64_t(v.get_int64());
    case od::number_type::unsigned_integer: return static_cast<long long>(uint64_t(v.get_uint64()));
    default: throw Defer{};
  }
}
std::optional<int> optional_int(od::value v) {
  if (take_null(v)) return std::nullopt;
  return static_cast<int>(integer(v));
}

// The keys of one free-form object, which must be distinct (the full reader's duplicate_key_guard), at any
// depth; small objects (nearly all) are checked without allocating.
class DistinctKeys {
 public:
  void add(std::string_view k) {
    if (n_ < small_.size()) {
      for (size_t i = 0; i < n_; ++i) {
        if (small_[i] == k) throw Defer{};
      }
      small_[n_++] = k;
      return;
    }
    if (more_.empty()) more_.assign(small_.begin(), small_.end());
    more_.push_back(k);
  }
  // Call once the object's keys are all added.
  void check() {
    if (more_.empty()) return;
    std::sort(more_.begin(), more_.end());
    if (std::adjacent_find(more_.begin(), more_.end()) != more_.end()) throw Defer{};
  }

 private:
  std::array<std::string_view, 16> small_;
  size_t n_ = 0;
  std::vector<std::string_view> more_;
};

// A free-form value (options, inventory, params, details): checked for syntax, number range and distinct keys.
void any(od::value v) {
  switch (od::json_type(v.type())) {
    case od::json_type::object: {
      DistinctKeys keys;
      for (auto field : v.get_object()) {
        keys.add(field.unescaped_key());
        any(field.value());
      }
      keys.check();
      break;
    }
    case od::json_type::array:
      for (auto e : v.get_array()) any(e.value());
      break;
    case od::json_type::string: string(v); break;
    case od::json_type::number: number(v); break;
    case od::json_type::boolean: boolean(v); break;
    case od::json_type::null:
      if (!take_null(v)) throw Defer{};
      break;
  }
}

bool digits(std::string_view s, size_t at, size_t n, int lo, int hi) {
  int x = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + (s[i] - '0');
  }
  return x >= lo && x <= hi;
}

// A time as the full reader reads it (from_iso8601). The form tranche writes, 2026-11-24T05:15:49.123Z with
// valid fields, is checked here (a subset of what from_iso8601 accepts); anything else goes to from_iso8601.
void time_string(od::value v) {
  const std::string_view s = string(v);
  const bool canonical = s.size() >= 20 && s.size() <= 30 && digits(s, 0, 4, 1000, 9999) && s[4] == '-' &&
                         digits(s, 5, 2, 1, 12) && s[7] == '-' && digits(s, 8, 2, 1, 31) && s[10] == 'T' &&
                         digits(s, 11, 2, 0, 23) && s[13] == ':' && digits(s, 14, 2, 0, 59) && s[16] == ':' &&
                         digits(s, 17, 2, 0, 59) && s.back() == 'Z' &&
                         (s.size() == 20 || (s[19] == '.' && s.size() > 21 && digits(s, 20, s.size() - 21, 0, 999999999)));
  if (!canonical) from_iso8601(std::string(s), "time");
}

Outcome outcome(od::value v) {
  auto o = outcome_from_string(string(v));
  if (!o) throw Defer{};
  return *o;
}

// --- summary ---
constexpr std::array<std::string_view, 8> kSummaryKeys = {"acceptance", "worst", "headline", "counts",
                                                          "unjudged_metrics", "error_ids", "gpus", "counts_of"};
constexpr std::array<std::string_view, 8> kGpuSummaryKeys = {"gpu", "outcome", "nvml_index", "serial",
                                                             "uuid", "pci_bus_id", "acceptance", "reasons"};

void read_summary(od::object o, Summary& s) {
  Keys keys(kSummaryKeys);
  for (auto field : o) {
    od::value v = field.value();
    switch (keys.see(field.unescaped_key())) {
      case 0: {
        auto a = acceptance_from_string(string(v));
        if (!a) throw Defer{};
        s.acceptance = *a;
        break;
      }
      case 1: s.worst = outcome(v); break;
      case 2: s.headline = string(v); break;
      case 3:
        for (auto c : v.get_object()) {
          std::string k(std::string_view(c.unescaped_key()));
          if (!s.counts.emplace(std::move(k), static_cast<int>(integer(c.value()))).second) throw Defer{};
        }
        break;
      case 4:
        for (auto e : v.get_array()) s.unjudged_metrics.emplace_back(string(e.value()));
        break;
      case 5:
        for (auto e : v.get_array()) s.error_ids.emplace_back(string(e.value()));
        break;
      case 6:
        for (auto g : v.get_array()) {
          Keys gk(kGpuSummaryKeys);
          int gpu = 0;
          std::optional<Outcome> oc;
          for (auto gf : g.get_object()) {
            od::value x = gf.value();
            switch (gk.see(gf.unescaped_key())) {
              case 0: gpu = static_cast<int>(integer(x)); break;
              case 1:
                if (!take_null(x)) oc = outcome(x);
                break;
              default: any(x); break;  // written for people and renderers; the full reader does not read them
            }
          }
          gk.require_first(2);
          if (oc) s.gpu_outcomes[gpu] = *oc;
        }
        break;
      default: any(v); break;  // counts_of
    }
  }
  keys.require_first(7);
}

// --- inventory: free-form; the GPU identities are taken where they have the expected type ---
void read_inventory(od::object o, NodeDigest& d) {
  DistinctKeys keys;
  for (auto field : o) {
    const std::string_view k = field.unescaped_key();
    keys.add(k);
    od::value v = field.value();
    if (k != "gpus" || od::json_type(v.type()) != od::json_type::array) {
      any(v);
      continue;
    }
    for (auto g : v.get_array()) {
      od::value gv = g.value();
      if (od::json_type(gv.type()) != od::json_type::object) {
        any(gv);
        continue;
      }
      GpuIdentity id;
      DistinctKeys gkeys;
      for (auto gf : gv.get_object()) {
        const std::string_view gk = gf.unescaped_key();
        gkeys.add(gk);
        od::value x = gf.value();
        const od::json_type t = x.type();
        if (gk == "index" && t == od::json_type::number &&
            od::number_type(x.get_number_type()) != od::number_type::floating_point_number) {
          id.index = static_cast<int>(integer(x));
        } else if (t == od::json_type::string && (gk == "name" || gk == "serial" || gk == "uuid" || gk == "pci_bus_id")) {
          std::string s(string(x));
          (gk == "name" ? id.name : gk == "serial" ? id.serial : gk == "uuid" ? id.uuid : id.pci_bus_id) = std::move(s);
        } else {
          any(x);
        }
      }
      gkeys.check();
      d.gpus.push_back(std::move(id));
    }
  }
  keys.check();
}

// --- baseline ---
struct Expectation {
  std::string metric;
  bool required = true;
  int direction = 0;  // standing_direction of its rule
};
constexpr std::array<std::string_view, 6> kBaselineKeys = {"id", "file", "sha256", "overrides_file",
                                                           "overrides_sha256", "expectations"};
constexpr std::array<std::string_view, 8> kExpectationKeys = {"metric", "rule", "reference", "unit",
                                                              "warn_ratio", "fail_ratio", "required", "source"};

void read_baseline(od::object o, NodeDigest& d, std::vector<Expectation>& out) {
  Keys keys(kBaselineKeys);
  for (auto field : o) {
    od::value v = field.value();
    switch (keys.see(field.unescaped_key())) {
      case 0: d.baseline_id = optional_string(v); break;
      case 2: d.baseline_sha256 = optional_string(v); break;
      case 5:
        for (auto e : v.get_array()) {
          Keys ek(kExpectationKeys);
          Expectation x;
          for (auto ef : e.get_object()) {
            od::value ev = ef.value();
            switch (ek.see(ef.unescaped_key())) {
              case 0: x.metric = optional_string(ev); break;
              case 1: x.direction = standing_direction(string(ev)); break;
              case 6: x.required = boolean(ev); break;
              case 3:
              case 7: optional_string(ev); break;
              default: optional_number(ev); break;
            }
          }
          ek.require_first(8);
          out.push_back(std::move(x));
        }
        break;
      default: optional_string(v); break;
    }
  }
  keys.require_first(6);
}

// --- measurements ---
// Strings below are views into the parser's string buffer: valid while the document is read.
struct Figure {
  std::string_view name;          // the metric's name, or its quantity under the measurement's check id
  bool quantity = false;
  std::optional<int> verdict_gpu;  // the GPU a verdict on this figure is about (FigureIndex::gpu_of)
};
struct MeasurementRef {
  std::string_view check_id;
  std::optional<int> gpu;
  bool required = true;
  std::vector<Figure> figures;
  std::array<int, 6>* counts = nullptr;  // its check's verdict counts in the digest, once a verdict refers to it
};
std::string figure_name(const MeasurementRef& m, const Figure& f) {
  return f.quantity ? std::string(m.check_id) + "/" + std::string(f.name) : std::string(f.name);
}

constexpr std::array<std::string_view, 11> kMeasurementKeys = {
    "check_id", "gpu", "status", "required", "reason", "error", "params", "details", "started_at", "duration_s",
    "metrics"};
constexpr uint64_t kMeasurementRequired = 0b11110111111;  // all but params
constexpr std::array<std::string_view, 9> kErrorKeys = {"id",   "message", "api", "code", "code_name",
                                                        "expr", "where",   "gpu", "sticky"};
constexpr std::array<std::string_view, 12> kMetricKeys = {"quantity", "name", "gpu", "labels", "value", "unit",
                                                          "statistic", "n", "min", "max", "cv", "samples"};
constexpr uint64_t kMetricRequired = 0b110000;  // value, unit

void read_error(od::object o) {
  Keys keys(kErrorKeys);
  for (auto field : o) {
    od::value v = field.value();
    switch (keys.see(field.unescaped_key())) {
      case 0:
      case 1: string(v); break;
      case 3: integer(v); break;
      case 7: optional_int(v); break;
      case 8: boolean(v); break;
      default: optional_string(v); break;
    }
  }
  keys.require_first(9);
}

// A metric's labels, checked (an object of strings, distinct keys); the figure key is built from them when the
// figure is aggregated, in key order like figure_key.
using LabelViews = std::vector<std::pair<std::string_view, std::string_view>>;
void read_labels(od::value v, LabelViews& out) {
  out.clear();
  for (auto field : v.get_object()) {
    const std::string_view k = field.unescaped_key();
    out.emplace_back(k, string(field.value()));
  }
  std::sort(out.begin(), out.end());
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].first == out[i - 1].first) throw Defer{};
  }
}

void read_metric(od::object o, MeasurementRef& m, NodeDigest& d, LabelViews& lab) {
  Keys keys(kMetricKeys);
  std::optional<double> value;
  std::string_view unit;
  std::optional<int> device = m.gpu;
  lab.clear();
  Figure f;
  for (auto field : o) {
    od::value v = field.value();
    switch (keys.see(field.unescaped_key())) {
      case 0:
        f.name = string(v);
        f.quantity = true;
        break;
      case 1: f.name = string(v); break;
      case 2: device = optional_int(v); break;
      case 3: read_labels(v, lab); break;
      case 4: value = optional_number(v); break;
      case 5: unit = string(v); break;
      case 6: string(v); break;
      case 7: {
        const long long n = integer(v);
        if (n < 0 || n > 1'000'000'000) throw Defer{};
        break;
      }
      case 11:
        for (auto s : v.get_array()) optional_number(s.value());
        break;
      default: optional_number(v); break;  // min, max, cv
    }
  }
  keys.require(kMetricRequired);
  if (keys.has(0) == keys.has(1)) throw Defer{};  // neither (rejected) or both ("name" unread: the full reader decides)
  f.verdict_gpu = device ? device : m.gpu;
  if (value && is_performance_unit(std::string(unit))) {
    std::string key = figure_name(m, f);  // figure_key(name, labels), built without a map
    if (!lab.empty()) {
      key += '{';
      for (size_t i = 0; i < lab.size(); ++i) {
        if (i) key += ',';
        key.append(lab[i].first).append("=").append(lab[i].second);
      }
      key += '}';
    }
    d.figures.push_back({std::move(key), std::string(unit), device, *value});
  }
  m.figures.push_back(f);
}

void read_measurement(od::object o, std::vector<MeasurementRef>& out, NodeDigest& d, LabelViews& lab) {
  Keys keys(kMeasurementKeys);
  MeasurementRef m;
  for (auto field : o) {
    od::value v = field.value();
    const size_t k = keys.see(field.unescaped_key());
    if (k > 1 && !(keys.has(0) && keys.has(1))) throw Defer{};  // metrics need the check id and GPU first
    switch (k) {
      case 0: m.check_id = string(v); break;
      case 1: m.gpu = optional_int(v); break;
      case 2:
        if (!measurement_status_from_string(string(v))) throw Defer{};
        break;
      case 3: m.required = boolean(v); break;
      case 4: optional_string(v); break;
      case 5:
        if (!take_null(v)) read_error(v.get_object());
        break;
      case 8: time_string(v); break;
      case 9: number(v); break;
      case 10:
        for (auto x : v.get_array()) read_metric(x.get_object(), m, d, lab);
        break;
      default: any(v); break;  // params, details
    }
  }
  keys.require(kMeasurementRequired);
  out.push_back(std::move(m));
}

// --- verdicts: rows [measurement, metric, expectation, outcome, ratio(, more)] ---
constexpr std::array<std::string_view, 14> kMoreKeys = {"message", "error_id", "check_id", "gpu", "name",
                                                        "labels", "rule", "observed", "unit", "required",
                                                        "source", "reference", "warn_ratio", "fail_ratio"};

std::optional<size_t> row_index(od::value v, size_t limit) {
  if (take_null(v)) return std::nullopt;
  const long long i = integer(v);
  if (i < 0 || static_cast<unsigned long long>(i) >= limit) throw Defer{};
  return static_cast<size_t>(i);
}

void read_verdict(od::array row, std::vector<MeasurementRef>& ms, const std::vector<Expectation>& es,
                  NodeDigest& d) {
  std::optional<size_t> mi, ki, ei;
  Outcome outcome_of_row = Outcome::fail;
  std::optional<std::string_view> check_id, metric, message, error_id;  // what the sixth cell states
  std::optional<std::optional<int>> gpu;
  std::optional<bool> required;
  std::optional<double> ratio;
  std::optional<int> direction;  // the sixth cell's rule, when it states one
  size_t col = 0;
  for (auto cell : row) {
    od::value v = cell.value();
    switch (col++) {
      case 0: mi = row_index(v, ms.size()); break;
      case 1: ki = row_index(v, mi ? ms[*mi].figures.size() : 0); break;
      case 2: ei = row_index(v, es.size()); break;
      case 3: outcome_of_row = outcome(v); break;
      case 4: ratio = optional_number(v); break;
      case 5: {
        Keys keys(kMoreKeys);
        LabelViews lab;
        for (auto field : v.get_object()) {
          od::value x = field.value();
          switch (keys.see(field.unescaped_key())) {
            case 0: message = string(x); break;
            case 1: error_id = string(x); break;
            case 2: check_id = string(x); break;
            case 3: gpu = optional_int(x); break;
            case 4: metric = string(x); break;
            case 5: read_labels(x, lab); break;
            case 9: required = boolean(x); break;
            case 6: direction = standing_direction(string(x)); break;
            case 8:
            case 10: string(x); break;
            default: optional_number(x); break;  // observed, reference, warn_ratio, fail_ratio
          }
        }
        break;
      }
      default: throw Defer{};
    }
  }
  if (col < 5) throw Defer{};
  // What the references say (derived_verdict in node_report.cpp), then what the sixth cell overrides.
  MeasurementRef* m = mi ? &ms[*mi] : nullptr;
  const Figure* fig = m && ki ? &m->figures[*ki] : nullptr;
  const Expectation* e = ei ? &es[*ei] : nullptr;
  bool req = e ? e->required : m ? m->required : true;
  if (required) req = *required;
  std::array<int, 6>* counts;
  if (check_id) {
    counts = &d.outcomes_by_check[std::string(*check_id)];
  } else {
    if (m && !m->counts) m->counts = &d.outcomes_by_check[std::string(m->check_id)];
    counts = m ? m->counts : &d.outcomes_by_check[std::string()];
  }
  (*counts)[static_cast<size_t>(outcome_of_row)] += 1;
  if (const int dir = direction ? *direction : e ? e->direction : 0; dir != 0 && ratio) {
    note_standing(d, std::string(check_id ? *check_id : m ? m->check_id : std::string_view()), dir, ratio);
  }
  if (outcome_of_row == Outcome::pass || (outcome_of_row == Outcome::skip && !req)) return;
  DigestProblem p;
  p.outcome = outcome_of_row;
  p.check_id = check_id ? std::string(*check_id) : m ? std::string(m->check_id) : std::string();
  p.device = gpu ? *gpu : fig ? fig->verdict_gpu : m ? m->gpu : std::nullopt;
  p.metric = metric ? std::string(*metric) : fig ? figure_name(*m, *fig) : e ? e->metric : std::string();
  if (message) p.message = *message;
  if (error_id) p.error_id = *error_id;
  d.problems.push_back(std::move(p));
}

// --- the document ---
constexpr std::array<std::string_view, 15> kTopKeys = {
    "schema",  "summary",  "host",      "started_at", "finished_at",  "tool",         "versions", "command_line",
    "profile", "options",  "baseline",  "inventory",  "check_params", "measurements", "verdicts"};
constexpr std::array<std::string_view, 3> kToolKeys = {"name", "version", "git_sha"};
constexpr std::array<std::string_view, 8> kVersionKeys = {"driver", "cuda_driver", "cuda_runtime", "cublas",
                                                          "nccl",   "nvml",        "kernel",       "os"};
constexpr std::array<std::string_view, 2> kProfileKeys = {"name", "source"};

template <size_t N>
void read_flat(od::object o, const std::array<std::string_view, N>& names, size_t required_strings,
               const std::vector<size_t>& int_or_null = {}) {
  Keys keys(names);
  for (auto field : o) {
    od::value v = field.value();
    const size_t k = keys.see(field.unescaped_key());
    if (std::find(int_or_null.begin(), int_or_null.end(), k) != int_or_null.end()) optional_int(v);
    else if (k < required_strings) string(v);
    else optional_string(v);
  }
  keys.require_first(N);
}

void read_document(od::document& doc, NodeDigest& d) {
  Keys keys(kTopKeys);
  std::vector<Expectation> expectations;
  std::vector<MeasurementRef> measurements;
  LabelViews labels_scratch;
  for (auto field : doc.get_object()) {
    od::value v = field.value();
    const size_t k = keys.see(field.unescaped_key());
    if (k > 0 && !keys.has(0)) throw Defer{};  // the schema comes first in what tranche writes
    switch (k) {
      case 0:
        d.schema = string(v);
        if (d.schema != kNodeReportSchema) throw Defer{};
        break;
      case 1: read_summary(v.get_object(), d.summary); break;
      case 2: d.host = string(v); break;
      case 3:
      case 4: time_string(v); break;
      case 5: read_flat(v.get_object(), kToolKeys, 2); break;
      case 6: read_flat(v.get_object(), kVersionKeys, 0, {1, 2}); break;
      case 7:
        for (auto a : v.get_array()) string(a.value());
        break;
      case 8: read_flat(v.get_object(), kProfileKeys, 2); break;
      case 9:
      case 12:
        if (od::json_type(v.type()) != od::json_type::object) throw Defer{};
        any(v);
        break;
      case 10: read_baseline(v.get_object(), d, expectations); break;
      case 11: read_inventory(v.get_object(), d); break;
      case 13:
        for (auto m : v.get_array()) read_measurement(m.get_object(), measurements, d, labels_scratch);
        break;
      case 14:
        if (!keys.has(10) || !keys.has(13)) throw Defer{};  // rows refer to both by index
        for (auto row : v.get_array()) read_verdict(row.get_array(), measurements, expectations, d);
        break;
    }
  }
  keys.require_first(kTopKeys.size());
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) throw Defer{};  // content after the object
}

}  // namespace

static_assert(kPadding >= simdjson::SIMDJSON_PADDING);

struct Walker::Impl {
  od::parser parser;
};

Walker::Walker() : impl_(std::make_unique<Impl>()) {}
Walker::~Walker() = default;

bool Walker::read(const char* data, size_t len, size_t capacity, NodeDigest& out) {
  try {
    od::document doc = impl_->parser.iterate(data, len, capacity);
    read_document(doc, out);
    return true;
  } catch (const Defer&) {
  } catch (const simdjson::simdjson_error&) {
  } catch (const InputError&) {  // from_iso8601
  }
  return false;
}

}  // namespace tranche::fast_v2
