// pcie.bidir: H2D and D2H at the same time on two streams, both directions summed, per GPU alone and all at once.
#include "benches/pcie/pcie_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class PcieBidir final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = pcie::pcie_check_info(
        pcie::Direction::bidir,
        "PCIe bidirectional copy bandwidth (H2D + D2H at once, summed) per GPU, alone and all at once");
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> /*gpu*/) const override {
    return pcie::pcie_not_applicable(system);
  }
  Measurement run(RunContext& ctx) override { return pcie::run_pcie_check(ctx, pcie::Direction::bidir); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(PcieBidir)

}  // namespace tranche
