// preflight.nvlink: NVLinks active per GPU (every link the SKU has must be up).
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightNvlink final : public InventoryCheck {
 public:
  PreflightNvlink()
      : InventoryCheck(preflight_info("preflight.nvlink", "NVLinks active per GPU (every link the SKU has must be up)",
                                      {"preflight.nvlink/links_active", "preflight.nvlink/links_reported"}),
                       &preflight_nvlink_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightNvlink)

}  // namespace tranche
