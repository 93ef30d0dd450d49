// Baseline files: strict parsing and validation, writing, the shipped set and --baseline resolution.
#include "harness/judge/baseline_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "harness/core/atomic_file.h"
#include "harness/core/errors.h"
#include "harness/core/inventory.h"
#include "harness/core/sha256.h"
#include "harness/judge/profile_file.h"
#include "harness/judge/strict_json.h"

namespace tranche {

using nlohmann::json;
namespace fs = std::filesystem;

bool is_known_unit(const std::string& unit) {
  static const char* const kUnits[] = {"B/s", "FLOP/s", "s", "W", "degC", "count", "bool", "B"};
  return std::any_of(std::begin(kUnits), std::end(kUnits), [&](const char* u) { return unit == u; });
}

namespace {

std::set<std::string>& declared_metrics() {
  static std::set<std::string> names;
  return names;
}

const std::regex& metric_name_re() {
  static const std::regex re("^[a-z0-9_]+(\\.[a-z0-9_]+)*/[a-z0-9_]+$");
  return re;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string hex_id(std::uint32_t id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", id);
  return buf;
}

void check_ratios(StrictObject& o, Direction d, double warn, double fail) {
  switch (d) {
    case Direction::higher_is_better:
      if (!(warn > 0 && warn <= 1)) o.fail("warn_ratio", fmt(warn) + " must be in (0, 1] for higher_is_better");
      if (!(fail > 0 && fail <= warn)) {
        o.fail("fail_ratio", fmt(fail) + " must be in (0, warn_ratio=" + fmt(warn) + "] for higher_is_better");
      }
      break;
    case Direction::lower_is_better:
      if (!(warn >= 1)) o.fail("warn_ratio", fmt(warn) + " must be >= 1 for lower_is_better");
      if (!(fail >= warn))
        o.fail("fail_ratio", fmt(fail) + " must be >= warn_ratio=" + fmt(warn) + " for lower_is_better");
      break;
    case Direction::equal:
      if (warn != 1) o.fail("warn_ratio", "must be 1 for direction equal (no margin applies)");
      if (fail != 1) o.fail("fail_ratio", "must be 1 for direction equal (no margin applies)");
      break;
  }
}

std::optional<DatasheetFigure> figure_from(const json& j, const std::string& file, const std::string& place,
                                           const char* unit) {
  StrictObject o(j, file, place);
  DatasheetFigure f;
  f.value = o.optional_number("value");
  if (f.value && *f.value <= 0) o.fail("value", "must be positive, or null when the vendor does not publish it");
  if (!o.has("value")) o.fail("value", "missing: give the figure or null when it is not published");
  f.unit = o.string("unit");
  if (f.unit != unit) o.fail("unit", "'" + f.unit + "' must be '" + unit + "' for this figure");
  f.source = o.string("source");
  o.finish("value, unit, source");
  return f;
}

Datasheet datasheet_from(const json& j, const std::string& file) {
  StrictObject o(j, file, "$.datasheet");
  Datasheet d;
  if (o.has("peak_flops")) {
    static const std::set<std::string> kPrecisions{"fp64", "fp64_tc", "fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
    const json& p = o.at("peak_flops");
    if (!p.is_object()) o.fail("peak_flops", "must be an object keyed by precision");
    for (const auto& [k, v] : p.items()) {
      if (!kPrecisions.count(k)) {
        data_error(file, o.place("peak_flops") + "." + k,
                   "unknown precision (allowed: fp64, fp64_tc, fp32, tf32, fp16, bf16, fp8, int8)");
      }
      d.peak_flops[k] = *figure_from(v, file, o.place("peak_flops") + "." + k, "FLOP/s");
    }
  }
  auto fig = [&](const char* key, const char* unit) -> std::optional<DatasheetFigure> {
    if (!o.has(key)) return std::nullopt;
    return figure_from(o.at(key), file, o.place(key), unit);
  };
  d.hbm_bandwidth = fig("hbm_bandwidth", "B/s");
  d.nvlink_bandwidth = fig("nvlink_bandwidth", "B/s");
  d.pcie_bandwidth = fig("pcie_bandwidth", "B/s");
  d.power_limit = fig("power_limit", "W");
  d.slowdown_temperature = fig("slowdown_temperature", "degC");
  o.finish("peak_flops, hbm_bandwidth, nvlink_bandwidth, pcie_bandwidth, power_limit, slowdown_temperature");
  return d;
}

MatchRule match_from(const json& j, const std::string& file) {
  StrictObject o(j, file, "$.match");
  MatchRule m;
  if (o.has("pci_device_ids")) {
    const json& ids = o.at("pci_device_ids");
    if (!ids.is_array()) o.fail("pci_device_ids", "must be an array of strings like \"0x2330\"");
    static const std::regex kHex("^0x[0-9a-fA-F]{4}$");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string place = o.place("pci_device_ids") + "[" + std::to_string(i) + "]";
      if (!ids[i].is_string() || !std::regex_match(ids[i].get<std::string>(), kHex)) {
        data_error(file, place, ids[i].dump() + " is not a PCI device id like \"0x2330\"");
      }
      m.pci_device_ids.push_back(static_cast<std::uint32_t>(std::stoul(ids[i].get<std::string>(), nullptr, 16)));
    }
  }
  m.name_pattern = o.string("name_pattern");
  try {
    std::regex re(m.name_pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    o.fail("name_pattern", "'" + m.name_pattern + "' is not a valid regular expression: " + e.what());
  }
  if (auto v = o.optional_integer("memory_bytes_min", 1, INT64_MAX))
    m.memory_bytes_min = static_cast<std::uint64_t>(*v);
  if (auto v = o.optional_integer("memory_bytes_max", 1, INT64_MAX))
    m.memory_bytes_max = static_cast<std::uint64_t>(*v);
  if (m.memory_bytes_min && m.memory_bytes_max && *m.memory_bytes_max < *m.memory_bytes_min) {
    o.fail("memory_bytes_max", "is below memory_bytes_min");
  }
  o.finish("pci_device_ids, name_pattern, memory_bytes_min, memory_bytes_max");
  return m;
}

NodeExpectations node_from(const json& j, const std::string& file) {
  StrictObject o(j, file, "$.node");
  NodeExpectations n;
  auto i32 = [&](const char* key, int lo, int hi) -> std::optional<int> {
    if (auto v = o.optional_integer(key, lo, hi)) return static_cast<int>(*v);
    return std::nullopt;
  };
  if (o.has("gpus_per_node") && !o.at("gpus_per_node").is_null()) {
    n.gpus_per_node = gpu_counts_from_json(o.at("gpus_per_node"), file, o.place("gpus_per_node"));
  }
  n.pcie_generation = i32("pcie_generation", 1, 7);
  n.pcie_width = i32("pcie_width", 1, 32);
  if (n.pcie_width && (*n.pcie_width & (*n.pcie_width - 1)) != 0) o.fail("pcie_width", "must be 1, 2, 4, 8, 16 or 32");
  n.nvlinks_per_gpu = i32("nvlinks_per_gpu", 0, 64);
  if (auto v = o.optional_integer("memory_bytes_min", 1, INT64_MAX))
    n.memory_bytes_min = static_cast<std::uint64_t>(*v);
  n.min_driver = o.optional_string("min_driver").value_or("");
  if (!n.min_driver.empty() && !driver_version_number(n.min_driver))  // the judge's own parser
    o.fail("min_driver", "'" + n.min_driver + "' is not a version like \"580.65.06\"");
  n.source = o.string("source");
  o.finish("gpus_per_node, pcie_generation, pcie_width, nvlinks_per_gpu, memory_bytes_min, min_driver, source");
  return n;
}

// An anchor floor, and the rule it exists for: the expectation's fail line is never looser than the anchor's.
AnchorFloor floor_from(const json& j, const std::string& file, const std::string& place, const Expectation& e) {
  StrictObject o(j, file, place);
  AnchorFloor f;
  f.value = o.number("value");
  if (!(f.value > 0)) o.fail("value", fmt(f.value) + " must be positive (the anchor's fail line, in " + e.unit + ")");
  f.source = o.string("source");
  o.finish("value, source");
  const double fail_line = e.reference * e.fail_ratio;
  const bool looser = e.direction == Direction::higher_is_better   ? fail_line < f.value * (1 - 1e-9)
                      : e.direction == Direction::lower_is_better ? fail_line > f.value * (1 + 1e-9)
                                                                   : false;
  if (looser) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.6g", f.value / e.reference);
    data_error(file, place.substr(0, place.rfind('.')) + ".fail_ratio",
               fmt(e.fail_ratio) + " x reference " + fmt(e.reference) + " " + e.unit + " = " + fmt(fail_line) +
                   " is looser than the anchor floor " + fmt(f.value) + " (" + f.source + "); use a fail_ratio of " +
                   (e.direction == Direction::higher_is_better ? "at least " : "at most ") + buf);
  }
  return f;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string s;
  for (const auto& [k, v] : labels) s += (s.empty() ? "" : ",") + k + "=" + v;
  return "{" + s + "}";
}

}  // namespace

void set_declared_metrics(std::set<std::string> names) { declared_metrics() = std::move(names); }

std::vector<int> gpu_counts_from_json(const json& j, const std::string& file, const std::string& place) {
  const json list = j.is_array() ? j : json::array({j});
  if (list.empty()) data_error(file, place, "must be a GPU count or a non-empty array of counts like [4, 8]");
  std::vector<int> out;
  for (const auto& v : list) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 72) {
      data_error(file, place, v.dump() + " is not a GPU count in 1..72 (give one count or the board's counts, [4, 8])");
    }
    const int n = v.get<int>();
    if (!out.empty() && n <= out.back()) data_error(file, place, "counts must be ascending and distinct, like [4, 8]");
    out.push_back(n);
  }
  return out;
}

