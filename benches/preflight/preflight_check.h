// InventoryCheck: the shape of every inventory-based preflight check — it reads ctx.system().inventory (probed
// once per run) and hands it to a pure function of preflight_metrics.h, so the check itself holds no logic.
#pragma once
#include <utility>

#include "benches/preflight/preflight_metrics.h"
#include "harness/core/registry.h"

namespace tranche {

class InventoryCheck : public Check {
 public:
  using Measure = Measurement (*)(const Inventory&);
  InventoryCheck(CheckInfo info, Measure measure) : info_(std::move(info)), measure_(measure) {}
  const CheckInfo& info() const override { return info_; }
  // Reads only the inventory: no device call, so it cannot hang; errors are E_NO_NVML from the probe.
  Measurement run(RunContext& ctx) override { return measure_(ctx.system().inventory); }

 private:
  CheckInfo info_;
  Measure measure_;
};

// CheckInfo for a node-scoped preflight check of order 0 with the given metrics ("preflight.pcie/link_width").
inline CheckInfo preflight_info(std::string id, std::string summary, std::vector<std::string> metrics) {
  // Reads the inventory probed before the run: no device work.
  return CheckInfo{std::move(id), std::move(summary), Scope::node, {}, std::move(metrics), 10.0, 0, false,
                   [](const nlohmann::json&, int) { return 0.1; }};
}

}  // namespace tranche
