// preflight.throttle: No hardware slowdown, power brake or thermal slowdown active at idle.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightThrottle final : public InventoryCheck {
 public:
  PreflightThrottle()
      : InventoryCheck(
            preflight_info("preflight.throttle", "No hardware slowdown, power brake or thermal slowdown active at idle",
                           {"preflight.throttle/hw_slowdown", "preflight.throttle/thermal_slowdown",
                            "preflight.throttle/throttle_reasons"}),
            &preflight_throttle_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightThrottle)

}  // namespace tranche
