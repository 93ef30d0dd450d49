// Plan: which checks run, on which GPUs, with which effective parameters — made before anything runs.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/profile.h"
#include "harness/core/registry.h"

namespace tranche {

struct PlanItem {
  const CheckRegistry::Entry* entry = nullptr;
  nlohmann::json params = nlohmann::json::object();  // defaults, then the profile, then --set overrides
  bool required = true;
  double timeout_s = 0.0;
};

struct PlanOptions {
  std::optional<std::string> checks;            // --checks: ids or prefixes; replaces the profile's selection
  std::optional<std::vector<int>> gpus;         // --gpus: CUDA ordinals; all visible GPUs when unset
  std::map<std::string, std::string> overrides; // --set CHECK.PARAM=VALUE (CHECK may be a family prefix)
  bool sequential = false;                      // --sequential: one GPU at a time
  std::optional<double> duration_s;             // --duration: sets duration_s of every check that has one
};

struct Plan {
  std::string profile;
  std::vector<PlanItem> items;
  std::vector<int> gpus;  // selected CUDA ordinals (empty when the node has none)
  bool sequential = false;
};

// Seconds a check with a `duration_s` parameter may run beyond it (setup, verification, teardown): its deadline
// is at least duration_s + this margin, so a burn-in is never cut by the default timeout of its check.
double duration_margin_s(double duration_s);

// Builds the plan. Parameters are layered: check defaults, the profile's duration, its entry params, --duration,
// then --set. Throws InputError for an unknown check, an unknown or mistyped parameter (naming the profile
// file or the --set item), or a --gpus index the node does not have.
Plan make_plan(const CheckRegistry& registry, const SystemInfo& system, const Profile& profile,
               const PlanOptions& options);

// Converts a --set value to the type of the parameter's default (integer, number, boolean, string, or list of
// those, comma-separated). Throws InputError naming `what` on a value that does not convert.
nlohmann::json convert_param(const nlohmann::json& default_value, const std::string& text, const std::string& what);

}  // namespace tranche