Expectation expectation_from_json(const json& j, const std::string& file, const std::string& place) {
  StrictObject o(j, file, place);
  Expectation e;
  e.metric = o.string("metric");
  if (!std::regex_match(e.metric, metric_name_re())) {
    o.fail("metric", "'" + e.metric + "' is not a metric name \"<check_id>/<quantity>\" like \"gemm.bf16/flops\"");
  }
  if (!declared_metrics().empty() && !declared_metrics().count(e.metric)) {
    o.fail("metric", "'" + e.metric + "' is not a metric any check declares; fix the name (tranche list --verbose " +
                         "lists each check's metrics) or remove the expectation");
  }
  if (e.metric.size() > 11 && e.metric.ends_with("/mismatches")) {
    o.fail("metric", "mismatches are judged by the built-in zero_mismatches rule; remove this expectation");
  }
  e.labels = o.string_map("labels");
  e.unit = o.string("unit");
  if (!is_known_unit(e.unit))
    o.fail("unit", "'" + e.unit + "' is not an SI unit tranche uses (B/s, FLOP/s, s, W, degC, count, bool, B)");
  const std::string dir = o.string("direction");
  const auto d = direction_from_string(dir);
  if (!d) o.fail("direction", "'" + dir + "' is not higher_is_better, lower_is_better or equal");
  e.direction = *d;
  e.reference = o.number("reference");
  if (e.direction != Direction::equal && !(e.reference > 0)) {
    o.fail("reference", fmt(e.reference) + " must be positive: the judge divides by it");
  }
  e.warn_ratio = o.number("warn_ratio");
  e.fail_ratio = o.number("fail_ratio");
  check_ratios(o, e.direction, e.warn_ratio, e.fail_ratio);
  e.required = o.boolean("required");
  e.source = o.string("source");
  e.next_step = o.optional_string("next_step").value_or("");
  const std::string prov = o.string("provenance");
  const auto p = provenance_from_string(prov);
  if (!p) {
    o.fail("provenance", "'" + prov + "' is not derived (tranche baseline derive on golden nodes), measured (a " +
                             "published run) or datasheet (an estimate from a datasheet peak)");
  }
  e.provenance = *p;
  if (o.has("floor")) e.floor = floor_from(o.at("floor"), file, o.place("floor"), e);
  o.finish("metric, labels, reference, unit, direction, warn_ratio, fail_ratio, required, source, next_step, "
           "provenance, floor");
  return e;
}

