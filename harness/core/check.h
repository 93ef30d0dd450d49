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
struct ParamSpec {
  std::string name;
  nlohmann::json default_value;
  std::string unit;  // "B", "s", "count", "" when dimensionless
  std::string help;
};

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
  // Waits for the other GPUs of a concurrent check (no-op when alone). False if they did not arrive in time.
  bool sync_start();
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
