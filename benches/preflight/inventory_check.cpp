// preflight.inventory: GPU count, one SKU per node, memory size and driver version from the inventory.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightInventory final : public InventoryCheck {
 public:
  PreflightInventory()
      : InventoryCheck(preflight_info("preflight.inventory",
                                      "GPU count, one SKU per node, memory size and driver version from the inventory",
                                      {"preflight.inventory/gpu_count", "preflight.inventory/distinct_skus",
                                       "preflight.inventory/sku_mismatch", "preflight.inventory/memory_bytes",
                                       "preflight.inventory/driver_version"}),
                       &preflight_inventory_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightInventory)

}  // namespace tranche
