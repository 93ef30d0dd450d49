// realistic_acceptance_report: measurements shaped like a real run (checks, GPUs, pairs, labels, samples).
#include "tests/unit/realistic_report.h"

#include <random>
#include <set>

#include "benches/preflight/preflight_metrics.h"
#include "harness/core/atomic_file.h"
#include "harness/core/inventory.h"
#include "harness/core/model_json.h"
#include "harness/core/registry.h"
#include "harness/judge/baseline_file.h"
#include "harness/judge/judge.h"
#include "harness/judge/profile_file.h"

namespace tranche::test {

namespace {

bool timed_unit(const std::string& unit) { return unit == "B/s" || unit == "FLOP/s" || unit == "s"; }

std::string unit_of(const std::string& quantity) {
  if (quantity == "peer_access") return "bool";
  if (quantity == "flops") return "FLOP/s";
  if (quantity.find("bandwidth") != std::string::npos) return "B/s";
  if (quantity == "latency") return "s";
  return "count";
}

bool subset_of(const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& have) {
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

NodeReport realistic_acceptance_report(const std::string& source_dir) {
  const std::string inv_path = source_dir + "/tests/data/inventory/healthy_hgx_h100.json";
  const nlohmann::json inv_json = nlohmann::json::parse(read_file(inv_path));
  const Inventory inventory = inventory_from_json(inv_json, inv_path);
  const Baseline baseline = load_baseline_file(source_dir + "/baselines/skus/h100-sxm5-80gb.json");
  const int gpus = 8;
  const auto start = from_iso8601("2026-11-24T05:00:00.000Z", "t");

  NodeReport r;
  r.tool = {"tranche", "0.1.0", "0123456789abcdef0123456789abcdef01234567"};
  r.host = "hgx-h100-r07-n03";
  r.started_at = start;
  r.finished_at = start + std::chrono::minutes(14);
  r.command_line = {"tranche", "run", "--out", "/var/lib/tranche/reports"};
  r.environment = {"580.65.06", 13000, 13000, "13.0.0", "", "13.580.65", "6.1.0-28-amd64", "Debian GNU/Linux 12"};
  r.inventory = to_json(inventory);
  r.baseline = {baseline.id, baseline.file, baseline.sha256, "", ""};
  r.profile = {"acceptance", "baselines/profiles/acceptance.json"};
  r.options = {{"gpus", {0, 1, 2, 3, 4, 5, 6, 7}}, {"sequential", false}};

  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0.0, 0.01);
  auto fill = [&](Measurement& m, const std::string& name, std::map<std::string, std::string> labels, int gpu) {
    const std::string quantity = name.substr(name.find('/') + 1);
    const std::string unit = unit_of(quantity);
    double reference = 1.0;
    for (const auto& e : baseline.expectations) {
      if (e.metric == name && subset_of(e.labels, labels)) reference = e.reference;
    }
    Metric* x;
    if (timed_unit(unit)) {
      std::vector<double> samples(30);
      for (double& s : samples) s = reference * (0.97 + noise(rng));
      x = &m.add_median_metric(quantity, samples, unit);
    } else {
      x = &m.add_metric(quantity, quantity == "mismatches" ? 0.0 : reference, unit);
    }
    x->labels = std::move(labels);
    x->device = gpu;
  };
  // Label sets the baseline names for a metric (one empty set when it names none).
  auto label_sets = [&](const std::string& name) {
    std::set<std::map<std::string, std::string>> sets;
    for (const auto& e : baseline.expectations) {
      if (e.metric == name) sets.insert(e.labels);
    }
    if (sets.empty()) sets.insert(std::map<std::string, std::string>{});
    // Dimensions the checks add that a baseline may not name: PCIe phases, P2P copy methods (pcie_core, p2p_core).
    auto expand = [&](const char* key, std::initializer_list<const char*> values) {
      std::set<std::map<std::string, std::string>> out;
      for (auto l : sets) {
        if (l.count(key)) {
          out.insert(l);
          continue;
        }
        for (const char* v : values) {
          l[key] = v;
          out.insert(l);
        }
      }
      sets = out;
    };
    if (name.rfind("pcie.", 0) == 0 && name.ends_with("/bandwidth")) expand("phase", {"alone", "all_gpus"});
    if (name == "p2p.unidir/bandwidth") expand("method", {"ce", "sm"});
    return sets;
  };

  // An acceptance report: the checks the acceptance profile runs (no burn-in, NCCL or host-only checks).
  const std::set<std::string> acceptance = profile_check_ids(load_profile("acceptance"), CheckRegistry::global());
  for (const auto& entry : CheckRegistry::global().entries()) {
    if (!acceptance.count(entry.info.id)) continue;
    const CheckInfo& info = entry.info;
    if (info.id.rfind("preflight.", 0) == 0) continue;  // below, from the inventory fixture
    const bool pairs = info.id.rfind("p2p.", 0) == 0;
    auto base = [&](std::optional<int> gpu) {
      Measurement m;
      m.check_id = info.id;
      m.device = gpu;
      m.started_at = start;
      m.duration_s = 21.5;
      for (const auto& p : info.params) m.params[p.name] = p.default_value;
      return m;
    };
    if (info.scope == Scope::gpu) {
      for (int g = 0; g < gpus; ++g) {
        Measurement m = base(g);
        for (const auto& name : info.metrics) {
          for (const auto& labels : label_sets(name)) fill(m, name, labels, g);
        }
        r.measurements.push_back(std::move(m));
      }
      continue;
    }
    Measurement m = base(std::nullopt);
    for (int g = 0; g < gpus; ++g) {
      for (const auto& name : info.metrics) {
        for (const auto& labels : label_sets(name)) {
          if (!pairs) {
            fill(m, name, labels, g);
            continue;
          }
          for (int peer = 0; peer < gpus; ++peer) {
            if (peer == g) continue;
            auto with_peer = labels;
            with_peer["peer"] = std::to_string(peer);
            fill(m, name, with_peer, g);
          }
        }
      }
    }
    r.measurements.push_back(std::move(m));
  }
  auto preflight = preflight_measurements(inventory);
  for (auto& m : preflight) m.started_at = start;
  r.measurements.insert(r.measurements.begin(), preflight.begin(), preflight.end());
  r.verdicts = judge(r.measurements, &baseline);
  r.summary = summarize(r.verdicts);
  return r;
}

}  // namespace tranche::test
