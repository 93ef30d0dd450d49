// RunContext: parameter access and deadline helpers for a check.
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

bool RunContext::sync_start() {
  if (!gate_ || left_gate_) return true;
  return gate_->arrive_and_wait(deadline_);
}

void RunContext::leave_gate() {
  if (gate_ && !left_gate_) gate_->leave();
  left_gate_ = true;
}

}  // namespace tranche
