// make_render_fixtures: writes the reports tranche render's golden files are made from (tests/data/render/).
// Usage: make_render_fixtures OUT_DIR. Deterministic: fixed seed, fixed times, file names relative to OUT_DIR.
// - node.json: a `--gpus 0,1` acceptance run on an H100 node (synthetic figures, judged by the real judge), GPU 1
//   failing gemm.bf16, plus an nccl.all_reduce size sweep and a burn-in with telemetry, so every chart has data.
// - nodes/gpu0000N.json + rack.json: six such nodes aggregated into a rack (one slow node, one failing GPU).
// - tranche.json (that rack) and compare.json (node 1 against itself a week later, GPU 1 failing, 3% slower).
// - node-escape.json: node.json with a host name, a verdict reason and a figure label full of characters every
//   format must escape (quotes, <, >, &, comma, backslash, newline).
#include <cmath>
#include <filesystem>
#include <iostream>

#include "benches/tranche_scale/synthetic_node.h"
#include "harness/core/atomic_file.h"
#include "harness/core/model_json.h"
#include "harness/core/sha256.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/judge.h"
#include "reports/compare_reports.h"
#include "reports/rack_inputs.h"
#include "reports/tranche_report.h"

namespace fs = std::filesystem;
using namespace tranche;

namespace {

const std::set<int> kGpus = {0, 1};

bool selected(std::optional<int> gpu) { return !gpu || kGpus.count(*gpu); }

// Keeps what a run with --gpus 0,1 measures: figures of GPUs 0 and 1, and pairs among them.
void keep_two_gpus(NodeReport& r) {
  std::vector<Measurement> kept;
  for (auto& m : r.measurements) {
    if (!selected(m.device)) continue;
    std::vector<Metric> metrics;
    for (auto& f : m.metrics) {
      if (!selected(f.device)) continue;
      const auto peer = f.labels.find("peer");
      if (peer != f.labels.end() && !kGpus.count(std::stoi(peer->second))) continue;
      metrics.push_back(std::move(f));
    }
    m.metrics = std::move(metrics);
    kept.push_back(std::move(m));
  }
  r.measurements = std::move(kept);
  r.options = {{"gpus", {0, 1}}, {"gpus_requested", "0,1"}, {"sequential", false}};
}

Measurement nccl_sweep(const NodeReport& r) {
  Measurement m;
  m.check_id = "nccl.all_reduce";
  m.started_at = r.started_at + std::chrono::minutes(8);
  m.duration_s = 41.5;
  m.params = {{"min_bytes", 1024}, {"max_bytes", 1 << 30}, {"step_factor", 4}};
  nlohmann::json table = nlohmann::json::array();
  double plateau = 0;
  int plateau_rows = 0;
  double largest = 0;
  for (double size = 1024; size <= (1 << 30); size *= 4) {
    const double busbw = 362e9 * size / (size + 6e6);  // saturates past a few MiB, as NVLink all-reduce does
    const double algbw = busbw / (2.0 * (2 - 1) / 2);
    table.push_back({{"dtype", "float"}, {"placement", "out-of-place"}, {"size_bytes", size}, {"count", size / 4},
                     {"time_s", size / algbw}, {"algbw_Bps", algbw}, {"busbw_Bps", busbw}, {"mismatches", 0}});
    if (size >= (1 << 26)) {
      plateau += busbw;
      ++plateau_rows;
    }
    largest = busbw;
  }
  Metric& p = m.add_metric("bus_bandwidth", plateau / plateau_rows, "B/s");
  p.statistic = "mean";
  p.n_samples = plateau_rows;
  p.labels = {{"dtype", "float"}, {"placement", "out-of-place"}, {"sizes", "plateau"}};
  Metric& l = m.add_metric("bus_bandwidth", largest, "B/s");
  l.labels = {{"dtype", "float"}, {"placement", "out-of-place"}, {"sizes", "largest"}, {"size_bytes", "1073741824"}};
  Metric& x = m.add_metric("mismatches", 0.0, "count");
  x.statistic = "sum";
  x.labels = {{"dtype", "float"}, {"placement", "out-of-place"}};
  m.details = {{"nranks", 2}, {"gpus", {0, 1}}, {"table", table}, {"algorithm", nullptr}};
  return m;
}

Measurement burnin(const NodeReport& r, int gpu) {
  Measurement m;
  m.check_id = "burnin.gemm";
  m.device = gpu;
  m.started_at = r.started_at + std::chrono::minutes(9);
  const double ran = 600;
  m.duration_s = ran;
  std::vector<double> rates;
  for (int i = 0; i < 20; ++i) rates.push_back(6.9e14 * (1.0 - 0.01 * gpu) * (1.0 + 0.004 * std::sin(i * 0.9 + gpu)));
  Metric& f = m.add_median_metric("flops", rates, "FLOP/s");
  f.device = gpu;
  f.labels = {{"precision", "bf16"}};
  m.add_metric("mismatches", 0.0, "count").device = gpu;
  m.add_metric("peak_temperature", 71.0 + gpu, "degC").device = gpu;
  m.add_metric("peak_power", 688.0 - gpu, "W").device = gpu;
  nlohmann::json points = nlohmann::json::array();
  for (int i = 0; i <= 60; ++i) {
    const double t = i * 10.0;
    const double warm = 1.0 - std::exp(-t / 120.0);
    points.push_back({t, 38.0 + 33.0 * warm + gpu, 45.0 + 30.0 * warm, 120.0 + 560.0 * (i ? 1.0 : 0.0) - gpu,
                      1980.0 - 45.0 * warm, 2619.0, i ? 100.0 : 0.0, i ? 62.0 : 0.0, 0, 0, 0, 0, 0});
  }
  m.details = {{"telemetry",
                {{"gpu", gpu},
                 {"interval_s", 10.0},
                 {"columns", {"t_s", "gpu_temp_c", "mem_temp_c", "power_w", "sm_clock_mhz", "mem_clock_mhz", "util_gpu",
                              "util_mem", "clock_event_reasons", "ecc_corrected", "ecc_uncorrected", "pcie_replay",
                              "nvlink_errors"}},
                 {"points", points}}},
               {"burnin", {{"duration_asked_s", ran}, {"ran_s", ran}, {"cut_short", false}}}};
  return m;
}

NodeReport node(const Inventory& inv, const Baseline& baseline, int index, SyntheticNodeSpec spec) {
  char host[32];
  std::snprintf(host, sizeof host, "gpu%05d", index);
  spec.host = host;
  spec.node_index = index;
  NodeReport r = make_synthetic_node_report(spec, inv, baseline);
  keep_two_gpus(r);
  r.measurements.push_back(nccl_sweep(r));
  for (int g : kGpus) r.measurements.push_back(burnin(r, g));
  r.command_line = {"tranche", "run", "--gpus", "0,1"};
  r.verdicts = judge(r.measurements, &baseline);
  r.summary = summarize(r.verdicts);
  return r;
}

void write(const fs::path& p, const nlohmann::json& j) { write_file_atomic(p.string(), j.dump(1) + "\n"); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_render_fixtures OUT_DIR\n";
    return 64;
  }
  const fs::path out = argv[1];
  fs::create_directories(out / "nodes");
  const Baseline baseline =
      load_baseline_file(std::string(TRANCHE_SOURCE_DIR) + "/baselines/skus/h100-sxm5-80gb.json");
  const Inventory inv = inventory_from_json(
      nlohmann::json::parse(read_file(std::string(TRANCHE_SOURCE_DIR) + "/tests/data/inventory/healthy_hgx_h100.json")),
      "healthy_hgx_h100.json");
  ToolInfo tool;
  tool.version = "0.1.0";
  tool.git_sha = "fixture";
  const std::string created = "2026-11-20T12:00:00.000Z";

