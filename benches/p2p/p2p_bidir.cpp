// p2p.bidir: GPU-to-GPU bandwidth with both directions at once, summed (copy engine and SM copy), for every pair.
#include "benches/p2p/p2p_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class P2pBidir final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = p2p::p2p_check_info(
        p2p::P2pTest::bidir,
        "GPU-to-GPU bidirectional bandwidth for every pair, copy engine and SM copy, both directions summed");
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> /*gpu*/) const override {
    return p2p::p2p_not_applicable(system);
  }
  Measurement run(RunContext& ctx) override { return p2p::run_p2p_check(ctx, p2p::P2pTest::bidir); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(P2pBidir)

}  // namespace tranche
