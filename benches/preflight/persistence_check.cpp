// preflight.persistence: Persistence mode per GPU.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightPersistence final : public InventoryCheck {
 public:
  PreflightPersistence()
      : InventoryCheck(preflight_info("preflight.persistence", "Persistence mode per GPU",
                                      {"preflight.persistence/persistence_mode"}),
                       &preflight_persistence_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightPersistence)

}  // namespace tranche
