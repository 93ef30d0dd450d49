// pcie.h2d: host-to-device copy-engine bandwidth from NUMA-local pinned memory, per GPU alone and all GPUs at once.
#include "benches/pcie/pcie_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class PcieH2d final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = pcie::pcie_check_info(
        pcie::Direction::h2d,
        "PCIe host-to-device copy bandwidth per GPU, alone and all at once, with the trained link gen/width");
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> /*gpu*/) const override {
    return pcie::pcie_not_applicable(system);
  }
  Measurement run(RunContext& ctx) override { return pcie::run_pcie_check(ctx, pcie::Direction::h2d); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(PcieH2d)

}  // namespace tranche