Baseline baseline_from_json(const json& j, const std::string& file) {
  StrictObject o(j, file, "$");
  const std::string schema = o.string("schema");
  if (schema != kBaselineSchema) o.fail("schema", "'" + schema + "' is not " + kBaselineSchema);
  Baseline b;
  b.file = file;
  b.id = o.string("id");
  static const std::regex kId("^[a-z0-9][a-z0-9.-]*$");
  if (!std::regex_match(b.id, kId)) o.fail("id", "'" + b.id + "' must be lowercase letters, digits, '.' and '-'");
  b.name = o.string("name");
  b.description = o.optional_string("description").value_or("");
  b.match = match_from(o.at("match"), file);
  if (o.has("datasheet")) b.datasheet = datasheet_from(o.at("datasheet"), file);
  if (o.has("node")) b.node = node_from(o.at("node"), file);
  const json& ex = o.at("expectations");
  if (!ex.is_array() || ex.empty()) o.fail("expectations", "must be a non-empty array");
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const std::string place = "$.expectations[" + std::to_string(i) + "]";
    Expectation e = expectation_from_json(ex[i], file, place);
    for (std::size_t k = 0; k < b.expectations.size(); ++k) {
      if (b.expectations[k].metric == e.metric && b.expectations[k].labels == e.labels) {
        data_error(file, place,
                   "duplicates $.expectations[" + std::to_string(k) + "] (" + e.metric + " " + labels_text(e.labels) +
                       "); keep one");
      }
    }
    b.expectations.push_back(std::move(e));
  }
  o.finish("schema, id, name, description, match, datasheet, node, expectations");
  return b;
}

