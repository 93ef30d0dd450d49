// RunContext: parameter access and deadline helpers for a check.
#include <algorithm>
#include <cassert>

#include "harness/core/check.h"

namespace tranche {

RunContext::RunContext(const SystemInfo& system, std::optional<int> gpu, std::vector<int> gpus,
                       nlohmann::json params, std::chrono::steady_clock::time_point deadline, StartGate* gate,
                       const std::atomic<bool>* cancel)
    : system_(system), gpu_(gpu), gpus_(std::move(gpus)), params_(std::move(params)), deadline_(deadline),
      gate_(gate), cancel_(cancel) {}

int RunContext::device() const {
  assert(gpu_.has_value() && "device() called from a node-scoped check");
  return gpu_.value_or(-1);
}

namespace {
const nlohmann::json& require(const nlohmann::json& params, const std::string& name) {
  auto it = params.find(name);
  if (it == params.end()) throw InputError("check parameter '" + name + "' is not set");
  return *it;
}
}  // namespace

std::int64_t RunContext::param_int(const std::string& name) const {
  const auto& v = require(params_, name);
  if (!v.is_number_integer()) throw InputError("check parameter '" + name + "' must be an integer");
  return v.get<std::int64_t>();
}

double RunContext::param_double(const std::string& name) const {
  const auto& v = require(params_, name);
  if (!v.is_number()) throw InputError("check parameter '" + name + "' must be a number");
  return v.get<double>();
}

std::string RunContext::param_string(const std::string& name) const {
  const auto& v = require(params_, name);
  if (!v.is_string()) throw InputError("check parameter '" + name + "' must be a string");
  return v.get<std::string>();
}

bool RunContext::param_bool(const std::string& name) const {
  const auto& v = require(params_, name);
  if (!v.is_boolean()) throw InputError("check parameter '" + name + "' must be true or false");
  return v.get<bool>();
}

std::vector<std::int64_t> RunContext::param_int_list(const std::string& name) const {
  const auto& v = require(params_, name);
  if (v.is_number_integer()) return {v.get<std::int64_t>()};
  std::vector<std::int64_t> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_number_integer()) throw InputError("check parameter '" + name + "' must be a list of integers");
      out.push_back(e.get<std::int64_t>());
    }
    return out;
  }
  throw InputError("check parameter '" + name + "' must be a list of integers");
}

double RunContext::seconds_left() const {
  return std::chrono::duration<double>(deadline_ - std::chrono::steady_clock::now()).count();
}

void RunContext::check_deadline(const char* what) const {
  if (!expired()) return;
  ErrorInfo e;
  e.id = "E_TIMEOUT";
  e.message = std::string("deadline passed during ") + what;
  e.gpu = gpu_;
  throw GpuError(e);
}

ParamSpec start_gate_timeout_param() {
  return {kStartGateTimeoutParam, kStartGateTimeoutS, "s",
          "how long the GPUs wait at a start gate for a missing GPU; that GPU then fails alone (E_START_GATE_TIMEOUT)",
          0.1, 3600};
}

double RunContext::start_gate_timeout_s() const {
  if (params_.find(kStartGateTimeoutParam) == params_.end()) return kStartGateTimeoutS;
  const double v = param_double(kStartGateTimeoutParam);
  if (!(v > 0)) throw InputError(std::string("check parameter '") + kStartGateTimeoutParam + "' must be a positive number of seconds");
  return v;
}

bool RunContext::sync_start() {
  if (!gate_ || left_gate_) return true;
  const double wait_s = start_gate_timeout_s();
  const auto gate_deadline = std::min(
      deadline_, std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(wait_s)));
  switch (gate_->arrive_and_wait(gate_round_, gate_deadline)) {
    case GateArrival::together: return true;
    case GateArrival::timed_out: return false;
    case GateArrival::late: break;
  }
  left_gate_ = true;  // excluded: the gate no longer counts this GPU
  ErrorInfo e;
  e.id = "E_START_GATE_TIMEOUT";
  e.gpu = gpu_;
  e.message = "this GPU reached the start gate after the other GPUs had waited " + std::to_string(wait_s) +
              " s and started without it";
  throw GpuError(e);
}

void RunContext::leave_gate() {
  if (gate_ && !left_gate_) gate_->leave(gate_round_);
  left_gate_ = true;
}

}  // namespace tranche
