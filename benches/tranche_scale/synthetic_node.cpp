// Synthetic node reports: the checks' emission shapes (labels, units, samples) with planted deviations.
#include "benches/tranche_scale/synthetic_node.h"

#include <cstdio>
#include <random>
#include <set>

#include "benches/preflight/preflight_metrics.h"
#include "harness/core/registry.h"
#include "harness/judge/judge.h"
#include "harness/judge/profile_file.h"

namespace tranche {

std::string synthetic_serial(int node_index, int gpu) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "16542%06d%02d", node_index, gpu);
  return buf;
}

namespace {

class Generator {
 public:
  Generator(const SyntheticNodeSpec& spec, const Baseline& baseline, int gpus)
      : spec_(spec), baseline_(baseline), gpus_(gpus), rng_(spec.seed * 1000003u + static_cast<unsigned>(spec.node_index)) {}

  // The reference of the first expectation for (metric, labels), or `fallback`.
  double reference(const std::string& metric, const std::map<std::string, std::string>& labels, double fallback,
                   std::string* unit = nullptr) const {
    for (const auto& e : baseline_.expectations) {
      if (e.metric != metric) continue;
      bool subset = true;
      for (const auto& [k, v] : e.labels) {
        auto it = labels.find(k);
        subset &= it != labels.end() && it->second == v;
      }
      if (!subset) continue;
      if (unit) *unit = e.unit;
      return e.reference;
    }
    return fallback;
  }

  // A median metric of spec.samples samples around `value`, for GPU `gpu`.
  Metric& figure(Measurement& m, const std::string& quantity, double value, const std::string& unit,
                 std::optional<int> gpu, std::map<std::string, std::string> labels) {
    const bool performance = unit == "B/s" || unit == "FLOP/s" || unit == "s";
    double v = value;
    if (performance) {
      const double scale = spec_.node_scale * (gpu && spec_.gpu_scale.count(*gpu) ? spec_.gpu_scale.at(*gpu) : 1.0);
      v = unit == "s" ? v / scale : v * 1.03 * scale;
      v *= 1.0 + spread_(rng_) * spec_.gpu_spread_cv;
    }
    std::vector<double> samples(static_cast<size_t>(spec_.samples));
    for (auto& s : samples) s = performance ? v * (1.0 + spread_(rng_) * spec_.sample_cv) : v;
    Metric& mm = m.add_median_metric(quantity, samples, unit);
    mm.device = gpu;
    mm.labels = std::move(labels);
    return mm;
  }

  Measurement start(const std::string& check_id, std::optional<int> device) const {
    Measurement m;
    m.check_id = check_id;
    m.device = device;
    m.duration_s = 1.5;
    m.params = {{"samples", spec_.samples}};
    return m;
  }

