// TRANCHE_FAULT: faults injected on purpose (a hang, a crash, a CUDA error, a bad figure, a missing or hung NVML)
// so tests prove that the runner and the supervisor turn each one into the right outcome, on any machine.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/measurement.h"

namespace tranche {

// cuda_error: the check throws a CUDA API error (E_CUDA_API). sticky: it throws a sticky one (E_CUDA_STICKY).
// hang: the check never returns (ignores its deadline and cancellation, like a stuck kernel). crash: the
// process aborts (SIGABRT) inside the check. nan: the check's figures become NaN. slow: its figures are
// multiplied by a factor. no_nvml: NVML cannot be loaded. nvml_hang: loading NVML never returns.
enum class FaultKind { cuda_error, sticky, hang, crash, nan, slow, no_nvml, nvml_hang };

struct Fault {
  FaultKind kind = FaultKind::hang;
  std::string check;        // check id or family prefix ("gemm" or "gemm." matches gemm.bf16); "" = none needed
  std::optional<int> gpu;   // only this GPU; nullopt = every GPU (and node-scoped checks)
  double factor = 1.0;      // slow: the factor the figures are multiplied by
};

// Parses "KIND[@CHECK[:gpuN|:FACTOR]]" items separated by ';', e.g. "cuda_error@gemm.bf16:gpu1;slow@gemm:0.8".
// Throws InputError naming TRANCHE_FAULT, the bad item and the accepted forms.
std::vector<Fault> parse_faults(std::string_view spec);

// The faults of the TRANCHE_FAULT environment variable (parsed once; empty when unset). Throws InputError on
// a malformed setting, so `tranche run` rejects it (exit 64) before anything runs.
const std::vector<Fault>& active_faults();

// The active fault of this kind for a check on a GPU, if any. For no_nvml and nvml_hang, check is ignored.
const Fault* find_fault(FaultKind kind, std::string_view check_id, std::optional<int> gpu);

// Called by the runner inside its per-check try block, before Check::run: hangs, aborts or throws the
// GpuError of a matching fault. Does nothing when no fault matches.
void inject_fault_before_run(std::string_view check_id, std::optional<int> gpu);
// Called where NVML is loaded: never returns under nvml_hang; true under no_nvml (the caller then acts as if
// libnvidia-ml could not be loaded).
bool inject_nvml_fault();
// Called by the runner after a successful Check::run: applies nan and slow faults to the figures.
void inject_fault_after_run(Measurement& m);

}  // namespace tranche