Baseline load_baseline_file(const std::string& path) {
  const std::string text = read_file(path);
  Baseline b = baseline_from_json(parse_data_file(text, path), path);
  b.sha256 = sha256_hex(text);
  return b;
}

json to_json(const Expectation& e) {
  json j = json::object();
  j["metric"] = e.metric;
  if (!e.labels.empty()) j["labels"] = e.labels;
  j["reference"] = e.reference;
  j["unit"] = e.unit;
  j["direction"] = std::string(to_string(e.direction));
  j["warn_ratio"] = e.warn_ratio;
  j["fail_ratio"] = e.fail_ratio;
  j["required"] = e.required;
  j["source"] = e.source;
  if (!e.next_step.empty()) j["next_step"] = e.next_step;
  j["provenance"] = std::string(to_string(e.provenance));
  if (e.floor) j["floor"] = json{{"value", e.floor->value}, {"source", e.floor->source}};
  return j;
}

namespace {
json to_json(const DatasheetFigure& f) {
  return json{{"value", f.value ? json(*f.value) : json(nullptr)}, {"unit", f.unit}, {"source", f.source}};
}
}  // namespace

json to_json(const Baseline& b) {
  json j = json::object();
  j["schema"] = kBaselineSchema;
  j["id"] = b.id;
  j["name"] = b.name;
  if (!b.description.empty()) j["description"] = b.description;
  json m = json::object();
  if (!b.match.pci_device_ids.empty()) {
    json ids = json::array();
    for (auto id : b.match.pci_device_ids) ids.push_back(hex_id(id));
    m["pci_device_ids"] = ids;
  }
  m["name_pattern"] = b.match.name_pattern;
  if (b.match.memory_bytes_min) m["memory_bytes_min"] = *b.match.memory_bytes_min;
  if (b.match.memory_bytes_max) m["memory_bytes_max"] = *b.match.memory_bytes_max;
  j["match"] = m;
  const Datasheet& d = b.datasheet;
  json ds = json::object();
  if (!d.peak_flops.empty()) {
    json p = json::object();
    for (const auto& [k, f] : d.peak_flops) p[k] = to_json(f);
    ds["peak_flops"] = p;
  }
  if (d.hbm_bandwidth) ds["hbm_bandwidth"] = to_json(*d.hbm_bandwidth);
  if (d.nvlink_bandwidth) ds["nvlink_bandwidth"] = to_json(*d.nvlink_bandwidth);
  if (d.pcie_bandwidth) ds["pcie_bandwidth"] = to_json(*d.pcie_bandwidth);
  if (d.power_limit) ds["power_limit"] = to_json(*d.power_limit);
  if (d.slowdown_temperature) ds["slowdown_temperature"] = to_json(*d.slowdown_temperature);
  if (!ds.empty()) j["datasheet"] = ds;
  const NodeExpectations& n = b.node;
  if (!n.source.empty()) {
    json nj = json::object();
    if (n.gpus_per_node.size() == 1) nj["gpus_per_node"] = n.gpus_per_node.front();
    if (n.gpus_per_node.size() > 1) nj["gpus_per_node"] = n.gpus_per_node;
    if (n.pcie_generation) nj["pcie_generation"] = *n.pcie_generation;
    if (n.pcie_width) nj["pcie_width"] = *n.pcie_width;
    if (n.nvlinks_per_gpu) nj["nvlinks_per_gpu"] = *n.nvlinks_per_gpu;
    if (n.memory_bytes_min) nj["memory_bytes_min"] = *n.memory_bytes_min;
    if (!n.min_driver.empty()) nj["min_driver"] = n.min_driver;
    nj["source"] = n.source;
    j["node"] = nj;
  }
  json ex = json::array();
  for (const auto& e : b.expectations) ex.push_back(to_json(e));
  j["expectations"] = ex;
  return j;
}

