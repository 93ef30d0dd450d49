// run_node: the one-way data flow of a node run, from devices to an atomically written report.
#include "harness/cli/node_run.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "harness/core/atomic_file.h"
#include "harness/core/duration_estimate.h"
#include "harness/core/errors.h"
#include "harness/core/gpu_selection.h"
#include "harness/core/run_files.h"
#include "harness/core/fault_point.h"
#include "harness/core/fault.h"
#include "harness/core/model_json.h"
#include "harness/core/supervisor.h"
#include "harness/core/worker_process.h"
#include "harness/gpu/cublaslt_matmul.h"
#include "harness/gpu/nccl_api.h"
#include "harness/judge/baseline_select.h"
#include "harness/judge/judge.h"
#include "harness/judge/profile_file.h"
#include "tranche/version.h"

namespace tranche::cli {

namespace {

// What a run needs on disk before it starts: its report and event log (a few MiB), with room to spare.
constexpr unsigned long long kMinFreeBytes = 64ull << 20;

std::vector<SelectableGpu> gpu_identities(const SystemInfo& sys) {
  const bool any_cuda = std::any_of(sys.inventory.gpus.begin(), sys.inventory.gpus.end(),
                                    [](const GpuInventory& g) { return g.cuda_visible; });
  std::vector<SelectableGpu> out;
  for (const auto& g : sys.inventory.gpus) {
    if (any_cuda && !g.cuda_visible) continue;  // hidden by CUDA_VISIBLE_DEVICES: not selectable
    out.push_back({g.index, g.uuid, g.serial, g.nvml_index, g.pci_bus_id});
  }
  return out;
}

int planned_measurements(const Plan& plan) {
  int n = 0;
  for (const auto& item : plan.items) {
    n += item.entry->info.scope == Scope::gpu ? static_cast<int>(plan.gpus.size()) : 1;
  }
  return n;
}

EnvironmentInfo environment_of(const SystemInfo& sys) {
  EnvironmentInfo e;
  const NodeInventory& node = sys.inventory.node;
  e.driver_version = node.driver_version.value_or("");
  e.nvml_version = node.nvml_version.value_or("");
  e.cuda_driver_version = sys.cuda_driver_version;
  e.cuda_runtime_version = sys.cuda_runtime_version;
  e.cublas_version = cublaslt_version_string();
  e.nccl_version = nccl_version_string();
  e.kernel = node.kernel.value_or("");
  std::ifstream os("/etc/os-release");
  for (std::string line; std::getline(os, line);) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      e.os = line.substr(12);
      if (e.os.size() >= 2 && e.os.front() == '"') e.os = e.os.substr(1, e.os.size() - 2);
    }
  }
  return e;
}

// {"<CUDA ordinal>": nvidia-smi index} for the plan's GPUs (what progress lines and the status line show).
nlohmann::json gpu_index_json(const Plan& plan, const std::map<int, int>& smi) {
  nlohmann::json out = nlohmann::json::object();
  for (int g : plan.gpus) {
    const auto it = smi.find(g);
    out[std::to_string(g)] = it != smi.end() ? it->second : g;
  }
  return out;
}

// Expected seconds per check id and in all (harness/core/duration_estimate.h): the run's ETA.
nlohmann::json estimates_json(const Plan& plan) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& item : plan.items) {
    out[item.entry->info.id] = estimate_item_s(item, static_cast<int>(plan.gpus.size()), plan.sequential);
  }
  return out;
}

nlohmann::json options_json(const NodeRunOptions& o, const Plan& plan, const std::map<int, int>& smi) {
  nlohmann::json overrides = nlohmann::json::object();
  for (const auto& [k, v] : o.plan.overrides) overrides[k] = v;
  nlohmann::json selected_index = nlohmann::json::array();
  for (int g : o.plan.gpus ? *o.plan.gpus : plan.gpus) selected_index.push_back(smi.count(g) ? smi.at(g) : g);
  return {{"gpus_requested", o.gpus.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.gpus)},
          {"gpus", o.plan.gpus ? nlohmann::json(*o.plan.gpus) : nlohmann::json(plan.gpus)},
          {"gpus_nvidia_smi", selected_index},
          {"checks", o.plan.checks ? nlohmann::json(*o.plan.checks) : nlohmann::json(nullptr)},
          {"sequential", plan.sequential},
          {"baseline", o.baseline.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.baseline)},
          {"site_overrides", o.overrides.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.overrides)},
          {"exclusive", o.judge.exclusive},
          {"allow_test_params", o.plan.allow_test_params},
          {"sibling_margin", o.judge.sibling_margin},
          {"overrides", overrides},
          {"out_dir", o.out_dir}};
}

