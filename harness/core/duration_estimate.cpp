// Duration estimates of plan items: the checks' own estimate_s functions added up in run order.
#include "harness/core/duration_estimate.h"

namespace tranche {

double param_number(const nlohmann::json& params, const std::string& name, double fallback) {
  const auto it = params.find(name);
  return it != params.end() && it->is_number() ? it->get<double>() : fallback;
}

std::size_t param_list_size(const nlohmann::json& params, const std::string& name) {
  const auto it = params.find(name);
  return it != params.end() && it->is_array() && !it->empty() ? it->size() : 1;
}

double estimate_item_s(const PlanItem& item, int gpus, bool sequential) {
  const CheckInfo& info = item.entry->info;
  if (!info.estimate_s) return 0.0;
  const double one = info.estimate_s(item.params, gpus);
  return info.scope == Scope::gpu && sequential ? one * gpus : one;
}

double estimate_plan_s(const Plan& plan) {
  double total = 0.0;
  const int gpus = static_cast<int>(plan.gpus.size());
  for (const auto& item : plan.items) total += estimate_item_s(item, gpus, plan.sequential);
  return total;
}

}  // namespace tranche
