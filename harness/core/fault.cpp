// TRANCHE_FAULT parsing and the injection points the runner calls; see fault.h for the fault kinds.
#include "harness/core/fault.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <thread>

#include "harness/core/errors.h"

namespace tranche {

namespace {

constexpr const char* kForms =
    "expected KIND[@CHECK[:gpuN|:FACTOR]] items separated by ';', KIND one of cuda_error, sticky, hang, crash, "
    "nan, slow, no_nvml, nvml_hang (e.g. hang@membw.triad, cuda_error@gemm.bf16:gpu1, slow@gemm:0.8)";

std::optional<FaultKind> kind_from(std::string_view s) {
  if (s == "cuda_error") return FaultKind::cuda_error;
  if (s == "sticky") return FaultKind::sticky;
  if (s == "hang") return FaultKind::hang;
  if (s == "crash") return FaultKind::crash;
  if (s == "nan") return FaultKind::nan;
  if (s == "slow") return FaultKind::slow;
  if (s == "no_nvml") return FaultKind::no_nvml;
  if (s == "nvml_hang") return FaultKind::nvml_hang;
  return std::nullopt;
}

bool needs_check(FaultKind k) { return k != FaultKind::no_nvml && k != FaultKind::nvml_hang; }

[[noreturn]] void bad(std::string_view item, const std::string& why) {
  throw InputError("TRANCHE_FAULT: '" + std::string(item) + "': " + why + "; " + kForms);
}

Fault parse_one(std::string_view item) {
  Fault f;
  const auto at = item.find('@');
  const auto kind = kind_from(item.substr(0, at));
  if (!kind) bad(item, "unknown fault kind");
  f.kind = *kind;
  if (at == std::string_view::npos) {
    if (needs_check(f.kind)) bad(item, "this fault needs @CHECK");
    return f;
  }
  if (!needs_check(f.kind)) bad(item, "this fault takes no @CHECK");
  std::string_view rest = item.substr(at + 1);
  const auto colon = rest.find(':');
  f.check = std::string(rest.substr(0, colon));
  if (f.check.empty()) bad(item, "empty CHECK");
  if (colon == std::string_view::npos) {
    if (f.kind == FaultKind::slow) bad(item, "slow needs a :FACTOR");
    return f;
  }
  const std::string q(rest.substr(colon + 1));
  char* end = nullptr;
  if (f.kind == FaultKind::slow) {
    f.factor = std::strtod(q.c_str(), &end);
    if (q.empty() || *end != '\0' || !std::isfinite(f.factor) || f.factor <= 0) bad(item, "FACTOR must be a positive number");
  } else {
    if (q.rfind("gpu", 0) != 0 || q.size() == 3) bad(item, "expected :gpuN");
    const long g = std::strtol(q.c_str() + 3, &end, 10);
    if (*end != '\0' || g < 0 || g > 1023) bad(item, "expected :gpuN with N a GPU index");
    f.gpu = static_cast<int>(g);
  }
  return f;
}

bool check_matches(const std::string& pattern, std::string_view id) {
  if (pattern == id) return true;
  std::string prefix = pattern;
  if (prefix.back() != '.') prefix += '.';
  return id.substr(0, prefix.size()) == prefix;
}

[[noreturn]] void hang_forever() {
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

}  // namespace

std::vector<Fault> parse_faults(std::string_view spec) {
  std::vector<Fault> out;
  while (!spec.empty()) {
    const auto semi = spec.find(';');
    const std::string_view item = spec.substr(0, semi);
    if (!item.empty()) out.push_back(parse_one(item));
    if (semi == std::string_view::npos) break;
    spec.remove_prefix(semi + 1);
  }
  return out;
}

const std::vector<Fault>& active_faults() {
  static const std::vector<Fault> faults = [] {
    const char* env = std::getenv("TRANCHE_FAULT");
    return env ? parse_faults(env) : std::vector<Fault>{};
  }();
  return faults;
}

const Fault* find_fault(FaultKind kind, std::string_view check_id, std::optional<int> gpu) {
  for (const auto& f : active_faults()) {
    if (f.kind != kind) continue;
    if (!needs_check(kind)) return &f;
    if (!check_matches(f.check, check_id)) continue;
    if (f.gpu && f.gpu != gpu) continue;
    return &f;
  }
  return nullptr;
}

void inject_fault_before_run(std::string_view check_id, std::optional<int> gpu) {
  if (active_faults().empty()) return;
  if (find_fault(FaultKind::hang, check_id, gpu)) hang_forever();
  if (find_fault(FaultKind::crash, check_id, gpu)) std::abort();
  const bool sticky = find_fault(FaultKind::sticky, check_id, gpu) != nullptr;
  if (sticky || find_fault(FaultKind::cuda_error, check_id, gpu)) {
    ErrorInfo e;
    e.id = sticky ? "E_CUDA_STICKY" : "E_CUDA_API";
    e.api = "cuda";
    e.code = sticky ? 700 : 2;
    e.code_name = sticky ? "cudaErrorIllegalAddress" : "cudaErrorMemoryAllocation";
    e.message = std::string("injected by TRANCHE_FAULT: ") + e.code_name;
    e.expr = "TRANCHE_FAULT";
    e.gpu = gpu;
    e.sticky = sticky;
    throw GpuError(e);
  }
}

bool inject_nvml_fault() {
  if (active_faults().empty()) return false;
  if (find_fault(FaultKind::nvml_hang, "", std::nullopt)) hang_forever();
  return find_fault(FaultKind::no_nvml, "", std::nullopt) != nullptr;
}

void inject_fault_after_run(Measurement& m) {
  if (active_faults().empty()) return;
  const Fault* nan = find_fault(FaultKind::nan, m.check_id, m.device);
  const Fault* slow = find_fault(FaultKind::slow, m.check_id, m.device);
  if (!nan && !slow) return;
  for (auto& metric : m.metrics) {
    auto change = [&](std::optional<double>& v) {
      if (!v) return;
      *v = nan ? std::numeric_limits<double>::quiet_NaN() : *v * slow->factor;
    };
    change(metric.value);
    change(metric.min);
    change(metric.max);
    for (double& s : metric.samples) s = nan ? std::numeric_limits<double>::quiet_NaN() : s * slow->factor;
  }
}

}  // namespace tranche
