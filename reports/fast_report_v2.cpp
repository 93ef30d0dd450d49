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
  size_t see(std::string_view k) {
    for (size_t i = 0; i < N; ++i) {
      if (names_[i] != k) continue;
      if (seen_ >> i & 1) throw Defer{};
      seen_ |= 1ull << i;
      return i;
    }
    throw Defer{};
  }
  bool has(size_t i) const { return seen_ >> i & 1; }
  // Every key up to (not including) `first_optional` must have been seen.
  void require_first(size_t count) const {
    if ((seen_ & ((1ull << count) - 1)) != (1ull << count) - 1) throw Defer{};
  }

 private:
  const std::array<std::string_view, N>& names_;
  uint64_t seen_ = 0;
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

// Object keys must be distinct (the full reader's duplicate_key_guard), at any depth.
void distinct(std::vector<std::string_view>& keys) {
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) throw Defer{};
}

// A free-form value (options, inventory, params, details): checked for syntax, number range and distinct keys.
void any(od::value v) {
  switch (od::json_type(v.type())) {
    case od::json_type::object: {
      std::vector<std::string_view> keys;
      for (auto field : v.get_object()) {
        keys.push_back(field.unescaped_key());
        any(field.value());
      }
      distinct(keys);
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

std::map<std::string, std::string> labels(od::value v) {
  std::map<std::string, std::string> out;
  for (auto field : v.get_object()) {
    std::string k(std::string_view(field.unescaped_key()));
    if (!out.emplace(std::move(k), std::string(string(field.value()))).second) throw Defer{};
  }
  return out;
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
  std::vector<std::string_view> keys;
  for (auto field : o) {
    const std::string_view k = field.unescaped_key();
    keys.push_back(k);
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
      std::vector<std::string_view> gkeys;
      for (auto gf : gv.get_object()) {
        const std::string_view gk = gf.unescaped_key();
        gkeys.push_back(gk);
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
      distinct(gkeys);
      d.gpus.push_back(std::move(id));
    }
  }
  distinct(keys);
}

// --- baseline ---
struct Expectation {
  std::string metric;
  bool required = true;
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
              case 1: string(ev); break;
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
struct Figure {
  std::string name;
  std::optional<int> verdict_gpu;  // the GPU a verdict on this figure is about (FigureIndex::gpu_of)
};
struct MeasurementRef {
  std::string check_id;
  std::optional<int> gpu;
  bool required = true;
  std::vector<Figure> figures;
};
constexpr std::array<std::string_view, 11> kMeasurementKeys = {
    "check_id", "gpu", "status", "required", "reason", "error", "details", "started_at", "duration_s", "metrics",
    "params"};
constexpr std::array<std::string_view, 9> kErrorKeys = {"id",   "message", "api", "code", "code_name",
                                                        "expr", "where",   "gpu", "sticky"};
constexpr std::array<std::string_view, 12> kMetricKeys = {"value", "unit", "quantity", "name", "gpu",
                                                          "labels", "statistic", "n", "min", "max",
                                                          "cv", "samples"};

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

void read_metric(od::object o, MeasurementRef& m, NodeDigest& d) {
  Keys keys(kMetricKeys);
  std::optional<double> value;
  std::string unit;
  std::optional<int> device = m.gpu;
  std::map<std::string, std::string> lab;
  Figure f;
  for (auto field : o) {
    od::value v = field.value();
    switch (keys.see(field.unescaped_key())) {
      case 0: value = optional_number(v); break;
      case 1: unit = string(v); break;
      case 2: f.name = m.check_id + "/" + std::string(string(v)); break;
      case 3: f.name = string(v); break;
      case 4: device = optional_int(v); break;
      case 5: lab = labels(v); break;
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
  keys.require_first(2);
  if (keys.has(2) == keys.has(3)) throw Defer{};  // neither (rejected) or both ("name" unread: the full reader decides)
  f.verdict_gpu = device ? device : m.gpu;
  if (value && is_performance_unit(unit)) d.figures.push_back({figure_key(f.name, lab), unit, device, *value});
  m.figures.push_back(std::move(f));
}

void read_measurement(od::object o, std::vector<MeasurementRef>& out, NodeDigest& d) {
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
      case 7: from_iso8601(std::string(string(v)), "started_at"); break;
      case 8: number(v); break;
      case 9:
        for (auto x : v.get_array()) read_metric(x.get_object(), m, d);
        break;
      default: any(v); break;  // details, params
    }
  }
  keys.require_first(10);
  out.push_back(std::move(m));
}

// --- verdicts: rows [measurement, metric, expectation, outcome, ratio(, more)] ---
constexpr std::array<std::string_view, 14> kMoreKeys = {"message", "error_id", "check_id", "gpu", "name",
                                                        "required", "labels", "rule", "unit", "source",
                                                        "observed", "reference", "warn_ratio", "fail_ratio"};

std::optional<size_t> row_index(od::value v, size_t limit) {
  if (take_null(v)) return std::nullopt;
  const long long i = integer(v);
  if (i < 0 || static_cast<unsigned long long>(i) >= limit) throw Defer{};
  return static_cast<size_t>(i);
}

void read_verdict(od::array row, const std::vector<MeasurementRef>& ms, const std::vector<Expectation>& es,
                  NodeDigest& d) {
  std::optional<size_t> mi, ki, ei;
  DigestProblem p;
  bool required = true;
  size_t col = 0;
  for (auto cell : row) {
    od::value v = cell.value();
    switch (col++) {
      case 0: mi = row_index(v, ms.size()); break;
      case 1: ki = row_index(v, mi ? ms[*mi].figures.size() : 0); break;
      case 2:
        ei = row_index(v, es.size());
        // What the references say (derived_verdict in node_report.cpp); the sixth cell overrides it.
        if (mi) {
          const MeasurementRef& m = ms[*mi];
          p.check_id = m.check_id;
          p.device = m.gpu;
          required = m.required;
          if (ki) {
            p.metric = m.figures[*ki].name;
            p.device = m.figures[*ki].verdict_gpu;
          }
        }
        if (ei) {
          if (!ki) p.metric = es[*ei].metric;
          required = es[*ei].required;
        }
        break;
      case 3: p.outcome = outcome(v); break;
      case 4: optional_number(v); break;
      case 5: {
        Keys keys(kMoreKeys);
        for (auto field : v.get_object()) {
          od::value x = field.value();
          switch (keys.see(field.unescaped_key())) {
            case 0: p.message = string(x); break;
            case 1: p.error_id = string(x); break;
            case 2: p.check_id = string(x); break;
            case 3: p.device = optional_int(x); break;
            case 4: p.metric = string(x); break;
            case 5: required = boolean(x); break;
            case 6: labels(x); break;
            case 7:
            case 8:
            case 9: string(x); break;
            default: optional_number(x); break;
          }
        }
        break;
      }
      default: throw Defer{};
    }
  }
  if (col < 5) throw Defer{};
  d.outcomes_by_check[p.check_id][static_cast<size_t>(p.outcome)] += 1;
  if (p.outcome == Outcome::pass || (p.outcome == Outcome::skip && !required)) return;
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
      case 4: from_iso8601(std::string(string(v)), "time"); break;
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
        for (auto m : v.get_array()) read_measurement(m.get_object(), measurements, d);
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
