// preflight.processes: Compute processes on each GPU other than tranche itself.
#include "benches/preflight/preflight_check.h"

namespace tranche {
namespace {

class PreflightProcesses final : public InventoryCheck {
 public:
  PreflightProcesses()
      : InventoryCheck(preflight_info("preflight.processes", "Compute processes on each GPU other than tranche itself",
                                      {"preflight.processes/foreign_processes"}),
                       &preflight_processes_measurement) {}
};

}  // namespace

TRANCHE_REGISTER_CHECK(PreflightProcesses)

}  // namespace tranche
