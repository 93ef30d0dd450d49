// What the supervisor and its worker processes exchange: the probed system, the plan and the slots already
// done travel to a worker as one JSON document; events and measurements come back as JSON lines.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "harness/core/plan.h"
#include "harness/core/registry.h"
#include "harness/core/system_info.h"

namespace tranche {

// One unit of work in a run: a check on one GPU, or a node-scoped check (gpu = nullopt).
using Slot = std::pair<std::string, std::optional<int>>;

// The file descriptor a worker writes its JSON lines to (its stdout and stderr stay the operator's terminal).
inline constexpr int kWorkerEventFd = 3;

nlohmann::json system_to_json(const SystemInfo& s);
// Throws InputError naming `where` on a missing or mistyped key.
SystemInfo system_from_json(const nlohmann::json& j, const std::string& where);

nlohmann::json plan_to_json(const Plan& p);
// Looks every check up in `registry`; throws InputError naming `where` for an unknown one.
Plan plan_from_json(const nlohmann::json& j, const CheckRegistry& registry, const std::string& where);

// The job a worker runs: the system, the plan (GPUs already restricted to the healthy ones) and the slots an
// earlier worker recorded.
struct WorkerJob {
  SystemInfo system;
  Plan plan;
  std::set<Slot> done;
};
nlohmann::json job_to_json(const WorkerJob& job);
WorkerJob job_from_json(const nlohmann::json& j, const CheckRegistry& registry);

// Every slot a plan produces, in plan order: (check, GPU) per selected GPU for gpu-scoped checks, (check, none)
// for node-scoped ones and for gpu-scoped ones when no GPU is selected.
std::vector<Slot> plan_slots(const Plan& plan);

}  // namespace tranche