// The run broke after its event log was opened (an exception in the runner, the judge or the save): the report
// keeps what was measured and gains one error verdict naming the failure, so the node is never accepted by it.
void record_run_failure(NodeReport& r, const std::string& what) {
  Verdict v;
  v.check_id = "tranche.run";
  v.rule = "status";
  v.outcome = Outcome::error;
  v.error_id = "E_INTERNAL";
  v.message = "the run stopped early: " + what;
  r.verdicts.push_back(v);
  r.summary = summarize(r.verdicts);
  r.finished_at = std::chrono::system_clock::now();
}

}  // namespace

NodeRunResult run_node(const NodeRunOptions& options, const std::atomic<bool>* cancel) {
  ensure_writable_dir(options.out_dir);
  ensure_free_space(options.out_dir, kMinFreeBytes);
  (void)active_faults();  // a malformed TRANCHE_FAULT is a usage error before anything runs
  const Profile profile = load_profile(options.profile.empty() ? kDefaultProfile : options.profile);

  NodeRunResult result;
  NodeReport& r = result.report;
  r.started_at = std::chrono::system_clock::now();
  r.tool.version = kToolVersion;
  r.tool.git_sha = kGitSha;
  r.command_line = options.command_line;

  SupervisorOptions sup;
  sup.worker_exe = self_executable();
  sup.cancel = cancel;
  // The probe (cudaGetDeviceCount, nvmlInit) can hang on a sick GPU too, so it runs in a worker as well.
  const SystemInfo sys = probe_system_supervised(sup);
  PlanOptions plan_options = options.plan;
  const std::vector<SelectableGpu> identities = gpu_identities(sys);
  const std::map<int, int> smi_index = nvidia_smi_indices(identities);
  if (!options.gpus.empty()) plan_options.gpus = select_gpus(options.gpus, identities);
  const Plan plan = make_plan(CheckRegistry::global(), sys, profile, plan_options);
  r.inventory = to_json(sys.inventory);
  // One path for detection here and in `tranche judge`: both read the SKU from the report's inventory.
  const BaselineSelection selection =
      select_baseline(sku_probes_from_inventory(r.inventory, "inventory"), options.baseline, options.overrides);
  const Baseline* baseline = selection.baseline ? &*selection.baseline : nullptr;
  result.notes = selection.notes;
  r.host = sys.hostname;
  r.environment = environment_of(sys);
  r.profile = {profile.name, profile.source};
  if (baseline) {
    r.baseline = {baseline->id, baseline->file, baseline->sha256, baseline->overrides_file, baseline->overrides_sha256};
  }
  NodeRunOptions recorded = options;
  recorded.plan.gpus = plan_options.gpus;
  r.options = options_json(recorded, plan, smi_index);

  const std::string base = reserve_run_files(options.out_dir, r.host, r.started_at);
  result.report_path = base + ".json";
  result.events_path = base + ".events.jsonl";
  JsonlLog events(result.events_path);
  auto log = [&](const nlohmann::json& e) {
    events.write(e);
    if (options.on_event) options.on_event(e);
  };
  log({{"event", "run_start"},
       {"host", r.host},
       {"profile", profile.name},
       {"baseline", baseline ? nlohmann::json(baseline->id) : nlohmann::json(nullptr)},
       {"gpus", plan.gpus},
       {"checks", plan.items.size()},
       {"measurements", planned_measurements(plan)},
       {"gpu_index", gpu_index_json(plan, smi_index)},
       {"estimated_s", estimate_plan_s(plan)},
       {"estimates", estimates_json(plan)},
       {"report", result.report_path},
       {"events", result.events_path}});

  try {
    fault_point("run.plan");
    r.measurements = run_plan_supervised(plan, sys, log, sup);
    fault_point("run.judge");
    JudgeOptions judge_options = options.judge;
    judge_options.headline_metrics = CheckRegistry::global().headline_metrics();
    judge_options.cuda_runtime_version = sys.cuda_runtime_version;
    r.verdicts = judge(r.measurements, baseline, judge_options);
    if (selection.sku_verdict) r.verdicts.insert(r.verdicts.begin(), *selection.sku_verdict);
    r.summary = summarize(r.verdicts);
    r.finished_at = std::chrono::system_clock::now();
    fault_point("run.save");
    save_node_report(r, result.report_path, options.pretty);
  } catch (const std::exception& e) {
    events.write({{"event", "run_failed"}, {"error", e.what()}});
    record_run_failure(r, e.what());
    try {
      save_node_report(r, result.report_path, options.pretty);
      log({{"event", "run_end"}, {"acceptance", to_string(r.summary.acceptance)}, {"report", result.report_path}});
    } catch (const std::exception& again) {
      events.write({{"event", "report_not_written"}, {"error", again.what()}});
    }
    throw;  // the CLI reports the original failure (exit 70, or 64 for an unwritable disk)
  }
  log({{"event", "run_end"}, {"acceptance", to_string(r.summary.acceptance)}, {"report", result.report_path}});
  return result;
}

}  // namespace tranche::cli
