// preflight.pcie: PCIe link capability (max generation and width) and trained width per GPU, at idle.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightPcie final : public InventoryCheck {
 public:
  PreflightPcie()
      : InventoryCheck(
            preflight_info("preflight.pcie",
                           "PCIe link capability (max generation and width) and trained width per GPU, at idle",
                           {"preflight.pcie/max_link_generation", "preflight.pcie/max_link_width",
                            "preflight.pcie/link_width", "preflight.pcie/link_generation"}),
            &preflight_pcie_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightPcie)

}  // namespace tranche