std::string shipped_baselines_dir() { return (fs::path(baselines_dir()) / "skus").string(); }

std::vector<Baseline> load_baselines_in(const std::string& dir_in) {
  const std::string dir = dir_in.empty() ? shipped_baselines_dir() : dir_in;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(dir, ec)) {
    if (f.path().extension() == ".json") files.push_back(f.path().string());
  }
  if (ec) throw InputError(dir + ": cannot list baselines (" + ec.message() + "); set TRANCHE_BASELINES_DIR");
  std::sort(files.begin(), files.end());
  std::vector<Baseline> out;
  for (const auto& f : files) {
    Baseline b = load_baseline_file(f);
    for (const auto& other : out) {
      if (other.id == b.id) throw InputError(f + ": $.id: '" + b.id + "' is also the id of " + other.file);
    }
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), [](const Baseline& a, const Baseline& b) { return a.id < b.id; });
  return out;
}

std::string known_ids(const std::vector<Baseline>& known) {
  std::string s;
  for (const auto& b : known) s += (s.empty() ? "" : ", ") + b.id;
  return s.empty() ? "none" : s;
}

bool is_baseline_path(const std::string& arg) {
  return arg.find('/') != std::string::npos || (arg.size() > 5 && arg.ends_with(".json"));
}

Baseline resolve_baseline(const std::string& arg, const std::vector<Baseline>& known) {
  if (is_baseline_path(arg)) return load_baseline_file(arg);
  for (const auto& b : known) {
    if (b.id == arg) return b;
  }
  throw InputError("unknown baseline '" + arg + "'; known SKUs: " + known_ids(known) +
                   " (tranche baseline list), or pass a baseline file with --baseline FILE");
}

}  // namespace tranche
