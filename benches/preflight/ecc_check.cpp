// preflight.ecc: ECC on, no pending mode change, no uncorrectable errors, no pending page retirement or row remap.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightEcc final : public InventoryCheck {
 public:
  PreflightEcc()
      : InventoryCheck(
            preflight_info(
                "preflight.ecc",
                "ECC on, no pending mode change, no uncorrectable errors, no pending page retirement or row remap",
                {"preflight.ecc/ecc_enabled", "preflight.ecc/ecc_mode_change_pending",
                 "preflight.ecc/volatile_uncorrected", "preflight.ecc/aggregate_uncorrected",
                 "preflight.ecc/retired_pages_pending", "preflight.ecc/row_remap_pending",
                 "preflight.ecc/row_remap_failure"}),
            &preflight_ecc_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightEcc)

}  // namespace tranche