  SyntheticNodeSpec failing;
  failing.failing_gpu = 1;
  NodeReport fixture = node(inv, baseline, 17, failing);
  save_node_report(fixture, (out / "node.json").string(), true);
  fixture.host = "gpu-017 \"lab\" <a&b>, c\\d";
  for (auto& m : fixture.measurements) {
    for (auto& f : m.metrics) {
      if (f.name == "burnin.gemm/peak_power") f.labels["sensor"] = "board \"A\" \\ <1>,\n2 & 3";
    }
  }
  for (auto& v : fixture.verdicts) {
    if (v.outcome == Outcome::fail) v.message = "slow \"bf16\" <b>GPU</b> & more, see C:\\logs\nsecond line";
  }
  save_node_report(fixture, (out / "node-escape.json").string(), true);

  std::vector<std::string> files;
  for (int i = 1; i <= 6; ++i) {
    SyntheticNodeSpec spec;
    if (i == 3) spec.node_scale = 0.95;  // a slow node: a fleet outlier, still above the baseline's fail line
    if (i == 6) spec.failing_gpu = 1;    // on the RMA list
    char name[32];
    std::snprintf(name, sizeof name, "nodes/gpu%05d.json", i);
    save_node_report(node(inv, baseline, i, spec), (out / name).string());
    files.push_back(name);
  }
  const fs::path cwd = fs::current_path();
  fs::current_path(out);  // file names in the rack report relative to OUT_DIR
  RackOptions options;
  options.name = "rack-07";
  options.tool = tool;
  options.expected_hosts = std::vector<std::string>{"gpu00001", "gpu00002", "gpu00003", "gpu00004", "gpu00005",
                                                    "gpu00006", "gpu00007"};
  nlohmann::json rack = aggregate_rack(files, options, 1);
  rack["created_at"] = created;
  write("rack.json", rack);
  nlohmann::json tranche = aggregate_tranche({RackInput{"rack.json", sha256_hex(read_file("rack.json")), rack}},
                                             "tranche-a", tool);
  tranche["created_at"] = created;
  write("tranche.json", tranche);
  SyntheticNodeSpec later;
  later.failing_gpu = 1;
  later.node_scale = 0.97;
  save_node_report(node(inv, baseline, 1, later), "gpu00001-later.json");
  nlohmann::json compare = compare_reports("nodes/gpu00001.json", "gpu00001-later.json", CompareOptions{}, tool);
  compare["created_at"] = created;
  write("compare.json", compare);
  fs::current_path(cwd);
  std::cout << "wrote the render fixtures under " << out.string() << "\n";
  return 0;
}