  // One check's measurements, shaped as its family emits them (benches/<family>/).
  void emit(const CheckInfo& info, std::vector<Measurement>& out) {
    const std::string& id = info.id;
    const std::string family = id.substr(0, id.find('.'));
    if (family == "gemm") {
      const std::map<std::string, std::string> mnk{{"m", "8192"}, {"n", "8192"}, {"k", "8192"}};
      for (int g = 0; g < gpus_; ++g) {
        Measurement m = start(id, g);
        double ref = reference(id + "/flops", mnk, 1e14);
        if (spec_.failing_gpu == g && id == "gemm.bf16") ref *= 0.5 / 1.03;
        figure(m, "flops", ref, "FLOP/s", g, mnk);
        m.add_metric("mismatches", 0.0, "count").labels = mnk;
        m.add_metric("algorithm_id", 21.0, "count").labels = mnk;
        out.push_back(std::move(m));
      }
    } else if (family == "membw") {
      for (int g = 0; g < gpus_; ++g) {
        Measurement m = start(id, g);
        figure(m, "bandwidth", reference(id + "/bandwidth", {}, 2.9e12), "B/s", g, {{"array_bytes", "4294967296"}});
        m.add_metric("mismatches", 0.0, "count");
        out.push_back(std::move(m));
      }
    } else if (family == "pcie") {
      Measurement m = start(id, std::nullopt);
      for (int g = 0; g < gpus_; ++g) {
        const double alone = reference(id + "/bandwidth", {{"phase", "alone"}}, 5.5e10);
        figure(m, "bandwidth", alone, "B/s", g, {{"phase", "alone"}});
        figure(m, "bandwidth", alone * 0.93, "B/s", g, {{"phase", "all_gpus"}});
        m.add_metric("link_generation", 5.0, "count").device = g;
        m.add_metric("link_width", 16.0, "count").device = g;
        m.add_metric("mismatches", 0.0, "count").device = g;
      }
      figure(m, "aggregate_bandwidth", 5.5e10 * 0.93 * gpus_, "B/s", std::nullopt, {{"phase", "all_gpus"}});
      out.push_back(std::move(m));
    } else if (family == "p2p") {
      Measurement m = start(id, std::nullopt);
      for (int i = 0; i < gpus_; ++i) {
        for (int j = 0; j < gpus_; ++j) {
          if (i == j) continue;
          const bool slow = spec_.slow_link_gpu == i && spec_.slow_link_peer == j;
          const std::string peer = std::to_string(j);
          auto link = [&](const char* q, double v, const char* unit, std::map<std::string, std::string> labels) {
            labels["peer"] = peer;
            figure(m, q, slow && std::string(unit) == "B/s" ? v * spec_.link_scale : v, unit, i, std::move(labels));
          };
          if (id == "p2p.unidir") {
            m.add_metric("peer_access", 1.0, "bool").device = i;
            m.metrics.back().labels["peer"] = peer;
            const double ce = reference(id + "/bandwidth", {{"method", "ce"}}, 3.7e11);
            link("bandwidth", ce, "B/s", {{"method", "ce"}});
            link("bandwidth", ce * 0.95, "B/s", {{"method", "sm"}});
          } else if (id == "p2p.bidir") {
            link("bandwidth", reference(id + "/bandwidth", {{"method", "ce"}}, 7.4e11), "B/s", {{"method", "ce"}});
            link("bandwidth", reference(id + "/bandwidth", {{"method", "sm"}}, 6.7e11), "B/s", {{"method", "sm"}});
          } else {
            link("latency", 2.4e-6, "s", {});
          }
        }
        m.add_metric("mismatches", 0.0, "count").device = i;
      }
      out.push_back(std::move(m));
    } else {
      for (int g = 0; g < gpus_; ++g) {
        Measurement m = start(id, g);
        for (const auto& name : info.metrics) {
          std::string unit = "count";
          const double ref = reference(name, {}, 0.0, &unit);
          figure(m, name.substr(name.rfind('/') + 1), ref, unit, g, {});
        }
        out.push_back(std::move(m));
      }
    }
  }

 private:
  const SyntheticNodeSpec& spec_;
  const Baseline& baseline_;
  int gpus_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> spread_{0.0, 1.0};
};

}  // namespace

NodeReport make_synthetic_node_report(const SyntheticNodeSpec& spec, const Inventory& inventory_template,
                                      const Baseline& baseline) {
  Inventory inv = inventory_template;
  inv.node.hostname = spec.host;
  for (auto& g : inv.gpus) {
    g.serial = synthetic_serial(spec.node_index, g.index);
    char uuid[64];
    std::snprintf(uuid, sizeof uuid, "GPU-%08x-7b4d-4c1e-9a0f-%012d", static_cast<unsigned>(spec.node_index),
                  g.index);
    g.uuid = uuid;
  }
  const int gpus = static_cast<int>(inv.gpus.size());
  NodeReport r;
  r.tool.version = "0.1.0";
  r.tool.git_sha = "synthetic";
  r.host = spec.host;
  r.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1795000000));
  r.finished_at = r.started_at + std::chrono::minutes(12);
  r.command_line = {"tranche", "run", "--profile", "acceptance"};
  r.environment.driver_version = inv.node.driver_version.value_or("");
  r.environment.cuda_driver_version = inv.node.cuda_driver_version;
  r.environment.cuda_runtime_version = inv.node.cuda_runtime_version;
  r.environment.kernel = inv.node.kernel.value_or("");
  r.inventory = to_json(inv);
  r.baseline = {baseline.id, baseline.file, baseline.sha256, "", ""};
  r.profile = {"acceptance", "baselines/profiles/acceptance.json"};
  r.measurements = preflight_measurements(inv);
  for (auto& m : r.measurements) {
    m.started_at = r.started_at;
    m.duration_s = 0.02;
  }
  Generator gen(spec, baseline, gpus);
  // An acceptance report: the checks the acceptance profile runs (no burn-in, NCCL or host-only checks).
  const std::set<std::string> acceptance = profile_check_ids(load_profile("acceptance"), CheckRegistry::global());
  for (const auto& e : CheckRegistry::global().entries()) {
    if (!acceptance.count(e.info.id)) continue;
    if (e.info.id.rfind("preflight.", 0) == 0) continue;
    gen.emit(e.info, r.measurements);
  }
  for (auto& m : r.measurements) {
    if (m.started_at == std::chrono::system_clock::time_point{}) m.started_at = r.started_at;
  }
  r.verdicts = judge(r.measurements, &baseline);
  r.summary = summarize(r.verdicts);
  return r;
}

}  // namespace tranche
