// Runner: executes a plan, check by check, catching per check and per GPU so one failure never stops the rest.
#pragma once
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/measurement.h"
#include "harness/core/plan.h"

namespace tranche {

// Receives one JSON object per event (check_start, check_end); called from the runner's threads under a lock.
using EventSink = std::function<void(const nlohmann::json&)>;

struct RunnerOptions {
  const std::atomic<bool>* cancel = nullptr;  // set by a signal handler: the remaining checks end as E_INTERRUPTED
  double grace_s = 5.0;                       // a check that returns this long after its deadline is E_TIMEOUT
  // Slots (check id, GPU or nullopt for node-scoped) an earlier worker already recorded: neither run nor returned.
  std::function<bool(const std::string& check, std::optional<int> gpu)> already_done;
  // Receives each Measurement as soon as it is final (before run_plan returns), serialised with the events.
  std::function<void(const Measurement&)> on_measurement;
};

// Runs every item of the plan and returns one Measurement per (check, GPU) — or per check for node-scoped
// checks — in plan order. Never throws for a check's failure: GpuError becomes status error with its
// ErrorInfo; a sticky CUDA error ends that GPU's remaining checks as E_SKIPPED_AFTER_STICKY.
std::vector<Measurement> run_plan(const Plan& plan, const SystemInfo& system, const EventSink& on_event,
                                  const RunnerOptions& options = {});

}  // namespace tranche
