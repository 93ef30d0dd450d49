// The Check interface: one check measures one thing and knows nothing of baselines or reports.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/start_gate.h"
#include "harness/core/system_info.h"

namespace tranche {

// gpu: the runner calls run() once per selected GPU (all at once unless --sequential). node: once, with all
// selected GPUs in ctx.gpus() (inventory, PCIe all-GPU phase, peer-to-peer matrix).
enum class Scope { gpu, node };

// A parameter a check accepts. The type is the JSON type of default_value (integer, number, string, boolean,
// or an array of those); overrides are converted to it.
// The planner checks every value against min/max (each element of a list) before anything runs; numbers in
// "B", "s" or "count" may never be negative. Parameters sharing a zip group are lists zipped element by element:
// each must have the same length, or one element (repeated). A test_only parameter is refused unless the run
// allows test parameters (PlanOptions::allow_test_params).
struct ParamSpec {
  std::string name;
  nlohmann::json default_value;
  std::string unit;  // "B", "s", "count", "" when dimensionless
  std::string help;
  std::optional<double> min = std::nullopt;  // inclusive
  std::optional<double> max = std::nullopt;  // inclusive
  std::string zip_group = "";
  bool test_only = false;
  // String parameters (or each element of a list of strings; a comma-separated string counts element by
  // element): the values allowed. Empty: any string.
  std::vector<std::string> choices = {};
  std::int64_t multiple_of = 0;  // integers (each element of a list): must be a multiple of this; 0 = any
};

// The start_gate_timeout_s parameter (default kStartGateTimeoutS), declared by every check whose GPUs meet at a
// start gate; RunContext::sync_start and node-scoped gates read it.
ParamSpec start_gate_timeout_param();

struct CheckInfo {
  std::string id;       // "gemm.bf16": family, dot, variant
  std::string summary;  // one line for `tranche list`
  Scope scope = Scope::gpu;
  std::vector<ParamSpec> params;
  std::vector<std::string> metrics;  // every metric name it may emit ("gemm.bf16/flops")
  double timeout_s = 300.0;          // default deadline; the `timeout_s` override changes it
  int order = 50;                    // run order: preflight 0, compute 20, memory 30, interconnect 40
  // true: metrics.front() is the headline, which the baseline must judge before a required run of this check
  // counts (otherwise E_NO_EXPECTATION, node incomplete); false: judged by tranche's built-in rules (preflight).
  bool headline_needs_baseline = true;
  // Expected seconds of one run of the check with these (effective) parameters on `gpus` selected GPUs (a
  // gpu-scoped check runs on them all at once, so this is one GPU's time unless the check is sequential), for
  // `tranche list --profiles` and the run's ETA. An estimate from the parameters and the SKU-independent
  // arithmetic in the check's file, not a measurement. Every registered check declares one (a registry test).
  double (*estimate_s)(const nlohmann::json& params, int gpus) = nullptr;
};

class RunContext {
 public:
  RunContext(const SystemInfo& system, std::optional<int> gpu, std::vector<int> gpus, nlohmann::json params,
             std::chrono::steady_clock::time_point deadline, StartGate* gate = nullptr,
             const std::atomic<bool>* cancel = nullptr);

  // The GPU a gpu-scoped check runs on; asserts for node-scoped checks.
  int device() const;
  std::optional<int> gpu() const { return gpu_; }
  // The selected GPUs (node-scoped checks use these; gpu-scoped see all the GPUs running concurrently).
  const std::vector<int>& gpus() const { return gpus_; }
  const SystemInfo& system() const { return system_; }
  const nlohmann::json& params() const { return params_; }

  // Typed parameter access; throw InputError naming the check parameter when missing or of the wrong type.
  std::int64_t param_int(const std::string& name) const;
  double param_double(const std::string& name) const;
  std::string param_string(const std::string& name) const;
  bool param_bool(const std::string& name) const;
  std::vector<std::int64_t> param_int_list(const std::string& name) const;

  std::chrono::steady_clock::time_point deadline() const { return deadline_; }
  bool expired() const { return std::chrono::steady_clock::now() >= deadline_; }
  double seconds_left() const;
  // Throws GpuError E_TIMEOUT (naming `what`) when the deadline has passed.
  void check_deadline(const char* what) const;
  bool cancelled() const { return cancel_ && cancel_->load(); }

  // Number of GPUs running this check at the same time (1 when sequential): the group size, which does not
  // shrink as peers finish.
  int concurrency() const { return gate_ ? static_cast<int>(gpus_.size()) : 1; }
  // Waits for the other GPUs of a concurrent check (no-op when alone), at most the check's start_gate_timeout_s
  // parameter when it has one (else kStartGateTimeoutS) and never past the deadline. False when some GPU did not
  // arrive in time: this one starts without it, with its full budget. Throws GpuError E_START_GATE_TIMEOUT for
  // this GPU when it is the one that arrived late (the others started without it).
  bool sync_start();
  // The start gate's wait in seconds: the start_gate_timeout_s parameter, or kStartGateTimeoutS when the check
  // has none. Throws InputError when it is not a positive number.
  double start_gate_timeout_s() const;
  // Marks this GPU as done with the gate (the runner calls it after run()).
  void leave_gate();

 private:
  const SystemInfo& system_;
  std::optional<int> gpu_;
  std::vector<int> gpus_;
  nlohmann::json params_;
  std::chrono::steady_clock::time_point deadline_;
  StartGate* gate_;
  const std::atomic<bool>* cancel_;
  bool left_gate_ = false;
  long gate_round_ = 0;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual const CheckInfo& info() const = 0;
  // A reason when the check does not apply to this GPU (gpu-scoped) or node; nullopt when it does.
  virtual std::optional<std::string> not_applicable(const SystemInfo& /*system*/, std::optional<int> /*gpu*/) const {
    return std::nullopt;
  }
  // Measures; never sees a baseline. Returns a Measurement with metrics (the runner fills check_id, device,
  // params, times). Throws GpuError for a failed API call. Honours ctx.deadline().
  virtual Measurement run(RunContext& ctx) = 0;
};

}  // namespace tranche
