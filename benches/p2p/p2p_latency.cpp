// p2p.latency: latency of one dependent load from a peer GPU's memory, for every ordered pair.
#include "benches/p2p/p2p_core.h"
#include "harness/core/registry.h"

namespace tranche {
namespace {

class P2pLatency final : public Check {
 public:
  const CheckInfo& info() const override {
    static const CheckInfo kInfo = p2p::p2p_check_info(
        p2p::P2pTest::latency, "GPU-to-GPU load latency for every ordered pair (pointer chase through peer memory)");
    return kInfo;
  }
  std::optional<std::string> not_applicable(const SystemInfo& system, std::optional<int> /*gpu*/) const override {
    return p2p::p2p_not_applicable(system);
  }
  Measurement run(RunContext& ctx) override { return p2p::run_p2p_check(ctx, p2p::P2pTest::latency); }
};

}  // namespace

TRANCHE_REGISTER_CHECK(P2pLatency)

}  // namespace tranche
