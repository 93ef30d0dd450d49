// The supervisor side of `tranche run`: GPU work runs in worker processes of this binary; the supervisor never
// touches CUDA, keeps every finished measurement, and survives workers that hang, crash or are killed.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/plan.h"
#include "harness/core/runner.h"
#include "harness/core/system_info.h"

namespace tranche {

struct SupervisorOptions {
  std::string worker_exe;                     // this binary (self_executable()); started as `exe __worker MODE`
  const std::atomic<bool>* cancel = nullptr;  // set by SIGINT/SIGTERM: stop, record the rest as E_INTERRUPTED
  double grace_s = 5.0;          // a check still running this long after its deadline: its worker is killed
  double stop_s = 3.0;           // after cancel, the worker gets this long to stop before it is killed
  double probe_timeout_s = 120;  // probing the GPUs (CUDA device count, NVML, inventory); TRANCHE_PROBE_TIMEOUT_S
  double idle_timeout_s = 120;   // a worker silent this long while no check runs is killed
};

// Probes the node in a worker process (`__worker probe`). Never throws for a worker that hangs or dies: the
// returned SystemInfo has no GPUs and device_error E_PROBE_TIMEOUT or E_WORKER_DIED (also in the inventory).
SystemInfo probe_system_supervised(const SupervisorOptions& options);

// Runs the plan in worker processes and returns one Measurement per slot (see plan_slots) in plan order, like
// run_plan, forwarding the workers' check_start/check_end events to on_event (plus worker_start/worker_end).
// A check past its deadline + grace: its worker is killed, the check is E_TIMEOUT, the GPU it ran on is
// treated as hung (its remaining checks are E_SKIPPED_AFTER_HANG) and a new worker goes on with the rest on
// the other GPUs. A worker that dies: the checks it was running are E_WORKER_DIED (with the exit status or
// signal and the last event) and a new worker goes on. Throws only when no worker can be started at all.
std::vector<Measurement> run_plan_supervised(const Plan& plan, const SystemInfo& system, const EventSink& on_event,
                                             const SupervisorOptions& options);

}  // namespace tranche
